"""Benchmark the assistant through the signed SMS webhook.

Starts a dedicated stack (own billing and tracker databases on SQLite, free
loopback ports), adds synthetic customers cloned from the demo ones so that
every simulated customer has an account of their own, then for each
concurrency level runs N customers who each send a journey of messages one
after another. Prints throughput, p50/p99 latency, the servers' CPU time per
request and their memory.

    .venv/bin/python scripts/benchmark.py --concurrency 1 20
    .venv/bin/python scripts/benchmark.py \
        --models models/current.tar.gz models/default-config.tar.gz

With several models, each gets a stack of its own; all run at once and are
measured in turns (each level ``--repeat`` times, A B A B ...), so that the
machine's changing speed hits them alike. Throughput is the median over the
repetitions; the throughput ratio of the first model to the others is printed. With
``--stock``, each model also runs on Rasa as it comes (``rasa run``, Rasa's own
SQL tracker store, none of bot/rasa_ext/tuning), to measure the run-time fixes. With
``--without PATCH ...``, the first model also runs once per patch named with that
run-time patch left out (``RASA_TUNING_WITHOUT``), to measure what each saves.

Then a level with long conversations (``--long``, 0 skips it): N customers at once
whose current sessions already hold ``--long-events`` events or more (sent through
the webhook first, not measured), one of whom has ``--history`` events of earlier
sessions (their own conversation, copied back in time: an SMS number's conversation
never ends). Each sends the journey ``--rounds`` times per repetition; the same
customers continue in every repetition, so their sessions keep growing.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import copy
import re
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from bot.billing.seed import add_customer, load_seed, seed_database
from bot.storage.db import make_engine
from tools.devstack import Stack
from tools.load import (
    SECRET,
    fill_sessions,
    load,
    memory_mb,
    session_events,
)

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "billing" / "demo-customers.yml"


def clone_customers(url: str, count: int) -> list[str]:
    """Seed the demo data plus ``count`` clones; returns the clones' numbers."""
    engine = make_engine(url)
    seed_database(engine, SEED, reset=True)
    demo = load_seed(SEED)["customers"]
    numbers = []
    with Session(engine) as session:
        for i in range(count):
            customer = copy.deepcopy(demo[i % len(demo)])
            customer["msisdn"] = f"+86139{i:08d}"
            customer["subscriptions"] = []
            add_customer(session, customer)
            numbers.append(customer["msisdn"])
        session.commit()
    return numbers


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


Sample = tuple[float, list[float], dict[str, float]]  # seconds, latencies, CPU per server
LONG = "long"  # the long conversations' level, among the levels N


@dataclass
class Subject:
    """One model on one runtime: its running stack and what was measured on it."""

    name: str
    stack: Stack
    numbers: list[str]  # customers: [warm-up, then N per repetition]
    long: list[str]  # the long conversations' customers; [0] has earlier sessions
    ready_s: float
    samples: dict[int | str, list[Sample]] = field(default_factory=dict)  # per level
    memory: dict[int | str, dict[str, float]] = field(default_factory=dict)
    sessions: list[tuple[int, int]] = field(default_factory=list)  # (fewest, most) events

    def throughput(self, n: int | str) -> float:
        """The median over the repetitions (the machine's speed varies)."""
        return statistics.median(len(lat) / seconds for seconds, lat, _ in self.samples[n])

    def row(self, n: int | str) -> tuple[int, float, float, float, float, float, float, float]:
        latencies = [lat for _, run, _ in self.samples[n] for lat in run]
        cpu = {
            name: sum(s[2][name] for s in self.samples[n]) * 1000 / len(latencies)
            for name in self.samples[n][0][2]
        }
        memory = self.memory[n]
        return (
            len(latencies),
            self.throughput(n),
            statistics.median(latencies) * 1000,
            percentile(latencies, 0.99) * 1000,
            memory.get("rasa", 0),
            memory.get("actions", 0),
            cpu.get("rasa", 0),
            cpu.get("actions", 0),
        )

    def veteran(self) -> list[float]:
        """Latencies of the long conversations' customer with earlier sessions."""
        per = len(self.samples[LONG][0][1]) // len(self.long)  # latencies per customer
        return [lat for _, run, _ in self.samples[LONG] for lat in run[:per]]


def stock_endpoints(workdir: Path) -> Path:
    """The project's endpoints with Rasa's own SQL tracker store."""
    text = (ROOT / "endpoints.yml").read_text()
    stock = re.sub(r"(?m)^(  type: )bot\.(rasa_ext\.)?tracker_store\.\w+.*$", r"\1SQL", text)
    if stock == text:
        raise RuntimeError("endpoints.yml: the project's tracker store type was not found")
    path = workdir / "stock-endpoints.yml"
    path.write_text(stock)
    return path


def start(
    model: Path,
    stock: bool,
    customers: int,
    long: int,
    cleanup: contextlib.ExitStack,
    without: str = "",
) -> Subject:
    """Start a stack on ``model`` (stopped and removed by ``cleanup``), with the run-time
    patch ``without`` left out when given."""
    workdir = Path(cleanup.enter_context(tempfile.TemporaryDirectory(prefix="bench-")))
    billing_url = f"sqlite:///{workdir / 'billing.db'}"
    numbers = clone_customers(billing_url, customers + long)
    stack = Stack(
        root=ROOT,
        workdir=workdir,
        model=model,
        env={
            "BILLING_DATABASE_URL": billing_url,
            "STATE_DATABASE_URL": f"sqlite:///{workdir / 'state.db'}",
            "SMS_GATEWAY_SECRET": SECRET,
            "IDENTITY_SECRET": "bench-identity",
            "TRACKER_DIALECT": "sqlite",
            "TRACKER_DB": str(workdir / "trackers.db"),
            "RASA_AUTH_TOKEN": "bench-token",
            "RATE_LIMIT_PER_MINUTE": "1000000",
            "RASA_TUNING_WITHOUT": without,
        },
        stock_endpoints=stock_endpoints(workdir) if stock else None,
    )
    started = time.perf_counter()
    cleanup.callback(stack.stop)
    stack.start()
    name = model.resolve().name + (" on stock Rasa" if stock else "")
    name += f" without {without}" if without else ""
    ready = time.perf_counter() - started
    return Subject(name, stack, numbers[:customers], numbers[customers:], ready)


def measure(
    subjects: list[Subject], concurrency: list[int], args: argparse.Namespace
) -> list[int | str]:
    """Every level, ``repeat`` times, taking turns: each subject sees the same machine.
    The levels measured (the long conversations' last)."""
    levels: list[int | str] = list(concurrency)
    if subjects[0].long:
        levels.append(LONG)
        for subject in subjects:
            asyncio.run(fill_sessions(subject.stack, subject.long, args.long_events, args.history))
    for n in levels:
        for rep in range(args.repeat):
            for subject in subjects:
                if n == LONG:
                    customers = [subject.numbers[0], *subject.long]
                    subject.sessions.append(session_range(subject))
                else:
                    assert isinstance(n, int)
                    customers = [
                        subject.numbers[0],
                        *subject.numbers[1 + rep * n : 1 + (rep + 1) * n],
                    ]
                sample = asyncio.run(load(subject.stack, customers, args.rounds))
                subject.samples.setdefault(n, []).append(sample)
                subject.memory[n] = memory_mb(subject.stack)
    return levels


def session_range(subject: Subject) -> tuple[int, int]:
    """The fewest and the most events in the long conversations' current sessions."""
    sizes = [session_events(subject.stack, number)[0] for number in subject.long]
    return min(sizes), max(sizes)


def show(subject: Subject, levels: list[int | str]) -> None:
    print(f"\nmodel {subject.name}: servers ready in {subject.ready_s:.1f} s")
    print(
        f"{'N':>3} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'rasa MB':>8} {'actions MB':>10} {'rasa CPU':>9} {'actions CPU':>11}"
        "   (CPU: ms per request)"
    )
    for n in levels:
        count, rps, p50, p99, rasa_mb, actions_mb, rasa_cpu, actions_cpu = subject.row(n)
        label = f"{len(subject.long)}L" if n == LONG else n
        print(
            f"{label:>3} {count:>8} {rps:>7.1f} {p50:>7.0f} {p99:>7.0f} {rasa_mb:>8.0f} "
            f"{actions_mb:>10.0f} {rasa_cpu:>9.1f} {actions_cpu:>11.1f}"
        )
    if LONG in levels:
        fewest, most = min(s[0] for s in subject.sessions), max(s[1] for s in subject.sessions)
        current, stored = session_events(subject.stack, subject.long[0])
        veteran = subject.veteran()
        print(
            f"{len(subject.long)}L: long conversations, {fewest}-{most} events in the current "
            f"session when a repetition began; the first customer has {stored - current} "
            f"events of earlier sessions: p50 {statistics.median(veteran) * 1000:.0f} ms, "
            f"p99 {percentile(veteran, 0.99) * 1000:.0f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 20])
    parser.add_argument("--rounds", type=int, default=3, help="journeys per customer")
    parser.add_argument(
        "--models",
        type=Path,
        nargs="+",
        default=[ROOT / "models" / "current.tar.gz"],
        help="the project's model first; others are compared with it",
    )
    parser.add_argument(
        "--stock", action="store_true", help="also run each model on Rasa as it comes"
    )
    parser.add_argument(
        "--without",
        nargs="+",
        default=[],
        metavar="PATCH",
        help="also run the first model with each of these run-time patches left out "
        "(bot/rasa_ext/tuning/registry.py: _validate_action_result, session, DaskGraphRunner)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="measurements per level")
    parser.add_argument("--long", type=int, default=20, help="long conversations at once")
    parser.add_argument("--long-events", type=int, default=200, help="in the current session")
    parser.add_argument("--history", type=int, default=5000, help="earlier events of one")
    args = parser.parse_args()
    with contextlib.ExitStack() as cleanup:
        customers = 1 + max(args.concurrency) * args.repeat
        subjects = [
            start(model, stock, customers, args.long, cleanup)
            for model in args.models
            for stock in ([False, True] if args.stock else [False])
        ]
        subjects[1:1] = [
            start(args.models[0], False, customers, args.long, cleanup, without)
            for without in args.without
        ]
        levels = measure(subjects, args.concurrency, args)
        for subject in subjects:  # the databases go with the stacks
            show(subject, levels)
    base = subjects[0]
    for other in subjects[1:]:
        for n in args.concurrency:
            ratio = base.throughput(n) / other.throughput(n)
            print(f"throughput at N={n}: {base.name} / {other.name} = {ratio:.2f}x")
        if " without " in other.name:
            for n in levels:
                saved = other.row(n)[6] - base.row(n)[6]
                print(f"{other.name}: {saved:+.2f} ms of Rasa CPU per request at N={n}")


if __name__ == "__main__":
    main()
