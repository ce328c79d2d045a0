"""The Deliveries page's routes: list undelivered SMS, send a given-up one again.

Like every page they need a signed-in agent, and the POST the session's CSRF token
(``auth.identify`` checks both before a handler runs).
"""

from __future__ import annotations

from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, html, redirect

from bot.console.context import console_of, page_context, session_of
from bot.console.sessions import Flash
from bot.console.view_deliveries import deliveries_page

DELIVERIES_PATH = "/deliveries"


async def deliveries(request: Request) -> HTTPResponse:
    """GET /deliveries."""
    console = console_of(request)
    session = session_of(request)
    flash = await console.sessions.pop_flash(session.token) if session else None
    ctx = page_context(request, flash)
    outbox = console.sms_outbox
    messages = await outbox.failures() if outbox is not None else []
    return html(deliveries_page(ctx, messages))


async def retry(request: Request, message_id: str) -> HTTPResponse:
    """POST /deliveries/<id>/retry: the Rasa server's sweep sends it within seconds."""
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
    return redirect(DELIVERIES_PATH, status=303)


def register(app: Sanic) -> None:
    """Add the deliveries routes."""
    app.add_route(deliveries, DELIVERIES_PATH, methods=["GET"])
    app.add_route(retry, "/deliveries/<message_id:str>/retry", methods=["POST"])
