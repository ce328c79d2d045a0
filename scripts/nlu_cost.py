"""Time the NLU pipeline alone: milliseconds per message for each model, in one process.

Every held-out message is parsed by each model in turn (A B A B ..., so that the
machine's changing speed hits them alike), ``--repeat`` times; the median time per
message and the 99th percentile are printed, and the ratio of the first model to the
others. Used to price what reading whole messages costs (the sound features, each part
of a message read again, the named-things resolver; docs/performance.md):

    .venv/bin/python scripts/nlu_cost.py --models models/current.tar.gz \\
        models/without-whole-messages.tar.gz
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import statistics
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
ROOT = Path(__file__).resolve().parents[1]
SETS = ("tests/nlu_dev", "tests/nlu_honest", "tests/nlu_independent", "tests/nlu_fresh")


async def time_models(models: list[Path], texts: list[str], repeat: int) -> dict[Path, list[float]]:
    """Seconds per parse, by model."""
    from rasa.core.agent import Agent

    agents = {model: Agent.load(str(model)) for model in models}
    for agent in agents.values():  # warm up: caches, lazy imports
        for text in texts[:50]:
            await agent.parse_message(text)
    times: dict[Path, list[float]] = {model: [] for model in models}
    for _ in range(repeat):
        for text in texts:
            for model, agent in agents.items():
                started = time.perf_counter()
                await agent.parse_message(text)
                times[model].append(time.perf_counter() - started)
    return times


def main() -> None:
    from tools.heldout import examples, yaml_files

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=Path, nargs="+", required=True)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    import structlog  # Rasa's structured logs print every parsed text at debug level

    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    texts = [e.text for e in examples(yaml_files(ROOT, SETS))]
    times = asyncio.run(time_models(args.models, texts, args.repeat))
    print(f"{len(texts)} held-out messages x {args.repeat}, one process, interleaved")
    medians = {}
    for model, seconds in times.items():
        ms = sorted(s * 1000 for s in seconds)
        medians[model] = statistics.median(ms)
        p99 = ms[int(len(ms) * 0.99)]
        print(f"{model.resolve().name:<44} median {medians[model]:.2f} ms  p99 {p99:.2f} ms")
    first = args.models[0]
    for model in args.models[1:]:
        print(f"{first.name} / {model.name}: {medians[first] / medians[model]:.2f}x the time")


if __name__ == "__main__":
    main()
