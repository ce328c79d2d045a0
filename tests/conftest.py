"""Shared fixtures: the domain as the action server sees it, and fresh fakes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.wiring import Services
from tests.fakes import fake_services
from tests.unit.trackers import IDENTITY_SECRET

DOMAIN_FILE = Path(__file__).resolve().parents[1] / "domain.yml"


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    """domain.yml as a dict; actions render list items from its responses."""
    with DOMAIN_FILE.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return data


@pytest.fixture
def services() -> Services:
    """A fresh FakeBillingService and FakeHandoffQueue for each test."""
    return fake_services()


@pytest.fixture(autouse=True)
def identity_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    """The secret the SMS channel signs identities with (read by the actions)."""
    monkeypatch.setenv("IDENTITY_SECRET", IDENTITY_SECRET)
