"""Data packs on the billing fake: the list as buttons (also straight after a notice), arrears
and a short balance refused, and the choice recorded as a proposal (usage with packs, the ``LLB``
code and the words that name a pack: ``test_pack_words.py``)."""

from __future__ import annotations

from typing import Any

import pytest

from actions.packs import ActionOfferDataPacks, ActionProposeDataPack
from bot.domain.confirmations import DATA_PACK
from bot.domain.responses import render
from bot.wiring import Services
from tests.unit.packs_support import PAYLOAD_1G, PAYLOAD_5G, SLOT, choice, fake, propose, run
from tests.unit.trackers import C1, C3, C4, C5, make_tracker, responses, sent


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
            C5,
            text="EXTERNAL: EXTERNAL_notice_data_full",
            intent="EXTERNAL_notice_data_full",
            metadata={},
            slots={"language": "zh"},
            sender_id=C5,
        )
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
            C5,
            text="EXTERNAL: EXTERNAL_notice_data_full",
            intent="EXTERNAL_notice_data_full",
            metadata={},
            slots={"language": "zh"},
            sender_id=C5,
        )
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
            "1GB流量加油包",
            "1.0",
            "10.00",
            "2026-11-30",
        )
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
