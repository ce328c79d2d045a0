"""The roots: ``bot.bootstrap`` builds each process's bundle once, from settings, and what
Rasa makes itself reads it from ``bot.services``; the billing adapter chosen in
``bot.wiring.billing_service`` is the one every process shows (the console's and the
notice scheduler's roots, beside their processes, call it through ``bot.wiring``)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import Engine

from bot import bootstrap as bootstrap_module
from bot import services as bundle
from bot import wiring
from bot.billing.port import BillingService
from bot.billing.seed import seed_database
from bot.billing.sql import SqlBillingService
from bot.bootstrap import ACTION_SERVER, RASA_SERVER, bootstrap
from bot.channels.http_clients import SMS_GATEWAY, TELEGRAM, HttpClients
from bot.channels.sms.outbound import FileSmsSender, GatewaySmsSender
from bot.channels.telegram.push import TelegramPush
from bot.config import Settings, load_settings
from bot.console import wiring as console_wiring
from bot.handoff.queue import HandoffReason
from bot.rasa_ext.action_server import attach_bundle
from bot.services import Bundle, BundleNotInstalled
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
        "TELEGRAM_DOMAIN_PATH": str(ROOT / "domain"),
        "TRADITIONAL_VARIANT": "s2hk",
    }.items():
        monkeypatch.setenv(name, value)
    yield load_settings()


def counted_state_engines(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The URLs ``bot.bootstrap`` opens state engines on, as it opens them."""
    opened: list[str] = []
    real: Callable[..., Engine] = bootstrap_module.state_engine

    def state_engine(url: str, **options: Any) -> Engine:
        opened.append(url)
        return real(url, **options)

    monkeypatch.setattr(bootstrap_module, "state_engine", state_engine)
    return opened


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
    from actions.balance import ActionCheckBalance

    fake = replaced_billing(monkeypatch)
    built = bootstrap(ACTION_SERVER, settings)
    assert built.actions is not None and built.actions.billing is fake
    bundle.install(built)  # the action server's start-up
    action = ActionCheckBalance()  # as rasa-sdk makes it: no arguments
    assert action.services.billing is fake
    assert (await action.services.billing.get_customer(C1)).name("en") == REPLACED


def test_a_caller_hands_in_its_own_billing(settings: Settings) -> None:
    fake = FakeBillingService()
    built = bootstrap(ACTION_SERVER, settings, billing=fake)
    assert built.actions is not None and built.actions.billing is fake


async def test_the_console_shows_the_replaced_billing(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    replaced_billing(monkeypatch)  # the billing stub's own database stays empty
    actions = bootstrap(ACTION_SERVER, settings).actions
    assert actions is not None
    case = await actions.handoff.create(C1, C1, "sms", "en", HandoffReason.CUSTOMER_REQUEST)
    desk = console_wiring.console_services(settings, domain_path=ROOT / "domain").desk
    [line] = (await desk.queue()).summaries
    assert line.customer_name == REPLACED
    view = await desk.case(case.id)
    assert view.profile is not None and view.profile.name == REPLACED


async def test_the_action_server_opens_the_state_database_once(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = counted_state_engines(monkeypatch)
    seed_database(make_engine(settings.database_url), SEED)
    built = bootstrap(ACTION_SERVER, settings)
    actions = built.actions
    assert actions is not None and isinstance(actions.billing, SqlBillingService)
    assert (await actions.billing.get_customer(C1)).msisdn == C1
    assert await actions.handoff.open_cases() == []
    assert opened == [settings.state_database_url]
    await built.aclose()


async def test_the_rasa_server_opens_the_state_database_once_on_first_use(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = counted_state_engines(monkeypatch)
    channels = bootstrap(RASA_SERVER, settings).channels
    assert channels is not None and opened == []  # nothing opened at start-up
    assert isinstance(channels.sms_sender, FileSmsSender)
    assert channels.telegram_push == TelegramPush("1:abc", settings.telegram_api_base_url)
    assert channels.deliveries() is channels.deliveries()
    mailbox = channels.mailbox()
    assert mailbox is channels.mailbox() and channels.web_logout() is channels.web_logout()
    assert channels.sms_outbox() is channels.sms_outbox()
    await mailbox.put("web-1", {"text": "hello"})
    assert await mailbox.take("web-1") == [{"text": "hello"}]
    assert await channels.deliveries().claim("sms", C1, "m-1") is None
    assert opened == [settings.state_database_url]  # one engine for every store


def test_the_channels_share_the_installed_bundle(settings: Settings) -> None:
    from bot.channels.sms.input import SmsInput
    from bot.channels.telegram.input import TelegramBridgeInput
    from bot.channels.webchat.input import WebChatInput

    bundle.install(bootstrap(RASA_SERVER, settings))  # the Rasa server's start-up
    shared = bundle.channel_services()
    sms = SmsInput.from_credentials({"secret": "s3cret"})
    web = WebChatInput.from_credentials(None)
    telegram = TelegramBridgeInput.from_credentials(None)
    assert isinstance(sms, SmsInput) and isinstance(telegram, TelegramBridgeInput)
    assert sms.deliveries() is shared.deliveries()
    assert web.mailbox() is shared.mailbox()
    assert telegram.push is shared.telegram_push and telegram.secret == "bridge"
    assert telegram.push is not None and telegram.push.http is bundle.current().http


def test_the_nlg_takes_its_variant_from_the_installed_settings(settings: Settings) -> None:
    from bot.rasa_ext.nlg import ScriptAwareNLG

    bundle.install(Bundle(settings))
    assert ScriptAwareNLG().variant == "s2hk"


def test_reading_the_bundle_before_start_up_says_who_installs_it(settings: Settings) -> None:
    bundle.uninstall()
    with pytest.raises(BundleNotInstalled, match=r"bot\.rasa_ext\.server"):
        bundle.settings()
    bundle.install(Bundle(settings))  # settings only: no services of either server
    with pytest.raises(BundleNotInstalled, match="no action services"):
        bundle.action_services()
    with pytest.raises(BundleNotInstalled, match="no channel services"):
        bundle.channel_services()


class FakeApp:
    """The listener registry of a Sanic app."""

    def __init__(self) -> None:
        self.listeners: dict[str, list[Callable[..., Any]]] = {}

    def register_listener(self, listener: Callable[..., Any], event: str) -> None:
        self.listeners.setdefault(event, []).append(listener)

    async def fire(self, event: str) -> None:
        for listener in self.listeners.get(event, []):
            await listener(self, None)


async def test_the_action_server_builds_its_bundle_at_start_up_and_closes_it(
    settings: Settings,
) -> None:
    bundle.uninstall()
    built: list[Bundle] = []

    def build() -> Bundle:
        built.append(bootstrap(ACTION_SERVER, settings, billing=FakeBillingService()))
        return built[-1]

    app = FakeApp()
    attach_bundle(app, build)  # type: ignore[arg-type]
    assert built == []  # nothing at import or when the app is made
    await app.fire("before_server_start")
    assert [bundle.current()] == built
    client = built[0].http.client("telegram")
    await app.fire("after_server_stop")
    assert client.is_closed and built[0].http.open_kinds == frozenset()


async def test_pushes_and_sms_share_one_client_per_destination_until_shutdown() -> None:
    sent: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request.url.host)
        return httpx.Response(200, json={"ok": True})

    http = HttpClients(httpx.MockTransport(answer))
    push = TelegramPush("1:abc", "http://telegram.test/bot", http).output()
    sms = GatewaySmsSender("http://gateway.test/send", "gateway-secret", http=http)
    await push.send_text_message("tg-42", "one")
    telegram = http.client(TELEGRAM)
    await push.send_text_message("tg-42", "two")
    await sms.send(C1, "one")
    await sms.send(C1, "two")
    assert sent == ["telegram.test"] * 2 + ["gateway.test"] * 2
    assert http.client(TELEGRAM) is telegram and http.open_kinds == {TELEGRAM, SMS_GATEWAY}
    await http.aclose()
    assert telegram.is_closed and http.open_kinds == frozenset()


async def test_the_console_root_builds(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    real: Callable[..., Engine] = console_wiring.state_engine

    def state_engine(url: str, **options: Any) -> Engine:
        opened.append(url)
        return real(url, **options)

    monkeypatch.setattr(console_wiring, "state_engine", state_engine)
    services = console_wiring.console_services(settings, domain_path=ROOT / "domain")
    assert opened == [settings.state_database_url]  # one engine for every store
    web = services.console
    assert web.tickets is not None and web.case_context is not None and web.live is not None
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
