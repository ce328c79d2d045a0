"""Roles on a loopback console: supervisors' pages (403 for agents), the case list per role,
per-agent figures, managing agents, and an agent's own password change."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.console.replies.store import CannedReplies
from bot.handoff.queue import HandoffStatus
from bot.handoff.stats import StatsStore
from tests.loopback.test_console_support import (
    PASSWORD,
    Kit,
    login,
    page_csrf,
    signed_in,
    start_kit,
)

SUPERVISOR_PAGES = ["/replies", "/agents"]
EN = {"Accept-Language": "en"}


@pytest.fixture
def kit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Kit]:
    running = start_kit(tmp_path, monkeypatch)
    running.console.replies = CannedReplies(running.engine)
    running.console.figures = StatsStore(running.engine)
    running.console.accounts.add("sue", PASSWORD, role="supervisor")
    yield running
    running.server.stop()


@pytest.mark.parametrize("path", SUPERVISOR_PAGES)
def test_agents_get_a_friendly_403_on_supervisor_pages(kit: Kit, path: str) -> None:
    agent = signed_in(kit, "ann", headers=EN)
    response = agent.get(path)
    assert response.status_code == 403
    assert "Only a supervisor may open this page." in response.text
    assert "Traceback" not in response.text and 'href="/"' in response.text
    supervisor = signed_in(kit, "sue", headers=EN)
    assert supervisor.get(path).status_code == 200


def test_agents_cannot_post_to_supervisor_pages(kit: Kit) -> None:
    agent = signed_in(kit, "ann", headers=EN)
    csrf = page_csrf(agent)
    response = agent.post(
        "/agents",
        data={"csrf_token": csrf, "username": "eve", "password": PASSWORD, "role": "supervisor"},
    )
    assert response.status_code == 403
    assert kit.console.accounts.get("eve") is None
    assert (
        agent.post("/agents/ann/role", data={"csrf_token": csrf, "role": "supervisor"}).status_code
        == 403
    )
    assert kit.console.accounts.get("ann").role == "agent"  # type: ignore[union-attr]


def test_only_supervisors_see_the_links(kit: Kit) -> None:
    agent_page = signed_in(kit, "ann", headers=EN).get("/").text
    assert 'id="nav-password"' in agent_page and 'id="nav-replies"' not in agent_page
    supervisor_page = signed_in(kit, "sue", headers=EN).get("/").text
    assert 'id="nav-replies"' in supervisor_page and 'id="nav-agents"' in supervisor_page


def test_agents_see_their_own_claimed_cases_supervisors_all(kit: Kit) -> None:
    kit.desk.add(1)
    kit.desk.add(2, status=HandoffStatus.CLAIMED, claimed_by="ann")
    kit.desk.add(3, status=HandoffStatus.CLAIMED, claimed_by="bob")
    ann = signed_in(kit, "ann", headers=EN).get("/api/queue").json()
    assert [c["id"] for c in ann["waiting"]] == [1]
    assert [c["id"] for c in ann["claimed"]] == [2]
    sue = signed_in(kit, "sue", headers=EN).get("/api/queue").json()
    assert {(c["id"], c["claimed_by"]) for c in sue["claimed"]} == {(2, "ann"), (3, "bob")}


def test_only_supervisors_see_per_agent_figures(kit: Kit) -> None:
    assert 'id="agent-figures"' not in signed_in(kit, "ann", headers=EN).get("/dashboard").text
    sue = signed_in(kit, "sue", headers=EN)
    page = sue.get("/dashboard").text
    assert 'id="agent-figures"' in page and "Median time to claim" in page
    assert sue.get("/api/dashboard").json()["agents"] == []
    assert "agents" not in signed_in(kit, "ann").get("/api/dashboard").json()


def test_a_supervisor_manages_agents(kit: Kit) -> None:
    sue = signed_in(kit, "sue", headers=EN)
    csrf = page_csrf(sue, "/agents")
    form = {"csrf_token": csrf, "username": "eve", "password": PASSWORD, "role": "agent"}
    assert sue.post("/agents", data=form).status_code == 303
    assert "eve added." in sue.get("/agents").text
    eve = signed_in(kit, "eve")
    assert (
        sue.post("/agents/eve/role", data={"csrf_token": csrf, "role": "supervisor"}).status_code
        == 303
    )
    assert kit.console.accounts.get("eve").role == "supervisor"  # type: ignore[union-attr]
    new = "fresh-password-1"
    sue.post("/agents/eve/password", data={"csrf_token": csrf, "password": new})
    assert eve.get("/").status_code == 303  # signed out by the reset
    assert login(kit.client(), "eve", new).status_code == 303
    sue.post("/agents/sue/remove", data={"csrf_token": csrf})
    assert "You cannot remove yourself." in sue.get("/agents").text
    sue.post("/agents/eve/remove", data={"csrf_token": csrf})
    assert kit.console.accounts.get("eve") is None


def test_an_agent_changes_their_password(kit: Kit) -> None:
    here, elsewhere = signed_in(kit, "ann", headers=EN), signed_in(kit, "ann")
    csrf = page_csrf(here, "/password")
    new = "brand-new-password"
    wrong = {"csrf_token": csrf, "current": "not it", "new": new, "repeat": new}
    here.post("/password", data=wrong)
    assert "The current password is wrong." in here.get("/password").text
    weak = {"csrf_token": csrf, "current": PASSWORD, "new": "short", "repeat": "short"}
    here.post("/password", data=weak)
    assert "at least 8 characters" in here.get("/password").text
    differ = {"csrf_token": csrf, "current": PASSWORD, "new": new, "repeat": new + "x"}
    here.post("/password", data=differ)
    assert "The two new passwords differ." in here.get("/password").text
    assert elsewhere.get("/").status_code == 200  # nothing changed so far
    good = {"csrf_token": csrf, "current": PASSWORD, "new": new, "repeat": new}
    assert here.post("/password", data=good).status_code == 303
    assert "Password changed" in here.get("/password").text
    assert elsewhere.get("/").status_code == 303  # the other session ended
    agent = kit.console.accounts.authenticate("ann", new)
    assert agent is not None and agent.password_changed_at is not None
