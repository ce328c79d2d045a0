"""The reply box's picker: the canned replies of the case's language, filled from the case.

``console.js`` puts the chosen reply in ``#reply-text``, where the agent edits it before sending.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.console.replies.fill import CaseValues, fill, unfilled
from bot.console.replies.store import CannedReply
from bot.console.web.i18n import Translator
from bot.console.web.markup import Html, join, render


@dataclass(frozen=True)
class FilledReply:
    """A canned reply with the case's values in it (``missing``: placeholders left)."""

    id: int
    title: str
    text: str
    missing: list[str]


def filled(replies: list[CannedReply], values: CaseValues) -> list[FilledReply]:
    """Each reply filled from the case."""
    done = [(reply, fill(reply.body, values)) for reply in replies]
    return [FilledReply(reply.id, reply.title, text, unfilled(text)) for reply, text in done]


def reply_picker(t: Translator, replies: list[FilledReply] | None) -> Html:
    """The ``<select id="canned-reply">`` (nothing without replies)."""
    if not replies:
        return Html("")
    options = join(
        render(
            '<option value="{id}" data-text="{text}" data-missing="{missing}">{title}</option>',
            id=reply.id,
            text=reply.text,
            missing=" ".join(reply.missing),
            title=reply.title + (f" ({t('replies.needs_fixing')})" if reply.missing else ""),
        )
        for reply in replies
    )
    return render(
        '<label for="canned-reply">{label}</label>'
        '<select id="canned-reply" data-warn="{warn}"><option value="">{choose}</option>'
        "{options}</select>",
        label=t("replies.pick"),
        warn=t("replies.unfilled_hint"),
        choose=t("replies.choose"),
        options=options,
    )
