"""Canned replies: the supervisors' page (list, add, edit, delete) and the case page's picker."""

from __future__ import annotations

from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, html, redirect

from bot.console.access.roles import supervisor_only
from bot.console.access.sessions import Flash
from bot.console.replies.fill import CaseValues
from bot.console.replies.picker import FilledReply, filled
from bot.console.replies.store import CannedReplies, ReplyProblem
from bot.console.replies.views import replies_page
from bot.console.web.context import console_of, page_context, session_of, translator
from bot.console.web.layout import error_page
from bot.handoff.desk import CaseView

REPLIES_PATH = "/replies"


async def case_values(request: Request, view: CaseView) -> CaseValues:
    """The placeholders' values of a case: the customer's name and balance, latest ticket."""
    profile = view.profile
    if profile is None:
        return CaseValues()
    ticket = profile.open_tickets[0].ticket_id if profile.open_tickets else None
    latest = console_of(request).latest_ticket
    if latest is not None:
        ticket = await latest(profile.msisdn) or ticket
    return CaseValues(name=profile.name, balance=profile.balance, ticket=ticket)


async def case_replies(request: Request, view: CaseView) -> list[FilledReply] | None:
    """The case's language's replies, filled (None when the console offers none)."""
    store = console_of(request).replies
    if store is None:
        return None
    replies = await store.list(view.summary.case.language)
    return filled(replies, await case_values(request, view))


async def _flash_back(request: Request, flash: Flash) -> HTTPResponse:
    session = session_of(request)
    if session is not None:
        await console_of(request).sessions.set_flash(session.token, flash)
    return redirect(REPLIES_PATH, status=303)


def _store(request: Request) -> CannedReplies:
    store = console_of(request).replies
    if store is None:
        raise LookupError("canned replies are not offered")
    return store


def _form(request: Request) -> tuple[str, str, str]:
    form = request.form
    return form.get("language") or "", form.get("title") or "", form.get("body") or ""


@supervisor_only
async def replies(request: Request) -> HTTPResponse:
    """GET /replies."""
    console, session = console_of(request), session_of(request)
    flash = await console.sessions.pop_flash(session.token) if session else None
    ctx = page_context(request, flash)
    if console.replies is None:
        return html(error_page(ctx, ctx.t("error.not_found")), status=404)
    return html(replies_page(ctx, await console.replies.list()))


@supervisor_only
async def add(request: Request) -> HTTPResponse:
    """POST /replies: a new reply."""
    t, session = translator(request), session_of(request)
    try:
        await _store(request).add(*_form(request), by=session.agent if session else "")
    except ReplyProblem as problem:
        return await _flash_back(request, Flash(t("replies.invalid", detail=str(problem)), "error"))
    return await _flash_back(request, Flash(t("replies.added"), "ok"))


@supervisor_only
async def edit(request: Request, reply_id: int) -> HTTPResponse:
    """POST /replies/<id>: change a reply."""
    t = translator(request)
    try:
        found = await _store(request).update(reply_id, *_form(request))
    except ReplyProblem as problem:
        return await _flash_back(request, Flash(t("replies.invalid", detail=str(problem)), "error"))
    flash = Flash(t("replies.saved"), "ok") if found else Flash(t("error.not_found"), "error")
    return await _flash_back(request, flash)


@supervisor_only
async def delete(request: Request, reply_id: int) -> HTTPResponse:
    """POST /replies/<id>/delete."""
    t = translator(request)
    found = await _store(request).delete(reply_id)
    flash = Flash(t("replies.deleted"), "ok") if found else Flash(t("error.not_found"), "error")
    return await _flash_back(request, flash)


def register(app: Sanic) -> None:
    """Add the canned replies' routes."""
    app.add_route(replies, REPLIES_PATH, methods=["GET"], name="replies_list")
    app.add_route(add, REPLIES_PATH, methods=["POST"], name="replies_add")
    app.add_route(edit, "/replies/<reply_id:int>", methods=["POST"], name="replies_edit")
    app.add_route(delete, "/replies/<reply_id:int>/delete", methods=["POST"], name="replies_del")
