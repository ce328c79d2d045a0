"""Overage credits on the Tickets pages, on a loopback port: an agent approves a
billing-adjustment ticket (the balance is credited once, the customer told in their
language) or declines it with a reason (the customer is sent it)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from bot.billing.adjustments import describe, review_overage
from bot.billing.port import ComplaintCategory, TicketStatus
from bot.state.schema import migrate
from bot.state.ticket_origins import TicketOrigin, TicketOrigins
from bot.storage.db import make_engine
from bot.tickets.desk import TicketDesk
from bot.tickets.notify import RasaTicketNotifier
from tests.fakes import Clock, FakeBillingService, FakeRasaAdmin
from tests.loopback.test_console_support import page_csrf, start_kit
from tests.loopback.test_console_tickets import TicketKit

ROOT = Path(__file__).resolve().parents[2]
C1, C3 = "+8613800000001", "+8613800000003"


@pytest.fixture
def ck(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TicketKit]:
    kit = start_kit(tmp_path, monkeypatch)
    clock, rasa = Clock(), FakeRasaAdmin()
    billing = FakeBillingService(clock=clock)
    engine = make_engine(f"sqlite:///{tmp_path / 'credits-state.db'}")
    migrate(engine)
    origins = TicketOrigins(engine)
    kit.console.tickets = TicketDesk(
        billing, origins, RasaTicketNotifier(rasa, clock=clock), ROOT / "domain", clock=clock
    )
    yield TicketKit(kit, billing, origins, rasa, clock)
    kit.server.stop()


async def credit_ticket(ck: TicketKit, language: str = "zh") -> tuple[str, Decimal]:
    """C3 moved to P58; her overage review filed as the action files it, from her SMS."""
    billing = ck.billing
    order = await billing.place_plan_change(C3, "P58", ck.clock().date().replace(day=1))
    history = await billing.usage_history(C3, months=6)
    review = review_overage(order, await billing.list_plans(), history, billing.rates)
    ticket = await billing.create_ticket(
        C3, ComplaintCategory.ADJUSTMENT, describe(review), None, False
    )
    await ck.origins.record(TicketOrigin(ticket.ticket_id, C3, "sms", language))
    return ticket.ticket_id, review.credit


async def test_approving_credits_once_and_tells_the_customer(ck: TicketKit) -> None:
    ticket_id, amount = await credit_ticket(ck)
    before = (await ck.billing.get_customer(C3)).balance
    client = ck.client()
    page = client.get(f"/tickets/{ticket_id}").text
    assert 'id="credit-panel"' in page and f"{amount} yuan" in page
    assert "Billing adjustment" in page and "Credit asked" in page
    token = page_csrf(client, f"/tickets/{ticket_id}")

    response = client.post(
        f"/tickets/{ticket_id}/credit", data={"csrf_token": token, "decision": "approve"}
    )
    assert response.status_code == 303
    page = client.get(response.headers["location"]).text
    assert "Saved; the customer has been told." in page and 'id="credit-panel"' not in page
    assert (await ck.billing.get_customer(C3)).balance == before + amount
    (credit,) = await ck.billing.credits(C3)
    assert (credit.amount, credit.reference) == (amount, ticket_id)
    assert (await ck.billing.find_ticket(ticket_id)).status == TicketStatus.RESOLVED
    ((to, event),) = ck.rasa.delivered
    assert (to, ck.rasa.delivered_on) == (C3, ["sms"])
    assert event["text"] == (
        f"您的投诉工单{ticket_id}有新进展：已解决。"
        f"客服说明：超额费用审核已通过，{amount}元已退还到您的余额。"
    )

    # Approved again (a second tab): refused, nothing credited twice, nothing sent.
    client.post(f"/tickets/{ticket_id}/credit", data={"csrf_token": token, "decision": "approve"})
    assert "was decided already" in client.get(f"/tickets/{ticket_id}").text
    assert len(await ck.billing.credits(C3)) == 1 and len(ck.rasa.delivered) == 1
    assert (await ck.billing.get_customer(C3)).balance == before + amount


async def test_declining_needs_a_reason_which_the_customer_is_sent(ck: TicketKit) -> None:
    ticket_id, _ = await credit_ticket(ck, language="en")
    client = ck.client()
    token = page_csrf(client, f"/tickets/{ticket_id}")
    data = {"csrf_token": token, "decision": "decline", "text": "  "}
    client.post(f"/tickets/{ticket_id}/credit", data=data)
    assert "Declining needs a reason." in client.get(f"/tickets/{ticket_id}").text
    assert (await ck.billing.find_ticket(ticket_id)).status == TicketStatus.OPEN

    data["text"] = "The overage was credited once already in August."
    client.post(f"/tickets/{ticket_id}/credit", data=data)
    assert (await ck.billing.find_ticket(ticket_id)).status == TicketStatus.CLOSED
    assert await ck.billing.credits(C3) == []
    ((_, event),) = ck.rasa.delivered
    assert event["text"] == (
        f"Your complaint ticket {ticket_id} is now: closed. Note from our team: Sorry, we "
        "could not credit the overage: The overage was credited once already in August."
    )


async def test_a_complaint_has_no_credit_to_approve(ck: TicketKit) -> None:
    ticket = await ck.billing.create_ticket(
        C1, ComplaintCategory.BILLING, "Credit asked: 999.00 yuan", None, False
    )
    client = ck.client()
    page = client.get(f"/tickets/{ticket.ticket_id}").text
    assert 'id="credit-panel"' not in page
    token = page_csrf(client, f"/tickets/{ticket.ticket_id}")
    client.post(
        f"/tickets/{ticket.ticket_id}/credit", data={"csrf_token": token, "decision": "approve"}
    )
    assert "asks for no credit" in client.get(f"/tickets/{ticket.ticket_id}").text
    assert await ck.billing.credits(C1) == []


@pytest.mark.parametrize("token", [None, "forged"])
async def test_a_decision_needs_the_csrf_token(ck: TicketKit, token: str | None) -> None:
    ticket_id, _ = await credit_ticket(ck)
    data = (
        {"decision": "approve"} if token is None else {"decision": "approve", "csrf_token": token}
    )
    assert ck.client().post(f"/tickets/{ticket_id}/credit", data=data).status_code == 403
    assert await ck.billing.credits(C3) == []
