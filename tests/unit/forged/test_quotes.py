"""A price cannot change between the quote and the yes.

Each journey's proposal keeps what the question stated (price, allowance, date). If
the catalogue moved before the "yes", nothing is charged: the bot says the terms
changed, asks again with the new ones under a new proposal, and only a "yes" to that
question orders, at the new terms. A proposal recorded before quotes were kept is
quoted again too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import update
from sqlalchemy.engine import Engine

from actions.base import ServiceAction
from actions.packs import ActionOrderDataPack, ActionProposeDataPack, ActionReaskDataPack
from actions.plan_change import ActionChangePlan, ActionProposePlanChange, ActionReaskPlanChange
from actions.subscriptions import (
    ActionProposeUnsubscribe,
    ActionReaskUnsubscribe,
    ActionUnsubscribe,
)
from bot.state.tables import ProposalRow
from bot.wiring import Services
from tests.fakes import TODAY, FakeBillingService
from tests.unit.forged.conftest import CONVERSATION, billing, reply
from tests.unit.trackers import C5, make_tracker, responses, sent

PACK_CHOICE = '/choose_data_pack{"data_pack":"DP1G"}'


async def run(
    action_class: type[ServiceAction],
    services: Services,
    domain: dict[str, Any],
    tracker: Tracker,
    today: dt.date = TODAY,
) -> tuple[CollectingDispatcher, list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    instance = action_class(services=services, today=lambda: today)
    return dispatcher, await instance.run(dispatcher, tracker, domain)


def slot_value(events: list[dict[str, Any]], name: str) -> Any:
    [value] = [e["value"] for e in events if e["event"] == "slot" and e["name"] == name]
    return value


def followup(events: list[dict[str, Any]]) -> str | None:
    names = [e["name"] for e in events if e["event"] == "followup"]
    return names[0] if names else None


def reprice_plan(fake: FakeBillingService, code: str, fee: str) -> None:
    fake.plans = [replace(p, monthly_fee=Decimal(fee)) if p.code == code else p for p in fake.plans]


def reprice_pack(fake: FakeBillingService, code: str, **changes: Any) -> None:
    fake.packs = [replace(p, **changes) if p.code == code else p for p in fake.packs]


class TestPlanChange:
    slot = "pending_plan"

    async def offer(self, services: Services, domain: dict[str, Any]) -> str:
        tracker = make_tracker(C5, text="switch me to Essential 38", sender_id=CONVERSATION)
        _, events = await run(ActionProposePlanChange, services, domain, tracker)
        return str(slot_value(events, self.slot))

    async def test_a_fee_raised_before_the_yes_is_quoted_again_and_nothing_ordered(
        self, world: tuple[Services, Engine], domain: dict[str, Any]
    ) -> None:
        services, _ = world
        pending = await self.offer(services, domain)
        reprice_plan(billing(services), "P38", "42")
        yes = reply("1", {self.slot: pending}, "action_propose_plan_change")
        dispatcher, events = await run(ActionChangePlan, services, domain, yes)
        assert responses(dispatcher) == ["utter_quote_changed"]
        assert billing(services).orders == []
        fresh = slot_value(events, self.slot)
        assert fresh and fresh != pending
        assert followup(events) == "action_reask_plan_change"
        # The question asked again states the new fee; a yes to it orders at that fee.
        asked, _ = await run(
            ActionReaskPlanChange,
            services,
            domain,
            make_tracker(C5, sender_id=CONVERSATION, slots={self.slot: fresh}),
        )
        assert sent(asked, "utter_plan_change_confirm")["fee"] == "42.00"
        yes = reply("1", {self.slot: fresh}, "action_reask_plan_change")
        dispatcher, _ = await run(ActionChangePlan, services, domain, yes)
        assert responses(dispatcher) == ["utter_plan_changed"]
        assert [o.to_plan for o in billing(services).orders] == ["P38"]
        # The first proposal was withdrawn: it confirms nothing now.
        old = reply("1", {self.slot: pending}, "action_reask_plan_change")
        dispatcher, _ = await run(ActionChangePlan, services, domain, old)
        assert responses(dispatcher) == ["utter_nothing_to_confirm"]

    async def test_an_effective_date_that_moved_is_quoted_again(
        self, world: tuple[Services, Engine], domain: dict[str, Any]
    ) -> None:
        services, _ = world
        pending = await self.offer(services, domain)
        next_month = (TODAY.replace(day=1) + dt.timedelta(days=32)).replace(day=2)
        yes = reply("1", {self.slot: pending}, "action_propose_plan_change")
        dispatcher, _ = await run(ActionChangePlan, services, domain, yes, today=next_month)
        assert responses(dispatcher) == ["utter_quote_changed"]
        assert billing(services).orders == []

    async def test_a_proposal_without_a_quote_is_quoted_again(
        self, world: tuple[Services, Engine], domain: dict[str, Any]
    ) -> None:
        services, engine = world
        pending = await self.offer(services, domain)
        with engine.begin() as connection:  # as recorded before proposals kept quotes
            connection.execute(update(ProposalRow).values(quote=None))
        yes = reply("1", {self.slot: pending}, "action_propose_plan_change")
        dispatcher, _ = await run(ActionChangePlan, services, domain, yes)
        assert responses(dispatcher) == ["utter_quote_changed"]
        assert billing(services).orders == []

    async def test_a_fee_that_moved_during_a_digression_is_asked_with_the_new_fee(
        self, world: tuple[Services, Engine], domain: dict[str, Any]
    ) -> None:
        services, _ = world
        pending = await self.offer(services, domain)
        reprice_plan(billing(services), "P38", "36")
        tracker = make_tracker(C5, sender_id=CONVERSATION, slots={self.slot: pending})
        asked, events = await run(ActionReaskPlanChange, services, domain, tracker)
        assert responses(asked) == ["utter_quote_changed", "utter_plan_change_confirm"]
        assert sent(asked, "utter_plan_change_confirm")["fee"] == "36.00"
        fresh = slot_value(events, self.slot)
        yes = reply("1", {self.slot: fresh}, "action_reask_plan_change")
        dispatcher, _ = await run(ActionChangePlan, services, domain, yes)
        assert responses(dispatcher) == ["utter_plan_changed"]


class TestUnsubscribe:
    slot = "pending_unsubscribe"

    async def test_a_fee_changed_before_the_yes_is_quoted_again(
        self, world: tuple[Services, Engine], domain: dict[str, Any]
    ) -> None:
        services, _ = world
        tracker = make_tracker(C5, text="TD VRBT", sender_id=CONVERSATION)
        _, events = await run(ActionProposeUnsubscribe, services, domain, tracker)
        pending = slot_value(events, self.slot)
        fake = billing(services)
        fake.subs[C5] = [
            replace(s, monthly_fee=Decimal("0")) if s.code == "VRBT" else s for s in fake.subs[C5]
        ]
        yes = reply("1", {self.slot: pending}, "action_propose_unsubscribe")
        dispatcher, events = await run(ActionUnsubscribe, services, domain, yes)
        assert responses(dispatcher) == ["utter_quote_changed"]
        assert fake.cancelled == []
        fresh = slot_value(events, self.slot)
        assert followup(events) == "action_reask_unsubscribe"
        asked, _ = await run(
            ActionReaskUnsubscribe,
            services,
            domain,
            make_tracker(C5, sender_id=CONVERSATION, slots={self.slot: fresh}),
        )
        assert sent(asked, "utter_unsubscribe_confirm")["fee"] == "0.00"
        yes = reply("1", {self.slot: fresh}, "action_reask_unsubscribe")
        dispatcher, _ = await run(ActionUnsubscribe, services, domain, yes)
        assert responses(dispatcher) == ["utter_unsubscribed"]
        assert fake.cancelled == [(C5, "VRBT")]


class TestDataPack:
    slot = "pending_data_pack"

    async def offer(self, services: Services, domain: dict[str, Any]) -> str:
        fake = billing(services)  # Liu Yang (2.10) tops up first
        fake.customers[C5] = replace(fake.customers[C5], balance=Decimal("100"))
        tracker = make_tracker(
            C5, text=PACK_CHOICE, intent="choose_data_pack", sender_id=CONVERSATION
        )
        tracker.latest_message["entities"] = [{"entity": "data_pack", "value": "DP1G"}]
        _, events = await run(ActionProposeDataPack, services, domain, tracker)
        return str(slot_value(events, self.slot))

    async def check_requoted(
        self, services: Services, domain: dict[str, Any], change: Callable[[], None]
    ) -> None:
        pending = await self.offer(services, domain)
        balance = (await services.billing.get_customer(C5)).balance
        change()
        yes = reply("1", {self.slot: pending}, "action_propose_data_pack")
        dispatcher, events = await run(ActionOrderDataPack, services, domain, yes)
        assert responses(dispatcher) == ["utter_quote_changed"]
        assert followup(events) == "action_reask_data_pack"
        assert billing(services).pack_orders == []
        assert (await services.billing.get_customer(C5)).balance == balance  # nothing charged

    async def test_a_price_raised_before_the_yes_charges_nothing(
        self, world: tuple[Services, Engine], domain: dict[str, Any]
    ) -> None:
        services, _ = world
        fake = billing(services)
        await self.check_requoted(
            services, domain, lambda: reprice_pack(fake, "DP1G", price=Decimal("99"))
        )

    async def test_less_data_for_the_same_price_charges_nothing(
        self, world: tuple[Services, Engine], domain: dict[str, Any]
    ) -> None:
        services, _ = world
        fake = billing(services)
        await self.check_requoted(
            services, domain, lambda: reprice_pack(fake, "DP1G", data_gb=Decimal("0.5"))
        )

    async def test_the_new_price_is_asked_then_charged(
        self, world: tuple[Services, Engine], domain: dict[str, Any]
    ) -> None:
        services, _ = world
        fake = billing(services)
        pending = await self.offer(services, domain)
        reprice_pack(fake, "DP1G", price=Decimal("12"))
        tracker = make_tracker(C5, sender_id=CONVERSATION, slots={self.slot: pending})
        asked, events = await run(ActionReaskDataPack, services, domain, tracker)
        assert responses(asked) == ["utter_quote_changed", "utter_data_pack_confirm"]
        assert sent(asked, "utter_data_pack_confirm")["price"] == "12.00"
        fresh = slot_value(events, self.slot)
        yes = reply("1", {self.slot: fresh}, "action_reask_data_pack")
        dispatcher, _ = await run(ActionOrderDataPack, services, domain, yes)
        assert responses(dispatcher) == ["utter_data_pack_ordered"]
        assert [o.pack.price for o in fake.pack_orders] == [Decimal("12")]
