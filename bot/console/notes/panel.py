"""The internal notes panel of the case and ticket pages: the notes, and a form to add one."""

from __future__ import annotations

from bot.console.notes.store import NOTE_LIMIT, DeskNote
from bot.console.web.layout import PageContext, csrf_field
from bot.console.web.markup import Html, join, render


def notes_panel(ctx: PageContext, notes: list[DeskNote] | None, action: str) -> Html:
    """``<section id="notes">``: each note with author and time; the form posts to ``action``
    (nothing when notes are not offered, ``notes`` None)."""
    if notes is None:
        return Html("")
    t = ctx.t
    if notes:
        items = join(
            render(
                '<li class="desk-note"><span class="who">{agent}</span> '
                '<time datetime="{iso}">{time}</time><p class="text">{body}</p></li>',
                agent=note.agent,
                iso=t.iso(note.created_at),
                time=t.time(note.created_at),
                body=note.body,
            )
            for note in notes
        )
    else:
        items = render('<li class="empty">{none}</li>', none=t("notes.none"))
    return render(
        '<section class="panel" id="notes"><h2>{title}</h2><p class="note">{hint}</p>'
        '<ol class="notes" id="note-list">{items}</ol>'
        '<form method="post" action="{action}" class="stack" id="note-form">{csrf}'
        '<label for="note-text">{add}</label>'
        '<textarea id="note-text" name="body" rows="2" maxlength="{limit}" required></textarea>'
        '<button type="submit" id="add-note">{submit}</button></form></section>',
        title=t("notes.title"),
        hint=t("notes.hint"),
        items=items,
        action=action,
        csrf=csrf_field(ctx),
        add=t("notes.add"),
        limit=NOTE_LIMIT,
        submit=t("notes.submit"),
    )
