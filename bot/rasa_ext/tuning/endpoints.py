"""Calls to the action server reuse one HTTP client session and its connections.

Rasa 3.6 opens a new ``aiohttp.ClientSession`` for every call to an endpoint (the
action server on every custom action): a new connection pool, a new TCP connection
and its teardown each time, a twelfth of the Rasa server's CPU under load (py-spy,
docs/performance.md, "Where the time went"). Here ``EndpointConfig.session()`` hands out
one kept session per endpoint and event loop, created as Rasa creates it (headers, basic auth,
timeout); ``async with`` no longer closes it, so connections are kept alive between
calls. Request bodies (the whole conversation, for every custom action) are encoded
by ``bot.rasa_ext.fastjson`` (ujson). Sessions are closed when the
Rasa server stops, by the listener the channels put on their blueprints
(``bot.channels.lifecycle``).
"""

from __future__ import annotations

import asyncio
import weakref
from typing import Any

import aiohttp
from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT
from rasa.utils.endpoints import EndpointConfig

from bot.rasa_ext import fastjson

_RASA_SESSION = EndpointConfig.session
_ATTRIBUTE = "_project_sessions"
_KEPT: list[aiohttp.ClientSession] = []  # every session handed out, to close at the end


class _KeptSession:
    """What ``session()`` returns: usable with ``async with`` (and as the session)."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self._session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self._session

    async def __aexit__(self, *_exc: object) -> None:
        return None  # kept open for the next call

    def __getattr__(self, name: str) -> Any:
        return getattr(self._session, name)


def kept_session(endpoint: EndpointConfig) -> Any:
    """``EndpointConfig.session`` that reuses the session made for this loop."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # no loop: nothing to keep it on
        return _RASA_SESSION(endpoint)
    sessions: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, aiohttp.ClientSession]
    sessions = endpoint.__dict__.setdefault(_ATTRIBUTE, weakref.WeakKeyDictionary())
    session = sessions.get(loop)
    if session is None or session.closed:
        session = _new_session(endpoint)
        sessions[loop] = session
        _KEPT.append(session)
    return _KeptSession(session)


def _new_session(endpoint: EndpointConfig) -> aiohttp.ClientSession:
    """A session configured as Rasa's ``EndpointConfig.session`` configures it."""
    auth = None
    if endpoint.basic_auth:
        auth = aiohttp.BasicAuth(endpoint.basic_auth["username"], endpoint.basic_auth["password"])
    return aiohttp.ClientSession(
        headers=endpoint.headers,
        auth=auth,
        timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
        json_serialize=fastjson.dumps_body,
    )


async def close_kept_sessions() -> None:
    """Close the sessions handed out so far."""
    while _KEPT:
        session = _KEPT.pop()
        if not session.closed:
            await session.close()
