"""The review source reads what Rasa's own SQL tracker store writes (read-only)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered

from bot.review.source import SqlTrackerReviewSource
from bot.storage.db import read_only_engine

ROOT = Path(__file__).resolve().parents[2]


def said(text: str, intent: str, confidence: float, *then: str, channel: str = "sms") -> list:
    parse = {"intent": {"name": intent, "confidence": confidence}, "intent_ranking": []}
    if intent == "nlu_fallback":
        parse["intent_ranking"] = [
            {"name": "nlu_fallback", "confidence": 0.25},
            {"name": "check_balance", "confidence": 0.12},
        ]
    events: list = [
        ActionExecuted("action_listen"),
        UserUttered(text, parse["intent"], parse_data=parse, input_channel=channel),
    ]
    for action in then:
        events += [ActionExecuted(action), BotUttered("...")]
    return events


async def write(path: Path, sender: str, events: list) -> None:
    store = SQLTrackerStore(domain=Domain.load(ROOT / "domain"), dialect="sqlite", db=str(path))
    tracker = await store.get_or_create_tracker(sender)
    tracker.update_with_events(events, None)
    await store.save(tracker)


async def test_fallbacks_handoffs_and_low_confidence_are_candidates(tmp_path: Path) -> None:
    path = tmp_path / "trackers.db"
    await write(
        path,
        "+8613800000001",
        [
            *said("查余额", "check_balance", 0.97, "action_check_balance"),
            *said("blorp zzz", "nlu_fallback", 0.25, "action_fallback"),
            *said("转人工", "human_handoff", 0.99, "action_handoff"),
            *said("maybe plans?", "ask_plan_info", 0.41, "action_plan_info"),
            *said("/rate_service", "rate_service", 0.2, "action_store_rating"),
        ],
    )
    await write(path, "tg-42", said("hmm", "greet", 0.3, "utter_greet", channel="telegram"))
    source = SqlTrackerReviewSource(read_only_engine(f"sqlite:///{path}"))

    scan = source.scan(0.0, 100)
    found = {c.text: c for c in scan.candidates}
    assert set(found) == {"blorp zzz", "转人工", "maybe plans?", "hmm"}
    assert found["blorp zzz"].reason == "fallback"
    assert (found["blorp zzz"].intent, found["blorp zzz"].confidence) == ("check_balance", 0.12)
    assert found["转人工"].reason == "handoff" and found["转人工"].channel == "sms"
    assert found["maybe plans?"].reason == "low_confidence"
    assert found["hmm"].conversation_id == "tg-42" and found["hmm"].channel == "telegram"
    assert scan.complete and scan.newest == max(c.timestamp for c in scan.candidates)

    first = source.scan(0.0, 2)  # a batch stops at the limit and says so
    assert not first.complete and first.newest is not None
    assert source.scan(scan.newest + 1, 100).candidates == []


def test_a_missing_tracker_database_is_nothing_to_review(tmp_path: Path) -> None:
    path = tmp_path / "absent.db"
    scan = SqlTrackerReviewSource(read_only_engine(f"sqlite:///{path}")).scan(0.0, 10)
    assert scan.candidates == [] and scan.newest is None and not path.exists()


async def test_the_source_cannot_write(tmp_path: Path) -> None:
    path = tmp_path / "trackers.db"
    await write(path, "a", said("x", "greet", 0.1))
    engine = read_only_engine(f"sqlite:///{path}")
    with pytest.raises(Exception, match="readonly"), engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM events")
    assert os.path.getsize(path) > 0
