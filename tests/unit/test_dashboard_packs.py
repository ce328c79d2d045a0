"""The dashboard's data-pack figures, counted by billing through the desk."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.handoff.desk_rasa import RasaHandoffDesk
from tests.fakes import NOW, FakeBillingService, FakeRasaAdmin, fake_services

DOMAIN = Path(__file__).resolve().parents[2] / "domain"
C1, C4 = "+8613800000001", "+8613800000004"


def desk(billing: FakeBillingService, now: dt.datetime) -> RasaHandoffDesk:
    services = fake_services()
    return RasaHandoffDesk(
        services.handoff,
        FakeRasaAdmin(),
        billing,
        services.stats,
        DOMAIN,  # type: ignore[arg-type]
        clock=lambda: now,
    )


async def test_packs_ordered_today_and_this_month() -> None:
    billing = FakeBillingService(clock=lambda: dt.datetime(2026, 11, 3, 9, 0))
    await billing.order_data_pack(C4, "DP1G")
    billing.clock = lambda: NOW
    await billing.order_data_pack(C4, "DP5G")
    await billing.order_data_pack(C1, "DP1G")
    board = await desk(billing, NOW + dt.timedelta(hours=2)).dashboard()
    assert (board.data_packs_today, board.data_packs_month) == (2, 3)
    board = await desk(billing, dt.datetime(2026, 12, 1, 8, 0)).dashboard()
    assert (board.data_packs_today, board.data_packs_month) == (0, 0)


async def test_billing_down_leaves_the_figures_out() -> None:
    billing = FakeBillingService()
    billing.down = True
    board = await desk(billing, NOW).dashboard()
    assert (board.data_packs_today, board.data_packs_month) == (None, None)
