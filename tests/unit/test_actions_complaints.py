"""Complaint form, confirmation, filing with escalation, and status look-up."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from rasa_sdk.events import ConversationPaused, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import ServiceAction
from actions.complaints import (
    ActionAskComplaintConfirmation,
    ActionCancelComplaint,
    ActionComplaintStatus,
    ActionFileComplaint,
)
from bot.billing.port import ComplaintCategory, Ticket, TicketStatus
from bot.handoff.queue import HandoffReason, HandoffStatus
from bot.wiring import Services
from tests.fakes import TODAY, FakeBillingService, FakeHandoffQueue
from tests.unit.trackers import C1, C3, STRANGER, make_tracker, responses, sent

CLEARED = [
    SlotSet("complaint_category", None),
    SlotSet("complaint_description", None),
    SlotSet("complaint_location", None),
    SlotSet("complaint_misfits", None),
]
NETWORK = {
    "complaint_category": "network",
    "complaint_description": "No signal at home",
    "complaint_location": "Nanshan",
}
BILLING = {"complaint_category": "billing", "complaint_description": "Charged twice"}


def fakes(services: Services) -> tuple[FakeBillingService, FakeHandoffQueue]:
    assert isinstance(services.billing, FakeBillingService)
    assert isinstance(services.handoff, FakeHandoffQueue)
    return services.billing, services.handoff


async def run(
    action_class: type[ServiceAction],
    services: Services,
    domain: dict[str, Any],
    msisdn: str | None = C1,
    **tracker_args: Any,
) -> tuple[CollectingDispatcher, list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    instance = action_class(services=services, today=lambda: TODAY)
    events = await instance.run(dispatcher, make_tracker(msisdn, **tracker_args), domain)
    return dispatcher, events


async def open_ticket(
    services: Services, msisdn: str = C1, category: ComplaintCategory = ComplaintCategory.NETWORK
) -> Ticket:
    return await services.billing.create_ticket(msisdn, category, "earlier", None, False)


class TestConfirmation:
    async def test_network_complaint_is_read_back_with_its_location(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        dispatcher, events = await run(
            ActionAskComplaintConfirmation, services, domain, slots=NETWORK
        )
        message = sent(dispatcher, "utter_confirm_complaint")
        assert (message["category"], message["description"], message["location"]) == (
            "network/signal",
            "No signal at home",
            "; location: Nanshan",
        )
        assert events == []

    async def test_without_location_in_chinese(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        dispatcher, _ = await run(
            ActionAskComplaintConfirmation, services, domain, slots={**BILLING, "language": "zh"}
        )
        message = sent(dispatcher, "utter_confirm_complaint")
        assert (message["category"], message["location"]) == ("账单争议", "")

    async def test_without_description_the_complaint_is_cancelled(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        dispatcher, events = await run(
            ActionAskComplaintConfirmation,
            services,
            domain,
            slots={"complaint_category": "network"},
        )
        assert responses(dispatcher) == ["utter_complaint_cancelled"]
        assert events == CLEARED


class TestFileComplaint:
    async def test_first_complaint_gets_a_ticket(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        dispatcher, events = await run(ActionFileComplaint, services, domain, slots=NETWORK)
        assert responses(dispatcher) == ["utter_complaint_filed"]
        assert sent(dispatcher, "utter_complaint_filed")["ticket_id"] == "TK2611280001"
        assert events == CLEARED
        billing, handoff = fakes(services)
        ticket = billing.ticket_list[0]
        assert (ticket.category, ticket.location, ticket.escalated) == (
            ComplaintCategory.NETWORK,
            "Nanshan",
            False,
        )
        assert handoff.cases == []

    async def test_repeat_of_an_open_complaint_is_escalated_to_a_person(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        await open_ticket(services)
        dispatcher, events = await run(
            ActionFileComplaint, services, domain, slots=NETWORK, sender_id=C1
        )
        assert responses(dispatcher) == ["utter_complaint_filed_urgent"]
        assert sent(dispatcher, "utter_complaint_filed_urgent")["ticket_id"] == "TK2611280002"
        assert events == [*CLEARED, ConversationPaused()]
        billing, handoff = fakes(services)
        assert billing.ticket_list[-1].escalated
        [case] = handoff.cases
        assert (
            case.conversation_id,
            case.msisdn,
            case.channel,
            case.reason,
            case.detail,
            case.status,
        ) == (
            C1,
            C1,
            "sms",
            HandoffReason.COMPLAINT_ESCALATION,
            "TK2611280002",
            HandoffStatus.WAITING,
        )

    async def test_open_complaint_of_another_category_is_not_a_repeat(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        await open_ticket(services, category=ComplaintCategory.BILLING)
        dispatcher, _ = await run(ActionFileComplaint, services, domain, slots=NETWORK)
        assert responses(dispatcher) == ["utter_complaint_filed"]
        assert fakes(services)[1].cases == []

    async def test_resolved_complaint_is_not_a_repeat(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        earlier = await open_ticket(services)
        billing = fakes(services)[0]
        billing.ticket_list[0] = replace(earlier, status=TicketStatus.RESOLVED)
        dispatcher, _ = await run(ActionFileComplaint, services, domain, slots=NETWORK)
        assert responses(dispatcher) == ["utter_complaint_filed"]

    async def test_another_customers_complaint_is_not_a_repeat(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        await open_ticket(services, msisdn=C3)
        dispatcher, _ = await run(ActionFileComplaint, services, domain, slots=NETWORK)
        assert responses(dispatcher) == ["utter_complaint_filed"]

    async def test_nothing_to_file_without_a_description(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        dispatcher, events = await run(
            ActionFileComplaint, services, domain, slots={"complaint_category": "network"}
        )
        assert responses(dispatcher) == ["utter_nothing_to_confirm"]
        assert events == CLEARED
        assert fakes(services)[0].ticket_list == []

    async def test_not_a_customer_files_nothing(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        dispatcher, _ = await run(ActionFileComplaint, services, domain, STRANGER, slots=NETWORK)
        assert responses(dispatcher) == ["utter_not_a_customer", "utter_menu_general"]
        assert fakes(services)[0].ticket_list == []


async def test_cancel_clears_the_form(services: Services, domain: dict[str, Any]) -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionCancelComplaint().run(dispatcher, make_tracker(C1, slots=NETWORK), domain)
    assert responses(dispatcher) == ["utter_complaint_cancelled"]
    assert events == CLEARED


class TestComplaintStatus:
    async def test_quoted_ticket(self, services: Services, domain: dict[str, Any]) -> None:
        ticket = await open_ticket(services)
        dispatcher, _ = await run(
            ActionComplaintStatus, services, domain, text=f"status of {ticket.ticket_id.lower()}?"
        )
        message = sent(dispatcher, "utter_complaint_status")
        assert (
            message["ticket_id"],
            message["category"],
            message["created"],
            message["status"],
        ) == (
            "TK2611280001",
            "network/signal",
            "2026-11-28 10:00",
            "received, waiting to be handled",
        )

    async def test_unknown_ticket(self, services: Services, domain: dict[str, Any]) -> None:
        await open_ticket(services)
        dispatcher, _ = await run(
            ActionComplaintStatus, services, domain, text="TK2611289999 please"
        )
        assert responses(dispatcher) == ["utter_complaint_not_found"]
        assert sent(dispatcher, "utter_complaint_not_found")["ticket_id"] == "TK2611289999"

    async def test_another_customers_ticket_is_not_found(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        theirs = await open_ticket(services, msisdn=C3)
        dispatcher, _ = await run(
            ActionComplaintStatus, services, domain, C1, text=theirs.ticket_id
        )
        assert responses(dispatcher) == ["utter_complaint_not_found"]

    async def test_without_a_ticket_id_the_latest_three(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        for _ in range(4):
            await open_ticket(services)
        dispatcher, _ = await run(ActionComplaintStatus, services, domain, text="my complaints")
        assert [m["ticket_id"] for m in dispatcher.messages] == [
            "TK2611280004",
            "TK2611280003",
            "TK2611280002",
        ]

    async def test_no_complaints(self, services: Services, domain: dict[str, Any]) -> None:
        dispatcher, _ = await run(ActionComplaintStatus, services, domain, text="进度")
        assert responses(dispatcher) == ["utter_complaint_none"]

    @pytest.mark.parametrize("text", ["查询TK2611289999", "工单TK2611289999的进度"])
    async def test_ticket_id_inside_chinese_text_is_recognised(
        self, text: str, services: Services, domain: dict[str, Any]
    ) -> None:
        """Chinese has no spaces: the id must be found right next to Chinese characters."""
        await open_ticket(services)
        dispatcher, _ = await run(
            ActionComplaintStatus, services, domain, text=text, slots={"language": "zh"}
        )
        assert responses(dispatcher) == ["utter_complaint_not_found"]
