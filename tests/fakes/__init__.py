"""Every fake the tests use, one module per port or peer; ``tests/contracts`` holds each
fake of a port to the behaviour of its real adapter.

- ``billing``: ``FakeBillingService`` (``bot.billing.port``), built from the demo seed
- ``handoff``: ``FakeHandoffQueue`` (``bot.handoff.queue``)
- ``rasa_api``: ``FakeRasaAdmin``, Rasa's HTTP API as the console's desk calls it
- ``desk``: ``FakeHandoffDesk``, the desk the console's pages run over
- ``review``: ``FakeReviewSource`` (``bot.review.source``), candidates for the Review page
- ``sms``: ``FakeSmsSender`` (``bot.channels.sms.outbound``)
- ``streams``: ``FakeStream`` / ``FakeRequest``, a Sanic request's body as the SMS channel reads it
- ``gateway``: ``FakeSmsGateway``, an SMS gateway's outbound API on loopback (e2e)
- ``telegram``: ``FakeTelegram``, the Telegram Bot API on loopback (e2e)
- ``services``: ``fake_services()``, the actions' services wired with the fakes
- ``clock``: ``NOW`` / ``TODAY`` the fakes stamp with, and a settable ``Clock``
"""

from __future__ import annotations

from tests.fakes.billing import SEED, FakeBillingService
from tests.fakes.clock import NOW, TODAY, Clock
from tests.fakes.desk import FakeCase, FakeHandoffDesk, demo_profile
from tests.fakes.gateway import FakeSmsGateway
from tests.fakes.handoff import FakeHandoffQueue
from tests.fakes.rasa_api import FakeRasaAdmin
from tests.fakes.services import fake_services, memory_engine
from tests.fakes.sms import FakeSmsSender
from tests.fakes.streams import FakeRequest, FakeStream
from tests.fakes.telegram import FakeTelegram, telegram_user

__all__ = [
    "NOW",
    "SEED",
    "TODAY",
    "Clock",
    "FakeBillingService",
    "FakeCase",
    "FakeHandoffDesk",
    "FakeHandoffQueue",
    "FakeRasaAdmin",
    "FakeRequest",
    "FakeSmsGateway",
    "FakeSmsSender",
    "FakeStream",
    "FakeTelegram",
    "demo_profile",
    "fake_services",
    "memory_engine",
    "telegram_user",
]
