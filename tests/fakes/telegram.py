"""A fake Telegram Bot API on loopback, for the bridge's end-to-end tests.

It answers what python-telegram-bot calls (getMe, deleteWebhook, setWebhook,
getUpdates as a real long poll honouring ``offset`` and ``timeout``,
sendMessage, answerCallbackQuery, editMessageReplyMarkup), records every call,
and lets a test queue updates as Telegram users would send them. It runs in a
thread with its own event loop, so one server serves the whole test session.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import threading
import time
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from tools.devstack import free_port

TOKEN = "424242:fake-token"
BOT_USER = {"id": 424242, "is_bot": True, "first_name": "Tong", "username": "demo_telecom_bot"}
_JSON_FIELDS = {"reply_markup", "allowed_updates", "entities", "link_preview_options"}
_INT_FIELDS = {"chat_id", "offset", "limit", "timeout", "message_id"}


@dataclass(frozen=True)
class Call:
    """One Bot API call the bridge made."""

    method: str
    params: dict[str, Any]


def telegram_user(
    user_id: int, language_code: str = "en", first_name: str = "Ann"
) -> dict[str, Any]:
    """A Telegram ``User`` object."""
    return {
        "id": user_id,
        "is_bot": False,
        "first_name": first_name,
        "language_code": language_code,
    }


class FakeTelegram:
    """The fake server: start it, point the bridge's base URL at it, queue updates."""

    def __init__(self) -> None:
        self.port = free_port()
        self.calls: list[Call] = []
        self._updates: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._loop = asyncio.new_event_loop()
        self._new_update: asyncio.Event | None = None
        self._runner: web.AppRunner | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    @property
    def base_url(self) -> str:
        """The value for ``TELEGRAM_API_BASE_URL``."""
        return f"http://127.0.0.1:{self.port}/bot"

    def start(self) -> None:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._serve(), self._loop).result(timeout=10)

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)

    async def _shutdown(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        pending = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in pending:  # long polls nobody waits for any more
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)

    async def _serve(self) -> None:
        self._new_update = asyncio.Event()
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port, shutdown_timeout=1).start()

    # --- what a Telegram user does ---------------------------------------

    def push(self, update: dict[str, Any]) -> int:
        """Queue an update (its ``update_id`` is assigned here); thread-safe."""
        with self._lock:
            update_id = next(self._ids)
            self._updates.append({"update_id": update_id, **update})
        self._loop.call_soon_threadsafe(self._wake)
        return update_id

    def _wake(self) -> None:
        if self._new_update is not None:
            self._new_update.set()

    def send_text(self, user: dict[str, Any], text: str) -> int:
        """The user sends ``text`` in their private chat with the bot."""
        message = self._message(user, text=text)
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return self.push({"message": message})

    def send_contact(self, user: dict[str, Any], phone_number: str, owner_id: int | None) -> int:
        """The user sends a contact card; ``owner_id`` is the contact's Telegram user id."""
        contact: dict[str, Any] = {"phone_number": phone_number, "first_name": "Contact"}
        if owner_id is not None:
            contact["user_id"] = owner_id
        return self.push({"message": self._message(user, contact=contact)})

    def press(self, user: dict[str, Any], data: str, message_id: int = 1) -> str:
        """The user presses an inline button carrying ``data``; the callback query id."""
        query_id = f"cq{next(self._ids)}"
        message = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": user["id"], "type": "private"},
            "from": BOT_USER,
            "text": "(a bot message)",
        }
        callback = {
            "id": query_id,
            "from": user,
            "chat_instance": f"ci{user['id']}",
            "data": data,
            "message": message,
        }
        self.push({"callback_query": callback})
        return query_id

    def _message(self, user: dict[str, Any], **content: Any) -> dict[str, Any]:
        return {
            "message_id": next(self._ids),
            "date": int(time.time()),
            "chat": {"id": user["id"], "type": "private", "first_name": user["first_name"]},
            "from": user,
            **content,
        }

    # --- what the test checks ----------------------------------------------

    def calls_to(self, method: str, since: int = 0) -> list[Call]:
        """The calls of ``method``, from the ``since``-th call on."""
        with self._lock:
            return [call for call in self.calls[since:] if call.method == method]

    def mark(self) -> int:
        """A position in the call log, for ``calls_to(..., since=)``."""
        with self._lock:
            return len(self.calls)

    async def wait_for(self, method: str, predicate: Any = None, timeout: float = 60.0) -> Call:
        """The first call of ``method`` (matching ``predicate(params)``), waiting for it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for call in self.calls_to(method):
                if predicate is None or predicate(call.params):
                    return call
            await asyncio.sleep(0.02)
        raise AssertionError(f"no {method} call within {timeout}s; calls: {self.calls[-10:]}")

    # --- the Bot API ----------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != TOKEN:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        method = request.match_info["method"]
        params = await _params(request)
        with self._lock:
            self.calls.append(Call(method, params))
        if method == "getUpdates":
            return _ok(await self._get_updates(params))
        if method == "getMe":
            return _ok({**BOT_USER, "can_join_groups": False, "supports_inline_queries": False})
        if method in ("deleteWebhook", "setWebhook", "answerCallbackQuery", "setMyCommands"):
            return _ok(True)
        if method in ("sendMessage", "editMessageReplyMarkup"):
            return _ok(self._sent_message(params))
        return web.json_response(
            {"ok": False, "error_code": 404, "description": f"Not Found: {method}"}, status=404
        )

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        assert self._new_update is not None
        offset, limit = int(params.get("offset") or 0), int(params.get("limit") or 100)
        deadline = time.monotonic() + float(params.get("timeout") or 0)
        while True:
            self._new_update.clear()
            with self._lock:  # updates below the offset are confirmed: forget them
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
                pending = self._updates[:limit]
            remaining = deadline - time.monotonic()
            if pending or remaining <= 0:
                return pending
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._new_update.wait(), remaining)

    def _sent_message(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "message_id": params.get("message_id") or next(self._ids),
            "date": int(time.time()),
            "chat": {"id": params.get("chat_id", 0), "type": "private"},
            "from": BOT_USER,
            "text": params.get("text", ""),
        }


async def _params(request: web.Request) -> dict[str, Any]:
    """python-telegram-bot posts form fields: strings as they are, the rest as JSON."""
    if request.content_type == "application/json":
        data: dict[str, Any] = await request.json()
        return data
    params: dict[str, Any] = {}
    for key, value in (await request.post()).items():
        if not isinstance(value, str):
            continue
        if key in _JSON_FIELDS:
            params[key] = json.loads(value)
        elif key in _INT_FIELDS and value.lstrip("-").isdigit():
            params[key] = int(value)
        else:
            params[key] = value
    return params


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})
