"""The agent's pages and their JSON twins: queue, case (claim, reply, resolve), dashboard."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, html, json, redirect

from bot.console.access.roles import is_supervisor, visible_queue
from bot.console.access.sessions import AgentSession, Flash
from bot.console.cases.case_view import NOTE_LIMIT, REPLY_LIMIT, case_json, case_page
from bot.console.cases.queue_view import queue_json, queue_page
from bot.console.cases.transfer import case_transfers, with_case_transfers
from bot.console.dashboard.agents import agent_figures_json
from bot.console.dashboard.view import dashboard_json, dashboard_page
from bot.console.notes.routes import case_notes
from bot.console.replies.fill import unfilled
from bot.console.replies.routes import case_replies
from bot.console.web.context import console_of, page_context, session_of, translator
from bot.console.web.layout import PageContext, error_page
from bot.console.web.pager import page_number
from bot.handoff.desk import DeskError
from bot.handoff.stats import AgentFigures


def _agent(request: Request) -> AgentSession:
    session = session_of(request)
    if session is None:  # the middleware lets no such request through
        raise PermissionError("no session")
    return session


async def _page_context(request: Request) -> PageContext:
    flash = await console_of(request).sessions.pop_flash(_agent(request).token)
    return page_context(request, flash)


def _desk_error(request: Request, error: DeskError) -> Flash:
    return Flash(translator(request)("flash.desk_error", detail=str(error)), "error")


async def queue(request: Request) -> HTTPResponse:
    """GET /?page=N: a page of waiting cases, and claimed ones."""
    found = await console_of(request).desk.queue(page_number(request))
    found = visible_queue(request, found)  # agents see their own claimed cases
    return html(queue_page(await _page_context(request), found))


async def queue_api(request: Request) -> HTTPResponse:
    """GET /api/queue?page=N: what the queue page polls."""
    found = await console_of(request).desk.queue(page_number(request))
    found = visible_queue(request, found)
    return json(queue_json(translator(request), found))


async def case(request: Request, case_id: int) -> HTTPResponse:
    """GET /cases/<id>: the case, or a friendly page if the desk cannot show it."""
    ctx = await _page_context(request)
    try:
        view = await console_of(request).desk.case(case_id)
    except DeskError as error:
        return html(error_page(ctx, _desk_error(request, error).text), status=404)
    source = console_of(request).case_context  # read by this page only, not polled
    context = await source.read(view.summary.case) if source is not None else None
    notes, replies = await case_notes(request, case_id), await case_replies(request, view)
    view, transfer = await case_transfers(request, ctx, view)  # the transfer form and its lines
    return html(
        case_page(ctx, view, context=context, notes=notes, replies=replies, transfer=transfer)
    )


async def case_api(request: Request, case_id: int) -> HTTPResponse:
    """GET /api/cases/<id>: status and transcript, polled by the case page."""
    try:
        view = await console_of(request).desk.case(case_id)
    except DeskError as error:
        return json({"error": str(error)}, status=404)
    view = await with_case_transfers(request, view)  # its lines in the transcript
    return json(case_json(translator(request), view))


class FormProblem(Exception):
    """A form field the agent must fix (shown as the flash)."""


def _text(request: Request, field: str, limit: int, *, required: bool) -> str:
    t = translator(request)
    text = (request.form.get(field) or "").strip()
    if required and not text:
        raise FormProblem(t("flash.empty"))
    if len(text) > limit:
        raise FormProblem(t("flash.too_long", limit=limit))
    return text


async def _act(
    request: Request,
    case_id: int,
    work: Callable[[str], Awaitable[None]],
    done: str,
    target: str | None = None,
) -> HTTPResponse:
    """Run one desk action as the agent; an error becomes the flash of the case page."""
    console, session, t = console_of(request), _agent(request), translator(request)
    case_page_path = f"/cases/{case_id}"
    try:
        await work(session.agent)
        flash = Flash(t(done), "ok")
    except (DeskError, FormProblem) as error:
        flash, target = _problem(request, error), case_page_path
    await console.sessions.set_flash(session.token, flash)
    return redirect(target or case_page_path, status=303)


def _problem(request: Request, error: Exception) -> Flash:
    if isinstance(error, DeskError):
        return _desk_error(request, error)
    return Flash(str(error), "error")


async def claim(request: Request, case_id: int) -> HTTPResponse:
    """POST /cases/<id>/claim."""
    desk = console_of(request).desk

    async def work(agent: str) -> None:
        await desk.claim(case_id, agent)

    return await _act(request, case_id, work, "flash.claimed")


async def reply(request: Request, case_id: int) -> HTTPResponse:
    """POST /cases/<id>/reply (the claiming agent only: the desk checks)."""
    desk = console_of(request).desk

    async def work(agent: str) -> None:
        text = _text(request, "text", REPLY_LIMIT, required=True)
        left = unfilled(text)  # a canned reply's placeholder nobody filled
        if left:
            raise FormProblem(translator(request)("replies.unfilled", left=", ".join(left)))
        await desk.reply(case_id, agent, text)

    return await _act(request, case_id, work, "flash.sent")


async def resolve(request: Request, case_id: int) -> HTTPResponse:
    """POST /cases/<id>/resolve with a note (the claiming agent only); back to the queue."""
    desk = console_of(request).desk

    async def work(agent: str) -> None:
        await desk.resolve(case_id, agent, _text(request, "note", NOTE_LIMIT, required=False))

    return await _act(request, case_id, work, "flash.resolved", target="/")


async def _per_agent(request: Request) -> list[AgentFigures] | None:
    """Per-agent figures for a supervisor (None for an agent, or when not offered)."""
    figures = console_of(request).figures
    return await figures.per_agent() if figures is not None and is_supervisor(request) else None


async def dashboard(request: Request) -> HTTPResponse:
    """GET /dashboard."""
    board = await console_of(request).desk.dashboard()
    per_agent = await _per_agent(request)  # supervisors only
    return html(dashboard_page(await _page_context(request), board, per_agent))


async def dashboard_api(request: Request) -> HTTPResponse:
    """GET /api/dashboard."""
    body = dashboard_json(await console_of(request).desk.dashboard())
    per_agent = await _per_agent(request)  # supervisors only
    if per_agent is not None:
        body["agents"] = agent_figures_json(per_agent)
    return json(body)


def register(app: Sanic) -> None:
    """Add the agent's routes."""
    app.add_route(queue, "/", methods=["GET"])
    app.add_route(queue_api, "/api/queue", methods=["GET"])
    app.add_route(case, "/cases/<case_id:int>", methods=["GET"])
    app.add_route(case_api, "/api/cases/<case_id:int>", methods=["GET"])
    app.add_route(claim, "/cases/<case_id:int>/claim", methods=["POST"])
    app.add_route(reply, "/cases/<case_id:int>/reply", methods=["POST"])
    app.add_route(resolve, "/cases/<case_id:int>/resolve", methods=["POST"])
    app.add_route(dashboard, "/dashboard", methods=["GET"])
    app.add_route(dashboard_api, "/api/dashboard", methods=["GET"])
