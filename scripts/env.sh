# Shared settings of the scripts: embedded defaults, all overridable from the environment.
# shellcheck shell=bash
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="$ROOT/.venv"
mkdir -p var/log models

# Local secrets for the SMS webhook and the web chat's identities, made once.
if [ ! -f var/secrets.env ]; then
  umask 077
  {
    echo "SMS_GATEWAY_SECRET=${SMS_GATEWAY_SECRET:-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')}"
    echo "IDENTITY_SECRET=${IDENTITY_SECRET:-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')}"
  } > var/secrets.env
fi
# Signs the Telegram bridge's requests to Rasa (added to a secrets.env made before it existed).
if ! grep -q '^TELEGRAM_BRIDGE_SECRET=' var/secrets.env; then
  echo "TELEGRAM_BRIDGE_SECRET=${TELEGRAM_BRIDGE_SECRET:-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')}" >> var/secrets.env
fi
# Rasa's HTTP API checks the JWTs the console and the notice scheduler sign with it
# (bot/rasa_ext/server.py). Added to a secrets.env made before it existed.
if ! grep -q '^RASA_JWT_SECRET=' var/secrets.env; then
  echo "RASA_JWT_SECRET=${RASA_JWT_SECRET:-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')}" >> var/secrets.env
fi
# Rasa's calls to the action server carry it (endpoints.yml); the action server refuses
# every other caller (bot/rasa_ext/action_server.py). Added to a secrets.env made before it existed.
if ! grep -q '^ACTION_SERVER_TOKEN=' var/secrets.env; then
  echo "ACTION_SERVER_TOKEN=${ACTION_SERVER_TOKEN:-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')}" >> var/secrets.env
fi
# The environment wins: a secret already set there is kept, the file fills in the rest.
while IFS='=' read -r key value; do
  case "$key" in ''|'#'*) continue ;; esac
  if [ -z "${!key:-}" ]; then export "$key=$value"; fi
done < var/secrets.env

export BILLING_DATABASE_URL="${BILLING_DATABASE_URL:-sqlite:///$ROOT/var/billing.db}"
# The project's own state (cases, agents, deliveries, ...), apart from the billing stub.
export STATE_DATABASE_URL="${STATE_DATABASE_URL:-sqlite:///$ROOT/var/state.db}"
export BILLING_SEED_PATH="${BILLING_SEED_PATH:-$ROOT/data/billing/demo-customers.yml}"
# Locally, outbound SMS (one-time codes) are appended to a file instead of a gateway.
export SMS_GATEWAY_OUTBOUND_URL="${SMS_GATEWAY_OUTBOUND_URL:-file://$ROOT/var/outbound-sms.jsonl}"
export TRACKER_DIALECT="${TRACKER_DIALECT:-sqlite}"
export TRACKER_DB="${TRACKER_DB:-$ROOT/var/trackers.db}"
# Empty for SQLite; PostgreSQL and the Redis lock store: docs/scaleout.md, "Settings".
export TRACKER_HOST="${TRACKER_HOST:-}" TRACKER_USER="${TRACKER_USER:-}"
export TRACKER_PASSWORD="${TRACKER_PASSWORD:-}" TRACKER_LOGIN_DB="${TRACKER_LOGIN_DB:-}"
export LOCK_STORE_TYPE="${LOCK_STORE_TYPE:-in_memory}" LOCK_STORE_HOST="${LOCK_STORE_HOST:-localhost}"
export LOCK_STORE_PORT="${LOCK_STORE_PORT:-6379}" LOCK_STORE_DB="${LOCK_STORE_DB:-1}"
export LOCK_STORE_PASSWORD="${LOCK_STORE_PASSWORD:-}"
export RASA_PORT="${RASA_PORT:-5005}"
export ACTIONS_PORT="${ACTIONS_PORT:-5055}"
export RASA_HOST="${RASA_HOST:-127.0.0.1}"

export RASA_URL="${RASA_URL:-http://127.0.0.1:$RASA_PORT}"
export RASA_TELEMETRY_ENABLED=false
export TF_CPP_MIN_LOG_LEVEL=2
export PYTHONHASHSEED=0
