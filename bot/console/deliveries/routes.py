"""The Deliveries page's routes: list undelivered SMS, send a given-up one again.

Like every page they need a signed-in agent, and the POST the session's CSRF token
(``auth.identify`` checks both before a handler runs).
"""

from __future__ import annotations

from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, html, redirect

from bot.console.access.sessions import Flash
from bot.console.deliveries.view import DELIVERIES_PATH, deliveries_page
from bot.console.web.context import console_of, page_context, session_of
from bot.console.web.pager import LIST_PAGE_SIZE, offset_of, page_number, page_path
from bot.storage.paging import Slice


async def deliveries(request: Request) -> HTTPResponse:
    """GET /deliveries?page=N: one page of undelivered SMS (``LIST_PAGE_SIZE``)."""
    console = console_of(request)
    session = session_of(request)
    flash = await console.sessions.pop_flash(session.token) if session else None
    ctx = page_context(request, flash)
    outbox, page = console.sms_outbox, page_number(request)
    found = (
        await outbox.failures_slice(LIST_PAGE_SIZE, offset_of(page))
        if outbox is not None
        else Slice([], False)
    )
    return html(deliveries_page(ctx, found, page))


async def retry(request: Request, message_id: str) -> HTTPResponse:
    """POST /deliveries/<id>/retry?page=N: the Rasa server's sweep sends it within seconds;
    back to page N."""
    console, ctx = console_of(request), page_context(request)
    outbox = console.sms_outbox
    if outbox is None:
        flash = Flash(ctx.t("deliveries.flash_unavailable"), "error")
    elif await outbox.send_again(message_id):
        flash = Flash(ctx.t("deliveries.flash_queued"), "ok")
    else:
        flash = Flash(ctx.t("deliveries.flash_not_failed"), "error")
    session = session_of(request)
    if session is not None:
        await console.sessions.set_flash(session.token, flash)
    return redirect(page_path(DELIVERIES_PATH, page_number(request)), status=303)


def register(app: Sanic) -> None:
    """Add the deliveries routes."""
    app.add_route(deliveries, DELIVERIES_PATH, methods=["GET"])
    app.add_route(retry, "/deliveries/<message_id:str>/retry", methods=["POST"])
