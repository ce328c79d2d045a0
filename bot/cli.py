"""The ``telecom-assistant`` command: seed the billing stub, chat as a demo customer,
start the servers, run the Telegram bridge or the agent console, manage agents, export
conversation review labels as training data."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import hashlib
import os
import sys
from pathlib import Path

from sqlalchemy import inspect

from bot.billing.seed import (
    BillingSchemaMismatch,
    load_seed,
    recreate_billing_schema,
    seed_database,
)
from bot.config import load_settings
from bot.logmask import configure_logging
from bot.state.legacy import adopt_legacy_state, legacy_state_present
from bot.state.schema import current_revision, migrate
from bot.storage.db import make_engine
from tools.devstack import Stack
from tools.sms_client import SmsGatewayClient

STACK_SETTINGS = (
    "BILLING_DATABASE_URL",
    "STATE_DATABASE_URL",
    "BILLING_SEED_PATH",
    "SMS_GATEWAY_SECRET",
    "SMS_GATEWAY_ALLOW_UNSIGNED",
    "SMS_GATEWAY_OUTBOUND_URL",
    "IDENTITY_SECRET",
    "TRACKER_DIALECT",
    "TRACKER_DB",
    "RASA_AUTH_TOKEN",
    "RASA_JWT_SECRET",
    "ACTION_ENDPOINT_URL",
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_API_BASE_URL",
    "TELEGRAM_MODE",
    "TELEGRAM_WEBHOOK_URL",
    "TELEGRAM_WEBHOOK_SECRET",
    "TELEGRAM_WEBHOOK_PORT",
    "TELEGRAM_WEBHOOK_LISTEN",
    "TELEGRAM_BRIDGE_SECRET",
    "CONSOLE_HOST",
    "CONSOLE_SECURE_COOKIES",
    "CONSOLE_SESSION_IDLE_MINUTES",
    "CONSOLE_TICK_SECONDS",
)
TRAINING_INPUTS = (
    "config.yml",
    "domain",
    "data/nlu",
    "data/rules.yml",
    "data/stories.yml",
    "bot/rasa_ext/nlu",  # the project's own NLU components
    "pyproject.toml",
)


def main(argv: list[str] | None = None) -> int:
    """Entry point; a reader that stops early (``scripts/chat ... | head``) ends it quietly."""
    try:
        return _main(argv)
    except BrokenPipeError:
        # Python's recipe: point stdout at devnull so the interpreter's final flush is quiet.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


def _main(argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(prog="telecom-assistant")
    commands = parser.add_subparsers(dest="command", required=True)
    seed = commands.add_parser("seed", help="create the billing tables and load the demo data")
    seed.add_argument("--reset", action="store_true", help="replace all billing stub rows")
    seed.add_argument(
        "--recreate", action="store_true", help="drop and create the billing stub's tables"
    )
    seed.add_argument(
        "--as-of",
        type=dt.date.fromisoformat,
        default=None,
        metavar="YYYY-MM-DD",
        help="place the demo's months relative to this day (default: today)",
    )
    commands.add_parser(
        "migrate", help="bring the project's own tables (cases, agents, ...) to the newest schema"
    )
    chat = commands.add_parser("chat", help="chat over the SMS webhook as a demo customer")
    chat.add_argument(
        "--as",
        dest="customer",
        default="1",
        help="demo customer 1-5 or a number such as +8613800000001",
    )
    chat.add_argument("--url", default=os.environ.get("RASA_URL", "http://127.0.0.1:5005"))
    chat.add_argument("message", nargs="*", help="send this one message and exit")
    commands.add_parser("fingerprint", help="hash of the training inputs (names the model)")
    commands.add_parser("up", help="start the action server and the Rasa server in the background")
    commands.add_parser("down", help="stop the servers 'up' started")
    commands.add_parser("telegram", help="run the Telegram bridge (TELEGRAM_BOT_TOKEN) in front")
    commands.add_parser("console", help="run the agent console (CONSOLE_PORT) in front")
    # The proactive notice scheduler
    notices = commands.add_parser("notices", help="run the notice scheduler (NOTICE_*) in front")
    notices.add_argument("--once", action="store_true", help="one sweep, then exit")
    agent = commands.add_parser("agent", help="manage the agent console's accounts")
    agent.add_argument("action", choices=["add", "list", "remove", "reset-password", "set-role"])
    agent.add_argument("username", nargs="?")
    agent.add_argument(
        "--password-stdin", action="store_true", help="read the password (add, reset-password)"
    )
    agent.add_argument("--role", choices=["agent", "supervisor"], help="add, set-role")
    review = commands.add_parser("review", help="conversation review (the console's Review page)")
    review.add_argument("action", choices=["export"])
    review.add_argument(
        "--out", type=Path, default=Path("data/nlu"), help="the NLU layout's folder (data/nlu)"
    )
    args = parser.parse_args(argv)
    if args.command == "seed":
        return _seed(args.reset, args.recreate, args.as_of)
    if args.command == "migrate":
        return _migrate()
    if args.command == "chat":
        return asyncio.run(_chat(args.customer, args.url, " ".join(args.message)))
    if args.command == "telegram":
        return _telegram()
    if args.command == "review":
        return _review_export(args.out)
    if args.command == "notices":
        from bot.notices.process import run_notices

        return run_notices(once=args.once)
    if args.command in ("console", "agent"):
        from bot.console import serve  # Sanic is only needed here
        from bot.console.access import admin

        if args.command == "console":
            return serve.run()
        return admin.agent_command(args.action, args.username, args.password_stdin, args.role)
    if args.command in ("up", "down"):
        stack = local_stack()
        if args.command == "down":
            stack.stop()
            return 0
        stack.stop()
        stack.start()
        print(f"Rasa server on {stack.rasa_url}, action server on port {stack.actions_port}")
        print(f"Agent console on {stack.console_url} (log: var/console.log)")
        if stack.runs_telegram:
            print("Telegram bridge running (log: var/telegram.log)")
        print("Notice scheduler running (log: var/notices.log)")
        return 0
    print(training_fingerprint(Path.cwd()))
    return 0


def local_stack() -> Stack:
    """The stack ``scripts/run`` starts (README, "Two commands"), configured by scripts/env.sh."""
    root = Path.cwd()
    return Stack(
        root=root,
        workdir=root / "var",
        model=root / "models" / "current.tar.gz",
        env={key: os.environ[key] for key in STACK_SETTINGS if key in os.environ},
        rasa_port=int(os.environ.get("RASA_PORT", "5005")),
        actions_port=int(os.environ.get("ACTIONS_PORT", "5055")),
        host=os.environ.get("RASA_HOST", "127.0.0.1"),
        console_port=int(os.environ.get("CONSOLE_PORT", "5080")),
        notices=True,  # the notice scheduler runs with the servers
    )


def _telegram() -> int:
    from bot.telegram_bridge.app import run  # python-telegram-bot is only needed here
    from bot.telegram_bridge.settings import load_telegram_settings

    configure_logging()
    try:
        settings = load_telegram_settings()
    except ValueError as exc:
        print(f"telegram: {exc}", file=sys.stderr)
        return 2
    run(settings)
    return 0


def _review_export(directory: Path) -> int:
    """Write the labelled review items not exported yet as Rasa NLU YAML."""
    from bot.console.wiring import review_store
    from bot.review.export import export_labelled

    paths, count = export_labelled(review_store(load_settings()), directory, dt.date.today())
    if not paths:
        print("review: no labelled messages to export")
        return 0
    written = ", ".join(str(path) for path in paths)
    print(f"review: {count} labelled messages added to {written}; scripts/run retrains")
    return 0


def _seed(reset: bool, recreate: bool, as_of: dt.date | None) -> int:
    settings = load_settings()
    engine = make_engine(settings.database_url)
    if recreate:
        recreate_billing_schema(engine)
    try:
        added = seed_database(engine, settings.seed_path, reset=reset, as_of=as_of)
    except BillingSchemaMismatch as exc:
        print(f"seed: {exc}", file=sys.stderr)
        return 2
    print("billing stub: demo rows added" if added else "billing stub: demo rows all present")
    return 0


def _migrate() -> int:
    """Migrate the state database; a new one adopts the state a 0.1 install kept in billing."""
    settings = load_settings()
    state = make_engine(settings.state_database_url)
    fresh = current_revision(state) is None and not inspect(state).get_table_names()
    before = current_revision(state)
    migrate(state)
    print(f"state database: revision {before or 'none'} -> {current_revision(state)}")
    if fresh and settings.state_database_url != settings.database_url:
        legacy = make_engine(settings.database_url)
        if legacy_state_present(legacy):
            copied = adopt_legacy_state(state, legacy)
            print(f"state adopted from the billing database of 0.1: {copied}")
    return 0


def demo_number(customer: str) -> str:
    """``"2"`` -> the second demo customer's number; a full number passes through."""
    if customer.startswith("+"):
        return customer
    customers = load_seed(load_settings().seed_path)["customers"]
    return str(customers[int(customer) - 1]["msisdn"])


async def _chat(customer: str, url: str, message: str) -> int:
    sender = demo_number(customer)
    client = SmsGatewayClient(url, load_settings().sms_secret)
    try:
        if message:
            await _exchange(client, sender, message)
            return 0
        print(f"Texting 10086 as {sender}. Type a message; Ctrl-D to quit.")
        while True:
            try:
                line = input("> ").strip()
            except EOFError:
                return 0
            if line:
                await _exchange(client, sender, line)
    finally:
        await client.aclose()


async def _exchange(client: SmsGatewayClient, sender: str, text: str) -> None:
    reply = await client.send(sender, text)
    if reply.status != 200:
        print(f"[HTTP {reply.status}] {reply.body}", file=sys.stderr)
    for reply_text in reply.texts:
        print(f"10086: {reply_text}")


def training_fingerprint(root: Path) -> str:
    """A short hash of everything training reads; a new hash means retrain."""
    digest = hashlib.sha256()
    for name in TRAINING_INPUTS:
        path = root / name
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for file in files:
            if file.is_file():
                digest.update(str(file.relative_to(root)).encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


if __name__ == "__main__":
    sys.exit(main())
