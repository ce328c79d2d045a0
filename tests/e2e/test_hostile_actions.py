"""A forged caller against the running action server, and the tokens off command lines.

The forged call is as potent as one can be: a tracker whose latest message carries a
valid identity signature and a pending plan change right after the proposal. Without
the token it is refused; with it, it still places no order, because the confirmation
must redeem a proposal the server recorded for this conversation.
"""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.billing.models import PlanChangeOrderRow
from bot.domain.identity import identity_metadata
from bot.handoff.rasa_api import admin_token
from bot.rasa_ext.action_server import TOKEN_ENV
from tests.e2e.conftest import DEMO
from tools.devstack import Stack

pytestmark = pytest.mark.e2e

CUSTOMER = DEMO[4]  # on P18; P38 is open to them


def forged_plan_change(stack: Stack) -> dict[str, Any]:
    """What Rasa would post after the customer confirmed a change to P38."""
    metadata = identity_metadata(stack.env["IDENTITY_SECRET"], "sms", CUSTOMER)
    message = {"text": "1", "intent": {"name": "affirm"}, "entities": [], "metadata": metadata}
    events = [
        {"event": "action", "name": "action_propose_plan_change"},
        {
            "event": "user",
            "text": "1",
            "input_channel": "sms",
            "parse_data": message,
            "metadata": metadata,
        },
    ]
    tracker = {
        "sender_id": CUSTOMER,
        "slots": {"pending_plan": "P38", "language": "en"},
        "latest_message": message,
        "events": events,
        "paused": False,
        "followup_action": None,
        "active_loop": {},
        "latest_action_name": "action_listen",
    }
    return {
        "next_action": "action_change_plan",
        "sender_id": CUSTOMER,
        "tracker": tracker,
        "domain": {},
        "version": "3.6.21",
    }


@pytest.fixture
def orders(billing_db: Engine, stack: Stack) -> Iterator[Engine]:
    """The plan change orders; the customer's are removed afterwards."""
    yield billing_db
    with billing_db.begin() as connection:
        connection.execute(delete(PlanChangeOrderRow).where(PlanChangeOrderRow.msisdn == CUSTOMER))


def count_orders(engine: Engine) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(PlanChangeOrderRow)) or 0


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer not-the-action-server-token"}],
    ids=["no_token", "wrong_token"],
)
def test_a_forged_tracker_is_refused_and_changes_nothing(
    stack: Stack, orders: Engine, headers: dict[str, str]
) -> None:
    url = f"http://127.0.0.1:{stack.actions_port}"
    before = count_orders(orders)
    refused = httpx.post(f"{url}/webhook", json=forged_plan_change(stack), headers=headers)
    listing = httpx.get(f"{url}/actions", headers=headers)
    assert (refused.status_code, listing.status_code) == (401, 401)
    assert "order" not in refused.text.lower()
    assert count_orders(orders) == before
    assert httpx.get(f"{url}/health").json() == {"status": "ok"}


@pytest.mark.parametrize("pending", ["P38", "made-up-proposal-id"])
def test_even_with_the_token_a_forged_confirmation_places_no_order(
    stack: Stack, orders: Engine, pending: str
) -> None:
    """Defence in depth: the call passes the token check (so the refusal above is the
    token's doing), yet the confirmation redeems no proposal the server recorded for
    this conversation, so no order is placed."""
    headers = {"Authorization": f"Bearer {stack.env[TOKEN_ENV]}"}
    url = f"http://127.0.0.1:{stack.actions_port}/webhook"
    before = count_orders(orders)
    forged = forged_plan_change(stack)
    forged["tracker"]["slots"]["pending_plan"] = pending
    accepted = httpx.post(url, json=forged, headers=headers, timeout=30)
    assert accepted.status_code == 200, accepted.text
    assert [r["response"] for r in accepted.json()["responses"]] == ["utter_nothing_to_confirm"]
    assert count_orders(orders) == before


def other_addresses() -> list[str]:
    """This machine's addresses besides loopback (``hostname -I``)."""
    found = subprocess.run(["hostname", "-I"], capture_output=True, text=True, check=False)
    return found.stdout.split()


def test_the_action_server_is_not_reachable_from_other_hosts(stack: Stack) -> None:
    addresses = other_addresses()
    if not addresses:
        pytest.skip("this machine has no address besides loopback")
    for address in addresses:
        with pytest.raises(OSError):  # refused: nothing listens there
            socket.create_connection((address, stack.actions_port), timeout=3).close()
    socket.create_connection(("127.0.0.1", stack.actions_port), timeout=3).close()


def command_lines(sessions: set[int] | None = None) -> dict[int, str]:
    """Every process's command line, or those of the given process sessions."""
    lines = {}
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            stat = (proc / "stat").read_text()
            cmdline = (proc / "cmdline").read_bytes()
        except OSError:  # gone meanwhile
            continue
        session = int(stat.rsplit(")", 1)[1].split()[3])  # state ppid pgrp session
        if sessions is None or session in sessions:
            lines[int(proc.name)] = cmdline.replace(b"\0", b" ").decode(errors="replace")
    return lines


def test_no_token_is_on_a_command_line(stack: Stack) -> None:
    ours = command_lines(set(stack.pids().values()))  # each server leads its own session
    assert any("bot.rasa_ext.server" in line for line in ours.values())
    assert any("bot.rasa_ext.action_server" in line for line in ours.values())
    for line in ours.values():
        assert stack.token not in line and "--auth-token" not in line, line
        assert stack.jwt_secret not in line and "--jwt-secret" not in line, line
    action_token = stack.env[TOKEN_ENV]  # made for this stack: nowhere else either
    assert not [line for line in command_lines().values() if action_token in line]


def test_rasa_api_still_needs_its_token(stack: Stack) -> None:
    assert httpx.get(f"{stack.rasa_url}/status").status_code == 401
    assert httpx.get(f"{stack.rasa_url}/status", params={"token": "wrong"}).status_code == 401
    answered = httpx.get(f"{stack.rasa_url}/status", params={"token": stack.token}, timeout=30)
    assert answered.status_code == 200 and "model_file" in answered.json()


def test_rasa_api_takes_only_a_jwt_signed_with_its_secret(stack: Stack) -> None:
    """The console's and the scheduler's way in: a short-lived JWT in the header."""
    now = time.time()

    def status(token: str) -> int:
        headers = {"Authorization": f"Bearer {token}"}
        return httpx.get(f"{stack.rasa_url}/status", headers=headers, timeout=30).status_code

    assert status(admin_token(stack.jwt_secret, "console", now)) == 200
    assert status(admin_token("not-the-secret", "console", now)) == 401
    assert status(admin_token(stack.jwt_secret, "console", now - 3600)) == 401  # expired
