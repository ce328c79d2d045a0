"""Client of Rasa's HTTP API: transcripts in, agent messages and resume out.

Every call carries a JWT the client signs itself (HS256 with ``RASA_JWT_SECRET``, which
Rasa runs with as ``--jwt-secret``; ``bot.rasa_ext.server``), valid for a minute, in the
``Authorization`` header: no secret rides in a URL, where access logs would keep it.
Its payload is what Rasa's ``requires_auth`` reads: ``user.role`` ``admin`` may call
every conversation's endpoints.

Conversation ids are percent-encoded (``/``, ``?``, ``#``, ``%`` and non-ASCII
included) and a bare ``.`` or ``..`` is refused: an id stays one path segment and can
never climb to or name another conversation. Rasa (Sanic) does not decode path
parameters, so an id that needs encoding reaches only a conversation of that literal,
encoded name; the desk refuses ids that do not have their channel's form in the first
place (``bot.domain.ids``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import httpx
import jwt

TOKEN_SECONDS = 60
JWT_METHOD = "HS256"


class RasaApiError(Exception):
    """Rasa's API refused or failed a call."""


def conversation_path(conversation_id: str, rest: str) -> str:
    """``/conversations/<encoded id>/<rest>``.

    Every character but letters, digits, ``-_.~`` and ``+`` is encoded; the channels'
    own ids (``+8613800000001``, ``tg-42``, ``web-<token>.<mac>``) need none, which
    matters because Rasa's routes take the path undecoded.
    """
    segment = quote(conversation_id, safe="+")
    if segment in ("", ".", ".."):
        raise RasaApiError(f"not a conversation id: {conversation_id!r}")
    return f"/conversations/{segment}/{rest}"


def admin_token(secret: str, username: str, now: float, seconds: int = TOKEN_SECONDS) -> str:
    """A JWT for Rasa's API: role ``admin``, expiring ``seconds`` after ``now``."""
    payload = {
        "user": {"username": username, "role": "admin"},
        "iat": int(now),
        "exp": int(now) + seconds,
    }
    return jwt.encode(payload, secret, algorithm=JWT_METHOD)


class RasaAdminClient:
    """``GET /conversations/{id}/tracker`` and ``POST .../tracker/events``."""

    def __init__(
        self,
        base_url: str,
        jwt_secret: str,
        timeout: float = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,
        username: str = "telecom-assistant",
        clock: Callable[[], float] = time.time,
    ) -> None:
        """``jwt_secret`` is Rasa's ``--jwt-secret``; ``username`` names the caller in it."""
        self._base = base_url.rstrip("/")
        self._secret = jwt_secret
        self._username = username
        self._clock = clock
        self._timeout = timeout
        self._transport = transport
        self._client: httpx.AsyncClient | None = None

    def _http(self) -> httpx.AsyncClient:
        """One client (and its kept-alive connections) for every call."""
        if self._client is None or self._client.is_closed:
            self._client = httpx.AsyncClient(timeout=self._timeout, transport=self._transport)
        return self._client

    async def aclose(self) -> None:
        """Close the kept connections."""
        if self._client is not None:
            await self._client.aclose()

    async def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        token = admin_token(self._secret, self._username, self._clock())
        headers = {"Authorization": f"Bearer {token}"}
        try:
            response = await self._http().request(
                method, f"{self._base}{path}", headers=headers, **kwargs
            )
        except httpx.HTTPError as exc:
            raise RasaApiError(f"Rasa unreachable: {exc.__class__.__name__}") from exc
        if response.status_code >= 300:
            raise RasaApiError(f"Rasa answered {response.status_code}")
        return response.json()

    async def events(self, conversation_id: str) -> list[dict[str, Any]]:
        """Every event of the conversation (all sessions)."""
        tracker = await self._request(
            "GET",
            conversation_path(conversation_id, "tracker"),
            params={"include_events": "ALL"},
        )
        return list(tracker.get("events") or [])

    async def append(
        self, conversation_id: str, events: list[dict[str, Any]], channel: str | None = None
    ) -> None:
        """Append events; with ``channel``, bot events also go out on that channel.

        The channel is the one the case was opened on, never Rasa's ``latest`` (the
        channel of whoever wrote last).
        """
        params = {"output_channel": channel, "execute_side_effects": "true"} if channel else {}
        await self._request(
            "POST",
            conversation_path(conversation_id, "tracker/events"),
            params=params,
            json=events,
        )

    # --- proactive notices (bot.notices.sender) ---
    async def tracker(self, conversation_id: str) -> dict[str, Any]:
        """The conversation's tracker (slots, and every event of every session)."""
        state = await self._request(
            "GET",
            conversation_path(conversation_id, "tracker"),
            params={"include_events": "ALL"},
        )
        return dict(state or {})

    async def trigger_intent(
        self, conversation_id: str, intent: str, entities: dict[str, str], channel: str
    ) -> None:
        """Run ``intent`` in the conversation as an external event; the bot's replies go
        out on ``channel`` (``POST /conversations/{id}/trigger_intent?output_channel=``)."""
        await self._request(
            "POST",
            conversation_path(conversation_id, "trigger_intent"),
            params={"output_channel": channel},
            json={"name": intent, "entities": entities},
        )
