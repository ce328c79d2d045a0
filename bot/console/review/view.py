"""The Review page: open messages to label with the right intent, or dismiss."""

from __future__ import annotations

from collections.abc import Sequence

from bot.console.web.i18n import Translator
from bot.console.web.layout import PageContext, csrf_field, page
from bot.console.web.markup import Html, join, render
from bot.console.web.pager import page_path, pager
from bot.review.store import ReviewItem
from bot.storage.paging import Slice

REVIEW_PATH = "/review"


def _confidence(t: Translator, item: ReviewItem) -> str:
    return t("review.none") if item.confidence is None else f"{item.confidence:.2f}"


def _options(intents: Sequence[str], chosen: str | None) -> Html:
    return join(
        render(
            '<option value="{name}"{selected}>{name}</option>',
            name=name,
            selected=Html(" selected") if name == chosen else Html(""),
        )
        for name in intents
    )


def _row(ctx: PageContext, item: ReviewItem, intents: Sequence[str], page_no: int) -> Html:
    t = ctx.t
    return render(
        '<tr class="review-item" id="review-{id}" data-item="{id}">'
        '<td class="review-text">{text}</td><td class="review-intent">{intent}</td>'
        '<td class="review-confidence">{confidence}</td><td>{reason}</td><td>{channel}</td>'
        '<td><time datetime="{iso}">{time}</time></td><td class="review-actions">'
        '<form method="post" action="{label_to}" class="inline label-form">{csrf}'
        '<select name="intent" class="review-select" aria-label="{decide}">{options}</select> '
        '<button type="submit" class="review-label">{label}</button></form> '
        '<form method="post" action="{dismiss_to}" class="inline">{csrf}'
        '<button type="submit" class="review-dismiss secondary">{dismiss}</button></form>'
        "</td></tr>",
        id=item.id,
        label_to=page_path(f"{REVIEW_PATH}/{item.id}/label", page_no),
        dismiss_to=page_path(f"{REVIEW_PATH}/{item.id}/dismiss", page_no),
        text=item.text,
        intent=item.intent or t("review.none"),
        confidence=_confidence(t, item),
        reason=t.label("review_reason", item.reason),
        channel=t.label("channel", item.channel),
        iso=t.iso(item.time),
        time=t.time(item.time),
        csrf=csrf_field(ctx),
        decide=t("review.decide"),
        options=_options(intents, item.intent),
        label=t("review.label"),
        dismiss=t("review.dismiss"),
    )


def review_page(
    ctx: PageContext, found: Slice[ReviewItem], page_no: int, intents: Sequence[str]
) -> Html:
    """A page of open items, newest first, each with a label form and a dismiss form
    (whose answer comes back to this page), and links to the pages around it."""
    t = ctx.t
    if found.items:
        rows = join(_row(ctx, item, intents, page_no) for item in found.items)
    else:
        rows = render('<tr class="empty"><td colspan="7">{text}</td></tr>', text=t("review.empty"))
    body = render(
        '<section class="panel"><h1>{title}</h1><p class="note">{intro}</p>'
        '<table class="review"><thead><tr><th>{text}</th><th>{intent}</th><th>{confidence}</th>'
        "<th>{why}</th><th>{channel}</th><th>{time}</th><th>{decide}</th></tr></thead>"
        '<tbody id="review-rows">{rows}</tbody></table>{pager}</section>',
        title=t("review.title"),
        intro=t("review.intro"),
        text=t("review.text"),
        intent=t("review.intent"),
        confidence=t("review.confidence"),
        why=t("review.why"),
        channel=t("col.channel"),
        time=t("review.time"),
        decide=t("review.decide"),
        rows=rows,
        pager=pager(t, REVIEW_PATH, page_no, found.has_next),
    )
    return page(ctx, t("review.title"), body, page_id="review")
