"""Notices on the scale-out deployment: two schedulers sweep at once against nginx and the
shared PostgreSQL state; each due notice reaches its customer by SMS exactly once, and the
customer's reply, which nginx may hand to either Rasa server, is answered in context."""

from __future__ import annotations

import asyncio
import copy
import datetime as dt
import json
import re
import time
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.billing.models import CustomerRow, DataPackOrderRow
from bot.billing.packs import month_end
from bot.billing.seed import add_customer, load_seed
from bot.billing.sql import SqlBillingService
from bot.handoff.rasa_api import RasaAdminClient
from bot.notices.preferences import NoticePreferences
from bot.notices.routes import NoticeRoutes
from bot.notices.scheduler import NoticeScheduler, SweepReport
from bot.notices.sender import NoticeSender
from bot.notices.settings import NoticeSettings
from bot.notices.store import NoticeStore
from bot.state.tables import NoticeRow
from bot.storage.db import make_engine
from tests.fakes import NOW, Clock
from tests.scale.conftest import SECRET, SEED
from tools.scaleout import Cluster
from tools.sms_client import SmsGatewayClient

pytestmark = pytest.mark.scale

VALID = month_end(dt.date.today()).isoformat()  # what the action servers say a pack lasts
OFFER_ZH = (
    f"本月可加购以下流量包，费用从话费余额中扣除，有效期至{VALID}。请选择："
    "\n1. 1GB流量加油包 10.00元\n2. 5GB流量加油包 30.00元"
)
OFFER_EN = (
    f"Data add-ons for this month, paid from your balance and valid until {VALID}. Pick one:"
    "\n1. 1 GB data add-on, 10.00 yuan\n2. 5 GB data add-on, 30.00 yuan"
)
BILL_ZH = (
    "【账单提醒】您 2026-10 的账单已出，本期费用 {amount} 元。想了解费用明细，"
    "直接回复“为什么扣这么多”或“账单”。回复 QXZDTX 关闭账单提醒。"
)


class TheseCustomers(SqlBillingService):
    """The shared billing database, with the sweep limited to this test's customers (the
    other scale tests' customers would each get notices too)."""

    def __init__(self, engine: Engine, numbers: set[str]) -> None:
        super().__init__(engine, timeout=30)
        self._numbers = numbers

    async def customer_numbers(self) -> list[str]:
        return [n for n in await super().customer_numbers() if n in self._numbers]


def scheduler(cluster: Cluster, clock: Clock, numbers: set[str], owner: str) -> NoticeScheduler:
    """One scheduler as ``telecom-assistant notices`` builds it: Rasa's API behind nginx,
    the shared state; engines of its own, as another process would have."""
    state = make_engine(cluster.state_url)
    rasa = RasaAdminClient(cluster.url, cluster.jwt_secret, timeout=60)
    return NoticeScheduler(
        billing=TheseCustomers(make_engine(cluster.billing_url), numbers),
        store=NoticeStore(state),
        routes=NoticeRoutes(state),
        sender=NoticeSender(rasa),
        preferences=NoticePreferences(state),
        settings=NoticeSettings(),
        clock=clock,
        owner=owner,
    )


def add(cluster: Cluster, demo: int, number: str, **changes: Any) -> str:
    """A customer like demo customer ``demo`` (0-4) with ``changes`` (seed-file fields)."""
    customer: dict[str, Any] = copy.deepcopy(load_seed(SEED)["customers"][demo])
    customer.update(msisdn=number, **changes)
    with Session(make_engine(cluster.billing_url)) as session:
        add_customer(session, customer, NOW.date())  # the months the scheduler's clock expects
        session.commit()
    return number


def outbox(cluster: Cluster, numbers: set[str]) -> dict[str, list[str]]:
    """The SMS the nodes sent to ``numbers`` (the scale-out's gateway is a file)."""
    path = Path(cluster.settings["SMS_GATEWAY_OUTBOUND_URL"].removeprefix("file://"))
    sent: dict[str, list[str]] = {n: [] for n in numbers}
    for line in path.read_text(encoding="utf-8").splitlines() if path.exists() else []:
        message = json.loads(line)
        if message["to"] in sent:
            sent[message["to"]].append(message["text"])
    return sent


def trigger_upstreams(cluster: Cluster) -> Counter[str]:
    """How many notices nginx passed to each Rasa server."""
    counts: Counter[str] = Counter()
    for line in cluster.nginx.access_log.read_text().splitlines():
        if "/trigger_intent?" in line and '" 200 ' in line:
            counts[line.rsplit("upstream=", 1)[1].split()[0]] += 1
    return counts


async def talk(client: SmsGatewayClient, number: str, texts: tuple[str, ...]) -> list[str]:
    """One customer's replies, one text after another."""
    replies = []
    for text in texts:
        reply = await client.send(number, text)
        assert reply.status == 200, reply
        replies.append("\n".join(reply.texts))
    return replies


@dataclass(frozen=True)
class Customers:
    """This test's customers, by what is due for them."""

    pack_zh: list[str]  # like demo customer 1 (P58), all data used, no new bill: data_full
    pack_en: list[str]  # like demo customer 4 (P128, English), the same
    bill: list[str]  # like demo customer 3 (P38, a 100.00 bill), not in arrears: bill
    many: list[str]  # like demo customer 5: low_balance, data_warn (98 %) and bill

    @property
    def numbers(self) -> set[str]:
        return {*self.pack_zh, *self.pack_en, *self.bill, *self.many}

    def due(self) -> list[str]:
        """The keys of the notices due now."""
        return sorted(
            [f"{n}/data_full/2026-11" for n in self.pack_zh + self.pack_en]
            + [f"{n}/bill/2026-10" for n in self.bill + self.many]
            + [f"{n}/{e}/2026-11" for n in self.many for e in ("low_balance", "data_warn")]
        )


def add_customers(cluster: Cluster) -> Customers:
    p58, p128, p38 = (load_seed(SEED)["customers"][i] for i in (0, 3, 2))
    no_bill: dict[str, Any] = {"usage_history": []}
    return Customers(
        pack_zh=[
            add(
                cluster,
                0,
                f"+86136000001{i:02d}",
                **no_bill,
                current={**p58["current"], "data_used_gb": 40},
            )
            for i in range(4)
        ],
        pack_en=[
            add(
                cluster,
                3,
                f"+86136000002{i:02d}",
                **no_bill,
                current={**p128["current"], "data_used_gb": 150},
            )
            for i in range(2)
        ],
        bill=[
            add(
                cluster,
                2,
                f"+86136000003{i:02d}",
                balance=50,
                current={**p38["current"], "data_used_gb": 10},
            )
            for i in range(4)
        ],
        many=[add(cluster, 4, f"+86136000004{i:02d}") for i in range(2)],
    )


def assert_each_notice_once(texts: dict[str, list[str]], customers: Customers) -> None:
    """Each customer got each notice's text once (and the pack offer after data_full)."""
    full_zh = "【流量提醒】本月套餐流量 40.0 GB 已用完（已用 40.0 GB），超出部分按套餐外资费计费。"
    full_en = "Data alert: your plan's 150.0 GB for this month is used up (150.0 GB used); "
    for numbers, full, offer in (
        (customers.pack_zh, full_zh, OFFER_ZH),
        (customers.pack_en, full_en, OFFER_EN),
    ):
        for number in numbers:
            assert len(texts[number]) == 2 and texts[number][0].startswith(full), texts[number]
            assert texts[number][1] == offer
    for number in customers.bill:
        assert texts[number] == [BILL_ZH.format(amount="100.00")]
    for number in customers.many:  # the two schedulers may send these in any order
        assert sorted(texts[number]) == sorted(
            [
                "【余额提醒】您的话费余额为 2.10 元，已低于 5.00 元，请及时充值，以免影响使用。"
                "回复“余额”查询详情，回复 QXYETX 关闭余额提醒。",
                "【流量提醒】本月您已使用流量 4.9 GB，达到套餐流量 5.0 GB 的 98%。"
                "回复“流量”查询详情，回复 QXLLTX 关闭流量提醒。",
                BILL_ZH.format(amount="23.50"),
            ]
        ), texts[number]


async def reply_to_notices(cluster: Cluster, customers: Customers) -> dict[str, str]:
    """Each customer answers their notice through nginx; the order numbers they were told."""
    client = SmsGatewayClient(cluster.url, SECRET, timeout=60)
    try:
        answers = await asyncio.gather(
            *(talk(client, n, ("1", "是")) for n in customers.pack_zh),
            *(talk(client, n, ("2", "yes")) for n in customers.pack_en),
            *(talk(client, n, ("为什么扣这么多",)) for n in customers.bill),
        )
    finally:
        await client.aclose()
    buyers = customers.pack_zh + customers.pack_en
    told: dict[str, str] = {}
    for number, (question, done) in zip(buyers, answers, strict=False):
        if number in customers.pack_zh:
            assert question == (
                f"确认购买1GB流量加油包吗？流量1.0GB，10.00元从话费余额扣除，有效期至{VALID}。"
                "\n1. 确认\n2. 取消"
            )
            ordered = re.search(r"订单号(DP\d{10})：1GB流量加油包已生效", done)
            assert ordered and "已从话费余额扣除10.00元，当前余额13.50元。" in done, done
        else:
            assert question == (
                f"Buy the 5 GB data add-on? 5.0 GB for 30.00 yuan from your balance, valid "
                f"until {VALID}.\n1. Confirm\n2. Cancel"
            )
            ordered = re.search(r"Order (DP\d{10}): the 5 GB data add-on is active", done)
            assert ordered and "30.00 yuan was taken from your balance, now 280.75" in done, done
        told[number] = ordered.group(1)
    for (explained,) in answers[len(buyers) :]:  # "why so much" explains the bill
        assert "2026-10 100.00元" in explained and "2026-09比月费多67.50元" in explained
    return told


def assert_orders(cluster: Cluster, customers: Customers, told: dict[str, str]) -> None:
    """One pack order per buyer, the one they were told of, paid from their balance."""
    with Session(make_engine(cluster.billing_url)) as session:
        orders = session.scalars(
            select(DataPackOrderRow).where(DataPackOrderRow.msisdn.in_(told))
        ).all()
        assert sorted((o.msisdn, o.order_id, o.code) for o in orders) == sorted(
            (n, order, "DP1G" if n in customers.pack_zh else "DP5G") for n, order in told.items()
        )
        balance = select(CustomerRow.msisdn, CustomerRow.balance)
        balances = dict(session.execute(balance.where(CustomerRow.msisdn.in_(told))).all())
    assert balances == {
        n: Decimal("13.50") if n in customers.pack_zh else Decimal("280.75") for n in told
    }


async def test_two_schedulers_send_each_notice_once_and_replies_are_understood(
    cluster: Cluster,
) -> None:
    customers = add_customers(cluster)
    numbers = customers.numbers
    clock = Clock()
    before = trigger_upstreams(cluster)
    a, b = (scheduler(cluster, clock, numbers, owner) for owner in ("scheduler-a", "scheduler-b"))

    reports: list[SweepReport] = list(await asyncio.gather(a.sweep(), b.sweep()))

    sent = sorted(key for report in reports for key in report.sent)
    assert sent == customers.due(), reports
    assert all(report.sent for report in reports) and not any(r.failed for r in reports)
    expected = len(sent) + len(customers.pack_zh + customers.pack_en)  # and the offers
    deadline = time.monotonic() + 10
    while sum(map(len, outbox(cluster, numbers).values())) < expected:
        assert time.monotonic() < deadline, outbox(cluster, numbers)
        await asyncio.sleep(0.2)
    texts = outbox(cluster, numbers)
    assert_each_notice_once(texts, customers)
    triggers = trigger_upstreams(cluster) - before  # both Rasa servers put notices in
    assert sum(triggers.values()) == len(sent) and len(triggers) == 2, triggers

    assert_orders(cluster, customers, await reply_to_notices(cluster, customers))

    # Once per cycle: two more sweeps at once send nothing; every notice is recorded sent.
    again = await asyncio.gather(a.sweep(), b.sweep())
    assert [r.sent for r in again] == [[], []]
    assert outbox(cluster, numbers) == texts
    with Session(make_engine(cluster.state_url)) as session:
        rows = session.scalars(select(NoticeRow).where(NoticeRow.msisdn.in_(numbers))).all()
        assert sorted(f"{r.msisdn}/{r.event}/{r.cycle}" for r in rows) == sent
        assert {(r.status, r.attempts, r.channel) for r in rows} == {("sent", 1, "sms")}
        assert {r.claimed_by for r in rows} == {"scheduler-a", "scheduler-b"}
