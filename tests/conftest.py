"""Shared fixtures: the domain as the action server sees it, and fresh fakes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot import services as bundle
from bot.config import load_settings
from bot.domain.files import load_domain
from bot.services import Bundle, Services
from tests.fakes import fake_services
from tests.unit.trackers import IDENTITY_SECRET

DOMAIN_FILE = Path(__file__).resolve().parents[1] / "domain"


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    """The domain (``domain/``) as a dict; actions render list items from its responses."""
    return load_domain(DOMAIN_FILE)


@pytest.fixture
def services() -> Services:
    """A fresh FakeBillingService and FakeHandoffQueue for each test."""
    return fake_services()


@pytest.fixture(autouse=True)
def identity_secret(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The secret the SMS channel signs identities with (read by the actions), in the
    settings of the bundle installed as a process's start-up would (``bot.services``)."""
    monkeypatch.setenv("IDENTITY_SECRET", IDENTITY_SECRET)
    bundle.install(Bundle(load_settings()))
    yield
    bundle.uninstall()
