"""The agents' desk on fakes: queue order, case view, replies, resolving, figures, notices."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from bot.handoff.desk import DeskError
from bot.handoff.desk_rasa import RasaHandoffDesk
from bot.handoff.queue import HandoffReason
from tests.fakes import NOW, FakeBillingService, FakeHandoffQueue, FakeRasaAdmin, fake_services

DOMAIN = Path(__file__).resolve().parents[2] / "domain"
C1, C2, C3 = "+8613800000001", "+8613800000002", "+8613800000003"


def said(text: str, minutes: int = 1, speaker: str = "user") -> dict[str, Any]:
    stamp = (NOW + dt.timedelta(minutes=minutes)).timestamp()
    return {"event": speaker, "text": text, "timestamp": stamp}


class Setup:
    def __init__(self) -> None:
        services = fake_services()
        self.queue = services.handoff
        assert isinstance(self.queue, FakeHandoffQueue)
        self.billing = services.billing
        assert isinstance(self.billing, FakeBillingService)
        self.rasa = FakeRasaAdmin()
        self.now = NOW + dt.timedelta(minutes=10)
        self.desk = RasaHandoffDesk(
            self.queue,
            self.rasa,
            self.billing,
            services.stats,
            DOMAIN,  # type: ignore[arg-type]
            wait_notice_after=dt.timedelta(minutes=3),
            clock=lambda: self.now,
        )

    async def handoff(
        self, conversation: str, msisdn: str, reason: HandoffReason, language: str = "zh"
    ) -> int:
        case = await self.queue.create(conversation, msisdn, "sms", language, reason)
        return case.id


@pytest.fixture
def setup() -> Setup:
    return Setup()


async def test_queue_puts_repeat_complaints_and_angry_customers_first(setup: Setup) -> None:
    calm = await setup.handoff(C1, C1, HandoffReason.CUSTOMER_REQUEST)
    angry = await setup.handoff(C2, C2, HandoffReason.CUSTOMER_REQUEST)
    repeat = await setup.handoff(C3, C3, HandoffReason.COMPLAINT_ESCALATION)
    setup.rasa.conversations[C2] = [said("你们这什么破服务！！气死我了")]
    queue = (await setup.desk.queue()).summaries
    assert [s.case.id for s in queue] == [repeat, angry, calm]
    assert [s.urgency_reason for s in queue] == ["repeat_complaint", "angry", None]
    assert queue[2].customer_name == "张伟" and queue[2].waiting_seconds == 600


async def test_case_view_has_transcript_and_profile(setup: Setup) -> None:
    case_id = await setup.handoff(C1, C1, HandoffReason.CUSTOMER_REQUEST)
    setup.rasa.conversations[C1] = [
        said("查余额", 0),
        said("张伟您好，余额23.50元", 0, "bot"),
        said("转人工", 1),
        {"event": "action", "name": "action_handoff"},
    ]
    view = await setup.desk.case(case_id)
    assert [(t.speaker, t.text) for t in view.transcript] == [
        ("customer", "查余额"),
        ("bot", "张伟您好，余额23.50元"),
        ("customer", "转人工"),
    ]
    assert view.profile is not None
    assert (view.profile.name, view.profile.balance) == ("张伟", "23.50")
    assert "31.2/40.0 GB" in view.profile.usage and "P58" in view.profile.plan


async def test_only_the_claiming_agent_replies_and_resolves(setup: Setup) -> None:
    case_id = await setup.handoff(C1, C1, HandoffReason.CUSTOMER_REQUEST)
    with pytest.raises(DeskError):
        await setup.desk.reply(case_id, "ann", "hello")  # not claimed yet
    await setup.desk.claim(case_id, "ann")
    with pytest.raises(DeskError):
        await setup.desk.claim(case_id, "bob")
    with pytest.raises(DeskError):
        await setup.desk.reply(case_id, "bob", "hi")
    with pytest.raises(DeskError):
        await setup.desk.resolve(case_id, "bob", "done")
    await setup.desk.reply(case_id, "ann", "您好，我是客服小安")
    conversation, event = setup.rasa.delivered[-1]
    assert conversation == C1 and event["metadata"] == {"agent": "ann"}
    assert setup.rasa.delivered_on[-1] == "sms"  # the case's channel, never "latest"
    assert (await setup.desk.case(case_id)).transcript[-1].speaker == "agent"


async def test_resolve_resumes_and_asks_for_a_rating_in_the_customer_language(
    setup: Setup,
) -> None:
    case_id = await setup.handoff(C1, C1, HandoffReason.CUSTOMER_REQUEST, language="en")
    await setup.desk.claim(case_id, "ann")
    await setup.desk.resolve(case_id, "ann", "explained the bill")
    events = setup.rasa.conversations[C1]
    assert events[0] == {"event": "resume"}
    assert events[-1] == {"event": "action", "name": "action_listen"}
    assert "back with Tong" in events[1]["text"]
    payloads = [b["payload"] for b in events[1]["data"]["buttons"]]
    assert payloads[0] == '/rate_service{"rating": "satisfied"}' and len(payloads) == 3
    with pytest.raises(DeskError):
        await setup.desk.reply(case_id, "ann", "one more thing")


async def test_dashboard_figures(setup: Setup) -> None:
    services_stats = setup.desk._stats
    for conversation in (C1, C2, C3, "+8613800000004"):
        await services_stats.session_started(conversation, "sms")
    await setup.handoff(C1, C1, HandoffReason.CUSTOMER_REQUEST)
    await setup.handoff(C2, C2, HandoffReason.REPEATED_FALLBACK)
    await services_stats.rate(C1, "satisfied")
    await services_stats.rate(C2, "unsatisfied")
    figures = await setup.desk.dashboard()
    assert (figures.conversations, figures.handed_over, figures.self_service_rate) == (4, 2, 0.5)
    assert {r.reason: r.count for r in figures.by_reason} == {
        "customer_request": 1,
        "repeated_fallback": 1,
    }
    assert figures.ratings == {"satisfied": 1, "neutral": 0, "unsatisfied": 1}
    assert figures.satisfaction_rate == 0.5


async def test_long_wait_notice_then_callback_request(setup: Setup) -> None:
    case_id = await setup.handoff(C1, C1, HandoffReason.CUSTOMER_REQUEST)
    await setup.desk.tick()
    assert "预计还需等待" in setup.rasa.delivered[-1][1]["text"]
    await setup.desk.tick()
    assert len(setup.rasa.delivered) == 1  # told once
    setup.rasa.conversations[C1].append(said("那给我回电吧", 11))
    await setup.desk.tick()
    assert (await setup.queue.get(case_id)).callback_requested
    assert "已为您登记回电" in setup.rasa.delivered[-1][1]["text"]


async def test_a_case_whose_id_is_not_of_its_channel_is_never_sent_to_rasa(setup: Setup) -> None:
    case_id = await setup.handoff("x/../+8613900000001", C1, HandoffReason.CUSTOMER_REQUEST)
    await setup.desk.claim(case_id, "ann")
    with pytest.raises(DeskError, match="no sms conversation"):
        await setup.desk.reply(case_id, "ann", "hello")
    assert setup.rasa.delivered == []
    assert (await setup.desk.case(case_id)).transcript == []
