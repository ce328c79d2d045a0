"""Outbound SMS through a real gateway and their delivery reports, in the state database.

Every message a Kannel or Twilio-style gateway carries gets a row (``sms_outbound``)
before it is sent; its id travels in the dlr-url / status callback, and each report
is kept (``sms_delivery_reports``) and moves the message's status. A message that
failed (the gateway refused it, or a report said failed, rejected or expired) is
sent again, at most ``retry_limit`` sends in all; after that it stays failed, which
the agent console lists (``/deliveries``), where an agent may send it once more.
No Rasa import: the console uses it too.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.state.tables import SmsDeliveryReportRow, SmsOutboundRow
from bot.storage.db import in_session
from bot.storage.paging import Slice, read_slice

PENDING = "pending"  # recorded, not yet taken by the gateway
SENT = "sent"  # the gateway took it
ACCEPTED = "accepted"  # the operator's SMS centre took it (Kannel DLR 8, Twilio "sent")
BUFFERED = "buffered"  # waiting in the SMS centre (Kannel DLR 4)
DELIVERED = "delivered"
FAILED = "failed"
EXPIRED = "expired"
FINAL_FAILURES = frozenset({FAILED, EXPIRED})
RETRY_DELAY = dt.timedelta(seconds=30)  # before a message the gateway refused is sent again
# The kind of a message with a one-time code: its stored text has the code masked, so it
# is never sent again (automatically or by an agent); the customer asks for a new code.
ONE_TIME_CODE = "code"


@dataclass(frozen=True)
class OutboundSms:
    """One recorded outbound message."""

    id: str
    gateway: str
    msisdn: str
    text: str
    kind: str
    parts: int
    status: str
    attempts: int
    last_error: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    retry_at: dt.datetime | None

    @property
    def gave_up(self) -> bool:
        """Failed, and not to be sent again unless an agent says so."""
        return self.status in FINAL_FAILURES and self.retry_at is None


@dataclass(frozen=True)
class DeliveryReport:
    """One report as received."""

    status: str
    detail: str | None
    received_at: dt.datetime


def _outbound(row: SmsOutboundRow) -> OutboundSms:
    return OutboundSms(
        id=row.id,
        gateway=row.gateway,
        msisdn=row.msisdn,
        text=row.text,
        kind=row.kind,
        parts=row.parts,
        status=row.status,
        attempts=row.attempts,
        last_error=row.last_error,
        created_at=row.created_at,
        updated_at=row.updated_at,
        retry_at=row.retry_at,
    )


def new_message_id() -> str:
    """32 hex characters: unguessable, so a forged report cannot name a message."""
    return secrets.token_hex(16)


class SmsOutbox:
    """The outbound messages and their reports."""

    def __init__(self, engine: Engine, retry_limit: int = 3) -> None:
        self._engine = engine
        self.retry_limit = max(1, retry_limit)

    async def record(
        self, gateway: str, msisdn: str, text: str, *, kind: str, parts: int, status: str = PENDING
    ) -> str:
        """A new message (one send counted); its id."""
        message_id, now = new_message_id(), dt.datetime.now()

        def work(s: Session) -> None:
            s.add(
                SmsOutboundRow(
                    id=message_id,
                    gateway=gateway,
                    msisdn=msisdn,
                    text=text,
                    kind=kind,
                    parts=parts,
                    status=status,
                    attempts=1,
                    created_at=now,
                    updated_at=now,
                )
            )
            s.commit()

        await in_session(self._engine, work)
        return message_id

    async def sent(self, message_id: str, foreign_id: str | None = None) -> None:
        """The gateway took the message (``foreign_id``: its own id for it)."""
        values: dict[str, object] = {"status": SENT, "updated_at": dt.datetime.now()}
        if foreign_id:
            values["foreign_id"] = foreign_id
        pending = SmsOutboundRow.status == PENDING
        await self._update(message_id, values, pending)

    async def refused(self, message_id: str, error: str) -> None:
        """The gateway did not take the message: failed, to be sent again if sends remain."""
        await self._fail(message_id, FAILED, error, delay=RETRY_DELAY)

    async def report(
        self, message_id: str | None, status: str, detail: str | None, *, foreign_id: str = ""
    ) -> OutboundSms | None:
        """Keep a delivery report (by our id, or by the gateway's); the message, or None if
        no such message. A final failure schedules a new send while sends remain."""

        def find(s: Session) -> SmsOutboundRow | None:
            if message_id:
                return s.get(SmsOutboundRow, message_id)
            query = select(SmsOutboundRow).where(SmsOutboundRow.foreign_id == foreign_id)
            return s.scalars(query).first() if foreign_id else None

        def work(s: Session) -> OutboundSms | None:
            row = find(s)
            if row is None:
                return None
            now = dt.datetime.now()
            s.add(
                SmsDeliveryReportRow(
                    message_id=row.id, status=status, detail=detail, received_at=now
                )
            )
            if row.status == DELIVERED or (
                row.status in FINAL_FAILURES and status not in FINAL_FAILURES
            ):
                s.commit()  # a late report does not undo a final outcome, nor re-send it
                return _outbound(row)
            row.status, row.updated_at = status, now
            if status in FINAL_FAILURES:
                row.last_error = detail or status
                row.retry_at = now if self._may_retry(row) else None
            s.commit()
            return _outbound(row)

        return await in_session(self._engine, work)

    async def _fail(self, message_id: str, status: str, error: str, delay: dt.timedelta) -> None:
        def work(s: Session) -> None:
            row = s.get(SmsOutboundRow, message_id)
            if row is None:
                return
            now = dt.datetime.now()
            row.status, row.last_error, row.updated_at = status, error, now
            row.retry_at = now + delay if self._may_retry(row) else None
            s.commit()

        await in_session(self._engine, work)

    def _may_retry(self, row: SmsOutboundRow) -> bool:
        return row.kind != ONE_TIME_CODE and row.attempts < self.retry_limit

    async def _update(self, message_id: str, values: dict[str, object], *where: object) -> None:
        statement = update(SmsOutboundRow).where(SmsOutboundRow.id == message_id, *where)

        def work(s: Session) -> None:
            s.execute(statement.values(values))
            s.commit()

        await in_session(self._engine, work)

    async def due(self, now: dt.datetime | None = None) -> list[OutboundSms]:
        """Failed messages whose new send is due, oldest first."""
        moment = now or dt.datetime.now()
        query = (
            select(SmsOutboundRow)
            .where(SmsOutboundRow.retry_at.is_not(None), SmsOutboundRow.retry_at <= moment)
            .order_by(SmsOutboundRow.retry_at)
        )
        return await in_session(self._engine, lambda s: [_outbound(r) for r in s.scalars(query)])

    async def claim_retry(self, message_id: str) -> bool:
        """Take a due message for a new send (one send counted); False if another took it."""
        statement = (
            update(SmsOutboundRow)
            .where(SmsOutboundRow.id == message_id, SmsOutboundRow.retry_at.is_not(None))
            .values(
                retry_at=None,
                status=PENDING,
                attempts=SmsOutboundRow.attempts + 1,
                updated_at=dt.datetime.now(),
            )
        )

        def work(s: Session) -> bool:
            claimed = s.execute(statement).rowcount == 1
            s.commit()
            return claimed

        return await in_session(self._engine, work)

    async def send_again(self, message_id: str) -> bool:
        """An agent's word: a failed message is sent once more (False: not failed, or a
        one-time code's, which is never sent again)."""
        statement = (
            update(SmsOutboundRow)
            .where(
                SmsOutboundRow.id == message_id,
                SmsOutboundRow.status.in_(FINAL_FAILURES),
                SmsOutboundRow.kind != ONE_TIME_CODE,
            )
            .values(retry_at=dt.datetime.now(), updated_at=dt.datetime.now())
        )

        def work(s: Session) -> bool:
            changed = s.execute(statement).rowcount == 1
            s.commit()
            return changed

        return await in_session(self._engine, work)

    async def get(self, message_id: str) -> OutboundSms | None:
        def work(s: Session) -> OutboundSms | None:
            row = s.get(SmsOutboundRow, message_id)
            return None if row is None else _outbound(row)

        return await in_session(self._engine, work)

    async def failures(self, limit: int = 100) -> list[OutboundSms]:
        """Failed and expired messages, newest first."""
        return (await self.failures_slice(limit)).items

    async def failures_slice(self, limit: int, offset: int = 0) -> Slice[OutboundSms]:
        """``limit`` failed and expired messages from ``offset``, newest first, and whether
        more follow (what the console lists a page at a time): one query."""
        query = (
            select(SmsOutboundRow)
            .where(SmsOutboundRow.status.in_(FINAL_FAILURES))
            .order_by(SmsOutboundRow.updated_at.desc(), SmsOutboundRow.id.desc())
        )
        return await in_session(
            self._engine, lambda s: read_slice(s, query, limit, offset, _outbound)
        )

    async def reports(self, message_id: str) -> list[DeliveryReport]:
        """The reports on one message, in the order received."""
        query = (
            select(SmsDeliveryReportRow)
            .where(SmsDeliveryReportRow.message_id == message_id)
            .order_by(SmsDeliveryReportRow.id)
        )

        def work(s: Session) -> list[DeliveryReport]:
            return [DeliveryReport(r.status, r.detail, r.received_at) for r in s.scalars(query)]

        return await in_session(self._engine, work)
