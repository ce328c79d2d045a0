"""The supervisors' Canned replies page: every reply, editable in place, and a form to add one."""

from __future__ import annotations

from bot.console.replies.fill import PLACEHOLDERS
from bot.console.replies.store import BODY_LIMIT, LANGUAGES, TITLE_LIMIT, CannedReply
from bot.console.web.i18n import Translator
from bot.console.web.layout import PageContext, csrf_field, page
from bot.console.web.markup import Html, join, render


def _languages(t: Translator, chosen: str) -> Html:
    return join(
        render(
            '<option value="{value}"{selected}>{label}</option>',
            value=language,
            selected=Html(" selected") if language == chosen else Html(""),
            label=t.label("language", language),
        )
        for language in LANGUAGES
    )


def _fields(ctx: PageContext, prefix: str, language: str, title: str, body: str) -> Html:
    t = ctx.t
    return render(
        '{csrf}<label for="{p}-language">{language_l}</label>'
        '<select id="{p}-language" name="language">{languages}</select>'
        '<label for="{p}-title">{title_l}</label>'
        '<input id="{p}-title" name="title" maxlength="{title_limit}" value="{title}" required>'
        '<label for="{p}-body">{body_l}</label>'
        '<textarea id="{p}-body" name="body" rows="3" maxlength="{body_limit}" required>'
        "{body}</textarea>",
        csrf=csrf_field(ctx),
        p=prefix,
        language_l=t("replies.language"),
        languages=_languages(t, language),
        title_l=t("replies.title_field"),
        title_limit=TITLE_LIMIT,
        title=title,
        body_l=t("replies.body"),
        body_limit=BODY_LIMIT,
        body=body,
    )


def _reply(ctx: PageContext, reply: CannedReply) -> Html:
    t = ctx.t
    return render(
        '<li class="canned-reply" id="reply-{id}" data-reply="{id}">'
        '<form method="post" action="/replies/{id}" class="stack" id="edit-reply-{id}">'
        '{fields}<button type="submit" id="save-reply-{id}">{save}</button></form>'
        '<form method="post" action="/replies/{id}/delete" class="inline">{csrf}'
        '<button type="submit" class="danger" id="delete-reply-{id}">{delete}</button></form></li>',
        id=reply.id,
        fields=_fields(ctx, f"reply-{reply.id}", reply.language, reply.title, reply.body),
        save=t("replies.save"),
        csrf=csrf_field(ctx),
        delete=t("replies.delete"),
    )


def replies_page(ctx: PageContext, replies: list[CannedReply]) -> Html:
    """Every canned reply (by language, then title) and the form for a new one."""
    t = ctx.t
    items = join(_reply(ctx, reply) for reply in replies) or render(
        '<li class="empty">{none}</li>', none=t("replies.none")
    )
    body = render(
        "<h1>{title}</h1><p>{intro}</p>"
        '<section class="panel"><ol class="canned-replies" id="reply-list">{items}</ol></section>'
        '<section class="panel"><h2>{add_title}</h2>'
        '<form method="post" action="/replies" class="stack" id="add-reply">{fields}'
        '<button type="submit" id="add-reply-submit">{add}</button></form></section>',
        title=t("replies.page_title"),
        intro=t("replies.intro", placeholders=", ".join(f"{{{p}}}" for p in PLACEHOLDERS)),
        items=items,
        add_title=t("replies.add_title"),
        fields=_fields(ctx, "new", t.language, "", ""),
        add=t("replies.add"),
    )
    return page(ctx, t("replies.page_title"), body, page_id="replies")
