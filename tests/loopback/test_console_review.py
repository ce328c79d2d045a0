"""The Review page over a fake review source: sign-in, CSRF, listing, labelling, dismissing."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes import NOW
from tests.loopback.test_console_support import Kit, page_csrf, running_kit, signed_in

HOSTILE = '<script>alert("x")</script>'


@pytest.fixture
def kit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Kit]:
    yield from running_kit(tmp_path, monkeypatch)


def items(page: str) -> list[str]:
    """The ids of the listed items, in page order."""
    body = re.search(r'<tbody id="review-rows">(.*?)</tbody>', page, re.S)
    assert body
    return re.findall(r'data-item="(\d+)"', body.group(1))


def item_text(page: str, item_id: str) -> str:
    row = re.search(rf'id="review-{item_id}".*?class="review-text">(.*?)</td>', page, re.S)
    assert row
    return html.unescape(row.group(1))


def test_the_page_needs_a_session(kit: Kit) -> None:
    kit.review_source.add("what is this")
    response = kit.client().get("/review")
    assert response.status_code == 303 and response.headers["location"] == "/login?next=/review"


def test_open_messages_newest_first_with_numbers_masked(kit: Kit) -> None:
    kit.review_source.add("old one", at=NOW - dt.timedelta(hours=1))
    kit.review_source.add(
        "call me on 13800000001 or 8613800000002, code 123456",
        at=NOW,
        intent="human_handoff",
        confidence=0.93,
        reason="handoff",
        channel="telegram",
    )
    client = signed_in(kit, headers={"Accept-Language": "en"})
    page = client.get("/review").text
    newest, oldest = items(page)
    assert item_text(page, oldest) == "old one"
    text = item_text(page, newest)
    assert "13800000001" not in text and "8613800000002" not in text and "123456" not in text
    assert "138****0001" in text and "code ******" in text
    assert "0.93" in page and "Handoff" in page and "Telegram" in page
    assert 'value="human_handoff" selected' in page and 'value="out_of_scope"' in page
    assert len(re.findall(r'name="csrf_token"', page)) >= 5  # 2 per item and the logout


def test_customer_text_is_escaped(kit: Kit) -> None:
    kit.review_source.add(HOSTILE)
    page = signed_in(kit).get("/review").text
    assert HOSTILE not in page and html.escape(HOSTILE, quote=True) in page


def test_a_candidate_is_listed_once_across_syncs(kit: Kit) -> None:
    kit.review_source.add("same message")
    client = signed_in(kit)
    assert len(items(client.get("/review").text)) == 1
    assert len(items(client.get("/review").text)) == 1


def test_labelling_and_dismissing(kit: Kit) -> None:
    kit.review_source.add("balance pls??", at=NOW - dt.timedelta(minutes=2))
    kit.review_source.add("asdf qwer", at=NOW - dt.timedelta(minutes=1))
    kit.review_source.add("still open", at=NOW)
    client = signed_in(kit, headers={"Accept-Language": "en"})
    still_open, noise, balance = items(client.get("/review").text)
    token = page_csrf(client, "/review")

    response = client.post(
        f"/review/{balance}/label", data={"csrf_token": token, "intent": "check_balance"}
    )
    assert response.status_code == 303 and response.headers["location"] == "/review"
    response = client.post(f"/review/{noise}/dismiss", data={"csrf_token": token})
    assert response.status_code == 303
    page = client.get("/review").text
    assert items(page) == [still_open]
    assert "Dismissed." in page  # the last action's flash

    # Decided items are no longer open: a second decision is refused politely.
    again = client.post(f"/review/{balance}/dismiss", data={"csrf_token": token})
    assert "is not open for review" in client.get(again.headers["location"]).text


def test_an_unknown_intent_is_refused(kit: Kit) -> None:
    kit.review_source.add("hm")
    client = signed_in(kit, headers={"Accept-Language": "en"})
    (item,) = items(client.get("/review").text)
    token = page_csrf(client, "/review")
    client.post(f"/review/{item}/label", data={"csrf_token": token, "intent": "drop_tables"})
    page = client.get("/review").text
    assert "unknown intent" in page and items(page) == [item]


@pytest.mark.parametrize("token", [None, "", "forged"])
@pytest.mark.parametrize("action", ["label", "dismiss"])
def test_decisions_need_the_csrf_token(kit: Kit, action: str, token: str | None) -> None:
    kit.review_source.add("needs a look")
    client = signed_in(kit)
    (item,) = items(client.get("/review").text)
    data = {"intent": "greet"}
    if token is not None:
        data["csrf_token"] = token
    assert client.post(f"/review/{item}/{action}", data=data).status_code == 403
    assert items(client.get("/review").text) == [item]


def test_decisions_need_a_session(kit: Kit) -> None:
    kit.review_source.add("needs a look")
    (item,) = items(signed_in(kit).get("/review").text)
    response = kit.client().post(f"/review/{item}/dismiss", data={"csrf_token": "x"})
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert items(signed_in(kit, "bob").get("/review").text) == [item]


def test_the_page_in_chinese(kit: Kit) -> None:
    kit.review_source.add("你好呀呀", reason="fallback")
    page = signed_in(kit, headers={"Accept-Language": "zh-CN"}).get("/review").text
    assert "对话复核" in page and "未听懂" in page and "标注" in page and "忽略" in page
