"""The scale-out cluster (tools/scaleout.py) for the whole session, on free loopback ports.

Starting it installs PostgreSQL, Redis and nginx from Debian packages if they are
missing, so the load test runs on a clean machine. Its files go to a temporary
directory, kept when a test failed or ``SCALE_KEEP_FILES`` is set (the path is
printed) and removed otherwise.
"""

from __future__ import annotations

import copy
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from bot.billing.seed import add_customer, load_seed
from bot.storage.db import make_engine
from tools.scaleout import Cluster, Ports

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "data" / "billing" / "demo-customers.yml"
SECRET = "scale-secret"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The fault test last: it restarts the shared parts, and its texts would count in
    the load test's tallies of nginx's access log."""
    # The notice tests run after the load test (their texts would count in its tallies too)
    last = ("tests/scale/test_notices.py", "tests/scale/test_faults.py")
    items.sort(key=lambda item: [item.nodeid.startswith(name) for name in reversed(last)])


@pytest.fixture(scope="session")
def cluster(request: pytest.FixtureRequest) -> Iterator[Cluster]:
    workdir = Path(tempfile.mkdtemp(prefix="scale-out-"))
    running = Cluster(
        root=ROOT,
        workdir=workdir,
        settings={
            "SMS_GATEWAY_SECRET": SECRET,
            "IDENTITY_SECRET": "scale-identity",
            "RASA_AUTH_TOKEN": "scale-token",
            "SMS_GATEWAY_OUTBOUND_URL": f"file://{workdir / 'outbound-sms.jsonl'}",
            # The fault test's customers text about once a second for a while.
            "RATE_LIMIT_PER_MINUTE": "600",
        },
        ports=Ports.free(),
        # TEST_MODEL selects the model, as in tests/e2e
        model=Path(os.environ["TEST_MODEL"]) if os.environ.get("TEST_MODEL") else None,
    )
    started = time.perf_counter()
    running.start()  # stops what it started if something fails
    with request.config.pluginmanager.getplugin("capturemanager").global_and_fixture_disabled():
        print(f"\nscale-out cluster up in {time.perf_counter() - started:.0f} s")
    try:
        yield running
    finally:
        running.stop()
        if request.session.testsfailed or os.environ.get("SCALE_KEEP_FILES"):
            print(f"\nscale-out cluster files kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


class Customers:
    """Adds accounts cloned from the demo customers, each with a balance of its own."""

    def __init__(self, cluster: Cluster) -> None:
        self._engine = make_engine(cluster.billing_url)
        self._demo = load_seed(SEED)["customers"]
        self._next = 0

    def clone(self, demo_index: int) -> tuple[str, Decimal]:
        """A new customer like demo customer ``demo_index`` (0-4): (number, balance).

        The balance differs from the demo one by a few cents (arrears stay arrears,
        a low balance stays low), so a reply that reached the wrong conversation shows.
        """
        self._next += 1
        customer: dict[str, Any] = copy.deepcopy(self._demo[demo_index])
        customer["msisdn"] = f"+86137{self._next:08d}"
        customer["balance"] = Decimal(str(customer["balance"])) + Decimal(self._next % 90) / 100
        with Session(self._engine) as session:
            add_customer(session, customer)
            session.commit()
        return customer["msisdn"], customer["balance"]


@pytest.fixture(scope="session")
def customers(cluster: Cluster) -> Customers:
    return Customers(cluster)
