"""Run ``rasa data validate`` and fail on any warning it prints, or on any held-out
sentence that is also in the training data (``tools/heldout.py``; ``--drop-leaks``
removes them from ``data/nlu`` and leaves the held-out sets as written).

Rasa's validator cannot see responses that custom actions send, so it warns
that they are "not used in any story or rule"; those warnings are listed for
the record and tolerated only when an action module, or a module of the ``bot``
package (the Telegram bridge renders its own texts), names the response (or
its prefix, for names built at run time such as ``utter_category_{name}``).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

from bot.domain.commands import COMMANDS, NUMBER_INTENT, UNSUBSCRIBE_INTENT
from bot.domain.requests import COMBINED_SEPARATOR
from tools.heldout import drop_from_training, leaks

ROOT = Path(__file__).resolve().parents[1]
UNUSED = re.compile(r"The utterance '(utter_[a-z_]+)' is not used in any story or rule")
NO_EXAMPLES = re.compile(r"The intent '([\w+]+)' is listed in the domain file, but is not found")
NO_RULE = re.compile(r"The intent '([\w+]+)' is not used in any story or rule")
# Intents that never come from NLU: exact codes and bare numbers (CommandRecognizer)
# and rate_service, which only the rating buttons send as a payload.
RECOGNISED = {*COMMANDS.values(), UNSUBSCRIBE_INTENT, NUMBER_INTENT, "rate_service"}
EXTERNAL = "EXTERNAL_"  # intents only the notice scheduler triggers
WARNING = re.compile(r"UserWarning|WARNING|MissingDomainWarning")


def referenced_by_actions(response: str, sources: str) -> bool:
    """Named in an action, or built from a prefix there (``f"utter_category_{...}"``,
    or a prefix passed on as ``"utter_item_over_"``)."""
    if f'"{response}"' in sources:
        return True
    prefixes = [response[: i + 1] for i, ch in enumerate(response) if ch == "_"]
    return any(f'"{p}{{' in sources or f'"{p}"' in sources for p in prefixes)


def form_questions() -> set[str]:
    """``utter_ask_<slot>`` responses, which Rasa's forms send by themselves."""
    from bot.domain.files import load_domain

    domain = load_domain(ROOT / "domain")
    slots = {s for form in domain.get("forms", {}).values() for s in form["required_slots"]}
    return {f"utter_ask_{slot}" for slot in slots}


def check_leaks() -> list[str]:
    """One problem per held-out sentence that is also trained on."""
    return [
        f"held-out sentence in training: {h.path.relative_to(ROOT)} {h.text!r} "
        f"= {t.path.relative_to(ROOT)} {t.text!r}"
        for h, t in leaks(ROOT)
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--drop-leaks", action="store_true", help="remove them from data/nlu")
    if parser.parse_args().drop_leaks:
        print(f"dropped {drop_from_training(ROOT)} held-out sentences from data/nlu")
    command = [
        str(Path(sys.executable).parent / "rasa"),
        "data",
        "validate",
        "--domain",
        "domain",
        "--data",
        "data/nlu",
        "data/rules.yml",
        "data/stories.yml",
        "--config",
        "config.yml",
    ]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    output = result.stdout + result.stderr
    modules = [*(ROOT / "actions").glob("*.py"), *(ROOT / "bot").rglob("*.py")]
    sources = "\n".join(p.read_text(encoding="utf-8") for p in modules)
    questions = form_questions()
    problems = check_leaks()
    sent_by_actions = []
    for line in output.splitlines():
        unused = UNUSED.search(line)
        if unused:
            name = unused.group(1)
            if name in questions or referenced_by_actions(name, sources):
                sent_by_actions.append(name)
            else:
                problems.append(f"response {name} is used nowhere")
        elif (untrained := NO_EXAMPLES.search(line)) and untrained.group(1) in RECOGNISED:
            continue  # exact codes and bare numbers get their intent from CommandRecognizer
        elif (untrained := NO_EXAMPLES.search(line)) and COMBINED_SEPARATOR in untrained.group(1):
            continue  # two requests in one message: the classifier splits, never trained
        elif (ruleless := NO_RULE.search(line)) and COMBINED_SEPARATOR in ruleless.group(1):
            continue  # answered part by part by MultiRequestPolicy, no rule per pair
        elif (untrained := NO_EXAMPLES.search(line)) and untrained.group(1).startswith(EXTERNAL):
            continue  # triggered through Rasa's API (bot/notices), never typed
        elif WARNING.search(line) and "rasa" in line.lower() and "Deprecat" not in line:
            problems.append(line.strip())
    print(
        f"rasa data validate: exit {result.returncode}; {len(sent_by_actions)} responses are "
        "sent by custom actions or forms (not visible to the validator)"
    )
    for problem in problems:
        print(f"  problem: {problem}")
    return 1 if result.returncode or problems else 0


if __name__ == "__main__":
    sys.exit(main())
