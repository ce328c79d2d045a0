"""Data packs on the billing fake: the list as buttons (also straight after a notice), the
confirmation recorded on the server, the order with exact figures, arrears and a short
balance refused, forged confirmations refused (usage with packs, the ``LLB`` code and
the words that name a pack: ``test_pack_words.py``)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.base import ServiceAction
from actions.packs import (
    ActionCancelDataPack,
    ActionOfferDataPacks,
    ActionOrderDataPack,
    ActionProposeDataPack,
    ActionReaskDataPack,
)
from bot.domain.quotes import Quote
from bot.domain.responses import render
from bot.state.proposals import DATA_PACK, PLAN_CHANGE
from bot.wiring import Services
from tests.fakes import TODAY, FakeBillingService
from tests.unit.trackers import C1, C3, C4, C5, action, bot, make_tracker, responses, sent
from tests.unit.trackers import signed as signed_identity

SLOT = "pending_data_pack"
PAYLOAD_1G = '/choose_data_pack{"data_pack":"DP1G"}'
PAYLOAD_5G = '/choose_data_pack{"data_pack":"DP5G"}'


def fake(services: Services) -> FakeBillingService:
    assert isinstance(services.billing, FakeBillingService)
    return services.billing


async def run(
    action_class: type[ServiceAction], services: Services, domain: dict[str, Any], tracker: Tracker
) -> tuple[CollectingDispatcher, list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    instance = action_class(services=services, today=lambda: TODAY)
    return dispatcher, await instance.run(dispatcher, tracker, domain)


def choice(msisdn: str, text: str = PAYLOAD_1G, language: str = "zh", **kwargs: Any) -> Tracker:
    tracker = make_tracker(
        msisdn, text=text, intent="choose_data_pack", slots={"language": language},
        sender_id=msisdn, **kwargs,
    )  # fmt: skip
    if text.startswith("/"):
        code = text.split('"')[-2]
        tracker.latest_message["entities"] = [{"entity": "data_pack", "value": code}]
    return tracker


def answer(msisdn: str, pending: str | None, previous: str = "action_propose_data_pack",
           language: str = "zh", **kwargs: Any) -> Tracker:  # fmt: skip
    """The customer's "yes" straight after ``previous``."""
    history = [action(previous), bot(), action("action_listen")]
    args: dict[str, Any] = {"sender_id": msisdn, **kwargs}
    slots = {SLOT: pending, "language": language}
    return make_tracker(msisdn, text="1", intent="affirm", slots=slots, history=history, **args)


async def propose(services: Services, domain: dict[str, Any], msisdn: str = C1,
                  text: str = PAYLOAD_1G, language: str = "zh") -> str:  # fmt: skip
    _, events = await run(ActionProposeDataPack, services, domain, choice(msisdn, text, language))
    return str(events[0]["value"])


ELSEWHERE = Quote(Decimal("1"))  # a proposal made elsewhere fails before its quote counts


class TestOffer:
    async def test_the_packs_as_buttons_with_prices_and_validity(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        tracker = make_tracker(
            C1, text="买个流量包", intent="buy_data_pack", slots={"language": "zh"}
        )
        dispatcher, events = await run(ActionOfferDataPacks, services, domain, tracker)
        offer = sent(dispatcher, "utter_data_pack_offer")
        assert offer["valid_until"] == "2026-11-30"
        assert offer["buttons"] == [
            {"title": "1GB流量加油包 10.00元", "payload": PAYLOAD_1G},
            {"title": "5GB流量加油包 30.00元", "payload": PAYLOAD_5G},
        ]
        assert events == [{"event": "slot", "timestamp": None, "name": SLOT, "value": None}]

    async def test_in_english(self, services: Services, domain: dict[str, Any]) -> None:
        tracker = make_tracker(C4, text="I need more data", slots={"language": "en"})
        dispatcher, _ = await run(ActionOfferDataPacks, services, domain, tracker)
        titles = [b["title"] for b in sent(dispatcher, "utter_data_pack_offer")["buttons"]]
        assert titles == ["1 GB data add-on, 10.00 yuan", "5 GB data add-on, 30.00 yuan"]

    async def test_an_account_in_arrears_is_told_to_top_up_first(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        tracker = make_tracker(C3, text="加油包", slots={"language": "zh"})
        dispatcher, _ = await run(ActionOfferDataPacks, services, domain, tracker)
        assert responses(dispatcher) == ["utter_data_pack_arrears"]
        assert sent(dispatcher, "utter_data_pack_arrears")["owed"] == "12.30"
        text = render(domain, "utter_data_pack_arrears", "zh", owed="12.30")
        assert "欠费12.30元" in text and "充值" in text and "LLB" in text

    async def test_right_after_a_notice_with_no_customer_message(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        # An external event (trigger_intent) carries no signed number: the list still goes out,
        # and the customer's answer, a signed message, identifies them.
        tracker = make_tracker(
            C5, text="EXTERNAL: EXTERNAL_notice_data_full", intent="EXTERNAL_notice_data_full",
            metadata={}, slots={"language": "zh"}, sender_id=C5,
        )  # fmt: skip
        dispatcher, _ = await run(ActionOfferDataPacks, services, domain, tracker)
        assert responses(dispatcher) == ["utter_data_pack_offer"]
        payloads = [b["payload"] for b in sent(dispatcher, "utter_data_pack_offer")["buttons"]]
        assert payloads[0] == PAYLOAD_1G

    async def test_a_balance_below_the_cheapest_pack_gets_no_list(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        tracker = make_tracker(C5, text="LLB", intent="buy_data_pack", slots={"language": "zh"})
        dispatcher, _ = await run(ActionOfferDataPacks, services, domain, tracker)
        assert responses(dispatcher) == ["utter_data_pack_balance_low"]
        low = sent(dispatcher, "utter_data_pack_balance_low")
        assert (low["balance"], low["price"]) == ("2.10", "10.00")

    async def test_after_a_notice_who_cannot_buy_a_pack_is_told_how_to_top_up(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        tracker = make_tracker(
            C5, text="EXTERNAL: EXTERNAL_notice_data_full", intent="EXTERNAL_notice_data_full",
            metadata={}, slots={"language": "zh"}, sender_id=C5,
        )  # fmt: skip
        tracker.latest_message["entities"] = [{"entity": "notice_follow_up", "value": "top_up"}]
        dispatcher, _ = await run(ActionOfferDataPacks, services, domain, tracker)
        assert responses(dispatcher) == ["utter_notice_data_top_up"]
        text = render(domain, "utter_notice_data_top_up", "zh")
        assert "充值" in text and "LLB" in text
        tracker.latest_message["entities"] = [{"entity": "notice_follow_up", "value": "packs"}]
        dispatcher, _ = await run(ActionOfferDataPacks, services, domain, tracker)
        assert responses(dispatcher) == ["utter_data_pack_offer"]

    async def test_an_unverified_web_chat_is_offered_verification(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        tracker = make_tracker(None, text="buy a data add-on", channel="rest")
        dispatcher, _ = await run(ActionOfferDataPacks, services, domain, tracker)
        assert responses(dispatcher) == ["utter_verify_offer", "utter_menu_general"]

    async def test_billing_down(self, services: Services, domain: dict[str, Any]) -> None:
        fake(services).down = True
        dispatcher, _ = await run(ActionOfferDataPacks, services, domain, make_tracker(C1))
        assert responses(dispatcher) == ["utter_service_unavailable"]


class TestChoice:
    async def test_a_button_records_a_proposal_and_asks_to_confirm(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        dispatcher, events = await run(ActionProposeDataPack, services, domain, choice(C1))
        ask = sent(dispatcher, "utter_data_pack_confirm")
        assert (ask["name"], ask["data"], ask["price"], ask["valid_until"]) == (
            "1GB流量加油包", "1.0", "10.00", "2026-11-30"
        )  # fmt: skip
        pending = events[0]["value"]
        assert pending and pending != "DP1G"  # the proposal's id, never the code
        proposal = await services.proposals.pending(pending, C1, "sms", DATA_PACK)
        assert proposal is not None and (proposal.msisdn, proposal.subject) == (C1, "DP1G")

    @pytest.mark.parametrize(
        ("text", "code"), [("要5G那个", "DP5G"), ("第一個", "DP1G"), ("the 5 GB one", "DP5G")]
    )
    async def test_words_choose_a_pack(
        self, services: Services, domain: dict[str, Any], text: str, code: str
    ) -> None:
        pending = await propose(services, domain, C4, text, "en")
        proposal = await services.proposals.pending(pending, C4, "sms", DATA_PACK)
        assert proposal is not None and proposal.subject == code

    async def test_an_unclear_choice_lists_the_packs_again(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        dispatcher, events = await run(
            ActionProposeDataPack, services, domain, choice(C1, "随便来一个")
        )
        assert responses(dispatcher) == ["utter_data_pack_unknown"]
        assert len(sent(dispatcher, "utter_data_pack_unknown")["buttons"]) == 2
        assert events[0]["value"] is None

    async def test_a_balance_short_of_the_price_is_told_before_asking(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        dispatcher, events = await run(ActionProposeDataPack, services, domain, choice(C5))
        low = sent(dispatcher, "utter_data_pack_balance_low")
        assert (low["balance"], low["price"]) == ("2.10", "10.00")
        assert events[0]["value"] is None


class TestOrder:
    async def test_the_genuine_journey_orders_once_with_exact_figures(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        pending = await propose(services, domain)
        dispatcher, events = await run(ActionOrderDataPack, services, domain, answer(C1, pending))
        done = sent(dispatcher, "utter_data_pack_ordered")
        assert {k: done[k] for k in ("order_id", "name", "data", "price", "valid_until")} == {
            "order_id": "DP2611280001", "name": "1GB流量加油包", "data": "1.0",
            "price": "10.00", "valid_until": "2026-11-30",
        }  # fmt: skip
        assert done["balance"] == "13.50"
        assert events[0]["value"] is None
        assert [(o.msisdn, o.pack.code) for o in fake(services).pack_orders] == [(C1, "DP1G")]
        again, _ = await run(ActionOrderDataPack, services, domain, answer(C1, pending))
        assert responses(again) == ["utter_nothing_to_confirm"]  # a replay orders nothing
        assert len(fake(services).pack_orders) == 1

    async def test_in_english(self, services: Services, domain: dict[str, Any]) -> None:
        pending = await propose(services, domain, C4, PAYLOAD_5G, "en")
        tracker = answer(C4, pending, language="en")
        dispatcher, _ = await run(ActionOrderDataPack, services, domain, tracker)
        done = sent(dispatcher, "utter_data_pack_ordered")
        assert (done["name"], done["data"], done["balance"]) == (
            "5 GB data add-on",
            "5.0",
            "280.75",
        )

    @pytest.mark.parametrize("forged", ["DP1G", "DP5G", "", "x" * 200])
    async def test_a_slot_without_a_proposal_orders_nothing(
        self, services: Services, domain: dict[str, Any], forged: str
    ) -> None:
        dispatcher, _ = await run(ActionOrderDataPack, services, domain, answer(C1, forged))
        assert responses(dispatcher) == ["utter_nothing_to_confirm"]
        assert fake(services).pack_orders == []

    @pytest.mark.parametrize(
        ("conversation", "channel", "msisdn", "kind"),
        [
            ("+8613800000009", "sms", C1, DATA_PACK),  # another conversation's
            (C1, "telegram", C1, DATA_PACK),  # offered on another channel
            (C1, "sms", C4, DATA_PACK),  # offered to another number
            (C1, "sms", C1, PLAN_CHANGE),  # not a data pack
        ],
    )
    async def test_a_proposal_made_elsewhere_orders_nothing(
        self,
        services: Services,
        domain: dict[str, Any],
        conversation: str,
        channel: str,
        msisdn: str,
        kind: str,
    ) -> None:
        other = await services.proposals.propose(
            conversation, channel, msisdn, kind, "DP1G", ELSEWHERE
        )
        dispatcher, _ = await run(ActionOrderDataPack, services, domain, answer(C1, other.id))
        assert responses(dispatcher) == ["utter_nothing_to_confirm"]
        assert fake(services).pack_orders == []

    async def test_confirmed_from_another_channel_orders_nothing(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        pending = await propose(services, domain)  # on SMS
        telegram = {"channel": "telegram", "metadata": signed_identity(C1, "telegram")}
        dispatcher, _ = await run(
            ActionOrderDataPack, services, domain, answer(C1, pending, **telegram)
        )
        assert responses(dispatcher) == ["utter_nothing_to_confirm"]
        assert fake(services).pack_orders == []

    async def test_a_yes_not_straight_after_the_question_orders_nothing(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        pending = await propose(services, domain)
        tracker = answer(C1, pending, previous="action_check_balance")
        dispatcher, _ = await run(ActionOrderDataPack, services, domain, tracker)
        assert responses(dispatcher) == ["utter_nothing_to_confirm"]
        assert fake(services).pack_orders == []

    async def test_arrears_since_the_question_orders_nothing(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        pending = await propose(services, domain)
        billing = fake(services)
        billing.customers[C1] = replace(billing.customers[C1], balance=Decimal("-1.00"))
        dispatcher, _ = await run(ActionOrderDataPack, services, domain, answer(C1, pending))
        assert sent(dispatcher, "utter_data_pack_arrears")["owed"] == "1.00"
        assert billing.pack_orders == []

    async def test_cancel(self, services: Services, domain: dict[str, Any]) -> None:
        dispatcher = CollectingDispatcher()
        events = await ActionCancelDataPack().run(dispatcher, answer(C1, "x"), domain)
        assert responses(dispatcher) == ["utter_data_pack_cancelled"]
        assert events[0]["value"] is None


class TestReask:
    async def test_the_question_again_then_the_yes_orders(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        pending = await propose(services, domain)
        tracker = answer(C1, pending, previous="action_check_balance")
        dispatcher, events = await run(ActionReaskDataPack, services, domain, tracker)
        assert sent(dispatcher, "utter_data_pack_confirm")["price"] == "10.00" and events == []
        after = answer(C1, pending, previous="action_reask_data_pack")
        done, _ = await run(ActionOrderDataPack, services, domain, after)
        assert responses(done) == ["utter_data_pack_ordered"]

    async def test_nothing_to_ask_once_used(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        pending = await propose(services, domain)
        await run(ActionOrderDataPack, services, domain, answer(C1, pending))
        dispatcher, events = await run(ActionReaskDataPack, services, domain, answer(C1, pending))
        assert responses(dispatcher) == [] and events[0]["value"] is None
