"""The scale-out deployment on one machine: two nodes behind nginx, shared state in
PostgreSQL (trackers, billing) and Redis (Rasa's lock store).

    scripts/scaleout up | down | status        (python -m tools.scaleout)

A node is a ``tools.devstack.Stack`` without the console: an action server and a Rasa
server. Both Rasa servers reach the action servers through nginx too. PostgreSQL,
Redis and nginx are installed from Debian packages when missing
(``tools.scaleout_services``) and listen on loopback, like the Rasa servers and the action
servers (``ACTIONS_HOST``), which answer only calls bearing the cluster's one
``ACTION_SERVER_TOKEN`` (nginx passes the header on). All files (data, logs, pid
files) live under ``workdir``, so ``down`` works from another process.
Used by scripts/scaleout and the load test (tests/scale).
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, fields
from pathlib import Path

from bot.billing.seed import seed_database
from bot.state.schema import state_engine
from bot.storage.db import make_engine
from tools.devstack import Stack, free_port, wait_until_ok
from tools.scaleout_services import Nginx, Postgres, Redis, ensure_packages

# Settings the nodes take from the environment (scripts/env.sh) besides the cluster's own.
NODE_SETTINGS = (
    "SMS_GATEWAY_SECRET",
    "SMS_GATEWAY_ALLOW_UNSIGNED",
    "SMS_GATEWAY_OUTBOUND_URL",
    "IDENTITY_SECRET",
    "RASA_JWT_SECRET",
    "ACTION_SERVER_TOKEN",
    "TELEGRAM_BRIDGE_SECRET",
    "BILLING_SEED_PATH",
    "RATE_LIMIT_PER_MINUTE",
    "BILLING_TIMEOUT_SECONDS",
)

# The nodes are reached only through nginx, which sets both headers to the client's
# address (deploy/nginx.conf.template): Sanic takes ``request.remote_addr`` from them, so
# web-chat limits count each client, not nginx. Never for a directly reachable server.
BEHIND_PROXY = {"SANIC_REAL_IP_HEADER": "X-Real-IP", "SANIC_PROXIES_COUNT": "1"}


@dataclass(frozen=True)
class Ports:
    """Loopback ports; the defaults stay clear of scripts/run's 5005, 5055 and 5080."""

    nginx: int = 5100  # the entry point: webhooks and Rasa's API
    actions_lb: int = 5150  # nginx in front of the action servers
    rasa_1: int = 5101
    rasa_2: int = 5102
    actions_1: int = 5151
    actions_2: int = 5152
    postgres: int = 5442
    redis: int = 6390

    @classmethod
    def free(cls) -> Ports:
        """Ports nobody listens on now, all different (tests)."""
        ports: set[int] = set()
        while len(ports) < len(fields(cls)):
            ports.add(free_port())
        return cls(*sorted(ports))


@dataclass
class Cluster:
    """PostgreSQL, Redis, nginx and two nodes; ``settings`` are the nodes' secrets."""

    root: Path
    workdir: Path
    settings: dict[str, str]
    ports: Ports = field(default_factory=Ports)
    model: Path | None = None

    def __post_init__(self) -> None:
        self.model = self.model or self.root / "models" / "current.tar.gz"
        passwords = self._passwords()
        # Every Rasa server calls every action server (through nginx): one token for all.
        self.action_token = self.settings.get("ACTION_SERVER_TOKEN") or secrets.token_hex(24)
        # Rasa's API (the console, the notice scheduler): JWTs signed with one secret for both.
        self.jwt_secret = self.settings.get("RASA_JWT_SECRET") or secrets.token_hex(32)
        self.postgres = Postgres(self.workdir / "postgres", self.ports.postgres, passwords[0])
        self.redis = Redis(self.workdir / "redis", self.ports.redis, passwords[1])
        self.nginx = Nginx(
            self.workdir / "nginx",
            self.root / "deploy" / "nginx.conf.template",
            {
                "LISTEN": f"127.0.0.1:{self.ports.nginx}",
                "ACTIONS_LISTEN": f"127.0.0.1:{self.ports.actions_lb}",
                "RASA_1": f"127.0.0.1:{self.ports.rasa_1}",
                "RASA_2": f"127.0.0.1:{self.ports.rasa_2}",
                "ACTIONS_1": f"127.0.0.1:{self.ports.actions_1}",
                "ACTIONS_2": f"127.0.0.1:{self.ports.actions_2}",
            },
        )
        self.nodes = [
            self._node(1, self.ports.rasa_1, self.ports.actions_1),
            self._node(2, self.ports.rasa_2, self.ports.actions_2),
        ]

    def _node(self, number: int, rasa_port: int, actions_port: int) -> Stack:
        """An action server and a Rasa server (no console) with the cluster's settings."""
        assert self.model is not None
        return Stack(
            root=self.root,
            workdir=self.workdir / f"node{number}",
            model=self.model,
            env=self.node_env(),
            rasa_port=rasa_port,
            actions_port=actions_port,
            console=False,
        )

    @property
    def url(self) -> str:
        """Where the channels and the API are reached (nginx)."""
        return f"http://127.0.0.1:{self.ports.nginx}"

    @property
    def billing_url(self) -> str:
        return self.postgres.url("billing")

    @property
    def state_url(self) -> str:
        """The project's own state (cases, deliveries, ...), apart from the billing stub."""
        return self.postgres.url("state")

    @property
    def tracker_url(self) -> str:
        return self.postgres.url("rasa")

    def node_env(self) -> dict[str, str]:
        """What both nodes are started with: one set of secrets, one set of stores."""
        return {
            **self.settings,
            "BILLING_DATABASE_URL": self.billing_url,
            "STATE_DATABASE_URL": self.state_url,
            "TRACKER_DIALECT": "postgresql",
            "TRACKER_HOST": f"127.0.0.1:{self.postgres.port}",
            "TRACKER_DB": "rasa",
            "TRACKER_USER": self.postgres.user,
            "TRACKER_PASSWORD": self.postgres.password,
            "TRACKER_LOGIN_DB": "postgres",
            "LOCK_STORE_TYPE": "bot.rasa_ext.lock_store.SharedRedisLockStore",
            "LOCK_STORE_HOST": "127.0.0.1",
            "LOCK_STORE_PORT": str(self.redis.port),
            "LOCK_STORE_DB": "1",
            "LOCK_STORE_PASSWORD": self.redis.password,
            "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{self.ports.actions_lb}/webhook",
            "ACTION_SERVER_TOKEN": self.action_token,
            "ACTIONS_HOST": "127.0.0.1",
            "RASA_JWT_SECRET": self.jwt_secret,
            **BEHIND_PROXY,
        }

    def start(self, timeout: float = 240.0) -> None:
        """Install what is missing, start everything, seed billing; stops all on failure."""
        ensure_packages()
        try:
            self.postgres.start()
            self.redis.start()
            for database in ("billing", "state", "rasa"):  # Rasa would create "rasa" (login_db) too
                self.postgres.create_database(database)
            engine = make_engine(self.billing_url)
            seed_path = self.settings.get("BILLING_SEED_PATH")
            seed_database(engine, Path(seed_path or self.root / "data/billing/demo-customers.yml"))
            engine.dispose()
            state_engine(self.state_url).dispose()  # migrated once, before the nodes start
            self.nginx.start()
            with ThreadPoolExecutor(len(self.nodes)) as pool:  # each Rasa loads for ~20 s
                list(pool.map(lambda node: node.start(timeout), self.nodes))
            wait_until_ok(f"{self.url}/webhooks/sms/", timeout=30)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Stop the nodes, then nginx, Redis and PostgreSQL (also when another process
        started them)."""
        with ThreadPoolExecutor(len(self.nodes)) as pool:
            list(pool.map(lambda node: node.stop(), self.nodes))
        self.nginx.stop()
        self.redis.stop()
        self.postgres.stop()

    def running(self) -> dict[str, bool]:
        """Which parts run now (pid files and the services' own checks)."""
        parts = {
            "postgres": self.postgres.running(),
            "redis": self.redis.running(),
            "nginx": self.nginx.running(),
        }
        for node in self.nodes:
            pids = node.pids()
            for name in ("actions", "rasa"):
                parts[f"{node.workdir.name} {name}"] = name in pids and _alive(pids[name])
        return parts

    def describe(self) -> str:
        p = self.ports
        return (
            f"nginx {self.url} -> Rasa servers 127.0.0.1:{p.rasa_1}, 127.0.0.1:{p.rasa_2}\n"
            f"  actions via 127.0.0.1:{p.actions_lb} -> 127.0.0.1:{p.actions_1}, "
            f"127.0.0.1:{p.actions_2}\n"
            f"  PostgreSQL 127.0.0.1:{p.postgres} (databases rasa, billing; user "
            f"{self.postgres.user}), Redis 127.0.0.1:{p.redis}\n"
            f"  files and logs in {self.workdir}"
        )

    def _passwords(self) -> tuple[str, str]:
        """The PostgreSQL and Redis passwords, made once (the database outlives a run)."""
        path = self.workdir / "passwords"
        if not path.exists():
            self.workdir.mkdir(parents=True, exist_ok=True)
            self.workdir.chmod(0o755)  # the postgres user reaches its data directory
            path.touch(mode=0o600)
            path.write_text(f"{secrets.token_hex(16)}\n{secrets.token_hex(16)}\n")
        postgres, redis = path.read_text().split()
        return postgres, redis


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def local_cluster(workdir: Path) -> Cluster:
    """The cluster of scripts/scaleout: fixed ports, settings from scripts/env.sh."""
    settings = {key: os.environ[key] for key in NODE_SETTINGS if key in os.environ}
    return Cluster(root=Path.cwd(), workdir=workdir.resolve(), settings=settings)


def main(argv: list[str] | None = None) -> int:
    """Entry point of scripts/scaleout."""
    parser = argparse.ArgumentParser(prog="scaleout", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["up", "down", "status"])
    parser.add_argument("--workdir", type=Path, default=Path("var/scaleout"))
    args = parser.parse_args(argv)
    cluster = local_cluster(args.workdir)
    if args.command == "down":
        cluster.stop()
        print("scale-out cluster stopped")
        return 0
    if args.command == "status":
        print(cluster.describe())
        for name, up in cluster.running().items():
            print(f"  {name}: {'running' if up else 'stopped'}")
        return 0
    cluster.stop()
    cluster.start()
    print(cluster.describe())
    return 0


if __name__ == "__main__":
    sys.exit(main())
