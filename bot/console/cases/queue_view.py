"""The queue page and its live rows: waiting cases (urgent first, then oldest), claimed ones."""

from __future__ import annotations

from typing import Any

from bot.console.web.i18n import Translator
from bot.console.web.layout import PageContext, page
from bot.console.web.markup import Html, join, render
from bot.console.web.pager import pager
from bot.handoff.desk import CaseSummary, QueuePage
from bot.handoff.queue import HandoffStatus


def waiting_cases(summaries: list[CaseSummary]) -> list[CaseSummary]:
    """Unclaimed cases: urgent ones first, then the longest waiting."""
    waiting = [s for s in summaries if s.case.status == HandoffStatus.WAITING]
    return sorted(waiting, key=lambda s: (not s.urgent, -s.waiting_seconds, s.case.id))


def claimed_cases(summaries: list[CaseSummary]) -> list[CaseSummary]:
    """Cases an agent is handling, oldest first."""
    claimed = [s for s in summaries if s.case.status == HandoffStatus.CLAIMED]
    return sorted(claimed, key=lambda s: (s.case.created_at, s.case.id))


def customer_label(t: Translator, summary: CaseSummary) -> Html:
    """Name and number, or what is known."""
    number = summary.case.msisdn or ""
    name = summary.customer_name or (t("customer.unknown") if not number else "")
    return render(
        '<span class="name">{name}</span> <span class="msisdn">{number}</span>',
        name=name,
        number=number,
    )


def _reason_cell(t: Translator, summary: CaseSummary) -> Html:
    badge = Html("")
    if summary.urgent:
        why = t.label("urgency", summary.urgency_reason) if summary.urgency_reason else ""
        badge = render(
            '<span class="badge urgent" title="{why}">{urgent}</span> ', why=why, urgent=t("urgent")
        )
    reason = t.label("reason", summary.case.reason.value)
    return render("{badge}{reason}", badge=badge, reason=reason)


def _waiting_row(t: Translator, summary: CaseSummary) -> Html:
    case = summary.case
    return render(
        '<tr class="case{urgent}" data-case="{id}"><td><a href="/cases/{id}">#{id}</a></td>'
        '<td class="wait">{wait}</td><td>{reason}</td><td>{channel}</td><td>{language}</td>'
        "<td>{customer}</td><td>{callback}</td>"
        '<td><a class="button" href="/cases/{id}">{open}</a></td></tr>',
        urgent=" urgent" if summary.urgent else "",
        id=case.id,
        wait=t.duration(summary.waiting_seconds),
        reason=_reason_cell(t, summary),
        channel=t.label("channel", case.channel),
        language=t.label("language", case.language),
        customer=customer_label(t, summary),
        callback=t("yes") if summary.callback_requested else t("no"),
        open=t("queue.open"),
    )


def _claimed_row(t: Translator, summary: CaseSummary) -> Html:
    case = summary.case
    return render(
        '<tr class="case" data-case="{id}"><td><a href="/cases/{id}">#{id}</a></td>'
        "<td>{agent}</td><td>{reason}</td><td>{channel}</td><td>{customer}</td></tr>",
        id=case.id,
        agent=case.claimed_by or "",
        reason=_reason_cell(t, summary),
        channel=t.label("channel", case.channel),
        customer=customer_label(t, summary),
    )


def waiting_rows(t: Translator, summaries: list[CaseSummary]) -> Html:
    """The ``<tbody>`` content of the waiting table."""
    rows = waiting_cases(summaries)
    if not rows:
        return render('<tr class="empty"><td colspan="8">{text}</td></tr>', text=t("queue.empty"))
    return join(_waiting_row(t, s) for s in rows)


def claimed_rows(t: Translator, summaries: list[CaseSummary]) -> Html:
    """The ``<tbody>`` content of the claimed table."""
    rows = claimed_cases(summaries)
    if not rows:
        return render(
            '<tr class="empty"><td colspan="5">{text}</td></tr>', text=t("queue.none_claimed")
        )
    return join(_claimed_row(t, s) for s in rows)


def queue_pager(t: Translator, queue: QueuePage) -> Html:
    """Links to the other pages of waiting cases."""
    return pager(t, "/", queue.page, queue.page < queue.pages, queue.pages)


def queue_json(t: Translator, queue: QueuePage) -> dict[str, Any]:
    """``/api/queue``: the page's cases as data, and the rendered rows for the page."""
    summaries = queue.summaries

    def item(s: CaseSummary) -> dict[str, Any]:
        case = s.case
        return {
            "id": case.id,
            "status": case.status.value,
            "waiting_seconds": s.waiting_seconds,
            "urgent": s.urgent,
            "urgency_reason": s.urgency_reason,
            "reason": case.reason.value,
            "channel": case.channel,
            "language": case.language,
            "customer_name": s.customer_name,
            "msisdn": case.msisdn,
            "callback_requested": s.callback_requested,
            "claimed_by": case.claimed_by,
        }

    return {
        "waiting": [item(s) for s in waiting_cases(summaries)],
        "claimed": [item(s) for s in claimed_cases(summaries)],
        "page": queue.page,
        "pages": queue.pages,
        "waiting_total": queue.waiting_total,
        "claimed_total": queue.claimed_total,
        "html": {
            "waiting": waiting_rows(t, summaries),
            "claimed": claimed_rows(t, summaries),
            "pager": queue_pager(t, queue),
        },
    }


def queue_page(ctx: PageContext, queue: QueuePage) -> Html:
    """A page of the queue, refreshed by ``console.js`` from ``/api/queue?page=N``."""
    t = ctx.t
    summaries = queue.summaries
    body = render(
        '<section class="panel"><h1>{title} <span class="live" id="live">{live}</span></h1>'
        '<table class="cases"><thead><tr><th>{case}</th><th>{waiting}</th><th>{reason}</th>'
        "<th>{channel}</th><th>{language}</th><th>{customer}</th><th>{callback}</th><th></th>"
        '</tr></thead><tbody id="waiting-rows">{waiting_rows}</tbody></table>'
        '<div id="queue-pager">{pager}</div></section>'
        '<section class="panel"><h2>{claimed_title}</h2>'
        '<table class="cases"><thead><tr><th>{case}</th><th>{agent}</th><th>{reason}</th>'
        "<th>{channel}</th><th>{customer}</th></tr></thead>"
        '<tbody id="claimed-rows">{claimed_rows}</tbody></table></section>',
        title=t("queue.title"),
        live=t("queue.updated"),
        case=t("col.case"),
        waiting=t("col.waiting"),
        reason=t("col.reason"),
        channel=t("col.channel"),
        language=t("col.language"),
        customer=t("col.customer"),
        callback=t("col.callback"),
        agent=t("col.agent"),
        waiting_rows=waiting_rows(t, summaries),
        pager=queue_pager(t, queue),
        claimed_title=t("queue.claimed"),
        claimed_rows=claimed_rows(t, summaries),
    )
    return page(ctx, t("queue.title"), body, page_id="queue")
