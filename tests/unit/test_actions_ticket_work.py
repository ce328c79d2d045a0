"""Ticket work in the complaint actions: where a ticket was filed is recorded, and the
customer's status query shows the latest update."""

from __future__ import annotations

from typing import Any

from actions.complaints import ActionComplaintStatus, ActionFileComplaint
from bot.billing.port import ComplaintCategory, TicketStatus
from bot.state.ticket_origins import TicketOrigin
from bot.wiring import Services
from tests.unit.test_actions_complaints import BILLING, run
from tests.unit.trackers import C1, responses, sent


async def test_filing_records_the_conversation_channel_and_language(
    services: Services, domain: dict[str, Any]
) -> None:
    dispatcher, _ = await run(
        ActionFileComplaint, services, domain, sender_id=C1, slots={**BILLING, "language": "zh"}
    )
    ticket_id = sent(dispatcher, "utter_complaint_filed")["ticket_id"]
    origin = await services.ticket_origins.get(ticket_id)
    assert origin == TicketOrigin(ticket_id, C1, "sms", "zh")


async def test_a_conversation_not_of_its_channel_records_nothing(
    services: Services, domain: dict[str, Any]
) -> None:
    dispatcher, _ = await run(
        ActionFileComplaint, services, domain, sender_id="not-a-number", slots=BILLING
    )
    ticket_id = sent(dispatcher, "utter_complaint_filed")["ticket_id"]
    assert await services.ticket_origins.get(ticket_id) is None


async def test_the_status_query_shows_the_latest_update(
    services: Services, domain: dict[str, Any]
) -> None:
    billing = services.billing
    ticket = await billing.create_ticket(C1, ComplaintCategory.NETWORK, "No signal", None, False)
    await billing.update_ticket(
        ticket.ticket_id, "ann", "Engineer booked", TicketStatus.IN_PROGRESS
    )
    await billing.update_ticket(ticket.ticket_id, "ann", "Mast repaired tonight")
    dispatcher, _ = await run(ActionComplaintStatus, services, domain, text=ticket.ticket_id)
    assert responses(dispatcher) == ["utter_complaint_status", "utter_complaint_latest_update"]
    assert sent(dispatcher, "utter_complaint_status")["status"] == "being handled"
    latest = sent(dispatcher, "utter_complaint_latest_update")
    assert latest["text"] == "Mast repaired tonight" and latest["time"] == "2026-11-28 10:00"


async def test_a_closed_ticket_reads_as_closed(services: Services, domain: dict[str, Any]) -> None:
    billing = services.billing
    ticket = await billing.create_ticket(C1, ComplaintCategory.SPAM, "Calls at night", None, False)
    await billing.update_ticket(ticket.ticket_id, "ann", "Number blocked", TicketStatus.CLOSED)
    dispatcher, _ = await run(
        ActionComplaintStatus,
        services,
        domain,
        text="查询" + ticket.ticket_id,
        slots={"language": "zh"},
    )
    assert sent(dispatcher, "utter_complaint_status")["status"] == "已关闭"
    assert sent(dispatcher, "utter_complaint_latest_update")["text"] == "Number blocked"
