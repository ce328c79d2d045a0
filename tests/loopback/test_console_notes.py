"""Internal notes on a loopback console: on a case and on a ticket, shown with author and
time, logged as ``note_added``, and never sent to the customer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.billing.port import ComplaintCategory
from bot.console.notes.store import DeskNotes
from bot.handoff.queue import HandoffStatus
from bot.state.desk_tables import DeskEventRow
from bot.state.ticket_origins import TicketOrigins
from bot.tickets.desk import TicketDesk
from bot.tickets.notify import RasaTicketNotifier
from tests.fakes import Clock, FakeBillingService, FakeRasaAdmin
from tests.loopback.test_console_support import Kit, page_csrf, signed_in, start_kit

ROOT = Path(__file__).resolve().parents[2]
EN = {"Accept-Language": "en"}
HOSTILE = "<script>alert(1)</script>"


@pytest.fixture
def kit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Kit]:
    running = start_kit(tmp_path, monkeypatch)
    running.console.notes = DeskNotes(running.engine)
    yield running
    running.server.stop()


def events(kit: Kit) -> list[tuple[str, int | None, str | None, str | None]]:
    with Session(kit.engine) as s:
        rows = s.scalars(select(DeskEventRow).order_by(DeskEventRow.id))
        return [(e.kind, e.handoff_id, e.ticket_id, e.agent) for e in rows]


def test_a_note_on_a_case_is_shown_and_never_sent(kit: Kit) -> None:
    kit.desk.add(1, status=HandoffStatus.CLAIMED, claimed_by="ann")
    client = signed_in(kit, "ann", headers=EN)
    body = f"Customer sounds upset {HOSTILE}"
    csrf = page_csrf(client, "/cases/1")
    response = client.post("/cases/1/notes", data={"csrf_token": csrf, "body": body})
    assert response.status_code == 303 and response.headers["location"] == "/cases/1#notes"
    page = signed_in(kit, "bob", headers=EN).get("/cases/1").text
    assert "Customer sounds upset &lt;script&gt;" in page and HOSTILE not in page
    assert '<span class="who">ann</span>' in page
    assert kit.desk.replies == []  # the customer's channel got nothing
    assert events(kit) == [("note_added", 1, None, "ann")]


def test_an_empty_note_is_refused(kit: Kit) -> None:
    kit.desk.add(1)
    client = signed_in(kit, "ann", headers=EN)
    client.post("/cases/1/notes", data={"csrf_token": page_csrf(client, "/cases/1"), "body": " "})
    assert "A note needs some text" in client.get("/cases/1").text
    assert events(kit) == []


def test_a_note_on_an_unknown_case_is_dropped(kit: Kit) -> None:
    client = signed_in(kit, "ann", headers=EN)
    response = client.post("/cases/9/notes", data={"csrf_token": page_csrf(client), "body": "x"})
    assert response.status_code == 303 and events(kit) == []


async def test_a_note_on_a_ticket_is_shown_and_never_sent(kit: Kit) -> None:
    clock, rasa = Clock(), FakeRasaAdmin()
    billing = FakeBillingService(clock=clock)
    kit.console.tickets = TicketDesk(
        billing,
        TicketOrigins(kit.engine),
        RasaTicketNotifier(rasa, clock=clock),
        ROOT / "domain",
        clock=clock,
    )
    ticket = await billing.create_ticket(
        "+8613800000001", ComplaintCategory.NETWORK, "no signal", None, False
    )
    client = signed_in(kit, "ann", headers=EN)
    path = f"/tickets/{ticket.ticket_id}"
    csrf = page_csrf(client, path)
    assert (
        client.post(
            f"{path}/notes", data={"csrf_token": csrf, "body": "Site visit booked"}
        ).status_code
        == 303
    )
    page = client.get(path).text
    assert 'id="notes"' in page and "Site visit booked" in page
    assert events(kit)[-1] == ("note_added", None, ticket.ticket_id, "ann")
    assert rasa.delivered == []  # nothing went to the customer
    assert (await billing.ticket_updates(ticket.ticket_id)) == []  # not a customer-facing update
