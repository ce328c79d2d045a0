"""The Tickets pages: open complaint tickets, one ticket, and an agent's update of it.

Like every page, these need a signed-in agent, and each POST the session's CSRF
token (``auth.identify`` checks both before a handler runs).
"""

from __future__ import annotations

import re

from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, html, redirect

from bot.billing.port import TicketStatus
from bot.billing.ticket_policy import MAX_UPDATE
from bot.console.access.sessions import Flash
from bot.console.notes.routes import ticket_notes
from bot.console.tickets.view import SETTABLE, ticket_page, tickets_page
from bot.console.web.context import console_of, page_context, session_of, translator
from bot.console.web.layout import PageContext, error_page
from bot.tickets.desk import Delivery, TicketDesk, TicketDeskError

TICKETS_PATH = "/tickets"
TICKET_ID = re.compile(r"TK\d{10}", re.IGNORECASE)
DONE = {
    Delivery.SENT: ("flash.ticket_sent", "ok"),
    Delivery.NOT_SENT: ("flash.ticket_noted", "ok"),
    Delivery.FAILED: ("flash.ticket_failed", "error"),
}


async def _context(request: Request) -> PageContext:
    console, session = console_of(request), session_of(request)
    flash = await console.sessions.pop_flash(session.token) if session else None
    return page_context(request, flash)


def _desk(request: Request) -> TicketDesk | None:
    return console_of(request).tickets


async def tickets(request: Request) -> HTTPResponse:
    """GET /tickets: tickets being worked, overdue first."""
    ctx, desk = await _context(request), _desk(request)
    if desk is None:
        return html(error_page(ctx, ctx.t("tickets.unavailable")), status=404)
    try:
        items = await desk.open_tickets()
    except TicketDeskError as error:
        return html(error_page(ctx, ctx.t("flash.desk_error", detail=str(error))), status=503)
    return html(tickets_page(ctx, items))


async def ticket(request: Request, ticket_id: str) -> HTTPResponse:
    """GET /tickets/<id>: the ticket, its updates and the update form."""
    ctx, desk = await _context(request), _desk(request)
    if desk is None or not TICKET_ID.fullmatch(ticket_id):
        return html(error_page(ctx, ctx.t("error.not_found")), status=404)
    try:
        view = await desk.ticket(ticket_id.upper())
    except TicketDeskError as error:
        return html(error_page(ctx, ctx.t("flash.desk_error", detail=str(error))), status=404)
    notes = await ticket_notes(request, view.item.ticket.ticket_id)  # internal notes
    return html(ticket_page(ctx, view, notes=notes))


def _status(value: str) -> TicketStatus | None:
    """The status chosen in the form; "" keeps the ticket's."""
    if not value:
        return None
    chosen = next((s for s in SETTABLE if s.value == value), None)
    if chosen is None:
        raise TicketDeskError(f"not a status an agent can set: {value[:32]}")
    return chosen


async def update(request: Request, ticket_id: str) -> HTTPResponse:
    """POST /tickets/<id>/update with ``text`` and ``status``; back to the ticket."""
    console, t, desk = console_of(request), translator(request), _desk(request)
    session = session_of(request)
    if desk is None or session is None or not TICKET_ID.fullmatch(ticket_id):
        return html(error_page(page_context(request), t("error.not_found")), status=404)
    ticket_id = ticket_id.upper()
    text = (request.form.get("text") or "").strip()
    try:
        status = _status(request.form.get("status") or "")
        if len(text) > MAX_UPDATE:
            flash = Flash(t("flash.too_long", limit=MAX_UPDATE), "error")
        elif status == TicketStatus.CLOSED and not text:
            flash = Flash(t("tickets.note_required"), "error")
        elif status is None and not text:
            flash = Flash(t("flash.empty"), "error")
        else:
            key, kind = DONE[await desk.update(ticket_id, session.agent, text, status)]
            flash = Flash(t(key), kind)
    except TicketDeskError as error:
        flash = Flash(t("flash.desk_error", detail=str(error)), "error")
    await console.sessions.set_flash(session.token, flash)
    return redirect(f"{TICKETS_PATH}/{ticket_id}", status=303)


async def credit(request: Request, ticket_id: str) -> HTTPResponse:
    """POST /tickets/<id>/credit with ``decision`` (approve or decline) and, to decline,
    the reason in ``text``; back to the ticket."""
    console, t, desk = console_of(request), translator(request), _desk(request)
    session = session_of(request)
    if desk is None or session is None or not TICKET_ID.fullmatch(ticket_id):
        return html(error_page(page_context(request), t("error.not_found")), status=404)
    ticket_id = ticket_id.upper()
    decision = request.form.get("decision") or ""
    reason = (request.form.get("text") or "").strip()
    try:
        if decision == "approve":
            delivery = await desk.approve_credit(ticket_id, session.agent)
        elif decision != "decline":
            raise TicketDeskError(f"not a decision: {decision[:32]}")
        elif not reason or len(reason) > MAX_UPDATE:
            delivery = None
        else:
            delivery = await desk.decline_credit(ticket_id, session.agent, reason)
        if delivery is None:
            flash = Flash(t("credit.reason_required"), "error")
        else:
            key, kind = DONE[delivery]
            flash = Flash(t(key), kind)
    except TicketDeskError as error:
        flash = Flash(t("flash.desk_error", detail=str(error)), "error")
    await console.sessions.set_flash(session.token, flash)
    return redirect(f"{TICKETS_PATH}/{ticket_id}", status=303)


def register(app: Sanic) -> None:
    """Add the ticket routes."""
    app.add_route(tickets, TICKETS_PATH, methods=["GET"])
    app.add_route(ticket, f"{TICKETS_PATH}/<ticket_id:str>", methods=["GET"])
    app.add_route(update, f"{TICKETS_PATH}/<ticket_id:str>/update", methods=["POST"])
    app.add_route(credit, f"{TICKETS_PATH}/<ticket_id:str>/credit", methods=["POST"])
