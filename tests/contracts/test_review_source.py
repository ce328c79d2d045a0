"""The review source's contract: ``FakeReviewSource`` (the Review page's tests) scans like
``SqlTrackerReviewSource`` over what Rasa's own SQL tracker store wrote: the same
candidates, from ``since`` (inclusive), oldest first, at most ``limit``, with the newest
time read and whether the scan is complete."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered

from bot.review.source import (
    FALLBACK_ACTION,
    HANDOFF_ACTION,
    ReviewCandidate,
    ReviewSource,
    SqlTrackerReviewSource,
)
from bot.storage.db import read_only_engine
from tests.contracts.conftest import FAKE_AND_REAL
from tests.fakes import NOW
from tests.fakes.review import FakeReviewSource

ROOT = Path(__file__).resolve().parents[2]
NEXT_ACTION = {"fallback": FALLBACK_ACTION, "handoff": HANDOFF_ACTION}
Add = Callable[..., Awaitable[ReviewCandidate]]


@functools.cache
def rasa_domain() -> Domain:
    return Domain.load(ROOT / "domain")


@dataclass
class SourceUnderTest:
    """A source, and how a test puts a customer message worth a review into it."""

    source: ReviewSource
    add: Add  # (text, conversation_id=, at=, intent=, confidence=, channel=, reason=)


@pytest.fixture(params=FAKE_AND_REAL)
def review(request: pytest.FixtureRequest, tmp_path: Path) -> SourceUnderTest:
    if request.param == "fake":
        fake = FakeReviewSource()

        async def add_to_fake(text: str, **fields: object) -> ReviewCandidate:
            return fake.add(text, **fields)  # type: ignore[arg-type]

        return SourceUnderTest(fake, add_to_fake)
    path = tmp_path / "trackers.db"
    store = SQLTrackerStore(domain=rasa_domain(), dialect="sqlite", db=str(path))

    async def add_to_rasa(
        text: str,
        *,
        conversation_id: str = "+8613800000001",
        at: dt.datetime = NOW,
        intent: str = "check_balance",
        confidence: float = 0.31,
        channel: str = "sms",
        reason: str = "low_confidence",
    ) -> ReviewCandidate:
        """The user event Rasa writes, then the action it chose (the reason's)."""
        stamp = at.timestamp()
        parse = {"intent": {"name": intent, "confidence": confidence}, "intent_ranking": []}
        tracker = await store.get_or_create_tracker(conversation_id)
        tracker.update_with_events(
            [
                UserUttered(
                    text, parse["intent"], parse_data=parse, input_channel=channel, timestamp=stamp
                ),
                ActionExecuted(
                    NEXT_ACTION.get(reason, "action_check_balance"), timestamp=stamp + 0.5
                ),
            ],
            None,
            override_timestamp=False,
        )
        await store.save(tracker)
        return ReviewCandidate(conversation_id, stamp, text, intent, confidence, channel, reason)

    real = SqlTrackerReviewSource(read_only_engine(f"sqlite:///{path}"))
    return SourceUnderTest(real, add_to_rasa)


def minutes(n: int) -> dt.datetime:
    return NOW + dt.timedelta(minutes=n)


async def test_nothing_to_review(review: SourceUnderTest) -> None:
    scan = review.source.scan(0.0, 10)
    assert (scan.candidates, scan.newest, scan.complete) == ([], None, True)


async def test_each_reason_comes_back_as_written(review: SourceUnderTest) -> None:
    added = [
        await review.add(
            "blorp zzz", at=minutes(1), intent="greet", confidence=0.3, reason="fallback"
        ),
        await review.add(
            "转人工",
            at=minutes(2),
            intent="human_handoff",
            confidence=0.99,
            reason="handoff",
            channel="telegram",
            conversation_id="tg-42",
        ),
        await review.add("maybe plans?", at=minutes(3), intent="out_of_scope", confidence=0.41),
    ]
    scan = review.source.scan(0.0, 10)
    assert scan.candidates == added
    assert (scan.newest, scan.complete) == (minutes(3).timestamp(), True)


async def test_from_since_inclusive_oldest_first(review: SourceUnderTest) -> None:
    late = await review.add("later", at=minutes(5), conversation_id="+8613800000002")
    await review.add("early", at=minutes(1))
    middle = await review.add("middle", at=minutes(3))
    scan = review.source.scan(minutes(3).timestamp(), 10)
    assert scan.candidates == [middle, late]


async def test_at_most_limit_and_not_complete(review: SourceUnderTest) -> None:
    first = await review.add("one", at=minutes(1))
    second = await review.add("two", at=minutes(2))
    await review.add("three", at=minutes(3))
    scan = review.source.scan(0.0, 2)
    assert (scan.candidates, scan.newest, scan.complete) == (
        [first, second],
        minutes(2).timestamp(),
        False,
    )
    rest = review.source.scan(minutes(2).timestamp() + 0.001, 2)
    assert ([c.text for c in rest.candidates], rest.complete) == (["three"], True)
