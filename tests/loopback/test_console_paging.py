"""The Review and Deliveries pages a page at a time (``?page=N``, 25 rows), over their real
SQL stores: what each page lists, its previous/next links, and what a page view costs in
statements with 60 rows or 600."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.channels.sms.outbox import FAILED, SmsOutbox, new_message_id
from bot.console.web.pager import LIST_PAGE_SIZE
from bot.state.schema import state_engine
from bot.state.tables import SmsOutboundRow
from tests.fakes import NOW
from tests.loopback.test_console_support import Kit, page_csrf, running_kit, signed_in


@pytest.fixture
def kit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Kit]:
    yield from running_kit(tmp_path, monkeypatch)


@pytest.fixture
def outbox(kit: Kit, tmp_path: Path) -> SmsOutbox:
    """The Deliveries page's outbox, on its own database."""
    kit.console.sms_outbox = SmsOutbox(state_engine(f"sqlite:///{tmp_path / 'sms.db'}"))
    return kit.console.sms_outbox


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    """The SQL statements run on ``engine`` inside the block."""
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def add_candidates(kit: Kit, count: int, start: int = 0) -> None:
    """``count`` review candidates, a second apart, newer than those added before."""
    for n in range(start, start + count):
        kit.review_source.add("needs a look", at=NOW + dt.timedelta(seconds=n))


def add_failures(outbox: SmsOutbox, count: int, start: int = 0) -> None:
    """``count`` given-up messages, a second apart, newer than those added before."""
    with Session(outbox._engine) as session:
        for n in range(start, start + count):
            at = NOW + dt.timedelta(seconds=n)
            session.add(
                SmsOutboundRow(
                    id=new_message_id(),
                    gateway="twilio",
                    msisdn="+8613800000001",
                    text="您好",
                    kind="push",
                    parts=1,
                    status=FAILED,
                    attempts=3,
                    last_error="30003",
                    created_at=at,
                    updated_at=at,
                    retry_at=None,
                )
            )
        session.commit()


def rows(page: str, tbody: str, row: str) -> list[str]:
    """The ids of the rows of ``<tbody id=tbody>``, in page order."""
    body = re.search(rf'<tbody id="{tbody}">(.*?)</tbody>', page, re.S)
    assert body
    return re.findall(row, body.group(1))


def review_rows(page: str) -> list[str]:
    return rows(page, "review-rows", r'data-item="(\d+)"')


def delivery_rows(page: str) -> list[str]:
    return rows(page, "delivery-rows", r'id="delivery-(\w+)"')


def links(page: str) -> tuple[str | None, str | None]:
    """The previous and next links' targets (None: no such link)."""
    previous = re.search(r'class="pager-previous" rel="prev" href="([^"]+)"', page)
    following = re.search(r'class="pager-next" rel="next" href="([^"]+)"', page)
    return (previous and previous.group(1)), (following and following.group(1))


def walk(client: httpx.Client, path: str, read: Any) -> list[list[str]]:
    """Pages 1 to 3 of ``path``: the ids on each, checking the links between them."""
    pages = [client.get(path if n == 1 else f"{path}?page={n}").text for n in (1, 2, 3)]
    assert links(pages[0]) == (None, f"{path}?page=2")
    assert links(pages[1]) == (f"{path}?page=1", f"{path}?page=3")
    assert links(pages[2]) == (f"{path}?page=2", None)
    assert "Page 2" in pages[1]
    return [read(page) for page in pages]


def test_sixty_review_items_in_three_pages(kit: Kit) -> None:
    add_candidates(kit, 60)
    client = signed_in(kit, headers={"Accept-Language": "en"})
    first, second, third = walk(client, "/review", review_rows)
    assert (len(first), len(second), len(third)) == (LIST_PAGE_SIZE, LIST_PAGE_SIZE, 10)
    shown = first + second + third
    assert shown == sorted(shown, key=int, reverse=True) and len(set(shown)) == 60  # newest first
    beyond = client.get("/review?page=4").text
    assert review_rows(beyond) == [] and links(beyond) == ("/review?page=3", None)
    for odd in ("0", "-1", "x", "9" * 40):  # not a page: the first
        assert review_rows(client.get(f"/review?page={odd}").text) == first


def test_a_short_review_list_has_no_pager(kit: Kit) -> None:
    add_candidates(kit, LIST_PAGE_SIZE)
    page = signed_in(kit).get("/review").text
    assert len(review_rows(page)) == LIST_PAGE_SIZE and 'class="pager"' not in page


def test_a_decision_comes_back_to_its_page(kit: Kit) -> None:
    add_candidates(kit, 60)
    client = signed_in(kit, headers={"Accept-Language": "en"})
    page = client.get("/review?page=2").text
    item = review_rows(page)[0]
    assert f'action="/review/{item}/dismiss?page=2"' in page
    token = page_csrf(client, "/review?page=2")
    response = client.post(f"/review/{item}/dismiss?page=2", data={"csrf_token": token})
    assert response.status_code == 303 and response.headers["location"] == "/review?page=2"
    after = client.get("/review?page=2").text
    assert "Dismissed." in after and item not in review_rows(after)


def test_a_review_page_costs_the_same_for_60_items_or_600(kit: Kit) -> None:
    client = signed_in(kit)
    costs = []
    for added, more in ((0, 60), (60, 540)):
        add_candidates(kit, more, start=added)
        kit.console.review.sync()  # what a first page view reads, once
        with statements(kit.engine) as seen:
            assert len(review_rows(client.get("/review?page=2").text)) == LIST_PAGE_SIZE
        reads = [s for s in seen if "FROM review_items" in s and "status" in s]
        assert reads and all("LIMIT" in s for s in reads)  # never the whole list
        costs.append(len(seen))
    assert costs[0] == costs[1] and costs[0] <= 8, costs


def test_sixty_undelivered_sms_in_three_pages(kit: Kit, outbox: SmsOutbox) -> None:
    add_failures(outbox, 60)
    client = signed_in(kit, headers={"Accept-Language": "en"})
    first, second, third = walk(client, "/deliveries", delivery_rows)
    assert (len(first), len(second), len(third)) == (LIST_PAGE_SIZE, LIST_PAGE_SIZE, 10)
    assert len(set(first + second + third)) == 60


def test_send_again_comes_back_to_its_page(kit: Kit, outbox: SmsOutbox) -> None:
    add_failures(outbox, 30)
    client = signed_in(kit, headers={"Accept-Language": "en"})
    (message_id, *_) = delivery_rows(client.get("/deliveries?page=2").text)
    token = page_csrf(client, "/deliveries?page=2")
    response = client.post(f"/deliveries/{message_id}/retry?page=2", data={"csrf_token": token})
    assert response.headers["location"] == "/deliveries?page=2"
    assert "It will be sent again shortly." in client.get(response.headers["location"]).text


async def test_a_deliveries_page_is_one_query_for_60_messages_or_600(
    kit: Kit, outbox: SmsOutbox
) -> None:
    client = signed_in(kit)
    for added, more in ((0, 60), (60, 540)):
        add_failures(outbox, more, start=added)
        with statements(outbox._engine) as seen:
            assert len(delivery_rows(client.get("/deliveries?page=2").text)) == LIST_PAGE_SIZE
        assert len(seen) == 1 and "LIMIT" in seen[0], seen
    assert len(await outbox.failures()) == 100  # the older read keeps its limit
