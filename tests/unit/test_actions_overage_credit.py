"""Overage credited against a new plan, the customer's side (``actions/overage_credit.py``):
after a switch a billing-adjustment ticket is filed with the months and amounts; without
one the review is explained and the recommendation offered."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from typing import Any

from rasa_sdk.events import FollowupAction

from actions.balance import ActionCheckBalance
from actions.overage_credit import ActionRequestOverageCredit
from bot.billing.adjustments import asked_credit
from bot.billing.port import ComplaintCategory, TicketStatus
from bot.state.ticket_origins import TicketOrigin
from bot.wiring import Services
from tests.fakes import TODAY, FakeBillingService
from tests.unit.test_actions_complaints import run
from tests.unit.trackers import C1, C3, C4, responses, sent

NEXT_CYCLE = dt.date(2026, 12, 1)


def billing_of(services: Services) -> FakeBillingService:
    assert isinstance(services.billing, FakeBillingService)
    return services.billing


async def ask(services: Services, domain: dict[str, Any], msisdn: str = C3, **slots: Any) -> Any:
    return await run(
        ActionRequestOverageCredit,
        services,
        domain,
        msisdn=msisdn,
        sender_id=msisdn,
        intent="request_overage_credit",
        slots=slots,
    )


async def test_after_a_switch_the_ticket_has_the_months_and_amounts(
    services: Services, domain: dict[str, Any]
) -> None:
    billing = billing_of(services)
    await billing.place_plan_change(C3, "P58", NEXT_CYCLE)
    history = await billing.usage_history(C3, months=6)
    credit = sum((m.total_charge - Decimal("58.00") for m in history), Decimal("0.00"))
    dispatcher, events = await ask(services, domain)
    assert events == []
    message = sent(dispatcher, "utter_overage_credit_filed")
    assert message["credit"] == str(credit) and message["plan"] == "Plus 58"
    assert message["paid"] == str(sum((m.total_charge for m in history), Decimal("0.00")))
    assert message["new_cost"] == str(Decimal("58.00") * len(history))
    assert message["months"].count(" -> ") == len(history) and history[0].month in message["months"]
    assert message["days"] == 5
    (ticket,) = await billing.tickets(C3)
    assert ticket.ticket_id == message["ticket_id"]
    assert (ticket.category, ticket.status) == (ComplaintCategory.ADJUSTMENT, TicketStatus.OPEN)
    assert asked_credit(ticket) == credit
    origin = await services.ticket_origins.get(ticket.ticket_id)
    assert origin == TicketOrigin(ticket.ticket_id, C3, "sms", "en")


async def test_asked_again_the_same_ticket_is_named(
    services: Services, domain: dict[str, Any]
) -> None:
    billing = billing_of(services)
    await billing.place_plan_change(C3, "P58", NEXT_CYCLE)
    first, _ = await ask(services, domain)
    again, _ = await ask(services, domain, language="zh")
    message = sent(again, "utter_overage_credit_exists")
    assert message["ticket_id"] == sent(first, "utter_overage_credit_filed")["ticket_id"]
    assert message["status"] == "已受理，等待处理"
    assert len(await billing.tickets(C3)) == 1


async def test_without_a_switch_the_recommendation_is_offered(
    services: Services, domain: dict[str, Any]
) -> None:
    dispatcher, events = await ask(services, domain)
    assert responses(dispatcher) == ["utter_overage_credit_no_switch"]
    assert events == [FollowupAction("action_recommend_plan")]
    assert await services.billing.tickets(C3) == []


async def test_a_switch_long_ago_does_not_count(services: Services, domain: dict[str, Any]) -> None:
    billing = billing_of(services)
    order = await billing.place_plan_change(C3, "P58", NEXT_CYCLE)
    billing.orders = [replace(order, created_at=dt.datetime(2026, 6, 1, 9, 0))]
    dispatcher, _ = await ask(services, domain)
    assert responses(dispatcher) == ["utter_overage_credit_no_switch"]


async def test_without_overage_there_is_nothing_to_credit(
    services: Services, domain: dict[str, Any]
) -> None:
    billing = billing_of(services)
    await billing.place_plan_change(C4, "P88", NEXT_CYCLE)  # Alex never went over
    dispatcher, _ = await ask(services, domain, msisdn=C4)
    message = sent(dispatcher, "utter_overage_credit_nothing")
    assert message["count"] == 6 and message["plan"] == "Max 88"
    assert await billing.tickets(C4) == []


async def test_a_smaller_plan_saves_nothing_on_overage(
    services: Services, domain: dict[str, Any]
) -> None:
    billing = billing_of(services)
    await billing.place_plan_change(C3, "P18", NEXT_CYCLE)
    dispatcher, _ = await ask(services, domain)
    assert responses(dispatcher) == ["utter_overage_credit_nothing"]


async def test_billing_down_is_an_apology(services: Services, domain: dict[str, Any]) -> None:
    billing_of(services).down = True
    dispatcher, _ = await ask(services, domain)
    assert responses(dispatcher) == ["utter_service_unavailable"]


async def test_the_balance_shows_a_recent_credit(
    services: Services, domain: dict[str, Any]
) -> None:
    await services.billing.credit_account(C1, Decimal("22.00"), "TK2611280001")
    dispatcher, _ = await run(ActionCheckBalance, services, domain, intent="check_balance")
    assert responses(dispatcher)[:2] == ["utter_balance", "utter_balance_credit"]
    assert sent(dispatcher, "utter_balance")["balance"] == "45.50"
    credit = sent(dispatcher, "utter_balance_credit")
    assert (credit["amount"], credit["reference"]) == ("22.00", "TK2611280001")
    assert credit["date"] == f"{TODAY:%Y-%m-%d}"
