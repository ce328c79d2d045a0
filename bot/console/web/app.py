"""The Sanic application: routes, middleware, static files and friendly errors."""

from __future__ import annotations

import logging
from pathlib import Path

from sanic import Sanic
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import HTTPResponse, html, json, raw

from bot.console.access import agents_view, auth, password_view  # agents, passwords
from bot.console.access import preferences_view as routes_preferences
from bot.console.access import presence as routes_presence
from bot.console.cases import routes
from bot.console.cases import transfer as routes_transfer
from bot.console.deliveries import routes as routes_deliveries
from bot.console.live import stream as routes_live
from bot.console.notes import routes as routes_notes
from bot.console.replies import routes as routes_replies
from bot.console.review import routes as routes_review
from bot.console.tickets import routes as routes_tickets
from bot.console.web.context import Console, page_context, translator
from bot.console.web.layout import error_page
from bot.console.web.security import add_security_headers
from bot.metrics import bearer_matches, exposition

STATIC = Path(__file__).resolve().parent.parent / "static"
STATIC_FILES = {
    "console.js": "application/javascript; charset=utf-8",
    "console.css": "text/css; charset=utf-8",
}
MAX_REQUEST_BYTES = 64 * 1024

log = logging.getLogger(__name__)


async def health(_request: Request) -> HTTPResponse:
    """GET /health: the readiness check (public, says nothing about the desk)."""
    return json({"status": "ok"})


async def metrics(request: Request) -> HTTPResponse:
    """GET /metrics: Prometheus figures, only with ``Authorization: Bearer $METRICS_TOKEN``."""
    token = request.app.ctx.console.settings.metrics_token
    if not token:
        return json({"error": "not found"}, status=404)
    if not bearer_matches(request.headers.get("authorization"), token):
        return json({"error": "unauthorized"}, status=401, headers={"WWW-Authenticate": "Bearer"})
    body, content_type = exposition()
    return raw(body, content_type=content_type)


async def static(_request: Request, name: str) -> HTTPResponse:
    """GET /static/<name>: the console's script and stylesheet, nothing else."""
    if name not in STATIC_FILES:
        return json({"error": "not found"}, status=404)
    body = (STATIC / name).read_bytes()
    response = raw(body, content_type=STATIC_FILES[name])
    response.headers["Cache-Control"] = "no-cache"
    return response


async def on_error(request: Request, exception: Exception) -> HTTPResponse:
    """Every error as a short page (or JSON under /api/), never a stack trace."""
    status = exception.status_code if isinstance(exception, SanicException) else 500
    if status >= 500:
        log.exception("console error on %s %s", request.method, request.path, exc_info=exception)
    t = translator(request)
    if status in (404, 405):
        message = t("error.not_found")
    elif status < 500:
        message = str(exception) or t("error.server")  # Sanic's own words, e.g. too large
    else:
        message = t("error.server")
    if request.path.startswith("/api/"):
        return json({"error": message}, status=status)
    return html(error_page(page_context(request), message), status=status)


def create_app(console: Console, name: str = "agent_console") -> Sanic:
    """The console over ``console.desk``; ``name`` must be unique in the process."""
    app = Sanic(name, configure_logging=False)
    app.config.REQUEST_MAX_SIZE = MAX_REQUEST_BYTES
    app.ctx.console = console
    auth.register(app)
    routes.register(app)
    routes_review.register(app)
    password_view.register(app)  # an agent's own password
    agents_view.register(app)  # supervisors manage agents
    routes_replies.register(app)  # canned replies
    routes_notes.register(app)  # internal notes
    routes_tickets.register(app)
    routes_deliveries.register(app)
    routes_preferences.register(app)  # /preferences
    routes_live.register(app)  # /api/live
    routes_transfer.register(app)  # /cases/<id>/transfer
    routes_presence.register(app)  # /presence
    app.register_middleware(add_security_headers, "response")
    app.add_route(health, "/health", methods=["GET"])
    app.add_route(metrics, "/metrics", methods=["GET"])
    app.add_route(static, "/static/<name:str>", methods=["GET"])
    app.error_handler.add(Exception, on_error)
    return app
