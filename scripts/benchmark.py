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
SQL tracker store, none of bot/rasa_ext/tuning), to measure the run-time fixes.
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

import psutil
from sqlalchemy.orm import Session

from bot.billing.seed import add_customer, load_seed, seed_database
from bot.storage.db import make_engine
from tools.devstack import Stack
from tools.sms_client import SmsGatewayClient

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "billing" / "demo-customers.yml"
SECRET = "bench-secret"
JOURNEY = ["查余额", "how much data is left?", "查账单", "推荐套餐", "2", "你好", "thanks", "再见"]


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


async def customer_run(client: SmsGatewayClient, number: str, rounds: int) -> list[float]:
    latencies = []
    for _ in range(rounds):
        for text in JOURNEY:
            start = time.perf_counter()
            reply = await client.send(number, text)
            latencies.append(time.perf_counter() - start)
            if reply.status != 200 or not reply.texts:
                raise RuntimeError(f"bad reply to {text!r} from {number}: {reply.body}")
    return latencies


async def load(
    stack: Stack, numbers: list[str], rounds: int
) -> tuple[float, list[float], dict[str, float]]:
    """``numbers[0]`` warms up, then the others run at once. Elapsed seconds,
    latencies, and the CPU seconds each server used meanwhile."""
    client = SmsGatewayClient(stack.rasa_url, SECRET, timeout=120)
    try:
        await customer_run(client, numbers[0], 1)  # warm-up
        before = cpu_seconds(stack)
        start = time.perf_counter()
        results = await asyncio.gather(*(customer_run(client, n, rounds) for n in numbers[1:]))
        elapsed = time.perf_counter() - start
        after = cpu_seconds(stack)
    finally:
        await client.aclose()
    used = {name: after[name] - before[name] for name in after}
    return elapsed, [lat for result in results for lat in result], used


def _trees(stack: Stack) -> dict[str, list[psutil.Process]]:
    """Each server's process with its children."""
    trees = {}
    for name, pid in stack.pids().items():
        process = psutil.Process(pid)
        trees[name] = [process, *process.children(recursive=True)]
    return trees


def memory_mb(stack: Stack) -> dict[str, float]:
    """Resident memory of each server, its children included."""
    return {
        name: sum(p.memory_info().rss for p in tree) / 2**20 for name, tree in _trees(stack).items()
    }


def cpu_seconds(stack: Stack) -> dict[str, float]:
    """CPU time (user + system) each server has used so far, its children included."""
    return {
        name: sum(t.user + t.system for t in (p.cpu_times() for p in tree))
        for name, tree in _trees(stack).items()
    }


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


@dataclass
class Subject:
    """One model on one runtime: its running stack and what was measured on it."""

    name: str
    stack: Stack
    numbers: list[str]  # customers: [warm-up, then N per repetition]
    ready_s: float
    # per N: (seconds, latencies, CPU seconds per server) of each repetition
    samples: dict[int, list[tuple[float, list[float], dict[str, float]]]] = field(
        default_factory=dict
    )
    memory: dict[int, dict[str, float]] = field(default_factory=dict)

    def throughput(self, n: int) -> float:
        """The median over the repetitions (the machine's speed varies)."""
        return statistics.median(len(lat) / seconds for seconds, lat, _ in self.samples[n])

    def row(self, n: int) -> tuple[int, int, float, float, float, float, float, float, float]:
        latencies = [lat for _, run, _ in self.samples[n] for lat in run]
        cpu = {name: sum(s[2][name] for s in self.samples[n]) * 1000 / len(latencies)
               for name in self.samples[n][0][2]}  # fmt: skip
        memory = self.memory[n]
        return (
            n, len(latencies), self.throughput(n),
            statistics.median(latencies) * 1000, percentile(latencies, 0.99) * 1000,
            memory.get("rasa", 0), memory.get("actions", 0),
            cpu.get("rasa", 0), cpu.get("actions", 0),
        )  # fmt: skip


def stock_endpoints(workdir: Path) -> Path:
    """The project's endpoints with Rasa's own SQL tracker store."""
    text = (ROOT / "endpoints.yml").read_text()
    stock = re.sub(r"(?m)^(  type: )bot\.tracker_store\.\w+.*$", r"\1SQL", text)
    if stock == text:
        raise RuntimeError("endpoints.yml: the project's tracker store type was not found")
    path = workdir / "stock-endpoints.yml"
    path.write_text(stock)
    return path


def start(model: Path, stock: bool, customers: int, cleanup: contextlib.ExitStack) -> Subject:
    """Start a stack on ``model`` (stopped and removed by ``cleanup``)."""
    workdir = Path(cleanup.enter_context(tempfile.TemporaryDirectory(prefix="bench-")))
    billing_url = f"sqlite:///{workdir / 'billing.db'}"
    numbers = clone_customers(billing_url, customers)
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
        },
        stock_endpoints=stock_endpoints(workdir) if stock else None,
    )
    started = time.perf_counter()
    cleanup.callback(stack.stop)
    stack.start()
    name = model.resolve().name + (" on stock Rasa" if stock else "")
    return Subject(name, stack, numbers, time.perf_counter() - started)


def measure(subjects: list[Subject], concurrency: list[int], rounds: int, repeat: int) -> None:
    """Every level, ``repeat`` times, taking turns: each subject sees the same machine."""
    for n in concurrency:
        for rep in range(repeat):
            for subject in subjects:
                customers = [subject.numbers[0], *subject.numbers[1 + rep * n : 1 + (rep + 1) * n]]
                sample = asyncio.run(load(subject.stack, customers, rounds))
                subject.samples.setdefault(n, []).append(sample)
                subject.memory[n] = memory_mb(subject.stack)


def show(subject: Subject, concurrency: list[int]) -> None:
    print(f"\nmodel {subject.name}: servers ready in {subject.ready_s:.1f} s")
    print(f"{'N':>3} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} "
          f"{'rasa MB':>8} {'actions MB':>10} {'rasa CPU':>9} {'actions CPU':>11}"
          "   (CPU: ms per request)")  # fmt: skip
    for n in concurrency:
        n, count, rps, p50, p99, rasa_mb, actions_mb, rasa_cpu, actions_cpu = subject.row(n)
        print(f"{n:>3} {count:>8} {rps:>7.1f} {p50:>7.0f} {p99:>7.0f} {rasa_mb:>8.0f} "
              f"{actions_mb:>10.0f} {rasa_cpu:>9.1f} {actions_cpu:>11.1f}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 20])
    parser.add_argument("--rounds", type=int, default=3, help="journeys per customer")
    parser.add_argument(
        "--models", type=Path, nargs="+", default=[ROOT / "models" / "current.tar.gz"],
        help="the project's model first; others are compared with it",
    )  # fmt: skip
    parser.add_argument(
        "--stock", action="store_true", help="also run each model on Rasa as it comes"
    )
    parser.add_argument("--repeat", type=int, default=3, help="measurements per level")
    args = parser.parse_args()
    with contextlib.ExitStack() as cleanup:
        subjects = [
            start(model, stock, 1 + max(args.concurrency) * args.repeat, cleanup)
            for model in args.models
            for stock in ([False, True] if args.stock else [False])
        ]
        measure(subjects, args.concurrency, args.rounds, args.repeat)
    for subject in subjects:
        show(subject, args.concurrency)
    base = subjects[0]
    for other in subjects[1:]:
        for n in args.concurrency:
            ratio = base.throughput(n) / other.throughput(n)
            print(f"throughput at N={n}: {base.name} / {other.name} = {ratio:.2f}x")


if __name__ == "__main__":
    main()
