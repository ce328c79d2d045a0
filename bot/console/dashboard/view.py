"""The supervisor's dashboard: figures as numbers and inline SVG bars."""

from __future__ import annotations

from typing import Any

from bot.console.dashboard.agents import agent_figures_panel
from bot.console.web.chart import bar_chart
from bot.console.web.i18n import Translator
from bot.console.web.layout import PageContext, page
from bot.console.web.markup import Html, join, render
from bot.handoff.desk import Dashboard
from bot.handoff.stats import AgentFigures

RATINGS = ("satisfied", "neutral", "unsatisfied")
NOTICE_KINDS = ("balance", "data", "bill")  # notices (offers have figures of their own)


def percent(rate: float | None) -> str:
    """``0.6667`` -> ``"66.7%"``; no figure -> a dash."""
    return "—" if rate is None else f"{rate * 100:.1f}%"


def count(value: int | None) -> str:
    """A count; no figure (billing did not answer) -> a dash."""
    return "—" if value is None else str(value)


def _figure(figure_id: str, label: str, value: str) -> Html:
    return render(
        '<div class="figure" id="{figure_id}"><span class="value">{value}</span>'
        '<span class="label">{label}</span></div>',
        figure_id=figure_id,
        value=value,
        label=label,
    )


def _ratings_list(t: Translator, ratings: dict[str, int]) -> Html:
    return join(
        render(
            '<li data-rating="{key}">{label}: <span id="rating-{key}">{count}</span></li>',
            key=key,
            label=t.label("rating", key),
            count=ratings.get(key, 0),
        )
        for key in [*RATINGS, *sorted(set(ratings) - set(RATINGS))]
    )


def _offer_figures(t: Translator, board: Dashboard) -> list[Html]:
    """Offers: sent, accepted, declined, and the monthly saving of those who switched."""
    offers = board.offers
    return [
        _figure("fig-offers-sent", t("dash.offers_sent"), str(offers.sent)),
        _figure("fig-offers-accepted", t("dash.offers_accepted"), str(offers.accepted)),
        _figure("fig-offers-declined", t("dash.offers_declined"), str(offers.declined)),
        _figure("fig-offer-saving", t("dash.offer_saving"), str(offers.saving_delivered)),
        _figure("fig-credits-month", t("dash.credits_month"), count(board.credits_month)),
        _figure(
            "fig-credited-month",
            t("dash.credited_month"),
            "—" if board.credited_month is None else str(board.credited_month),
        ),
    ]


def dashboard_json(board: Dashboard) -> dict[str, Any]:
    """``/api/dashboard``: the figures as data."""
    return {
        "conversations": board.conversations,
        "handed_over": board.handed_over,
        "self_service_rate": board.self_service_rate,
        "by_reason": {item.reason: item.count for item in board.by_reason},
        "average_wait_to_claim_seconds": board.average_wait_to_claim_seconds,
        "ratings": board.ratings,
        "satisfaction_rate": board.satisfaction_rate,
        "data_packs": {"today": board.data_packs_today, "month": board.data_packs_month},
        "notices_sent": {kind: board.notices_sent.get(kind, 0) for kind in NOTICE_KINDS},
        "offers": {  # plan offers, answers and the saving of those who switched
            "sent": board.offers.sent,
            "accepted": board.offers.accepted,
            "declined": board.offers.declined,
            "switched": board.offers.switched,
            "monthly_saving_delivered": str(board.offers.saving_delivered),
        },
        "credits_this_month": {  # overage credits approved by agents
            "count": board.credits_month,
            "total": None if board.credited_month is None else str(board.credited_month),
        },
    }


def dashboard_page(
    ctx: PageContext, board: Dashboard, per_agent: list[AgentFigures] | None = None
) -> Html:
    """Numbers on top, then handoffs by reason and ratings as bars; for a supervisor
    (``per_agent``), each agent's figures."""
    t = ctx.t
    wait = board.average_wait_to_claim_seconds
    figures = join(
        [
            _figure("fig-conversations", t("dash.conversations"), str(board.conversations)),
            _figure("fig-handed-over", t("dash.handed_over"), str(board.handed_over)),
            _figure("fig-self-service", t("dash.self_service"), percent(board.self_service_rate)),
            _figure("fig-wait", t("dash.avg_wait"), "—" if wait is None else t.duration(wait)),
            _figure("fig-satisfaction", t("dash.satisfaction"), percent(board.satisfaction_rate)),
            _figure("fig-packs-today", t("dash.packs_today"), count(board.data_packs_today)),
            _figure("fig-packs-month", t("dash.packs_month"), count(board.data_packs_month)),
            *_offer_figures(t, board),
        ]
    )
    reasons = [(t.label("reason", item.reason), item.count) for item in board.by_reason]
    ratings = [(t.label("rating", key), board.ratings.get(key, 0)) for key in RATINGS]
    no_data = render('<p class="note">{text}</p>', text=t("dash.no_data"))
    body = render(
        '<h1>{title}</h1><section class="figures">{figures}</section>'
        '<section class="panel"><h2>{by_reason}</h2>{reason_chart}</section>'
        '<section class="panel"><h2>{ratings_title}</h2>{rating_chart}'
        '<ul class="ratings" id="ratings">{ratings_list}</ul></section>'
        '<section class="panel"><h2>{notices_title}</h2>{notice_chart}</section>{per_agent}',
        title=t("dash.title"),
        per_agent=agent_figures_panel(t, per_agent),
        figures=figures,
        by_reason=t("dash.by_reason"),
        reason_chart=bar_chart(reasons, title=t("dash.by_reason"), chart_id="chart-reasons")
        if reasons
        else no_data,
        ratings_title=t("dash.ratings"),
        rating_chart=bar_chart(ratings, title=t("dash.ratings"), chart_id="chart-ratings"),
        ratings_list=_ratings_list(t, board.ratings),
        notices_title=t("dash.notices"),
        notice_chart=bar_chart(
            [(t.label("notice", k), board.notices_sent.get(k, 0)) for k in NOTICE_KINDS],
            title=t("dash.notices"),
            chart_id="chart-notices",
        ),
    )
    return page(ctx, t("dash.title"), body, page_id="dashboard")
