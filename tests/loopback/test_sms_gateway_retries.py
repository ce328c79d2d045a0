"""Sending again what failed: the retry sweep, the quiet hours, and reports that come late,
over a real outbox in SQLite."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.channels.sms.gateways import GatewayTransport, KannelTransport, RecordingSmsSender
from bot.channels.sms.outbox import SmsOutbox
from bot.state.schema import state_engine
from tests.loopback.sms_bench import C1


async def test_a_gateway_that_refuses_is_retried_by_the_sweep(tmp_path: Path) -> None:
    outbox = SmsOutbox(state_engine(f"sqlite:///{tmp_path / 'state.db'}"), retry_limit=3)
    down = KannelTransport(
        "http://127.0.0.1:9/cgi-bin/sendsms", "u", "p", sender_id="10086", public_url="", secret="s"
    )
    sender = RecordingSmsSender(down, lambda: outbox)
    await sender.send(C1, "hello")  # not raised: it will be sent again
    [failed] = await outbox.failures()
    assert failed.status == "failed" and failed.retry_at is not None and not failed.gave_up
    later = dt.datetime.now() + dt.timedelta(minutes=5)
    assert [m.id for m in await outbox.due(later)] == [failed.id]
    assert await outbox.claim_retry(failed.id) and not await outbox.claim_retry(failed.id)


class _Taking(GatewayTransport):
    """A gateway that takes every message and remembers it."""

    name = "twilio"

    def __init__(self) -> None:
        self.taken: list[str] = []

    async def deliver(self, to: str, text: str, message_id: str) -> str | None:
        self.taken.append(text)
        return None


async def test_nothing_is_sent_again_in_the_quiet_hours(tmp_path: Path) -> None:
    """A due message waits for the end of the quiet hours (22:00-08:00 Beijing time by
    default, bot/notices/quiet.py), then goes."""
    outbox = SmsOutbox(state_engine(f"sqlite:///{tmp_path / 'state.db'}"), retry_limit=3)
    message_id = await outbox.record("twilio", C1, "您好", kind="push", parts=1)
    await outbox.report(message_id, "failed", "30003")  # due again at once
    quiet = [True]
    gateway = _Taking()
    sender = RecordingSmsSender(gateway, lambda: outbox, quiet=lambda: quiet[0])
    assert await sender.retry_due() == 0 and gateway.taken == []
    assert [m.id for m in await outbox.due(dt.datetime.now())] == [message_id]
    quiet[0] = False
    assert await sender.retry_due() == 1 and gateway.taken == ["您好"]


async def test_a_late_failure_report_after_delivered_sends_nothing_again(tmp_path: Path) -> None:
    outbox = SmsOutbox(state_engine(f"sqlite:///{tmp_path / 'state.db'}"), retry_limit=3)
    message_id = await outbox.record("twilio", C1, "您好", kind="push", parts=1)
    await outbox.report(message_id, "delivered", None)
    late = await outbox.report(message_id, "failed", "30003")
    assert late is not None and late.status == "delivered" and late.retry_at is None
    assert await outbox.due() == [] and len(await outbox.reports(message_id)) == 2
