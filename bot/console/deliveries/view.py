"""The Deliveries page: SMS that a real gateway could not deliver (failed or expired).

Each row says whether the assistant will still send it again by itself, or has given
up; an agent may send a given-up message once more. Strings in both languages are
in the console's catalogue (``deliveries.*`` in ``bot.console.web.i18n``).
"""

from __future__ import annotations

from bot.channels.sms.outbox import ONE_TIME_CODE, OutboundSms
from bot.console.web.i18n import CATALOGUE
from bot.console.web.layout import PageContext, csrf_field, page
from bot.console.web.markup import Html, join, render
from bot.console.web.pager import page_path, pager
from bot.domain.numbers import mask_msisdn
from bot.storage.paging import Slice

DELIVERIES_PATH = "/deliveries"


def text(ctx: PageContext, key: str) -> str:
    """This page's ``deliveries.*`` string of the console catalogue (``bot.console.web.i18n``)."""
    return ctx.t(f"deliveries.{key.replace('.', '_')}")


def _label(ctx: PageContext, group: str, value: str) -> str:
    key = f"{group}.{value}"
    known = f"deliveries.{group}_{value}" in CATALOGUE
    return text(ctx, key) if known else value


def _next(ctx: PageContext, message: OutboundSms, page_no: int) -> Html:
    if message.kind == ONE_TIME_CODE:  # never sent again: the customer asks for a new code
        return render("{label}", label=text(ctx, "new_code"))
    if not message.gave_up:
        return render("{label}", label=text(ctx, "will_retry"))
    return render(
        '<form method="post" action="{to}" class="inline">{csrf}'
        '<button type="submit" class="delivery-retry">{label}</button></form>',
        to=page_path(f"{DELIVERIES_PATH}/{message.id}/retry", page_no),
        csrf=csrf_field(ctx),
        label=text(ctx, "send_again"),
    )


def _row(ctx: PageContext, message: OutboundSms, page_no: int) -> Html:
    return render(
        '<tr class="delivery" id="delivery-{id}" data-status="{status}"><td>{customer}</td>'
        '<td class="delivery-text">{body}</td><td>{kind}</td><td>{status_label}</td>'
        "<td>{attempts}</td><td>{error}</td><td>{time}</td><td>{next}</td></tr>",
        id=message.id,
        status=message.status,
        customer=mask_msisdn(message.msisdn),
        body=message.text,
        kind=_label(ctx, "kind", message.kind),
        status_label=_label(ctx, "status", message.status),
        attempts=message.attempts,
        error=message.last_error or "",
        time=ctx.t.time(message.updated_at),
        next=_next(ctx, message, page_no),
    )


def deliveries_page(ctx: PageContext, found: Slice[OutboundSms], page_no: int) -> Html:
    """A page of failed or expired messages, newest first, and links to the pages around it."""
    if found.items:
        rows = join(_row(ctx, m, page_no) for m in found.items)
    else:
        rows = render('<tr class="empty"><td colspan="8">{t}</td></tr>', t=text(ctx, "empty"))
    heads = join(
        render("<th>{h}</th>", h=text(ctx, key))
        for key in ("customer", "text", "kind", "status", "attempts", "error", "time", "next")
    )
    body = render(
        '<section class="panel"><h1>{title}</h1><p class="note">{intro}</p>'
        '<table class="deliveries"><thead><tr>{heads}</tr></thead>'
        '<tbody id="delivery-rows">{rows}</tbody></table>{pager}</section>',
        title=text(ctx, "title"),
        intro=text(ctx, "intro"),
        heads=heads,
        rows=rows,
        pager=pager(ctx.t, DELIVERIES_PATH, page_no, found.has_next),
    )
    return page(ctx, text(ctx, "title"), body, page_id="deliveries")
