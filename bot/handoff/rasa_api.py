"""Client of Rasa's token-protected HTTP API: transcripts in, agent messages and resume out."""

from __future__ import annotations

from typing import Any

import httpx


class RasaApiError(Exception):
    """Rasa's API refused or failed a call."""


class RasaAdminClient:
    """``GET /conversations/{id}/tracker`` and ``POST .../tracker/events``."""

    def __init__(self, base_url: str, token: str, timeout: float = 10.0) -> None:
        self._base = base_url.rstrip("/")
        self._token = token
        self._timeout = timeout

    async def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        params = {"token": self._token, **kwargs.pop("params", {})}
        try:
            async with httpx.AsyncClient(timeout=self._timeout) as client:
                response = await client.request(
                    method, f"{self._base}{path}", params=params, **kwargs
                )
        except httpx.HTTPError as exc:
            raise RasaApiError(f"Rasa unreachable: {exc.__class__.__name__}") from exc
        if response.status_code >= 300:
            raise RasaApiError(f"Rasa answered {response.status_code}")
        return response.json()

    async def events(self, conversation_id: str) -> list[dict[str, Any]]:
        """Every event of the conversation (all sessions)."""
        tracker = await self._request(
            "GET", f"/conversations/{conversation_id}/tracker", params={"include_events": "ALL"}
        )
        return list(tracker.get("events") or [])

    async def append(
        self, conversation_id: str, events: list[dict[str, Any]], deliver: bool = False
    ) -> None:
        """Append events; with ``deliver`` bot events also go out on the customer's channel."""
        params = {"output_channel": "latest", "execute_side_effects": "true"} if deliver else {}
        await self._request(
            "POST", f"/conversations/{conversation_id}/tracker/events", params=params, json=events
        )
