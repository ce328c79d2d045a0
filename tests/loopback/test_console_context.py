"""The case page's customer context and the agent's time zone, over loopback HTTP: bills,
notices, open proposals, earlier cases with ratings and tickets; times in Beijing time,
then in London time once the agent chooses Europe/London on the preferences page."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.billing.port import ComplaintCategory
from bot.console.access.preferences import AgentPreferences
from bot.domain.quotes import pack_quote
from bot.handoff.context import CaseContext, CaseContextReader
from bot.handoff.desk import TranscriptLine
from bot.handoff.queue import Handoff
from bot.state.tables import AgentRow, HandoffRow, NoticeRow, ProposalRow, RatingRow
from tests.fakes import NOW, FakeBillingService
from tests.loopback.test_console_support import Kit, page_csrf, signed_in, start_kit

NUMBER = "+8613800000002"  # the fake desk's customer
CREATED = dt.datetime(2026, 11, 28, 1, 30)  # UTC: 09:30 in Beijing, 01:30 in London


class CountingReader(CaseContextReader):
    """The real reader, counting the pages that asked."""

    reads = 0

    async def read(self, case: Handoff) -> CaseContext:
        self.reads += 1
        return await super().read(case)


@pytest.fixture
def kit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Kit]:
    running = start_kit(tmp_path, monkeypatch)
    billing = FakeBillingService()
    asyncio.run(
        billing.create_ticket(NUMBER, ComplaintCategory.BILLING, "double charge", None, False)
    )
    running.console.case_context = CountingReader(
        running.engine, billing, ZoneInfo("Asia/Shanghai"), clock=lambda: NOW
    )
    running.console.time_zones = AgentPreferences(running.engine)
    _seed(running)
    yield running
    running.server.stop()


def _seed(kit: Kit) -> None:
    quote = pack_quote(Decimal("10"), Decimal("1"), dt.date(2026, 11, 30))
    with Session(kit.engine) as s:
        s.add_all(
            [
                HandoffRow(
                    id=50,
                    conversation_id=NUMBER,
                    msisdn=NUMBER,
                    channel="sms",
                    language="zh",
                    reason="complaint_escalation",
                    status="resolved",
                    created_at=dt.datetime(2026, 11, 20, 16, 45),
                    callback_requested=False,
                ),
                RatingRow(
                    conversation_id=NUMBER,
                    rating="satisfied",
                    handoff_id=50,
                    created_at=dt.datetime(2026, 11, 20, 17, 0),
                ),
                NoticeRow(
                    msisdn=NUMBER,
                    event="data_warn",
                    cycle="2026-11",
                    kind="data",
                    payload="{}",
                    status="sent",
                    claimed_by="s1",
                    claimed_at=dt.datetime(2026, 11, 27, 20, 0),  # Beijing wall clock
                    retry_at=dt.datetime(2026, 11, 27, 20, 5),
                    attempts=1,
                    conversation_id=NUMBER,
                    channel="sms",
                    sent_at=dt.datetime(2026, 11, 27, 20, 0, 2),
                ),
                ProposalRow(
                    id="p1",
                    conversation_id=NUMBER,
                    channel="sms",
                    msisdn=NUMBER,
                    kind="data_pack",
                    subject="DP1G",
                    quote=quote.dumps(),
                    created_at=NOW - dt.timedelta(minutes=5),
                    expires_at=NOW + dt.timedelta(minutes=25),
                ),
            ]
        )
        s.commit()


def _panel(page: str, section: str) -> str:
    found = re.search(rf'<div id="context-{section}">(.*?)</div>', page, re.S)
    assert found, section
    return found.group(1)


def _add_case(kit: Kit) -> None:
    waited = int((NOW - CREATED).total_seconds())
    kit.desk.add(
        1,
        waiting_seconds=waited,
        transcript=[TranscriptLine("customer", "流量怎么用这么快", CREATED)],
    )


def test_the_case_page_shows_the_customers_context_in_beijing_time(kit: Kit) -> None:
    _add_case(kit)
    client = signed_in(kit, headers={"Accept-Language": "zh-CN"})
    page = client.get("/cases/1").text
    assert "11-28 09:30:00 北京时间" in page  # created, and the transcript line
    assert 'datetime="2026-11-28T09:30:00+08:00"' in page
    bills = _panel(page, "bills")
    assert re.findall(r"<td>(\d{4}-\d\d)</td>", bills) == ["2026-10", "2026-09", "2026-08"]
    assert "88.00元" in bills
    notices = _panel(page, "notices")
    assert "流量提醒" in notices and "11-27 20:00:02 北京时间" in notices and "已发送" in notices
    proposals = _panel(page, "proposals")
    assert "流量包 DP1G (1GB)" in proposals and "10.00元" in proposals
    assert "11-28 18:25:00 北京时间" in proposals  # expires: 10:25 UTC
    earlier = _panel(page, "earlier")
    assert 'href="/cases/50"' in earlier and "满意" in earlier and "11-21 00:45:00" in earlier
    tickets = _panel(page, "tickets")
    assert "billing" in tickets and "open" in tickets


def test_after_choosing_london_times_are_in_london_time(kit: Kit) -> None:
    _add_case(kit)
    client = signed_in(kit, headers={"Accept-Language": "en"})
    token = page_csrf(client, "/preferences")
    response = client.post("/preferences", data={"csrf_token": token, "time_zone": "Europe/London"})
    assert response.status_code == 303
    assert "Saved: times are shown in Europe/London (GMT)." in client.get("/preferences").text
    with Session(kit.engine) as s:
        zone = s.scalar(select(AgentRow.time_zone).where(AgentRow.username == "ann"))
    assert zone == "Europe/London"
    page = client.get("/cases/1").text
    assert "11-28 01:30:00 GMT" in page and "Beijing time" not in page
    assert "11-27 12:00:02 GMT" in _panel(page, "notices")
    assert "11-20 16:45:00 GMT" in _panel(page, "earlier")
    data = client.get("/api/cases/1").json()
    assert data["transcript"][0]["time"] == "2026-11-28T01:30:00+00:00"
    assert "11-28 01:30:00 GMT" in data["html"]["transcript"]
    # another agent still sees Beijing time
    other = signed_in(kit, "bob", headers={"Accept-Language": "en"}).get("/cases/1").text
    assert "11-28 09:30:00 Beijing time" in other


def test_an_unknown_zone_is_refused(kit: Kit) -> None:
    client = signed_in(kit, headers={"Accept-Language": "en"})
    token = page_csrf(client, "/preferences")
    response = client.post("/preferences", data={"csrf_token": token, "time_zone": "Mars/Base"})
    assert response.status_code == 400 and "There is no such time zone" in response.text
    with Session(kit.engine) as s:
        zone = s.scalar(select(AgentRow.time_zone).where(AgentRow.username == "ann"))
    assert zone == "Asia/Shanghai"


def test_only_the_case_page_reads_the_context(kit: Kit) -> None:
    _add_case(kit)
    client = signed_in(kit)
    reader = kit.console.case_context
    assert isinstance(reader, CountingReader)
    for path in ("/", "/api/queue", "/api/cases/1", "/api/cases/1"):
        assert client.get(path).status_code == 200
    assert reader.reads == 0
    client.get("/cases/1")
    assert reader.reads == 1


def test_a_case_without_a_number_says_what_is_missing(kit: Kit) -> None:
    kit.desk.add(2, msisdn=None, name=None, channel="webchat")
    page = signed_in(kit, headers={"Accept-Language": "en"}).get("/cases/2").text
    assert 'id="context-needs-number"' in page and "verified a number" in page
    assert 'id="context-bills"' not in page and 'id="context-earlier"' in page
