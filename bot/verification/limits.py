"""How many one-time codes a requester may ask for: counters per scope and hour.

Scopes, in the order every request counts (and so locks) them: the conversation,
the client address (where the channel signed one), the number, then everything.
The narrow ones come first, so one requester is refused before it can use up the
hour's overall budget. Each is a row of ``code_request_counters``.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.state.tables import CodeRequestCounterRow

GLOBAL_SCOPE = "global"
_INSERT_TRIES = 3


def _hashed(kind: str, value: str) -> str:
    """``kind:<digest>``: long or personal values fit the 32-character scope column."""
    return f"{kind}:{hashlib.sha256(value.encode()).hexdigest()[:24]}"


def conversation_scope(channel: str, conversation_id: str) -> str:
    """The counter of one conversation (ids are scoped by channel)."""
    return _hashed("conv", f"{channel}\n{conversation_id}")


def client_scope(address: str) -> str:
    """The counter of one client address."""
    return _hashed("client", address)


def request_scopes(
    conversation: tuple[str, str],
    client: str | None,
    msisdn: str,
    limits: tuple[int, int, int, int],
) -> list[tuple[str, int]]:
    """``(scope, limit)`` pairs for one request, narrowest first.

    ``conversation`` is ``(channel, conversation id)``; ``limits`` are per
    conversation, per client address, per number and overall.
    """
    per_conversation, per_client, per_number, overall = limits
    scopes = [(conversation_scope(*conversation), per_conversation)]
    if client:
        scopes.append((client_scope(client), per_client))
    scopes += [(f"msisdn:{msisdn}", per_number), (GLOBAL_SCOPE, overall)]
    return scopes


def count_request(session: Session, scope: str, window_start: dt.datetime) -> int:
    """Add one to a counter and read it back, in the caller's transaction.

    The ``UPDATE`` locks the counter's row (SQLite: the database) until the caller
    commits or rolls back, so concurrent requests are counted one after another.
    On first use the row is inserted; if another transaction inserted it first,
    the unique key refuses ours and the update is tried again.
    """
    row = (
        CodeRequestCounterRow.scope == scope,
        CodeRequestCounterRow.window_start == window_start,
    )
    for _ in range(_INSERT_TRIES):
        bumped = session.execute(
            update(CodeRequestCounterRow).where(*row).values(count=CodeRequestCounterRow.count + 1)
        )
        if bumped.rowcount:
            break
        try:
            with session.begin_nested():
                session.execute(
                    insert(CodeRequestCounterRow).values(
                        scope=scope, window_start=window_start, count=1
                    )
                )
            break
        except IntegrityError:
            continue  # created meanwhile by another request: count on its row
    else:
        raise RuntimeError(f"could not count a code request for {scope!r}")
    return int(session.scalars(select(CodeRequestCounterRow.count).where(*row)).one())
