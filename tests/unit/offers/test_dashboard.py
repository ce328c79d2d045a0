"""The console's dashboard counts plan offers (sent, accepted, declined, switched, the saving)
and the overage credits approved this month."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from sqlalchemy.engine import Engine

from actions.quoting import of_plan
from bot.console.dashboard.view import dashboard_json, dashboard_page
from bot.console.web.i18n import Translator
from bot.console.web.layout import PageContext
from bot.handoff.desk_rasa import RasaHandoffDesk
from bot.notices.offer_responses import OfferCounts, OfferResponses
from bot.wiring import Services
from tests.fakes import NOW, TODAY, FakeBillingService, FakeRasaAdmin
from tests.unit.offers.conftest import plan, sent_offer
from tests.unit.trackers import C2, C4


async def test_the_dashboard_shows_offers_sent_accepted_declined_and_the_saving(
    wired: Services, billing: FakeBillingService, engine: Engine
) -> None:
    answers = OfferResponses(engine)
    for msisdn, response in ((C2, "accepted"), (C4, "declined")):
        key = await sent_offer(engine, msisdn)
        assert await answers.record(key, msisdn, response, msisdn)
    quote = of_plan(plan(billing, "P38"), TODAY)
    proposal = await wired.proposals.propose(C2, "sms", C2, "plan_change", "P38", quote)
    desk = RasaHandoffDesk(
        wired.handoff,
        FakeRasaAdmin(),
        wired.billing,
        wired.stats,
        Path("domain"),
        offer_counts=answers.counts,
    )
    board = await desk.dashboard()
    assert board.offers == OfferCounts(sent=2, accepted=1, declined=1)  # not ordered yet
    # The proposal the yes led to is confirmed: the switch and its saving count.
    assert await wired.proposals.redeem(proposal.id, C2, "sms", "plan_change", C2)
    board = await desk.dashboard()
    assert board.offers.switched == 1 and board.offers.saving_delivered == Decimal("50.00")
    assert dashboard_json(board)["offers"] == {
        "sent": 2,
        "accepted": 1,
        "declined": 1,
        "switched": 1,
        "monthly_saving_delivered": "50.00",
    }
    html = str(dashboard_page(PageContext(Translator("zh"), "/dashboard", agent="ann"), board))
    assert 'id="fig-offers-accepted"' in html and "改套餐客户每月共省（元）" in html
    english = str(dashboard_page(PageContext(Translator("en"), "/dashboard", agent="ann"), board))
    assert "Plan offers sent" in english and "Monthly saving delivered (yuan)" in english


async def test_the_dashboard_shows_the_overage_credits_approved_this_month(
    wired: Services, billing: FakeBillingService
) -> None:
    await billing.credit_account(C2, Decimal("30.00"), "TK2611280001")
    await billing.credit_account(C4, Decimal("12.50"), "TK2611280002")
    desk = RasaHandoffDesk(
        wired.handoff,
        FakeRasaAdmin(),
        wired.billing,
        wired.stats,
        Path("domain"),
        clock=lambda: NOW,  # the month the fake's credits were granted in
    )
    board = await desk.dashboard()
    assert (board.credits_month, board.credited_month) == (2, Decimal("42.50"))
    assert dashboard_json(board)["credits_this_month"] == {"count": 2, "total": "42.50"}
    english = str(dashboard_page(PageContext(Translator("en"), "/dashboard", agent="ann"), board))
    assert 'id="fig-credits-month"' in english and "Overage credits approved this month" in english
