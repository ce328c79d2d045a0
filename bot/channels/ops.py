"""What operators ask a Rasa server: ``/metrics``, ``/health`` and ``/ready``.

Rasa mounts each channel of credentials.yml under ``/webhooks/<prefix>``; this one's
prefix is ``/``, so its routes sit at the root, where Prometheus and the compose file's
healthchecks look. It takes no customer messages.

- ``/health``: the process answers (liveness).
- ``/ready``: the model is loaded and the server can answer customers (503 before).
- ``/metrics``: this process's Prometheus figures (``bot.metrics``), only with
  ``Authorization: Bearer $METRICS_TOKEN`` (nginx publishes the Rasa servers' port);
  404 while ``METRICS_TOKEN`` is unset.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.metrics import bearer_matches, exposition

METRICS_TOKEN_ENV = "METRICS_TOKEN"


class OpsChannel(InputChannel):
    """Health, readiness and metrics of this Rasa server (no customer messages)."""

    def __init__(self, metrics_token: str | None = None) -> None:
        self.metrics_token = metrics_token

    @classmethod
    def name(cls) -> str:
        return "ops"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls()

    def url_prefix(self) -> str:
        return "/"  # urljoin("/webhooks/", "/") is the root

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        token = self.metrics_token
        if token is None:  # read once, when Rasa mounts the channel
            token = os.environ.get(METRICS_TOKEN_ENV, "").strip()
        ops = Blueprint("ops_webhook", __name__)

        async def health(_request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        async def ready(request: Request) -> HTTPResponse:
            agent = getattr(request.app.ctx, "agent", None)
            if agent is None or not agent.is_ready():
                return response.json({"status": "loading"}, status=503)
            return response.json({"status": "ready"})

        async def metrics(request: Request) -> HTTPResponse:
            if not token:
                return response.json({"error": "not found"}, status=404)
            if not bearer_matches(request.headers.get("authorization"), token):
                return response.json({"error": "unauthorized"}, status=401)
            body, content_type = exposition()
            return response.raw(body, content_type=content_type)

        ops.add_route(health, "/health", methods=["GET"])
        ops.add_route(ready, "/ready", methods=["GET"])
        ops.add_route(metrics, "/metrics", methods=["GET"])
        return ops
