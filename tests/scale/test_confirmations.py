"""Two confirmations at once charge once, on PostgreSQL.

Redeeming a proposal is one conditional update (``used_at IS NULL``); under
PostgreSQL's row locks the second of two concurrent updates sees the first one's
commit and changes nothing. Shown twice on the scale-out cluster: many redeems of one
proposal at once, and the same "yes" (a replayed tracker) posted to both action
servers at the same moment, bypassing Rasa's per-conversation lock.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from actions.quoting import of_pack
from bot.billing.models import CustomerRow, DataPackOrderRow
from bot.billing.packs import month_end
from bot.billing.sql import SqlBillingService
from bot.domain.confirmations import DATA_PACK
from bot.domain.identity import identity_metadata
from bot.domain.quotes import Quote
from bot.state.proposals import ProposalStore
from bot.storage.db import make_engine
from tests.scale.conftest import Customers
from tests.unit.trackers import SLOT_DEFAULTS, action, bot, user
from tools.scaleout import Cluster

pytestmark = pytest.mark.scale

ROUNDS = 10
AT_ONCE = 8


async def test_of_many_redeems_at_once_exactly_one_wins(cluster: Cluster) -> None:
    engine = make_engine(cluster.state_url)
    store = ProposalStore(engine)
    try:
        quote = Quote(Decimal("10.00"), "1GB", month_end(dt.date.today()))
        for round_ in range(ROUNDS):
            number = f"+861360000{round_:04d}"
            proposal = await store.propose(number, "sms", number, DATA_PACK, "DP1G", quote)
            won = await asyncio.gather(
                *(
                    store.redeem(proposal.id, number, "sms", DATA_PACK, number)
                    for _ in range(AT_ONCE)
                )
            )
            assert sum(result is not None for result in won) == 1, won
    finally:
        engine.dispose()


async def test_the_same_yes_at_both_action_servers_orders_once(
    cluster: Cluster, customers: Customers, domain: dict[str, Any]
) -> None:
    number, balance = customers.clone(0)  # Zhang Wei's kind: enough for a 1 GB pack
    billing_engine, state_engine = make_engine(cluster.billing_url), make_engine(cluster.state_url)
    try:
        [pack] = [
            p for p in await SqlBillingService(billing_engine).list_data_packs() if p.code == "DP1G"
        ]
        proposal = await ProposalStore(state_engine).propose(
            number, "sms", number, DATA_PACK, pack.code, of_pack(pack, month_end(dt.date.today()))
        )
        body = confirm_request(number, proposal.id, domain, cluster.settings["IDENTITY_SECRET"])
        headers = {"Authorization": f"Bearer {cluster.action_token}"}
        ports = (cluster.ports.actions_1, cluster.ports.actions_2)
        async with httpx.AsyncClient(timeout=30, headers=headers) as client:
            answers = await asyncio.gather(
                *(client.post(f"http://127.0.0.1:{port}/webhook", json=body) for port in ports)
            )
        said = sorted(r["response"] for answer in answers for r in answer.json()["responses"])
        assert said == ["utter_data_pack_ordered", "utter_nothing_to_confirm"], said
        with billing_engine.connect() as connection:
            orders = connection.execute(
                select(DataPackOrderRow.order_id).where(DataPackOrderRow.msisdn == number)
            ).all()
            left = connection.execute(
                select(CustomerRow.balance).where(CustomerRow.msisdn == number)
            ).scalar_one()
        assert len(orders) == 1
        assert left == balance - pack.price  # charged once
    finally:
        billing_engine.dispose()
        state_engine.dispose()


def confirm_request(
    number: str, proposal_id: str, domain: dict[str, Any], secret: str
) -> dict[str, Any]:
    """What a Rasa server posts to run ``action_order_data_pack`` after a "yes"."""
    latest = user("1", "affirm", "sms", identity_metadata(secret, "sms", number))
    events = [
        action("action_propose_data_pack"),
        bot(),
        action("action_listen"),
        latest,
    ]
    tracker = {
        "sender_id": number,
        "slots": {**SLOT_DEFAULTS, "pending_data_pack": proposal_id, "language": "zh"},
        "latest_message": latest["parse_data"],
        "events": events,
        "paused": False,
        "followup_action": None,
        "active_loop": {},
        "latest_action_name": "action_listen",
    }
    return {
        "next_action": "action_order_data_pack",
        "sender_id": number,
        "tracker": tracker,
        "domain": domain,
        "version": "3.6.21",
    }
