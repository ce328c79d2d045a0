"""Ordering a data pack: the confirmation recorded on the server, the order with exact
figures, forged or stale confirmations refused, cancelling, and the question asked again."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.packs import ActionCancelDataPack, ActionOrderDataPack, ActionReaskDataPack
from bot.domain.confirmations import DATA_PACK, PLAN_CHANGE
from bot.wiring import Services
from tests.unit.packs_support import ELSEWHERE, PAYLOAD_5G, answer, fake, propose, run
from tests.unit.trackers import C1, C4, responses, sent
from tests.unit.trackers import signed as signed_identity


class TestOrder:
    async def test_the_genuine_journey_orders_once_with_exact_figures(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        pending = await propose(services, domain)
        dispatcher, events = await run(ActionOrderDataPack, services, domain, answer(C1, pending))
        done = sent(dispatcher, "utter_data_pack_ordered")
        assert {k: done[k] for k in ("order_id", "name", "data", "price", "valid_until")} == {
            "order_id": "DP2611280001",
            "name": "1GB流量加油包",
            "data": "1.0",
            "price": "10.00",
            "valid_until": "2026-11-30",
        }
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
