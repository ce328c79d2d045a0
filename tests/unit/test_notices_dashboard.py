"""The console's dashboard shows the notices sent, by kind (counted in the notice record)."""

from __future__ import annotations

from pathlib import Path

from bot.console.dashboard.view import dashboard_json, dashboard_page
from bot.console.web.i18n import Translator
from bot.console.web.layout import PageContext
from bot.handoff.desk_rasa import RasaHandoffDesk
from bot.notices.store import NoticeStore
from tests.fakes import Clock, FakeRasaAdmin, fake_services, memory_engine
from tests.fakes.notice_rasa import FakeNoticeRasa, build_scheduler


async def test_the_dashboard_counts_notices_sent_by_kind() -> None:
    engine = memory_engine()
    await build_scheduler(engine, FakeNoticeRasa(), Clock()).sweep()
    services = fake_services()
    desk = RasaHandoffDesk(
        services.handoff,
        FakeRasaAdmin(),
        services.billing,
        services.stats,
        Path("domain"),
        notices_sent=NoticeStore(engine).sent_by_kind,
    )
    board = await desk.dashboard()
    assert board.notices_sent == {"balance": 2, "data": 2, "bill": 5}
    assert dashboard_json(board)["notices_sent"] == {"balance": 2, "data": 2, "bill": 5}
    html = str(dashboard_page(PageContext(Translator("zh"), "/dashboard", agent="ann"), board))
    assert 'id="chart-notices"' in html and "账单提醒" in html
    english = str(dashboard_page(PageContext(Translator("en"), "/dashboard", agent="ann"), board))
    assert "Notices sent, by kind" in english and "Monthly bill" in english
