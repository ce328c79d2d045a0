"""GET /api/live: the desk's changes as Server-Sent Events, for a signed-in agent only.

The auth middleware refuses the stream without a session (401, as for every ``/api/``
path). Each entry of the log is one ``desk`` event whose ``id`` is the entry's id, so a
browser that reconnects sends ``Last-Event-ID`` and gets what it missed; a comment every
``LiveHub.heartbeat`` seconds keeps proxies from closing an idle stream, and checks the session is
still alive (a signed-out agent gets ``signed_out`` and the stream ends).
"""

from __future__ import annotations

import asyncio
import json as jsonlib
from typing import Any

from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, json

from bot.console.live.hub import LiveHub, Subscriber
from bot.console.web.context import console_of, session_of
from bot.handoff.desk_events import DeskEvent

LIVE_PATH = "/api/live"
RETRY_MS = 1000  # how soon a browser reconnects
HEADERS = {"X-Accel-Buffering": "no"}  # nginx: pass each event on at once


def event_frame(event: DeskEvent) -> str:
    """One log entry as an SSE ``desk`` event."""
    data = {
        "id": event.id,
        "kind": event.kind,
        "handoff_id": event.handoff_id,
        "ticket_id": event.ticket_id,
        "agent": event.agent,
        "at": event.created_at.isoformat(),
    }
    return f"id: {event.id}\nevent: desk\ndata: {jsonlib.dumps(data, ensure_ascii=False)}\n\n"


def control_frame(name: str) -> str:
    """An event without an id: ``reset`` (reload everything) or ``signed_out``."""
    return f"event: {name}\ndata: {{}}\n\n"


def resume_after(request: Request) -> int | None:
    """Where a reconnecting browser left off (``Last-Event-ID``, or ``?after=``)."""
    raw = request.headers.get("last-event-id") or request.args.get("after") or ""
    raw = raw.strip()
    return int(raw) if raw.isdigit() and len(raw) < 19 else None


async def live(request: Request) -> HTTPResponse | None:
    """The stream; it ends when the browser goes away, falls behind or signs out."""
    console = console_of(request)
    hub: LiveHub | None = console.live
    session = session_of(request)
    if hub is None or session is None:  # no session: the middleware answered already
        return json({"error": "not found"}, status=404)
    after = resume_after(request)
    subscriber = await hub.subscribe()
    try:
        response = await request.respond(
            content_type="text/event-stream; charset=utf-8", headers=HEADERS
        )
        await response.send(f"retry: {RETRY_MS}\n: live\n\n")
        last = after if after is not None else hub.cursor or 0
        if after is not None:
            missed = await hub.backlog(after)
            for event in missed:
                await response.send(event_frame(event))
                last = event.id
            if len(missed) >= hub.batch:  # more than a reconnect should replay
                await response.send(control_frame("reset"))
        await _follow(request, response, subscriber, last, hub.heartbeat)
        await response.eof()
    finally:
        hub.unsubscribe(subscriber)
    return None


async def _follow(
    request: Request, response: Any, subscriber: Subscriber, last: int, heartbeat: float
) -> None:
    console, session = console_of(request), session_of(request)
    assert session is not None
    loop = asyncio.get_running_loop()
    beat = loop.time() + heartbeat
    while True:
        event = await subscriber.next(max(0.0, beat - loop.time()))
        if event is not None and event.id > last:
            await response.send(event_frame(event))
            last = event.id
        if subscriber.lost:
            return  # the browser reconnects and catches up from the log
        if loop.time() < beat:
            continue
        if await console.sessions.get(session.token) is None:
            await response.send(control_frame("signed_out"))
            return
        await response.send(": ping\n\n")
        beat = loop.time() + heartbeat


def register(app: Sanic) -> None:
    """Add the stream, and stop the process's tail with the server."""

    async def stop(app: Sanic, _loop: Any) -> None:
        hub: LiveHub | None = app.ctx.console.live
        if hub is not None:
            await hub.stop()

    app.add_route(live, LIVE_PATH, methods=["GET"])
    app.register_listener(stop, "before_server_stop")
