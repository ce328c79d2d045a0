"""Benchmark the assistant through the signed SMS webhook.

Starts a dedicated stack (own billing and tracker databases on SQLite, free
loopback ports), adds synthetic customers cloned from the demo ones so that
every simulated customer has an account of their own, then for each
concurrency level runs N customers who each send a journey of messages one
after another. Prints throughput, p50/p99 latency and the servers' memory.

    .venv/bin/python scripts/benchmark.py --concurrency 1 20
    .venv/bin/python scripts/benchmark.py \
        --models models/current.tar.gz models/default-config.tar.gz

With several models, each gets a stack of its own in turn (same machine, same
run) and the throughput ratio of the first to the others is printed. With
``--stock``, each model also runs on Rasa as it comes (``rasa run``, Rasa's own
SQL tracker store, none of bot/rasa_tuning), to measure the run-time fixes.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import re
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psutil
from sqlalchemy.orm import Session

from bot.billing.seed import add_customer, load_seed, seed_database
from bot.db import make_engine
from bot.devstack import Stack
from bot.sms_client import SmsGatewayClient

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
    """Elapsed seconds, latencies, and the CPU seconds each server used meanwhile."""
    client = SmsGatewayClient(stack.rasa_url, SECRET, timeout=120)
    try:
        await customer_run(client, numbers[0], 1)  # warm-up
        before = cpu_seconds(stack)
        start = time.perf_counter()
        results = await asyncio.gather(*(customer_run(client, n, rounds) for n in numbers))
        elapsed = time.perf_counter() - start
        after = cpu_seconds(stack)
    finally:
        await client.aclose()
    used = {name: after[name] - before[name] for name in after}
    return elapsed, [lat for result in results for lat in result], used


def memory_mb(stack: Stack) -> dict[str, float]:
    usage = {}
    for name, pid in stack.pids().items():
        process = psutil.Process(pid)
        rss = process.memory_info().rss + sum(
            c.memory_info().rss for c in process.children(recursive=True)
        )
        usage[name] = rss / 2**20
    return usage


def cpu_seconds(stack: Stack) -> dict[str, float]:
    """CPU time (user + system) each server has used so far, its children included."""
    used = {}
    for name, pid in stack.pids().items():
        process = psutil.Process(pid)
        times = [process.cpu_times(), *(c.cpu_times() for c in process.children(recursive=True))]
        used[name] = sum(t.user + t.system for t in times)
    return used


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


@dataclass
class Run:
    """One model's figures."""

    model: str
    ready_s: float
    # N, requests, req/s, p50, p99, Rasa MB, actions MB, Rasa and actions CPU ms per request
    rows: list[tuple[int, int, float, float, float, float, float, float, float]]

    def throughput(self, n: int) -> float:
        return next(row[2] for row in self.rows if row[0] == n)


def stock_endpoints(workdir: Path) -> Path:
    """The project's endpoints with Rasa's own SQL tracker store."""
    text = (ROOT / "endpoints.yml").read_text()
    stock = re.sub(r"(?m)^(  type: )bot\.tracker_store\.\w+.*$", r"\1SQL", text)
    if stock == text:
        raise RuntimeError("endpoints.yml: the project's tracker store type was not found")
    path = workdir / "stock-endpoints.yml"
    path.write_text(stock)
    return path


def bench(model: Path, concurrency: list[int], rounds: int, stock: bool = False) -> Run:
    """Start a stack on ``model``, run every concurrency level, stop it."""
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        workdir = Path(tmp)
        billing_url = f"sqlite:///{workdir / 'billing.db'}"
        numbers = clone_customers(billing_url, max(concurrency) + 1)
        stack = Stack(
            root=ROOT,
            workdir=workdir,
            model=model,
            env={
                "BILLING_DATABASE_URL": billing_url,
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
        stack.start()
        name = model.resolve().name + (" on stock Rasa" if stock else "")
        run = Run(name, time.perf_counter() - started, [])
        try:
            for n in concurrency:
                elapsed, latencies, used = asyncio.run(load(stack, numbers[1 : n + 1], rounds))
                mem = memory_mb(stack)
                cpu = {name: seconds * 1000 / len(latencies) for name, seconds in used.items()}
                run.rows.append((
                    n, len(latencies), len(latencies) / elapsed,
                    statistics.median(latencies) * 1000, percentile(latencies, 0.99) * 1000,
                    mem.get("rasa", 0), mem.get("actions", 0),
                    cpu.get("rasa", 0), cpu.get("actions", 0),
                ))  # fmt: skip
        finally:
            stack.stop()
    return run


def show(run: Run) -> None:
    print(f"\nmodel {run.model}: servers ready in {run.ready_s:.1f} s")
    print(f"{'N':>3} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} "
          f"{'rasa MB':>8} {'actions MB':>10} {'rasa CPU':>9} {'actions CPU':>11}"
          "   (CPU: ms per request)")  # fmt: skip
    for n, count, rps, p50, p99, rasa_mb, actions_mb, rasa_cpu, actions_cpu in run.rows:
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
    args = parser.parse_args()
    runs = [
        bench(model, args.concurrency, args.rounds, stock)
        for model in args.models
        for stock in ([False, True] if args.stock else [False])
    ]
    for run in runs:
        show(run)
    base = runs[0]
    for other in runs[1:]:
        for n in args.concurrency:
            ratio = base.throughput(n) / other.throughput(n)
            print(f"throughput at N={n}: {base.model} / {other.model} = {ratio:.2f}x")


if __name__ == "__main__":
    main()
