"""The Tickets pages on a loopback port: the real ticket desk over the fake billing port,
origins in SQLite and Rasa's API faked (what is delivered, on which channel)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from bot.billing.port import ComplaintCategory, TicketStatus
from bot.domain.ids import issue_web_session
from bot.state.schema import migrate
from bot.state.ticket_origins import TicketOrigin, TicketOrigins
from bot.storage.db import make_engine
from bot.tickets.desk import TicketDesk
from bot.tickets.notify import RasaTicketNotifier
from tests.fakes import NOW, Clock, FakeBillingService, FakeRasaAdmin
from tests.loopback.test_console_support import Kit, page_csrf, signed_in, start_kit

ROOT = Path(__file__).resolve().parents[2]
C1, C4 = "+8613800000001", "+8613800000004"
HOSTILE = '<script>alert("x")</script>'


@dataclass
class TicketKit:
    """A running console whose Tickets pages work on these fakes."""

    kit: Kit
    billing: FakeBillingService
    origins: TicketOrigins
    rasa: FakeRasaAdmin
    clock: Clock

    def client(self, **kwargs: object) -> httpx.Client:
        return signed_in(self.kit, headers={"Accept-Language": "en"}, **kwargs)


@pytest.fixture
def tk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TicketKit]:
    kit = start_kit(tmp_path, monkeypatch)
    clock, rasa = Clock(), FakeRasaAdmin()
    billing = FakeBillingService(clock=clock)
    engine = make_engine(f"sqlite:///{tmp_path / 'tickets-state.db'}")
    migrate(engine)
    origins = TicketOrigins(engine)
    kit.console.tickets = TicketDesk(
        billing, origins, RasaTicketNotifier(rasa, clock=clock), ROOT / "domain", clock=clock
    )
    yield TicketKit(kit, billing, origins, rasa, clock)
    kit.server.stop()


def rows(page: str) -> list[str]:
    """The ticket ids of the list, in page order."""
    body = re.search(r'<tbody id="ticket-rows">(.*?)</tbody>', page, re.S)
    assert body
    return re.findall(r'data-ticket="(TK\d+)"', body.group(1))


def overdue_rows(page: str) -> list[str]:
    return re.findall(r'<tr class="ticket overdue" id="ticket-(TK\d+)"', page)


async def file(
    tk: TicketKit,
    msisdn: str = C1,
    category: ComplaintCategory = ComplaintCategory.NETWORK,
    escalated: bool = False,
    description: str = "No signal at home",
) -> str:
    ticket = await tk.billing.create_ticket(msisdn, category, description, None, escalated)
    return ticket.ticket_id


async def test_the_pages_need_a_session(tk: TicketKit) -> None:
    ticket_id = await file(tk)
    client = tk.kit.client()
    for path in ("/tickets", f"/tickets/{ticket_id}"):
        response = client.get(path)
        assert response.status_code == 303
        assert response.headers["location"] == f"/login?next={path}"
    response = client.post(f"/tickets/{ticket_id}/update", data={"text": "x", "csrf_token": "x"})
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert await tk.billing.ticket_updates(ticket_id) == []


@pytest.mark.parametrize("token", [None, "", "forged"])
async def test_an_update_needs_the_csrf_token(tk: TicketKit, token: str | None) -> None:
    ticket_id = await file(tk)
    client = tk.client()
    data = {"text": "We are on it", "status": "in_progress"}
    if token is not None:
        data["csrf_token"] = token
    assert client.post(f"/tickets/{ticket_id}/update", data=data).status_code == 403
    assert await tk.billing.ticket_updates(ticket_id) == []
    assert tk.rasa.delivered == []


async def test_overdue_tickets_first_then_by_due_time_with_numbers_masked(tk: TicketKit) -> None:
    normal = await file(tk)  # first contact at NOW + 48 h
    tk.clock.now = NOW + dt.timedelta(hours=1)
    escalated = await file(tk, C4, ComplaintCategory.BILLING, escalated=True)  # NOW + 1 h 10 min
    later = await file(tk, C4, ComplaintCategory.SPAM)  # NOW + 49 h
    done = await file(tk)
    await tk.billing.update_ticket(done, "bob", "Fixed", TicketStatus.RESOLVED)
    client = tk.client()

    page = client.get("/tickets").text
    assert rows(page) == [escalated, normal, later] and overdue_rows(page) == []

    tk.clock.now = NOW + dt.timedelta(hours=48, minutes=30)  # two of them are late now
    page = client.get("/tickets").text
    assert rows(page) == [escalated, normal, later]
    assert overdue_rows(page) == [escalated, normal]
    assert page.count("Overdue") == 2 and "Billing dispute" in page
    assert "138****0004" in page and C4 not in page and "13800000004" not in page

    # Moving on with the escalated one puts it behind the late ones (its resolution is due).
    await tk.billing.update_ticket(escalated, "ann", "Called", TicketStatus.IN_PROGRESS)
    page = client.get("/tickets").text
    assert rows(page) == [normal, later, escalated] and overdue_rows(page) == [normal]
    assert "Called" in page  # the latest update


@pytest.mark.parametrize(
    ("conversation", "channel"),
    [(C4, "sms"), ("tg-4242", "telegram"), (issue_web_session("s3cret"), "rest")],
)
async def test_a_status_change_is_recorded_and_delivered_on_the_tickets_channel(
    tk: TicketKit, conversation: str, channel: str
) -> None:
    ticket_id = await file(tk, C4, ComplaintCategory.BILLING)
    await tk.origins.record(TicketOrigin(ticket_id, conversation, channel, "en"))
    client = tk.client()
    token = page_csrf(client, f"/tickets/{ticket_id}")
    tk.clock.now = NOW + dt.timedelta(minutes=7)
    response = client.post(
        f"/tickets/{ticket_id}/update",
        data={"csrf_token": token, "text": "We found the double charge.", "status": "in_progress"},
    )
    assert response.status_code == 303 and response.headers["location"] == f"/tickets/{ticket_id}"
    page = client.get(response.headers["location"]).text
    assert "Saved; the customer has been told." in page
    assert "We found the double charge." in page and "Status set to In progress" in page

    (update,) = await tk.billing.ticket_updates(ticket_id)
    assert (update.author, update.at, update.status) == (
        "ann",
        NOW + dt.timedelta(minutes=7),
        TicketStatus.IN_PROGRESS,
    )
    ((to, event),) = tk.rasa.delivered
    assert (to, tk.rasa.delivered_on) == (conversation, [channel])
    assert event["text"] == (
        f"Your complaint ticket {ticket_id} is now: being handled. "
        "Note from our team: We found the double charge."
    )


async def test_a_note_is_recorded_but_not_sent(tk: TicketKit) -> None:
    ticket_id = await file(tk)
    client = tk.client()
    token = page_csrf(client, f"/tickets/{ticket_id}")
    client.post(f"/tickets/{ticket_id}/update", data={"csrf_token": token, "text": "Asked NOC"})
    assert "Note saved" in client.get(f"/tickets/{ticket_id}").text
    assert tk.rasa.delivered == []
    (update,) = await tk.billing.ticket_updates(ticket_id)
    assert (update.text, update.status) == ("Asked NOC", None)


async def test_closing_needs_a_note_and_then_the_ticket_is_done(tk: TicketKit) -> None:
    ticket_id = await file(tk)  # no origin recorded: the customer is told by SMS
    client = tk.client()
    token = page_csrf(client, f"/tickets/{ticket_id}")
    path = f"/tickets/{ticket_id}/update"
    client.post(path, data={"csrf_token": token, "text": "  ", "status": "closed"})
    assert "Closing a ticket needs a note." in client.get(f"/tickets/{ticket_id}").text
    client.post(path, data={"csrf_token": token, "status": "reopened"})
    assert "not a status an agent can set" in client.get(f"/tickets/{ticket_id}").text
    assert await tk.billing.ticket_updates(ticket_id) == []

    client.post(path, data={"csrf_token": token, "text": "重复工单", "status": "closed"})
    page = client.get(f"/tickets/{ticket_id}").text
    assert 'id="ticket-closed"' in page and 'id="ticket-form"' not in page
    assert rows(client.get("/tickets").text) == []
    ((to, event),) = tk.rasa.delivered
    assert (to, tk.rasa.delivered_on) == (C1, ["sms"])
    assert event["text"] == f"您的投诉工单{ticket_id}有新进展：已关闭。客服说明：重复工单"


async def test_customer_text_is_escaped_and_unknown_tickets_are_not_found(tk: TicketKit) -> None:
    ticket_id = await file(tk, description=HOSTILE)
    client = tk.client()
    page = client.get(f"/tickets/{ticket_id}").text
    assert HOSTILE not in page and "&lt;script&gt;" in page
    assert client.get("/tickets/TK2611289999").status_code == 404
    assert client.get("/tickets/..%2Fcases").status_code == 404


async def test_the_pages_in_chinese(tk: TicketKit) -> None:
    ticket_id = await file(tk)
    client = signed_in(tk.kit, headers={"Accept-Language": "zh-CN"})
    page = client.get("/tickets").text
    assert "投诉工单" in page and "首次联系期限" in page and "网络/信号" in page
    assert "状态变更会通过客户提交投诉的渠道通知客户" in client.get(f"/tickets/{ticket_id}").text
