"""The nav's presence toggle: an agent sets themselves available or away.

``POST /presence`` with ``presence`` = ``available`` | ``away`` (``bot.handoff.presence``
stores it and logs a ``PRESENCE`` desk event); the toggle itself is drawn by the page shell
(``bot.console.web.layout``). Away agents, and agents not signed in, do not count as able
to answer: with none left, customers asking for a person are told when someone will.
"""

from __future__ import annotations

from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, redirect

from bot.console.access.sessions import Flash
from bot.console.web.context import console_of, session_of, translator
from bot.console.web.layout import local_path
from bot.handoff.presence import PRESENCES, PresenceError


def _back(request: Request) -> str:
    """The page the toggle was on (a path of this console only), else the queue."""
    referer = request.headers.get("referer") or ""
    host = request.headers.get("host") or ""
    _, _, rest = referer.partition("://")
    if host and rest.startswith(host):
        return local_path(rest[len(host) :])
    return "/"


async def set_presence(request: Request) -> HTTPResponse:
    """POST /presence: available or away."""
    console, session, t = console_of(request), session_of(request), translator(request)
    if session is None or console.presence is None:
        return redirect("/", status=303)
    presence = (request.form.get("presence") or "").strip()
    try:
        if presence not in PRESENCES:
            raise PresenceError(presence)
        await console.presence.set(session.agent, presence)
        flash = Flash(t(f"presence.now_{presence}"), "ok")
    except PresenceError:
        flash = Flash(t("presence.refused"), "error")
    await console.sessions.set_flash(session.token, flash)
    return redirect(_back(request), status=303)


def register(app: Sanic) -> None:
    """Add the presence route."""
    app.add_route(set_presence, "/presence", methods=["POST"])
