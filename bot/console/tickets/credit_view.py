"""The credit panel of a billing-adjustment ticket: the amount asked, approve or decline."""

from __future__ import annotations

from bot.billing.adjustments import asked_credit
from bot.billing.port import OPEN_TICKET_STATUSES, Ticket
from bot.billing.ticket_policy import MAX_UPDATE
from bot.console.web.layout import PageContext, csrf_field
from bot.console.web.markup import Html, render
from bot.domain.formatting import fmt_money


def credit_panel(ctx: PageContext, ticket: Ticket) -> Html:
    """Approve (credits the amount once) or decline with a reason; empty for other tickets
    and for a decided one."""
    t, amount = ctx.t, asked_credit(ticket)
    if amount is None or ticket.status not in OPEN_TICKET_STATUSES:
        return Html("")
    return render(
        '<section class="panel" id="credit-panel"><h2>{title}</h2>'
        '<p class="note">{intro}</p><p id="credit-amount">{amount_l}: <strong>{amount}</strong></p>'
        '<form method="post" action="/tickets/{id}/credit" class="stack" id="credit-approve">'
        '{csrf}<input type="hidden" name="decision" value="approve">'
        '<button type="submit" id="credit-approve-submit">{approve}</button></form>'
        '<form method="post" action="/tickets/{id}/credit" class="stack" id="credit-decline">'
        '{csrf}<input type="hidden" name="decision" value="decline">'
        '<label for="credit-reason">{reason_l}</label>'
        '<textarea id="credit-reason" name="text" rows="2" maxlength="{limit}" required>'
        '</textarea><button type="submit" id="credit-decline-submit">{decline}</button>'
        "</form></section>",
        title=t("credit.title"),
        intro=t("credit.intro"),
        amount_l=t("credit.amount"),
        amount=t("credit.yuan", amount=fmt_money(amount)),
        id=ticket.ticket_id,
        csrf=csrf_field(ctx),
        approve=t("credit.approve", amount=fmt_money(amount)),
        reason_l=t("credit.reason"),
        limit=MAX_UPDATE,
        decline=t("credit.decline"),
    )
