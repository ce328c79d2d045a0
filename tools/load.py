"""Customers texting a running stack through the signed SMS webhook, and what the servers
use meanwhile (CPU, memory); long conversations made for the benchmark's long level."""

from __future__ import annotations

import asyncio
import json
import math
import sqlite3
import time

import psutil

from tools.devstack import Stack
from tools.sms_client import SmsGatewayClient

SECRET = "bench-secret"
JOURNEY = ["查余额", "how much data is left?", "查账单", "推荐套餐", "2", "你好", "thanks", "再见"]
DAY = 86400.0
# Events in the conversation's current session (Rasa's rule: from the newest session start).
SESSION_EVENTS = (
    "SELECT count(*) FROM events WHERE sender_id = :s AND timestamp >= coalesce("
    "(SELECT max(timestamp) FROM events WHERE sender_id = :s AND type_name = 'session_started'),"
    " -1e308)"
)


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
    latencies (customer after customer), and the CPU seconds each server used meanwhile."""
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


def session_events(stack: Stack, number: str) -> tuple[int, int]:
    """Events of ``number``'s current session, and all its stored events."""
    with sqlite3.connect(stack.workdir / "trackers.db") as db:
        current = db.execute(SESSION_EVENTS, {"s": number}).fetchone()[0]
        stored = db.execute("SELECT count(*) FROM events WHERE sender_id = ?", (number,))
        return int(current), int(stored.fetchone()[0])


def add_history(stack: Stack, number: str, events: int) -> None:
    """Make ``number``'s conversation so far (one session) ``events`` or more events of
    earlier sessions, a day apart: its own rows, copied back in time, ids in time order."""
    columns = "type_name, timestamp, intent_name, action_name, data"
    with sqlite3.connect(stack.workdir / "trackers.db") as db:
        rows = db.execute(
            f"SELECT {columns} FROM events WHERE sender_id = ? ORDER BY id", (number,)
        ).fetchall()
        db.execute("DELETE FROM events WHERE sender_id = ?", (number,))
        for days in range(math.ceil(events / len(rows)), 0, -1):
            copies = []
            for type_name, timestamp, intent, action, data in rows:
                event = json.loads(data)
                event["timestamp"] = timestamp - days * DAY
                copies.append(
                    (number, type_name, event["timestamp"], intent, action, json.dumps(event))
                )
            db.executemany(
                f"INSERT INTO events (sender_id, {columns}) VALUES (?, ?, ?, ?, ?, ?)", copies
            )


async def fill_sessions(stack: Stack, numbers: list[str], events: int, history: int) -> None:
    """Give ``numbers[0]`` ``history`` earlier events, then send journeys through the
    webhook until each current session holds ``events`` or more."""
    client = SmsGatewayClient(stack.rasa_url, SECRET, timeout=120)
    try:
        await customer_run(client, numbers[0], 1)  # a session to move back in time
        add_history(stack, numbers[0], history)
        short = numbers
        while short:
            await asyncio.gather(*(customer_run(client, n, 1) for n in short))
            short = [n for n in short if session_events(stack, n)[0] < events]
    finally:
        await client.aclose()
