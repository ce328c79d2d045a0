"""The Review page: list open messages, label one with an intent, or dismiss it.

Like every page, these need a signed-in agent, and each POST the session's CSRF
token (``auth.identify`` checks both before a handler runs).
"""

from __future__ import annotations

from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, html, redirect

from bot.console.access.sessions import Flash
from bot.console.review.view import REVIEW_PATH, review_page
from bot.console.web.context import console_of, page_context, session_of, translator
from bot.console.web.pager import LIST_PAGE_SIZE, offset_of, page_number, page_path
from bot.review.store import ReviewError


def _agent(request: Request) -> str:
    session = session_of(request)
    if session is None:  # the middleware lets no such request through
        raise PermissionError("no session")
    return session.agent


async def review(request: Request) -> HTTPResponse:
    """GET /review?page=N: new candidates are read from the tracker store, then one page
    of open items (``LIST_PAGE_SIZE``)."""
    console = console_of(request)
    session = session_of(request)
    flash = await console.sessions.pop_flash(session.token) if session else None
    page = page_number(request)
    found = await console.review.open_slice(LIST_PAGE_SIZE, offset_of(page))
    ctx = page_context(request, flash)
    return html(review_page(ctx, found, page, console.review.intents))


async def _decide(request: Request, item_id: int, *, dismiss: bool) -> HTTPResponse:
    console, t, agent = console_of(request), translator(request), _agent(request)
    try:
        if dismiss:
            await console.review.dismiss(item_id, agent)
            flash = Flash(t("flash.dismissed"), "ok")
        else:
            intent = (request.form.get("intent") or "").strip()
            await console.review.label(item_id, intent, agent)
            flash = Flash(t("flash.labelled", intent=intent), "ok")
    except ReviewError as error:
        flash = Flash(t("flash.review_error", detail=str(error)), "error")
    session = session_of(request)
    if session is not None:
        await console.sessions.set_flash(session.token, flash)
    return redirect(page_path(REVIEW_PATH, page_number(request)), status=303)


async def label(request: Request, item_id: int) -> HTTPResponse:
    """POST /review/<id>/label?page=N with ``intent``: one of the domain's intents or
    out_of_scope; back to page N."""
    return await _decide(request, item_id, dismiss=False)


async def dismiss(request: Request, item_id: int) -> HTTPResponse:
    """POST /review/<id>/dismiss?page=N; back to page N."""
    return await _decide(request, item_id, dismiss=True)


def register(app: Sanic) -> None:
    """Add the review routes."""
    app.add_route(review, REVIEW_PATH, methods=["GET"])
    app.add_route(label, "/review/<item_id:int>/label", methods=["POST"])
    app.add_route(dismiss, "/review/<item_id:int>/dismiss", methods=["POST"])
