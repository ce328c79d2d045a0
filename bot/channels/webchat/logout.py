"""A web-chat customer logs out: what the conversation verified by code stops counting."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.domain.ids import WEB
from bot.storage.db import in_session
from bot.verification.revoke import revoke_verifications


class WebLogout:
    """Revokes a web-chat conversation's verified numbers (status ``revoked``)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    async def __call__(self, conversation_id: str) -> int:
        """Revoke; how many verifications there were."""

        def work(s: Session) -> int:
            revoked = revoke_verifications(s, conversation_id, WEB)
            s.commit()
            return revoked

        return await in_session(self._engine, work)
