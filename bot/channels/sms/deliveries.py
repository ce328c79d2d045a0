"""Idempotent webhook deliveries: a message id seen again gets the same answer, once acted on.

Gateways retry. The first delivery of ``(sender, message_id)`` inserts a row
(the primary key makes the claim atomic, across processes and restarts); a
repeat waits for the first to finish and gets its stored answer.

Each write is one autocommitted statement (``INSERT ... ON CONFLICT DO NOTHING``,
``UPDATE``, ``DELETE``): on SQLite the write lock is then held only inside SQLite's
own code, never while a worker thread waits for Python's GIL, which under load had
writers queueing behind each other in SQLite's busy wait. The statements are compiled
once per engine (``bot/storage/prepared.py``).

The answer is stored even when the claim could not be made (the database was down
as the message came in and it was handled without deduplication), and a write that
fails for want of the database is tried again in the background until it is back
(``RETRY_SECONDS``): otherwise a delivery stayed "processing" and its retries were
refused, or a retry of an answered message was handled a second time.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from typing import Any, Protocol

from sqlalchemy import bindparam, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from bot.state.tables import DeliveryRow
from bot.storage.prepared import PreparedStatement

logger = logging.getLogger(__name__)
PROCESSING = "processing"
DONE = "done"
RETRY_SECONDS = 300.0  # how long a failed write is tried again while the database is down


class DeliveryInProgress(Exception):
    """The same message is still being handled by another request."""


_TABLE = DeliveryRow.__table__
_INSERT = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}
_KEY = ("channel", "sender", "message_id")


class _Statements:
    """The deliveries' statements, compiled for one dialect."""

    def __init__(self, dialect: Any) -> None:
        key = [_TABLE.c[name] == bindparam(name) for name in _KEY]
        claim = _INSERT[dialect.name](_TABLE).values(
            {name: bindparam(name) for name in (*_KEY, "status", "created_at")}
        )
        self.claim = PreparedStatement(claim.on_conflict_do_nothing(), dialect)
        self.stored = PreparedStatement(
            select(_TABLE.c.status, _TABLE.c.response).where(*key), dialect
        )
        done = _INSERT[dialect.name](_TABLE).values(
            {name: bindparam(name) for name in (*_KEY, "status", "response", "created_at")}
        )
        done = done.on_conflict_do_update(
            index_elements=list(_KEY),
            set_={"status": done.excluded.status, "response": done.excluded.response},
        )
        self.finish = PreparedStatement(done, dialect)
        # Only a claim still in progress: a late abandon (written once the database
        # was back) never drops the answer a retry stored meanwhile.
        processing = _TABLE.c.status == bindparam("status")  # PROCESSING (abandon)
        self.abandon = PreparedStatement(delete(_TABLE).where(*key, processing), dialect)
        old = delete(_TABLE).where(_TABLE.c.created_at < bindparam("before"))
        self.forget = PreparedStatement(old, dialect)


class DeliveryStore(Protocol):
    """The answers given to message ids: what the SMS channel needs (``Deliveries`` is it)."""

    async def claim(self, channel: str, sender: str, message_id: str) -> dict[str, Any] | None:
        """The stored answer, or None when this call claimed the id; raises
        ``DeliveryInProgress`` while another call handles it."""

    async def finish(
        self, channel: str, sender: str, message_id: str, answer: dict[str, Any]
    ) -> None:
        """Store the answer to a claimed id."""

    async def abandon(self, channel: str, sender: str, message_id: str) -> None:
        """Release a claimed id that could not be answered."""


class Deliveries:
    """Claims message ids and remembers the answers given to them."""

    def __init__(self, engine: Engine, keep: dt.timedelta = dt.timedelta(days=7)) -> None:
        """``engine``: best made with ``make_engine(url, autocommit=True)``."""
        if getattr(engine.dialect, "isolation_level", None) != "AUTOCOMMIT":
            engine = engine.execution_options(isolation_level="AUTOCOMMIT")
        if engine.dialect.name not in _INSERT:
            raise ValueError(
                f"deliveries are kept on SQLite or PostgreSQL, not {engine.dialect.name}"
            )
        self._engine = engine
        self._sql = _Statements(engine.dialect)
        self._keep = keep
        self._claims = 0
        self._retrying: set[asyncio.Task[None]] = set()

    async def _run(self, work: Any) -> Any:
        def run() -> Any:
            with self._engine.connect() as connection:
                return work(connection)

        return await asyncio.to_thread(run)

    async def claim(self, channel: str, sender: str, message_id: str) -> dict[str, Any] | None:
        """None if this delivery is new (go ahead), else the stored answer of the first one.

        Raises ``DeliveryInProgress`` if the first one is still running after a wait.
        """
        for _ in range(50):
            stored = await self._run(lambda c: self._try_claim(c, channel, sender, message_id))
            if stored is None:
                return None
            status, response = stored
            if status == DONE and response is not None:
                return dict(json.loads(response))
            await asyncio.sleep(0.2)
        raise DeliveryInProgress(message_id)

    def _try_claim(
        self, c: Connection, channel: str, sender: str, message_id: str
    ) -> tuple[str, str | None] | None:
        now = dt.datetime.now()
        key = {"channel": channel, "sender": sender, "message_id": message_id}
        claimed = self._sql.claim.run(c, {**key, "status": PROCESSING, "created_at": now}).rowcount
        if not claimed:
            found = self._sql.stored.run(c, key).first()
            # Gone in between (abandoned): try again.
            return (PROCESSING, None) if found is None else (found[0], found[1])
        self._claims += 1
        if self._claims % 1000 == 0:  # now and then, forget old deliveries
            self._sql.forget.run(c, {"before": now - self._keep})
        return None

    async def finish(
        self, channel: str, sender: str, message_id: str, answer: dict[str, Any]
    ) -> None:
        """Store the answer given to the delivery (claimed or not)."""
        values = {
            "channel": channel,
            "sender": sender,
            "message_id": message_id,
            "status": DONE,
            "response": json.dumps(answer, ensure_ascii=False),
            "created_at": dt.datetime.now(),
        }
        await self._write(self._sql.finish, values)

    async def abandon(self, channel: str, sender: str, message_id: str) -> None:
        """Forget a delivery that failed, so the gateway's retry is handled afresh."""
        key = {"channel": channel, "sender": sender, "message_id": message_id}
        await self._write(self._sql.abandon, {**key, "status": PROCESSING})

    async def _write(self, statement: PreparedStatement, values: dict[str, Any]) -> None:
        """Run ``statement``; if the database is unreachable, again in the background."""
        try:
            await self._run(lambda c: statement.run(c, values))
        except DBAPIError as exc:
            logger.warning("delivery %s not written yet: %s", values["message_id"], exc.orig)
            task = asyncio.ensure_future(self._write_later(statement, values))
            self._retrying.add(task)  # referenced until done
            task.add_done_callback(self._retrying.discard)

    async def _write_later(self, statement: PreparedStatement, values: dict[str, Any]) -> None:
        loop = asyncio.get_running_loop()
        deadline, pause = loop.time() + RETRY_SECONDS, 0.25
        while loop.time() < deadline:
            await asyncio.sleep(pause)
            pause = min(pause * 2, 5.0)
            try:
                await self._run(lambda c: statement.run(c, values))
            except DBAPIError:
                continue
            logger.info("delivery %s written once the database was back", values["message_id"])
            return
        logger.error("delivery %s not written: database unreachable", values["message_id"])
