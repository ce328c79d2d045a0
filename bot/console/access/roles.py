"""Who may do what: agents and supervisors (``agents.role``, read with the session).

Supervisors see every case, manage canned replies and agents, and see per-agent figures.
A handler for a supervisor page starts with::

    refused = require_supervisor(request)
    if refused is not None:
        return refused

or is wrapped in ``@supervisor_only``.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import replace
from functools import wraps
from typing import Any

from sanic.request import Request
from sanic.response import HTTPResponse, html, json

from bot.console.web.context import page_context, session_of, translator
from bot.console.web.layout import error_page
from bot.handoff.desk import QueuePage
from bot.handoff.queue import HandoffStatus

AGENT = "agent"
SUPERVISOR = "supervisor"
ROLES = (AGENT, SUPERVISOR)

Handler = Callable[..., Coroutine[Any, Any, HTTPResponse]]


def role_of(request: Request) -> str | None:
    """The signed-in agent's role, or None without a session."""
    session = session_of(request)
    return session.role if session is not None else None


def is_supervisor(request: Request) -> bool:
    """Whether the request comes from a signed-in supervisor."""
    return role_of(request) == SUPERVISOR


def refuse(request: Request) -> HTTPResponse:
    """403: a friendly page (JSON under ``/api/``) saying the page is for supervisors."""
    message = translator(request)("roles.forbidden")
    if request.path.startswith("/api/"):
        return json({"error": message}, status=403)
    return html(error_page(page_context(request), message), status=403)


def require_supervisor(request: Request) -> HTTPResponse | None:
    """None for a supervisor; otherwise the 403 response to return."""
    return None if is_supervisor(request) else refuse(request)


def visible_queue(request: Request, found: QueuePage) -> QueuePage:
    """The case list as the role sees it: a supervisor every open case with who holds it; an
    agent the waiting cases and their own claimed ones (of the page's claimed cases)."""
    session = session_of(request)
    if session is None or session.role == SUPERVISOR:
        return found
    kept = [
        s
        for s in found.summaries
        if s.case.status != HandoffStatus.CLAIMED or s.case.claimed_by == session.agent
    ]
    own = sum(1 for s in kept if s.case.status == HandoffStatus.CLAIMED)
    return replace(found, summaries=kept, claimed_total=own)


def supervisor_only(handler: Handler) -> Handler:
    """Decorate a route handler so that only supervisors reach it (others get 403)."""

    @wraps(handler)
    async def guarded(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
        refused = require_supervisor(request)
        if refused is not None:
            return refused
        return await handler(request, *args, **kwargs)

    return guarded
