"""Forged trackers, confirmations (plan change, unsubscribe): what a caller of the action server
claims changes nothing by itself.

Each forgery is the tracker a caller could post (a slot set by hand, someone else's
proposal, a replay, a made-up channel, a rating with nothing to rate); each test
shows that no order, unsubscription, case or rating came of it, next to the genuine
journey that does.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from actions.plan_change import ActionChangePlan, ActionProposePlanChange
from actions.subscriptions import ActionProposeUnsubscribe, ActionUnsubscribe
from bot.domain.confirmations import PLAN_CHANGE, UNSUBSCRIBE
from bot.domain.quotes import Quote
from bot.wiring import Services
from tests.fakes import Clock
from tests.unit.forged.conftest import CONVERSATION, billing, reply, run
from tests.unit.trackers import C3, C5, make_tracker, responses
from tests.unit.trackers import signed as signed_identity

ELSEWHERE = Quote(Decimal("1"))  # a proposal made elsewhere fails before its quote counts


class TestPlanChange:
    async def offer(self, services: Services, domain: dict[str, Any]) -> str:
        tracker = make_tracker(C5, text="switch me to Essential 38", sender_id=CONVERSATION)
        _, events = await run(ActionProposePlanChange, services, domain, tracker)
        return str(events[0]["value"])

    async def confirm(
        self, services: Services, domain: dict[str, Any], pending: str, **tracker_args: Any
    ) -> list[str | None]:
        tracker = reply(
            "1", {"pending_plan": pending}, "action_propose_plan_change", **tracker_args
        )
        dispatcher, _ = await run(ActionChangePlan, services, domain, tracker)
        return responses(dispatcher)

    async def test_the_genuine_journey_places_one_order(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        pending = await self.offer(services, domain)
        assert await self.confirm(services, domain, pending) == ["utter_plan_changed"]
        assert [(o.msisdn, o.to_plan) for o in billing(services).orders] == [(C5, "P38")]

    @pytest.mark.parametrize("forged", ["P38", "P128", "", "x" * 200])
    async def test_a_slot_without_a_proposal_places_no_order(
        self, services: Services, domain: dict[str, Any], forged: str
    ) -> None:
        assert await self.confirm(services, domain, forged) == ["utter_nothing_to_confirm"]
        assert billing(services).orders == []

    async def test_a_replayed_proposal_places_no_second_order(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        pending = await self.offer(services, domain)
        await self.confirm(services, domain, pending)
        assert await self.confirm(services, domain, pending) == ["utter_nothing_to_confirm"]
        assert len(billing(services).orders) == 1

    @pytest.mark.parametrize(
        ("conversation", "channel", "msisdn", "kind"),
        [
            ("+8613800000009", "sms", C5, PLAN_CHANGE),  # another conversation's
            (CONVERSATION, "telegram", C5, PLAN_CHANGE),  # offered on another channel
            (CONVERSATION, "sms", C3, PLAN_CHANGE),  # offered to another number
            (CONVERSATION, "sms", C5, UNSUBSCRIBE),  # not a plan change
        ],
    )
    async def test_a_proposal_made_elsewhere_places_no_order(
        self,
        services: Services,
        domain: dict[str, Any],
        conversation: str,
        channel: str,
        msisdn: str,
        kind: str,
    ) -> None:
        other = await services.proposals.propose(
            conversation, channel, msisdn, kind, "P38", ELSEWHERE
        )
        assert await self.confirm(services, domain, other.id) == ["utter_nothing_to_confirm"]
        assert billing(services).orders == []

    async def test_a_proposal_confirmed_from_another_channel_places_no_order(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        pending = await self.offer(services, domain)  # on SMS
        telegram = {"channel": "telegram", "metadata": signed_identity(C5, "telegram")}
        assert await self.confirm(services, domain, pending, **telegram) == [
            "utter_nothing_to_confirm"
        ]
        assert billing(services).orders == []

    async def test_an_expired_proposal_places_no_order(
        self, world: tuple[Services, Engine], clock: Clock, domain: dict[str, Any]
    ) -> None:
        services, _ = world
        pending = await self.offer(services, domain)
        clock.now += dt.timedelta(hours=1)
        assert await self.confirm(services, domain, pending) == ["utter_nothing_to_confirm"]
        assert billing(services).orders == []


class TestUnsubscribe:
    async def offer(self, services: Services, domain: dict[str, Any]) -> str:
        tracker = make_tracker(C5, text="TD VRBT", sender_id=CONVERSATION)
        _, events = await run(ActionProposeUnsubscribe, services, domain, tracker)
        return str(events[0]["value"])

    async def confirm(
        self, services: Services, domain: dict[str, Any], pending: str
    ) -> list[str | None]:
        tracker = reply("1", {"pending_unsubscribe": pending}, "action_propose_unsubscribe")
        dispatcher, _ = await run(ActionUnsubscribe, services, domain, tracker)
        return responses(dispatcher)

    async def test_the_genuine_journey_unsubscribes_once(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        pending = await self.offer(services, domain)
        assert pending != "VRBT"
        assert await self.confirm(services, domain, pending) == ["utter_unsubscribed"]
        assert await self.confirm(services, domain, pending) == ["utter_nothing_to_confirm"]
        assert billing(services).cancelled == [(C5, "VRBT")]

    @pytest.mark.parametrize("forged", ["VRBT", "NEWS", "nonsense"])
    async def test_a_service_code_in_the_slot_unsubscribes_nothing(
        self, services: Services, domain: dict[str, Any], forged: str
    ) -> None:
        assert await self.confirm(services, domain, forged) == ["utter_nothing_to_confirm"]
        assert billing(services).cancelled == []

    @pytest.mark.parametrize(
        ("conversation", "kind"), [("tg-42", UNSUBSCRIBE), (CONVERSATION, PLAN_CHANGE)]
    )
    async def test_a_proposal_made_elsewhere_unsubscribes_nothing(
        self, services: Services, domain: dict[str, Any], conversation: str, kind: str
    ) -> None:
        other = await services.proposals.propose(conversation, "sms", C5, kind, "NEWS", ELSEWHERE)
        assert await self.confirm(services, domain, other.id) == ["utter_nothing_to_confirm"]
        assert billing(services).cancelled == []
