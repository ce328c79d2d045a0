"""The console's pages over a fake desk: queue, case (claim, reply, resolve), dashboard."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.handoff.desk import DeskError, TranscriptLine
from bot.handoff.queue import HandoffReason, HandoffStatus
from tests.fakes import NOW, demo_profile
from tests.loopback.test_console_support import (
    Kit,
    page_csrf,
    running_kit,
    signed_in,
)

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def kit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Kit]:
    yield from running_kit(tmp_path, monkeypatch)


def rows(page: str, table: str) -> list[str]:
    body = re.search(rf'<tbody id="{table}">(.*?)</tbody>', page, re.S)
    assert body, table
    return re.findall(r'data-case="(\d+)"', body.group(1))


class TestQueue:
    def test_urgent_first_then_the_longest_waiting(self, kit: Kit) -> None:
        kit.desk.add(1, waiting_seconds=60)
        kit.desk.add(2, waiting_seconds=600)
        kit.desk.add(3, waiting_seconds=30, urgent=True, urgency_reason="angry")
        kit.desk.add(4, status=HandoffStatus.CLAIMED, claimed_by="bob")
        kit.console.accounts.set_role("ann", "supervisor")  # sees every claimed case
        client = signed_in(kit, headers={"Accept-Language": "en"})
        page = client.get("/").text
        assert rows(page, "waiting-rows") == ["3", "2", "1"]
        assert rows(page, "claimed-rows") == ["4"]
        data = client.get("/api/queue").json()
        assert [c["id"] for c in data["waiting"]] == [3, 2, 1]
        assert data["claimed"][0]["claimed_by"] == "bob"

    def test_each_line_says_who_why_where_and_how_long(self, kit: Kit) -> None:
        kit.desk.add(
            1,
            waiting_seconds=75,
            reason=HandoffReason.COMPLAINT_ESCALATION,
            channel="telegram",
            urgent=True,
            urgency_reason="repeat_complaint",
            callback_requested=True,
        )
        kit.desk.add(2, status=HandoffStatus.CLAIMED, claimed_by="bob", name="王强")
        kit.console.accounts.set_role("ann", "supervisor")  # sees every claimed case
        page = signed_in(kit, headers={"Accept-Language": "en"}).get("/").text
        line = re.search(r'<tr class="case urgent" data-case="1">.*?</tr>', page).group(0)
        for expected in (
            "1 min 15 s",
            "Complaint escalated",
            "Telegram",
            "Chinese",
            "李秀英",
            "+8613800000002",
            "yes",
            "repeat complaint",
            "Urgent",
        ):
            assert expected in line
        claimed = re.search(r'<tbody id="claimed-rows">.*?</tbody>', page, re.S).group(0)
        assert "bob" in claimed and "王强" in claimed

    def test_rows_for_the_live_refresh(self, kit: Kit) -> None:
        client = signed_in(kit, headers={"Accept-Language": "en"})
        assert "Nobody is waiting." in client.get("/api/queue").json()["html"]["waiting"]
        kit.desk.add(7)
        fragment = client.get("/api/queue").json()["html"]["waiting"]
        assert 'data-case="7"' in fragment and 'href="/cases/7"' in fragment

    def test_a_failing_desk_gives_a_friendly_page(self, kit: Kit) -> None:
        kit.desk.failure = RuntimeError("database is locked\nTraceback (most recent call last)")
        client = signed_in(kit, headers={"Accept-Language": "en"})
        response = client.get("/")
        assert response.status_code == 500
        assert "Something went wrong. Please try again." in response.text
        assert "Traceback" not in response.text and "database is locked" not in response.text
        assert client.get("/api/queue").json() == {
            "error": "Something went wrong. Please try again."
        }


class TestCase:
    def test_transcript_profile_and_why(self, kit: Kit) -> None:
        kit.desk.add(
            1,
            profile=demo_profile(),
            transcript=[
                TranscriptLine("customer", "转人工", NOW),
                TranscriptLine("bot", "正在为您转接人工客服。", NOW),
            ],
        )
        page = signed_in(kit, headers={"Accept-Language": "zh-CN"}).get("/cases/1").text
        assert re.findall(r'<li class="line (\w+)">', page) == ["customer", "bot"]
        assert "转人工" in page and "正在为您转接人工客服。" in page
        assert '<dd id="profile-name">李秀英</dd>' in page
        assert '<dd id="profile-balance">156.00元</dd>' in page
        assert "长者关爱套餐" in page and "TK2611280001" in page
        assert "客户要求人工" in page  # why the bot handed over
        assert 'id="claim"' in page and 'id="reply-form"' not in page

    def test_a_stranger_has_no_profile(self, kit: Kit) -> None:
        kit.desk.add(1, msisdn=None, name=None)
        page = signed_in(kit, headers={"Accept-Language": "en"}).get("/cases/1").text
        assert "Not a customer" in page

    def test_claim_reply_resolve(self, kit: Kit) -> None:
        kit.desk.add(1)
        client = signed_in(kit, headers={"Accept-Language": "en"})
        token = page_csrf(client, "/cases/1")
        response = client.post("/cases/1/claim", data={"csrf_token": token})
        assert response.status_code == 303 and response.headers["location"] == "/cases/1"
        page = client.get("/cases/1").text
        assert "You have claimed this case." in page
        assert 'id="reply-form"' in page and 'id="resolve-form"' in page
        assert client.get("/cases/1").text.count("You have claimed") == 0  # a flash shows once
        client.post("/cases/1/reply", data={"csrf_token": token, "text": "  您好，我是小安  "})
        assert kit.desk.replies == [(1, "ann", "您好，我是小安")]
        assert "Message sent." in client.get("/cases/1").text
        response = client.post(
            "/cases/1/resolve", data={"csrf_token": token, "note": "reset the router"}
        )
        assert response.headers["location"] == "/"
        assert kit.desk.resolutions == [(1, "ann", "reset the router")]
        assert "Case resolved" in client.get("/").text

    def test_the_transcript_refreshes_from_the_api(self, kit: Kit) -> None:
        case = kit.desk.add(1)
        client = signed_in(kit)
        assert client.get("/api/cases/1").json()["lines"] == 0
        case.transcript.append(TranscriptLine("customer", "还在吗？", NOW))
        data = client.get("/api/cases/1").json()
        assert data["lines"] == 1 and data["status"] == "waiting"
        assert "还在吗？" in data["html"]["transcript"]

    @pytest.mark.parametrize("action", ["reply", "resolve"])
    def test_nobody_acts_on_another_agents_case(self, kit: Kit, action: str) -> None:
        kit.desk.add(1, status=HandoffStatus.CLAIMED, claimed_by="bob")
        client = signed_in(kit, headers={"Accept-Language": "en"})
        page = client.get("/cases/1").text
        assert "bob is handling this case." in page and 'id="reply-form"' not in page
        token = page_csrf(client)
        response = client.post(
            f"/cases/1/{action}", data={"csrf_token": token, "text": "hi", "note": "x"}
        )
        assert response.status_code == 303 and response.headers["location"] == "/cases/1"
        page = client.get("/cases/1").text
        assert "That could not be done: case 1 is not claimed by ann" in page
        assert 'class="flash error"' in page
        assert kit.desk.replies == [] and kit.desk.resolutions == []
        assert kit.desk.cases[1].handoff.status == HandoffStatus.CLAIMED

    def test_a_case_taken_meanwhile_cannot_be_claimed(self, kit: Kit) -> None:
        kit.desk.add(1)
        ann, bob = signed_in(kit, headers={"Accept-Language": "en"}), signed_in(kit, "bob")
        token = page_csrf(ann)
        bob.post("/cases/1/claim", data={"csrf_token": page_csrf(bob)})
        ann.post("/cases/1/claim", data={"csrf_token": token})
        assert "case 1 is not waiting" in ann.get("/cases/1").text
        assert kit.desk.cases[1].handoff.claimed_by == "bob"

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("   ", "Please write something first."),
            ("x" * 1001, "Too long (at most 1000 characters)."),
        ],
    )
    def test_replies_are_checked_before_the_desk(self, kit: Kit, text: str, message: str) -> None:
        kit.desk.add(1, status=HandoffStatus.CLAIMED, claimed_by="ann")
        client = signed_in(kit, headers={"Accept-Language": "en"})
        client.post("/cases/1/reply", data={"csrf_token": page_csrf(client), "text": text})
        assert message in client.get("/cases/1").text and kit.desk.replies == []

    def test_an_unknown_case_is_a_friendly_404(self, kit: Kit) -> None:
        client = signed_in(kit, headers={"Accept-Language": "en"})
        response = client.get("/cases/99")
        assert response.status_code == 404 and "no case 99" in response.text
        assert client.get("/api/cases/99").status_code == 404
        assert client.get("/no/such/page").status_code == 404

    def test_desk_errors_are_escaped_too(self, kit: Kit) -> None:
        kit.desk.failure = DeskError(HOSTILE)
        page = signed_in(kit).get("/cases/1").text
        assert HOSTILE not in page and html.escape(HOSTILE) in page


class TestEscaping:
    def test_hostile_customer_text_is_shown_as_text(self, kit: Kit) -> None:
        kit.desk.add(
            1,
            name=HOSTILE,
            transcript=[
                TranscriptLine("customer", HOSTILE, NOW),
                TranscriptLine("customer", "</p></li></ol><script>x()</script>", NOW),
            ],
        )
        client = signed_in(kit)
        for text in (
            client.get("/cases/1").text,
            client.get("/").text,
            client.get("/api/cases/1").json()["html"]["transcript"],
            client.get("/api/queue").json()["html"]["waiting"],
        ):
            assert "<script>" not in text.replace('<script src="/static/console.js" defer>', "")
            assert "<img" not in text
        page = client.get("/cases/1").text
        assert html.escape(HOSTILE) in page and "&lt;/p&gt;&lt;/li&gt;&lt;/ol&gt;" in page


class TestLanguages:
    def test_accept_language_picks_the_page_language(self, kit: Kit) -> None:
        kit.desk.add(1)
        zh = signed_in(kit, headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"})
        en = signed_in(kit, "bob", headers={"Accept-Language": "en-GB,en;q=0.9"})
        page = zh.get("/").text
        assert '<html lang="zh-CN">' in page and "排队中的客户" in page and "退出登录" in page
        assert "短信" in page and "客户要求人工" in page
        page = en.get("/").text
        assert '<html lang="en">' in page and "Waiting customers" in page and "Log out" in page
        assert "SMS" in page and "Customer asked for a person" in page
        assert "Case #1" in en.get("/cases/1").text and "会话 #1" in zh.get("/cases/1").text

    def test_the_switch_is_remembered(self, kit: Kit) -> None:
        client = signed_in(kit, headers={"Accept-Language": "zh-CN"})
        assert 'href="/?lang=en"' in client.get("/").text
        switched = client.get("/dashboard?lang=en")
        assert "Dashboard" in switched.text and client.cookies["console_lang"] == "en"
        assert "Waiting customers" in client.get("/").text

    def test_the_login_page_in_both_languages(self, kit: Kit) -> None:
        assert "坐席登录" in kit.client(headers={"Accept-Language": "zh"}).get("/login").text
        assert "Agent sign-in" in kit.client().get("/login?lang=en").text


class TestDashboard:
    def test_figures_and_bars(self, kit: Kit) -> None:
        client = signed_in(kit, headers={"Accept-Language": "en"})
        page = client.get("/dashboard").text
        assert re.search(r'id="fig-conversations"><span class="value">10<', page)
        assert re.search(r'id="fig-self-service"><span class="value">70.0%<', page)
        assert re.search(r'id="fig-wait"><span class="value">1 min 35 s<', page)
        assert re.search(r'id="fig-satisfaction"><span class="value">66.7%<', page)
        assert '<span id="rating-satisfied">4</span>' in page
        # two reasons, three ratings, three kinds of notice (none sent yet: empty bars)
        assert page.count('class="bar"') == 2 + 3 + 3
        assert "Customer asked for a person" in page
        assert client.get("/api/dashboard").json()["ratings"]["satisfied"] == 4

    def test_no_figures_yet(self, kit: Kit) -> None:
        kit.desk.board = kit.desk.board.__class__(0, 0, 0.0, [], None, {}, None)
        page = signed_in(kit, headers={"Accept-Language": "en"}).get("/dashboard").text
        assert "No data yet" in page and '<span id="rating-satisfied">0</span>' in page


def test_static_files_are_served_and_nothing_else(kit: Kit) -> None:
    client = kit.client()
    script = client.get("/static/console.js")
    assert script.status_code == 200
    assert script.headers["content-type"].startswith("application/javascript")
    assert client.get("/static/console.css").headers["content-type"].startswith("text/css")
    assert client.get("/static/..%2Fapp.py").status_code == 404
    assert client.get("/static/app.py").status_code == 404
