"""The notice scheduler's composition root (``telecom-assistant notices``)."""

from __future__ import annotations

from bot import wiring
from bot.config import Settings
from bot.handoff.rasa_api import RasaAdminClient
from bot.notices.offer_finder import OfferFinder
from bot.notices.preferences import NoticePreferences
from bot.notices.routes import NoticeRoutes
from bot.notices.scheduler import NoticeScheduler
from bot.notices.sender import NoticeSender
from bot.notices.settings import NoticeSettings
from bot.notices.store import NoticeStore
from bot.state.schema import state_engine


def notice_scheduler(settings: Settings, notices: NoticeSettings) -> NoticeScheduler:
    """The scheduler's billing, notice record, routes, Rasa's API, the customers' opt-outs and
    the plan offers.

    Raises ``ValueError`` without ``RASA_JWT_SECRET``.
    """
    if not settings.rasa_jwt_secret:
        raise ValueError("RASA_JWT_SECRET is not set: notices go through Rasa's HTTP API")
    state = state_engine(settings.state_database_url)
    billing = wiring.billing_service(settings)
    return NoticeScheduler(
        billing=billing,
        store=NoticeStore(state),
        routes=NoticeRoutes(state),
        sender=NoticeSender(
            RasaAdminClient(settings.rasa_url, settings.rasa_jwt_secret, username="notices")
        ),
        preferences=NoticePreferences(state),
        settings=notices,
        offers=OfferFinder(billing, NoticeStore(state)),
    )
