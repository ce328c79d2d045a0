"""Intent accuracy and macro-F1 of a trained model on the held-out NLU split.

The held-out examples (tests/nlu/*.yml) are never trained on. A prediction of
``nlu_fallback`` counts as wrong. The Chinese split is also written in Traditional
characters with Taiwan words (OpenCC s2twp) and with Hong Kong characters (s2hk):
Traditional must be understood as well as Simplified. Exits 1 when a split's accuracy is
under --min-accuracy, out-of-scope recall under --min-oos-recall, or a Traditional split
trails the Simplified one by more than --max-script-gap. A message asking two things
is labelled with both intents in the order asked (``check_balance+check_usage``).

    .venv/bin/python scripts/nlu_eval.py --model models/current.tar.gz
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
ROOT = Path(__file__).resolve().parents[1]


def load_examples(path: Path) -> list[tuple[str, str]]:
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(path))
    return [(m.get("text"), m.get("intent")) for m in data.intent_examples]


TRADITIONAL_SPLITS = {"zh-tw": "s2twp", "zh-hk": "s2hk"}


def traditional_splits(chinese: list[tuple[str, str]]) -> dict[str, list[tuple[str, str]]]:
    """The Chinese examples in Traditional characters, Taiwan and Hong Kong style."""
    from bot.domain.script import to_traditional

    if not chinese:
        return {}
    return {
        name: [(to_traditional(text, variant), intent) for text, intent in chinese]
        for name, variant in TRADITIONAL_SPLITS.items()
    }


def out_of_scope_line(expected: list[str], predicted: list[str], confidences: list[float]) -> str:
    """Out-of-scope recall, and how many out-of-scope messages would get account data.

    An account question read with less than ``CONFIRM_BELOW`` is asked about first
    ("did you mean your usage?", ``actions/unsure.py``), so only one read with more is
    answered with account data.
    """
    from actions.unsure import CONFIRM_BELOW
    from bot.domain.account_intents import ACCOUNT_INTENTS

    rows = zip(expected, predicted, confidences, strict=True)
    pairs = [(p, c) for e, p, c in rows if e == "out_of_scope"]
    if not pairs:
        return "out_of_scope: no examples"
    caught = sum(p in ("out_of_scope", "nlu_fallback") for p, _ in pairs)
    read = [c for p, c in pairs if p in ACCOUNT_INTENTS]
    answered = sum(c >= CONFIRM_BELOW for c in read)
    return (
        f"out_of_scope: recall {caught / len(pairs):.3f} ({caught}/{len(pairs)}, a fallback "
        f"counts as caught); read as account questions: {len(read)}, answered with account "
        f"data: {answered} (under {CONFIRM_BELOW} the bot asks first)"
    )


def oos_recall(expected: list[str], predicted: list[str]) -> float | None:
    """The share of out-of-scope messages caught (a fallback counts), None without any."""
    caught = [
        p in ("out_of_scope", "nlu_fallback")
        for e, p in zip(expected, predicted, strict=True)
        if e == "out_of_scope"
    ]
    return sum(caught) / len(caught) if caught else None


async def predict(model: Path, texts: list[str]) -> list[tuple[str, float]]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    intents = [(await agent.parse_message(text))["intent"] for text in texts]
    return [(intent["name"], float(intent["confidence"])) for intent in intents]


def scores(expected: list[str], predicted: list[str]) -> tuple[float, float]:
    from sklearn.metrics import accuracy_score, f1_score

    labels = sorted(set(expected))
    macro = f1_score(expected, predicted, labels=labels, average="macro", zero_division=0)
    return float(accuracy_score(expected, predicted)), float(macro)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "current.tar.gz")
    parser.add_argument("--data", type=Path, default=ROOT / "tests" / "nlu")
    parser.add_argument("--min-accuracy", type=float, default=0.0, help="floor of every split")
    parser.add_argument("--min-oos-recall", type=float, default=0.0)
    parser.add_argument("--errors", action="store_true", help="print every wrong reading")
    parser.add_argument("--max-script-gap", type=float, default=0.03)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    import structlog  # Rasa's structured logs print every parsed text at debug level

    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    files = sorted(args.data.glob("*.yml"))
    examples = {f.stem: load_examples(f) for f in files}
    examples.update(traditional_splits(examples.get("zh", [])))
    texts = [text for rows in examples.values() for text, _ in rows]
    predictions = iter(asyncio.run(predict(args.model, texts)))
    all_expected: list[str] = []
    all_predicted: list[str] = []
    all_confidences: list[float] = []
    split_accuracy: dict[str, float] = {}
    print(f"held-out NLU evaluation of {args.model.resolve().name}")
    print(f"{'split':<8} {'examples':>8} {'accuracy':>9} {'macro-F1':>9}")
    for name, rows in examples.items():
        expected = [intent for _, intent in rows]
        read = [next(predictions) for _ in rows]
        predicted = [intent for intent, _ in read]
        all_expected += expected
        all_predicted += predicted
        all_confidences += [confidence for _, confidence in read]
        accuracy, macro = scores(expected, predicted)
        split_accuracy[name] = accuracy
        print(f"{name:<8} {len(rows):>8} {accuracy:>9.3f} {macro:>9.3f}")
    accuracy, macro = scores(all_expected, all_predicted)
    print(f"{'all':<8} {len(all_expected):>8} {accuracy:>9.3f} {macro:>9.3f}")
    print(out_of_scope_line(all_expected, all_predicted, all_confidences))
    if args.errors:
        rows = zip(texts, all_expected, all_predicted, all_confidences, strict=True)
        for text, expected, predicted, confidence in rows:
            if expected != predicted:
                print(f"  {expected:<28} read as {predicted:<28} {confidence:.2f}  {text}")
    under = {name: a for name, a in split_accuracy.items() if a < args.min_accuracy}
    if under:
        print(f"under the floor {args.min_accuracy:.3f}: {under}")
        return 1
    recall = oos_recall(all_expected, all_predicted)
    if recall is not None and recall < args.min_oos_recall:
        print(f"out-of-scope recall {recall:.3f} is under the floor {args.min_oos_recall:.3f}")
        return 1
    for name in TRADITIONAL_SPLITS:
        gap = split_accuracy.get("zh", 0.0) - split_accuracy.get(name, 0.0)
        if name in split_accuracy and gap > args.max_script_gap:
            print(f"{name} trails zh by {gap:.3f} (more than {args.max_script_gap:.3f})")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
