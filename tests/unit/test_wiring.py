"""The composition roots: every one builds from settings, and the billing adapter chosen in
``bot.wiring.billing_service`` is the one every process shows (the console's and the
notice scheduler's roots, beside their processes, call it through ``bot.wiring``)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import wiring
from bot.billing.port import BillingService
from bot.billing.seed import seed_database
from bot.billing.sql import SqlBillingService
from bot.channels.sms.outbound import FileSmsSender
from bot.config import Settings, load_settings
from bot.console import wiring as console_wiring
from bot.handoff.queue import HandoffReason
from bot.storage.db import make_engine
from bot.telegram_bridge import wiring as telegram_wiring
from bot.telegram_bridge.settings import load_telegram_settings
from tests.fakes import SEED, FakeBillingService

ROOT = Path(__file__).resolve().parents[2]
C1 = "+8613800000001"
REPLACED = "Ms Replaced"


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """The environment's settings with temporary SQLite files and every secret set."""
    for name, value in {
        "BILLING_DATABASE_URL": f"sqlite:///{tmp_path / 'billing.db'}",
        "STATE_DATABASE_URL": f"sqlite:///{tmp_path / 'state.db'}",
        "SMS_GATEWAY_OUTBOUND_URL": f"file://{tmp_path / 'outbox.jsonl'}",
        "RASA_URL": "http://127.0.0.1:9",  # nothing listens: no transcripts, no delay
        "RASA_JWT_SECRET": "jwt-secret",
        "TELEGRAM_BOT_TOKEN": "1:abc",
        "TELEGRAM_BRIDGE_SECRET": "bridge",
        "TELEGRAM_DOMAIN_PATH": str(ROOT / "domain.yml"),
    }.items():
        monkeypatch.setenv(name, value)
    wiring.default_services.cache_clear()
    yield load_settings()
    wiring.default_services.cache_clear()


def replaced_billing(monkeypatch: pytest.MonkeyPatch) -> FakeBillingService:
    """A fake billing system in the root, whose first customer has a name of its own."""
    fake = FakeBillingService()
    fake.customers[C1] = dataclasses.replace(fake.customers[C1], name_en=REPLACED)

    def billing_service(_: Settings) -> BillingService:
        return fake

    monkeypatch.setattr(wiring, "billing_service", billing_service)
    return fake


async def test_the_action_server_shows_the_replaced_billing(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = replaced_billing(monkeypatch)
    assert wiring.action_services(settings).billing is fake
    default = wiring.default_services()  # what the actions get when Rasa's SDK makes them
    assert default.billing is fake
    assert (await default.billing.get_customer(C1)).name("en") == REPLACED


async def test_the_console_shows_the_replaced_billing(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    replaced_billing(monkeypatch)  # the billing stub's own database stays empty
    queue = wiring.action_services(settings).handoff
    case = await queue.create(C1, C1, "sms", "en", HandoffReason.CUSTOMER_REQUEST)
    desk = console_wiring.console_services(settings, domain_path=ROOT / "domain.yml").desk
    [line] = (await desk.queue()).summaries
    assert line.customer_name == REPLACED
    view = await desk.case(case.id)
    assert view.profile is not None and view.profile.name == REPLACED


async def test_the_action_server_root_builds_the_billing_stub(settings: Settings) -> None:
    seed_database(make_engine(settings.database_url), SEED)
    services = wiring.action_services(settings)
    assert isinstance(services.billing, SqlBillingService)
    assert (await services.billing.get_customer(C1)).msisdn == C1
    assert await services.handoff.open_cases() == []
    assert wiring.default_services() is wiring.default_services()


async def test_the_channel_root_builds_and_opens_its_stores_once(settings: Settings) -> None:
    services = wiring.channel_services(settings)
    assert isinstance(services.sms_sender, FileSmsSender)
    assert services.telegram_push == wiring.TelegramPush("1:abc", settings.telegram_api_base_url)
    assert services.deliveries() is services.deliveries()
    mailbox = services.mailbox()
    assert mailbox is services.mailbox()
    await mailbox.put("web-1", {"text": "hello"})
    assert await mailbox.take("web-1") == [{"text": "hello"}]
    assert await services.deliveries().claim("sms", C1, "m-1") is None


def test_the_channels_share_one_root(settings: Settings) -> None:
    from bot.channels.sms.input import SmsInput
    from bot.channels.telegram.input import TelegramBridgeInput
    from bot.channels.webchat.input import WebChatInput

    shared = wiring.default_channel_services()
    assert shared is wiring.default_channel_services()
    sms = SmsInput.from_credentials({"secret": "s3cret"})
    web = WebChatInput.from_credentials(None)
    telegram = TelegramBridgeInput.from_credentials(None)
    assert isinstance(sms, SmsInput) and isinstance(telegram, TelegramBridgeInput)
    assert sms.deliveries() is shared.deliveries()
    assert web.mailbox() is shared.mailbox()
    assert telegram.push is shared.telegram_push and telegram.secret == "bridge"


async def test_the_console_root_builds(settings: Settings) -> None:
    services = console_wiring.console_services(settings, domain_path=ROOT / "domain.yml")
    assert (await services.desk.queue()).summaries == []
    assert services.accounts.list() == []
    console_wiring.console_accounts(settings).add("ann", "a long enough passphrase")
    assert [agent.username for agent in services.accounts.list()] == ["ann"]


def test_the_console_root_needs_rasas_token(settings: Settings) -> None:
    with pytest.raises(ValueError, match="RASA_JWT_SECRET"):
        console_wiring.console_services(dataclasses.replace(settings, rasa_jwt_secret=None))


async def test_the_telegram_root_builds(settings: Settings) -> None:
    bridge = telegram_wiring.telegram_services(load_telegram_settings(settings))
    try:
        assert await bridge.links.msisdn_for(1) is None
    finally:
        await bridge.rasa.aclose()
