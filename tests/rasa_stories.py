"""Rasa story events for the tests of bot/rasa_ext/tuning: every story, rule and test story."""

from __future__ import annotations

from pathlib import Path

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader

ROOT = Path(__file__).resolve().parents[1]
STORY_FILES = [
    ROOT / "data" / "stories.yml",
    ROOT / "data" / "rules.yml",
    *sorted((ROOT / "tests" / "conversations").glob("*.yml")),
]


def story_events(domain: Domain) -> list[list[Event]]:
    """The events of every story step with more than two events."""
    reader = YAMLStoryReader(domain)
    found = []
    for path in STORY_FILES:
        for step in reader.read_from_file(path):
            events = [e for e in step.events if isinstance(e, Event)]
            if len(events) > 2:
                found.append(events)
    return found


def twists() -> list[Event]:
    """Forms, rule turns, rewinds, a reverted action, a new session and a restart."""
    return [
        UserUttered("complain", {"name": "file_complaint"}),
        ActionExecuted("complaint_form", hide_rule_turn=True),
        ActiveLoop("complaint_form"),
        SlotSet("requested_slot", "complaint_category"),
        ActionExecuted("action_listen", hide_rule_turn=True),
        UserUttered("stop", {"name": "deny"}),
        ActionExecuted("complaint_form"),
        ActiveLoop(None),
        ActionExecuted("action_listen"),
        UserUttered("oops", {"name": "greet"}),
        UserUtteranceReverted(),
        ActionExecuted("action_listen"),
        ActionExecuted("utter_greet"),
        ActionReverted(),
        SlotSet("language", "en"),
        SessionStarted(),
        ActionExecuted("action_listen"),
        Restarted(),
        ActionExecuted("action_listen"),
    ]
