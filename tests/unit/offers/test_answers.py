"""The plan offer in the conversation: its text in the customer's language, a yes (digit,
button or words) makes the usual proposal with its quote, a second yes orders it, a no
declines; each answer is counted once."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.engine import Engine

from actions.offers import ActionAcceptOffer, ActionDeclineOffer, ActionOfferPlan
from actions.plan_change import ActionChangePlan, ActionProposePlanChange
from actions.quoting import of_plan
from bot.billing.insights import next_cycle_start
from bot.channels.sms.shaping import render_buttons
from bot.domain.responses import render, response_variation
from bot.domain.script import to_traditional
from bot.notices.offer_responses import OfferCounts
from bot.wiring import Services
from tests.fakes import TODAY, FakeBillingService
from tests.unit.offers.conftest import FIGURES, KEY, plan, sent_offer
from tests.unit.trackers import C2, C4, SLOT_DEFAULTS, action, bot, signed, user

OFFER_ZH = (
    "【套餐优惠】根据您近6个月的用量，改用畅享38元套餐（月费38.00元）每月可省约50.00元。"
    "需要为您办理吗？回复 QXYHTX 不再接收优惠推荐。\n1. 办理\n2. 暂不需要"
)


def offer_event(key: str = KEY, figures: dict[str, str] = FIGURES) -> dict[str, Any]:
    """The external intent as Rasa records it, the figures as entities."""
    event = user("EXTERNAL: EXTERNAL_notice_offer", "EXTERNAL_notice_offer", "sms")
    entities = {**figures, "notice_key": key, "notice_event": "plan_offer"}
    event["parse_data"]["entities"] = [{"entity": k, "value": v} for k, v in entities.items()]
    return event


def tracker(
    events: list[dict[str, Any]], slots: dict[str, Any] | None = None, msisdn: str = C2
) -> Tracker:
    """A conversation whose latest event is the last of ``events`` (an SMS from ``msisdn``)."""
    latest = events[-1]
    if latest["parse_data"]["intent"]["name"] != "EXTERNAL_notice_offer":
        latest["metadata"] = latest["parse_data"]["metadata"] = signed(msisdn)
    return Tracker(
        sender_id=msisdn,
        slots={**SLOT_DEFAULTS, "language": "zh", **(slots or {})},
        latest_message=latest["parse_data"],
        events=events,
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


async def run(action: Any, conversation: Tracker, domain: dict[str, Any]) -> tuple[Any, Any]:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, conversation, domain)
    return dispatcher.messages, events


def as_sms(message: dict[str, Any], domain: dict[str, Any], language: str) -> str:
    """The message as the customer reads it on SMS (buttons as numbered options)."""
    values = {k: v for k, v in message.items() if k in ("plan", "fee", "saving", "months")}
    text = render(domain, str(message["response"]), language, **values)
    buttons = response_variation(domain, str(message["response"]), language).get("buttons")
    return render_buttons(text, buttons)


class TestOfferText:
    async def test_chinese_with_plan_fee_saving_and_months(
        self, wired: Services, domain: dict[str, Any]
    ) -> None:
        messages, events = await run(
            ActionOfferPlan(wired, lambda: TODAY), tracker([offer_event()]), domain
        )
        assert as_sms(messages[0], domain, "zh") == OFFER_ZH
        assert events == [
            {"event": "slot", "timestamp": None, "name": "recommended_plan", "value": "P38"}
        ]

    async def test_english(self, wired: Services, domain: dict[str, Any]) -> None:
        figures = {"notice_plan": "P88", "notice_saving": "40.00", "notice_months": "6"}
        conversation = tracker([offer_event(figures=figures)], {"language": "en"}, C4)
        messages, _ = await run(ActionOfferPlan(wired), conversation, domain)
        assert as_sms(messages[0], domain, "en") == (
            "A plan that saves you money: from your usage over the last 6 months, Max 88 "
            "(88.00 yuan a month) would save you about 40.00 yuan a month. Shall I switch "
            "you? Reply QXYHTX to stop plan offers.\n1. Switch\n2. Not now"
        )

    def test_traditional_is_the_chinese_converted_at_output(self) -> None:
        # bot.rasa_ext.nlg converts the filled text for customers who write Traditional.
        assert to_traditional(OFFER_ZH).startswith("【套餐優惠】根據您近6個月的用量")

    async def test_a_plan_no_longer_on_sale_is_not_offered(
        self, wired: Services, domain: dict[str, Any]
    ) -> None:
        figures = {**FIGURES, "notice_plan": "GONE"}
        messages, events = await run(
            ActionOfferPlan(wired), tracker([offer_event(figures=figures)]), domain
        )
        assert messages == [] and events == []


def answered(text: str, intent: str) -> list[dict[str, Any]]:
    """The offer, its text, then the customer's answer."""
    return [
        offer_event(),
        action("action_offer_plan"),
        bot(OFFER_ZH),
        action("action_listen"),
        user(text, intent, "sms"),
    ]


class TestYes:
    @pytest.mark.parametrize(
        ("text", "intent"),
        [
            ("/affirm", "affirm"),
            ("好的帮我换", "affirm"),
            ("yes please", "affirm"),
            ("帮我换吧", "change_plan"),
        ],
    )
    async def test_yes_then_the_quoted_proposal_then_a_second_yes_orders_it(
        self,
        wired: Services,
        billing: FakeBillingService,
        engine: Engine,
        domain: dict[str, Any],
        text: str,
        intent: str,
    ) -> None:
        await sent_offer(engine)
        events = answered(text, intent)
        _, slots = await run(ActionAcceptOffer(wired, lambda: TODAY), tracker(events), domain)
        assert slots[0]["name"] == "recommended_plan" and slots[0]["value"] == "P38"
        # The rule goes on with the usual proposal: the offered plan, its quote, the question.
        propose = ActionProposePlanChange(wired, lambda: TODAY)
        asked, pending = await run(propose, tracker(events, {"recommended_plan": "P38"}), domain)
        assert [m["response"] for m in asked] == ["utter_plan_change_confirm"]
        assert asked[0]["plan"] == "畅享38元套餐" and asked[0]["fee"] == "38.00"
        proposal_id = pending[0]["value"]
        proposal = await wired.proposals.pending(proposal_id, C2, "sms", "plan_change")
        assert proposal is not None and proposal.subject == "P38"
        assert proposal.quote == of_plan(plan(billing, "P38"), next_cycle_start(TODAY))
        # A second yes orders it.
        events += [
            action("action_accept_offer"),
            action("action_propose_plan_change"),
            bot(),
            action("action_listen"),
            user("/affirm", "affirm", "sms"),
        ]
        change = ActionChangePlan(wired, lambda: TODAY)
        done, _ = await run(change, tracker(events, {"pending_plan": proposal_id}), domain)
        assert [m["response"] for m in done] == ["utter_plan_changed"]
        assert [(o.msisdn, o.to_plan) for o in billing.orders] == [(C2, "P38")]
        counts = await wired.offer_responses.counts()
        assert counts == OfferCounts(
            sent=1, accepted=1, switched=1, saving_delivered=Decimal("50.00")
        )

    async def test_a_yes_then_no_at_the_confirmation_is_accepted_but_no_switch(
        self, wired: Services, engine: Engine, domain: dict[str, Any]
    ) -> None:
        await sent_offer(engine)
        events = answered("/affirm", "affirm")
        await run(ActionAcceptOffer(wired), tracker(events), domain)
        propose = ActionProposePlanChange(wired, lambda: TODAY)
        await run(propose, tracker(events, {"recommended_plan": "P38"}), domain)
        counts = await wired.offer_responses.counts()
        assert (counts.accepted, counts.switched, counts.saving_delivered) == (1, 0, 0)


class TestNo:
    async def test_no_keeps_the_plan_and_is_counted_once(
        self, wired: Services, engine: Engine, domain: dict[str, Any]
    ) -> None:
        await sent_offer(engine)
        messages, events = await run(
            ActionDeclineOffer(wired), tracker(answered("/deny", "deny")), domain
        )
        assert [m["response"] for m in messages] == ["utter_offer_declined"]
        assert render(domain, "utter_offer_declined", "zh") == (
            "好的，您的套餐保持不变。如不想再收到套餐优惠推荐，回复 QXYHTX。"
        )
        assert events[0]["name"] == "recommended_plan" and events[0]["value"] is None
        # A later yes to the same offer does not count again: the first answer counts.
        await run(ActionAcceptOffer(wired), tracker(answered("/affirm", "affirm")), domain)
        counts = await wired.offer_responses.counts()
        assert (counts.sent, counts.accepted, counts.declined) == (1, 0, 1)

    async def test_an_offer_of_another_number_is_not_recorded(
        self, wired: Services, engine: Engine, domain: dict[str, Any]
    ) -> None:
        other = await sent_offer(engine, C4)
        events = [
            offer_event(other),
            action("action_offer_plan"),
            action("action_listen"),
            user("/deny", "deny", "sms"),
        ]
        await run(ActionDeclineOffer(wired), tracker(events, msisdn=C2), domain)
        assert (await wired.offer_responses.counts()).declined == 0
