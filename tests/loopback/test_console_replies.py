"""Canned replies on a loopback console: the picker in the case's language, filled from the
case; a reply with a placeholder left is refused; supervisors manage the replies."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.console.replies.store import CannedReplies
from bot.handoff.queue import HandoffStatus
from tests.fakes import demo_profile
from tests.loopback.test_console_support import PASSWORD, Kit, page_csrf, signed_in, start_kit

EN = {"Accept-Language": "en"}


@pytest.fixture
def kit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Kit]:
    running = start_kit(tmp_path, monkeypatch)
    running.console.replies = CannedReplies(running.engine)
    running.console.replies.seed()
    running.console.accounts.add("sue", PASSWORD, role="supervisor")
    yield running
    running.server.stop()


def options(page: str) -> dict[str, tuple[str, str]]:
    """The picker's replies: title -> (filled text, placeholders left)."""
    found = re.findall(
        r'<option value="\d+" data-text="([^"]*)" data-missing="([^"]*)">([^<]*)</option>', page
    )
    return {html.unescape(t): (html.unescape(x), m) for x, m, t in found}


def test_the_picker_offers_the_cases_language_filled(kit: Kit) -> None:
    kit.desk.add(
        1, status=HandoffStatus.CLAIMED, claimed_by="ann", language="zh", profile=demo_profile()
    )
    page = signed_in(kit, "ann", headers=EN).get("/cases/1").text
    picked = options(page)
    assert 'id="canned-reply"' in page and picked
    assert picked["余额"] == ("李秀英您好，您当前的余额为156.00元。", "")
    assert picked["工单跟进"][0].startswith("李秀英您好，您的投诉工单TK2611280001")
    assert all("Balance" not in title for title in picked)  # no English replies on a zh case


def test_missing_values_stay_visible_and_sending_them_is_refused(kit: Kit) -> None:
    kit.desk.add(1, status=HandoffStatus.CLAIMED, claimed_by="ann", language="en")  # no profile
    client = signed_in(kit, "ann", headers=EN)
    page = client.get("/cases/1").text
    text, missing = options(page)["Balance (needs fixing)"]
    assert "{balance}" in text and missing == "{name} {balance}"
    response = client.post(
        "/cases/1/reply", data={"csrf_token": page_csrf(client, "/cases/1"), "text": text}
    )
    assert response.status_code == 303
    assert kit.desk.replies == []  # nothing sent
    assert "unfilled placeholders: {name}, {balance}" in client.get("/cases/1").text
    edited = "Hello Mr Wang, your balance is 12.00 yuan."
    client.post(
        "/cases/1/reply", data={"csrf_token": page_csrf(client, "/cases/1"), "text": edited}
    )
    assert kit.desk.replies == [(1, "ann", edited)]


def test_a_supervisor_adds_edits_and_deletes_a_reply(kit: Kit) -> None:
    sue = signed_in(kit, "sue", headers=EN)
    csrf = page_csrf(sue, "/replies")
    form = {"csrf_token": csrf, "language": "en", "title": "Outage", "body": "Sorry {name}."}
    assert sue.post("/replies", data=form).status_code == 303
    page = sue.get("/replies").text
    assert "Canned reply added." in page and "Sorry {name}." in page
    reply_id = re.search(r'data-reply="(\d+)"[^>]*>(?:(?!data-reply).)*Outage', page, re.S)
    assert reply_id
    rid = reply_id.group(1)
    form.update(body="Sorry, {name}: we are fixing it.")
    sue.post(f"/replies/{rid}", data=form)
    assert "Sorry, {name}: we are fixing it." in sue.get("/replies").text
    bad = {**form, "title": ""}
    sue.post(f"/replies/{rid}", data=bad)
    assert "Not saved" in sue.get("/replies").text
    sue.post(f"/replies/{rid}/delete", data={"csrf_token": csrf})
    assert f'data-reply="{rid}"' not in sue.get("/replies").text
