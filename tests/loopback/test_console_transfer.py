"""Transfers, reassignment and presence through the console on loopback (real SQLite desk)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import update

from bot.console.access.accounts import AgentAccounts
from bot.handoff.desk_events import DeskEventKind, DeskEventLog
from bot.handoff.desk_rasa import RasaHandoffDesk
from bot.handoff.presence import PresenceStore
from bot.handoff.queue import HandoffReason, HandoffStatus
from bot.handoff.queue_sql import SqlHandoffQueue
from bot.handoff.stats import StatsStore
from bot.handoff.transfer import CaseTransfers
from bot.state.tables import AgentRow
from tests.fakes import FakeBillingService
from tests.fakes.rasa_api import FakeRasaAdmin
from tests.loopback.test_console_support import PASSWORD, Kit, page_csrf, start_kit
from tests.loopback.test_console_support import signed_in as sign_in

DOMAIN = Path(__file__).resolve().parents[2] / "domain"
C1 = "+8613800000001"


@pytest.fixture
def kit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Kit]:
    """The console over a real desk: the queue, transfers and presence on its database."""
    running = start_kit(tmp_path, monkeypatch)
    console, engine = running.console, running.engine
    rasa = FakeRasaAdmin()
    console.desk = RasaHandoffDesk(
        SqlHandoffQueue(engine), rasa, FakeBillingService(), StatsStore(engine), DOMAIN
    )
    console.transfers = CaseTransfers(engine)
    console.presence = PresenceStore(engine)
    running.rasa = rasa  # type: ignore[attr-defined]
    AgentAccounts(engine).add("sue", PASSWORD)
    with engine.begin() as connection:  # sue supervises
        connection.execute(
            update(AgentRow).where(AgentRow.username == "sue").values(role="supervisor")
        )
    yield running
    running.server.stop()


async def claimed_by(kit: Kit, agent: str) -> int:
    queue = SqlHandoffQueue(kit.engine)
    case = await queue.create(C1, C1, "sms", "zh", HandoffReason.CUSTOMER_REQUEST)
    await queue.claim(case.id, agent)
    return case.id


def signed_in(kit: Kit, name: str) -> httpx.Client:
    """``name``'s client, reading the console in English."""
    return sign_in(kit, name, headers={"Accept-Language": "en"})


class TestTransfer:
    async def test_ann_hands_her_case_to_bob_with_a_note(self, kit: Kit) -> None:
        case_id = await claimed_by(kit, "ann")
        ann = signed_in(kit, "ann")
        page = ann.get(f"/cases/{case_id}").text
        assert 'id="transfer-form"' in page
        options = re.findall(r'<option value="([^"]+)">', page)
        assert options == ["_queue", "bob", "sue"]  # not herself
        token = page_csrf(ann, f"/cases/{case_id}")
        response = ann.post(
            f"/cases/{case_id}/transfer",
            data={"csrf_token": token, "to": "bob", "note": "wants a refund <b>now</b>"},
        )
        assert response.status_code == 303
        page = ann.get(f"/cases/{case_id}").text
        assert "Transferred to bob." in page
        assert 'id="transfer-form"' not in page and 'id="reply-form"' not in page
        case = await SqlHandoffQueue(kit.engine).get(case_id)
        assert (case.status, case.claimed_by) == (HandoffStatus.CLAIMED, "bob")
        bob = signed_in(kit, "bob")
        page = bob.get(f"/cases/{case_id}").text
        assert 'id="reply-form"' in page  # his now
        received = re.search(r'<p class="flash ok" id="transfer-received">(.*?)</p>', page)
        assert received and "ann transferred this case to you" in received.group(1)
        assert "wants a refund &lt;b&gt;now&lt;/b&gt;" in received.group(1)  # escaped
        line = re.search(r'<li class="line transfer">.*?</li>', page, re.S)
        assert line and "ann transferred the case to bob." in line.group(0)
        api = bob.get(f"/api/cases/{case_id}").json()
        assert [x["speaker"] for x in api["transcript"]] == ["transfer"]
        assert kit.rasa.delivered == []  # type: ignore[attr-defined]  # never the customer's
        kinds = [(e.kind, e.agent) for e in await DeskEventLog(kit.engine).since(0)]
        assert (DeskEventKind.CASE_TRANSFERRED.value, "bob") in kinds

    async def test_back_to_the_queue(self, kit: Kit) -> None:
        case_id = await claimed_by(kit, "ann")
        ann = signed_in(kit, "ann")
        token = page_csrf(ann, f"/cases/{case_id}")
        ann.post(f"/cases/{case_id}/transfer", data={"csrf_token": token, "to": "_queue"})
        assert "Transferred to the queue." in ann.get(f"/cases/{case_id}").text
        case = await SqlHandoffQueue(kit.engine).get(case_id)
        assert (case.status, case.claimed_by) == (HandoffStatus.WAITING, None)

    async def test_another_agent_may_not_take_it(self, kit: Kit) -> None:
        case_id = await claimed_by(kit, "ann")
        bob = signed_in(kit, "bob")
        assert 'id="transfer-form"' not in bob.get(f"/cases/{case_id}").text
        token = page_csrf(bob, "/")
        bob.post(f"/cases/{case_id}/transfer", data={"csrf_token": token, "to": "bob"})
        assert "Could not transfer: case" in bob.get(f"/cases/{case_id}").text
        assert (await SqlHandoffQueue(kit.engine).get(case_id)).claimed_by == "ann"

    async def test_without_csrf_nothing_moves(self, kit: Kit) -> None:
        case_id = await claimed_by(kit, "ann")
        ann = signed_in(kit, "ann")
        response = ann.post(f"/cases/{case_id}/transfer", data={"to": "bob"})
        assert response.status_code == 403
        assert (await SqlHandoffQueue(kit.engine).get(case_id)).claimed_by == "ann"

    async def test_a_supervisor_reassigns_anyones_case(self, kit: Kit) -> None:
        case_id = await claimed_by(kit, "ann")
        sue = signed_in(kit, "sue")
        page = sue.get(f"/cases/{case_id}").text
        assert "Reassign this case" in page
        token = page_csrf(sue, f"/cases/{case_id}")
        sue.post(
            f"/cases/{case_id}/transfer",
            data={"csrf_token": token, "to": "bob", "note": "ann went home"},
        )
        assert (await SqlHandoffQueue(kit.engine).get(case_id)).claimed_by == "bob"
        [transfer] = await CaseTransfers(kit.engine).history(case_id)
        assert (transfer.by_agent, transfer.from_agent, transfer.note) == (
            "sue",
            "ann",
            "ann went home",
        )


class TestPresence:
    async def test_the_nav_toggles_away_and_back(self, kit: Kit) -> None:
        ann = signed_in(kit, "ann")
        page = ann.get("/").text
        assert 'data-presence="available"' in page and "Set away" in page
        token = page_csrf(ann, "/")
        response = ann.post("/presence", data={"csrf_token": token, "presence": "away"})
        assert response.status_code == 303 and response.headers["location"] == "/"
        page = ann.get("/").text
        assert 'data-presence="away"' in page and "Set available" in page
        assert "You are away" in page
        presence = PresenceStore(kit.engine)
        assert await presence.of("ann") == "away"
        assert "ann" not in await presence.answering()  # signed in, but away
        events = await DeskEventLog(kit.engine).since(0)
        assert [(e.kind, e.agent) for e in events] == [(DeskEventKind.PRESENCE.value, "ann")]
        ann.post("/presence", data={"csrf_token": token, "presence": "available"})
        assert await presence.of("ann") == "available"

    async def test_a_made_up_presence_is_refused(self, kit: Kit) -> None:
        ann = signed_in(kit, "ann")
        token = page_csrf(ann, "/")
        ann.post("/presence", data={"csrf_token": token, "presence": "asleep"})
        assert "Could not set your presence." in ann.get("/").text
        assert await PresenceStore(kit.engine).of("ann") == "available"

    def test_signed_out_cannot_set_it(self, kit: Kit) -> None:
        response = kit.client().post("/presence", data={"presence": "away"})
        assert response.status_code in (302, 303, 401, 403)
