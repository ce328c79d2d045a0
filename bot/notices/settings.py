"""The notice scheduler's settings from the environment (``NOTICE_*``), with defaults."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

TIMEZONE = "Asia/Shanghai"
BALANCE_THRESHOLD = Decimal("5.00")  # yuan: a balance below it is low (notices and replies)


def load_balance_threshold(env: dict[str, str] | None = None) -> Decimal:
    """``NOTICE_BALANCE_THRESHOLD``: the low-balance notice and the balance reply's reminder."""
    env = dict(os.environ) if env is None else env
    return Decimal(env.get("NOTICE_BALANCE_THRESHOLD") or BALANCE_THRESHOLD)


@dataclass(frozen=True)
class NoticeSettings:
    """Thresholds, quiet hours and the scheduler's pace."""

    balance_threshold: Decimal = BALANCE_THRESHOLD
    data_warn_percent: int = 80  # the first data notice; the second is at 100 %
    data_unusual_factor: Decimal = Decimal("1.5")  # times the usual use by now is unusual
    quiet_start: dt.time = dt.time(22, 0)  # no notice from here ...
    quiet_end: dt.time = dt.time(8, 0)  # ... until here (deferred, not dropped)
    timezone: str = TIMEZONE  # quiet hours and billing cycles are in this zone
    interval_seconds: float = 300.0  # between two sweeps
    lease_seconds: float = 300.0  # a claim not marked sent by then is retried by anyone
    retry_seconds: float = 60.0  # after a failed send (Rasa down), try again this much later

    @property
    def zone(self) -> ZoneInfo:
        """The operator's time zone."""
        return ZoneInfo(self.timezone)


def _clock_time(value: str) -> dt.time:
    hours, _, minutes = value.strip().partition(":")
    return dt.time(int(hours), int(minutes or 0))


def load_notice_settings(env: dict[str, str] | None = None) -> NoticeSettings:
    """Read ``NOTICE_BALANCE_THRESHOLD``, ``NOTICE_QUIET_START``/``END`` (``HH:MM``) and friends."""
    env = dict(os.environ) if env is None else env
    default = NoticeSettings()
    return NoticeSettings(
        balance_threshold=load_balance_threshold(env),
        data_warn_percent=int(env.get("NOTICE_DATA_WARN_PERCENT") or default.data_warn_percent),
        data_unusual_factor=Decimal(
            env.get("NOTICE_DATA_UNUSUAL_FACTOR") or default.data_unusual_factor
        ),
        quiet_start=_clock_time(env.get("NOTICE_QUIET_START") or "22:00"),
        quiet_end=_clock_time(env.get("NOTICE_QUIET_END") or "08:00"),
        timezone=env.get("NOTICE_TIMEZONE") or TIMEZONE,
        interval_seconds=float(env.get("NOTICE_INTERVAL_SECONDS") or default.interval_seconds),
        lease_seconds=float(env.get("NOTICE_LEASE_SECONDS") or default.lease_seconds),
        retry_seconds=float(env.get("NOTICE_RETRY_SECONDS") or default.retry_seconds),
    )
