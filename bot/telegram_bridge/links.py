"""Which phone number a Telegram user linked by sharing their own contact."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import delete, or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.domain.ids import TELEGRAM, telegram_conversation
from bot.state.tables import TelegramLinkRow
from bot.storage.db import in_session
from bot.verification.revoke import revoke_verifications


class TelegramLinkStore:
    """Links in the state database: one number per Telegram user, one user per number.

    Linking a number that another Telegram user had linked moves it: Telegram
    has just vouched that the number belongs to the new user (numbers are
    recycled).
    """

    def __init__(self, engine: Engine, clock: Callable[[], dt.datetime] = dt.datetime.now) -> None:
        self._engine = engine
        self._clock = clock

    async def link(self, telegram_user_id: int, msisdn: str) -> None:
        """Link ``msisdn`` to the user, replacing any earlier link of either."""
        now = self._clock()

        def work(session: Session) -> None:
            session.execute(
                delete(TelegramLinkRow).where(
                    or_(
                        TelegramLinkRow.telegram_user_id == telegram_user_id,
                        TelegramLinkRow.msisdn == msisdn,
                    )
                )
            )
            session.add(
                TelegramLinkRow(telegram_user_id=telegram_user_id, msisdn=msisdn, linked_at=now)
            )
            session.commit()

        await in_session(self._engine, work)

    async def unlink(self, telegram_user_id: int) -> bool:
        """Remove the user's link and any number verified by code in their chat.

        Returns whether there was anything to remove.
        """

        def work(session: Session) -> bool:
            result = session.execute(
                delete(TelegramLinkRow).where(TelegramLinkRow.telegram_user_id == telegram_user_id)
            )
            revoked = revoke_verifications(
                session, telegram_conversation(telegram_user_id), TELEGRAM
            )
            session.commit()
            return bool(result.rowcount) or revoked > 0

        return await in_session(self._engine, work)

    async def msisdn_for(self, telegram_user_id: int) -> str | None:
        """The number the user linked, or None."""

        def work(session: Session) -> str | None:
            query = select(TelegramLinkRow.msisdn).where(
                TelegramLinkRow.telegram_user_id == telegram_user_id
            )
            return session.scalars(query).first()

        return await in_session(self._engine, work)
