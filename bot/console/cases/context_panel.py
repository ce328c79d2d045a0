"""The case page's "customer context" panel: bills, notices, open proposals, earlier cases
with their ratings, open tickets (``bot.handoff.context``); times in the agent's zone."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import TypeVar

from bot.console.web.i18n import Translator
from bot.console.web.markup import Html, join, render
from bot.domain.formatting import fmt_money
from bot.handoff.context import BillLine, CaseContext, EarlierCase, NoticeLine, ProposalLine
from bot.handoff.desk import TicketLine

T = TypeVar("T")


def _table(
    t: Translator,
    section: str,
    heads: list[str],
    items: Iterable[T],
    cells: Callable[[T], list[object]],
    empty: str,
) -> Html:
    """``<h3>`` and a table (or the ``empty`` line) in ``<div id="context-{section}">``."""
    rows = [join(render("<td>{c}</td>", c=c) for c in cells(item)) for item in items]
    if rows:
        body = render(
            '<table class="context"><thead><tr>{heads}</tr></thead><tbody>{rows}</tbody></table>',
            heads=join(render("<th>{h}</th>", h=t(h)) for h in heads),
            rows=join(render("<tr>{r}</tr>", r=r) for r in rows),
        )
    else:
        body = render('<p class="note">{text}</p>', text=t(empty))
    return render(
        '<div id="context-{section}"><h3>{title}</h3>{body}</div>',
        section=section,
        title=t(f"context.{section}"),
        body=body,
    )


def _amount(t: Translator, amount: Decimal | None) -> str:
    return t("context.amount", amount=fmt_money(amount)) if amount is not None else ""


def _bills(t: Translator, bills: list[BillLine]) -> Html:
    def cells(bill: BillLine) -> list[object]:
        return [bill.month, _amount(t, bill.total)]

    return _table(t, "bills", ["context.month", "context.total"], bills, cells, "context.no_bills")


def _notices(t: Translator, notices: list[NoticeLine]) -> Html:
    def cells(notice: NoticeLine) -> list[object]:
        return [
            t.label("notice_kind", notice.kind),
            t.time(notice.at),
            t.label("notice_status", notice.status),
        ]

    heads = ["context.kind", "context.when", "context.status"]
    return _table(t, "notices", heads, notices, cells, "context.no_notices")


def _proposals(t: Translator, proposals: list[ProposalLine]) -> Html:
    def cells(proposal: ProposalLine) -> list[object]:
        offer = f"{t.label('proposal', proposal.kind)} {proposal.subject}"
        if proposal.allowance:
            offer += f" ({proposal.allowance})"
        return [offer, _amount(t, proposal.price), t.time(proposal.expires_at)]

    heads = ["context.offer", "context.price", "context.expires"]
    return _table(t, "proposals", heads, proposals, cells, "context.no_proposals")


def _earlier(t: Translator, cases: list[EarlierCase]) -> Html:
    def cells(case: EarlierCase) -> list[object]:
        rating = t.label("rating", case.rating) if case.rating else t("context.not_rated")
        return [
            render('<a href="/cases/{id}">#{id}</a>', id=case.case_id),
            t.time(case.created_at),
            t.label("reason", case.reason),
            t.label("case_status", case.status),
            rating,
        ]

    heads = ["context.case", "context.when", "col.reason", "context.status", "context.rating"]
    return _table(t, "earlier", heads, cases, cells, "context.no_earlier")


def _tickets(t: Translator, tickets: list[TicketLine]) -> Html:
    def cells(ticket: TicketLine) -> list[object]:
        return [ticket.ticket_id, ticket.category, ticket.status, t.time(ticket.created_at)]

    heads = ["ticket.id", "ticket.category", "ticket.status", "ticket.created"]
    return _table(t, "tickets", heads, tickets, cells, "profile.no_tickets")


def context_panel(t: Translator, context: CaseContext | None) -> Html:
    """The panel; nothing when the console has no context source."""
    if context is None:
        return Html("")
    if context.needs_number:
        needs = render(
            '<p class="note" id="context-needs-number">{text}</p>', text=t("context.needs_number")
        )
        parts = [needs, _earlier(t, context.earlier_cases)]
    else:
        parts = [
            _notices(t, context.notices),
            _proposals(t, context.proposals),
            _earlier(t, context.earlier_cases),
        ]
        if context.billing_answered:
            parts = [_bills(t, context.bills), *parts, _tickets(t, context.tickets)]
        else:
            parts.insert(0, render('<p class="note">{text}</p>', text=t("context.billing_down")))
    return render(
        '<section class="panel" id="context"><h2>{title}</h2>{parts}</section>',
        title=t("context.title"),
        parts=join(parts),
    )
