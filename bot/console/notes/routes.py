"""Internal notes: added from the case and ticket pages, loaded for them.

A note is stored and logged (``note_added``), never sent: nothing here talks to the customer.
"""

from __future__ import annotations

import re

from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, redirect

from bot.console.access.sessions import Flash
from bot.console.notes.store import NOTE_LIMIT, DeskNote, NoteProblem
from bot.console.web.context import console_of, session_of, translator
from bot.handoff.desk import DeskError

TICKET_ID = re.compile(r"TK\d{10}", re.IGNORECASE)


async def case_notes(request: Request, case_id: int) -> list[DeskNote] | None:
    """The case's notes (None when the console offers no notes)."""
    notes = console_of(request).notes
    return await notes.of_case(case_id) if notes is not None else None


async def ticket_notes(request: Request, ticket_id: str) -> list[DeskNote] | None:
    """The ticket's notes (None when the console offers no notes)."""
    notes = console_of(request).notes
    return await notes.of_ticket(ticket_id.upper()) if notes is not None else None


async def _add(
    request: Request, target: str, *, handoff_id: int | None = None, ticket_id: str | None = None
) -> HTTPResponse:
    console, session, t = console_of(request), session_of(request), translator(request)
    if session is None or console.notes is None:  # the middleware lets no such request through
        return redirect("/login", status=303)
    try:
        await console.notes.add(
            session.agent,
            request.form.get("body") or "",
            handoff_id=handoff_id,
            ticket_id=ticket_id,
        )
        flash = Flash(t("notes.added"), "ok")
    except NoteProblem:
        flash = Flash(t("notes.invalid", limit=NOTE_LIMIT), "error")
    await console.sessions.set_flash(session.token, flash)
    return redirect(f"{target}#notes", status=303)


async def add_case_note(request: Request, case_id: int) -> HTTPResponse:
    """POST /cases/<id>/notes: a note on a case the desk knows."""
    try:
        await console_of(request).desk.case(case_id)
    except DeskError:
        return redirect("/", status=303)
    return await _add(request, f"/cases/{case_id}", handoff_id=case_id)


async def add_ticket_note(request: Request, ticket_id: str) -> HTTPResponse:
    """POST /tickets/<id>/notes."""
    if not TICKET_ID.fullmatch(ticket_id):
        return redirect("/tickets", status=303)
    ticket_id = ticket_id.upper()
    return await _add(request, f"/tickets/{ticket_id}", ticket_id=ticket_id)


def register(app: Sanic) -> None:
    """Add the notes' routes."""
    app.add_route(add_case_note, "/cases/<case_id:int>/notes", methods=["POST"])
    app.add_route(add_ticket_note, "/tickets/<ticket_id:str>/notes", methods=["POST"])
