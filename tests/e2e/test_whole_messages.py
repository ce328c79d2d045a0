"""Whole messages through the signed SMS webhook: two requests in one text, details said
up front, a question inside a form, services named like notices, another number, and no
state changed by a message read on a guess."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.billing.models import (
    PlanChangeOrderRow,
    SubscriptionRow,
    TicketDueRow,
    TicketRow,
    TicketUpdateRow,
)
from bot.channels.sms.shaping import MAX_REPLY_SEGMENTS, segment
from bot.state.tables import NoticePreferenceRow, TicketOriginRow
from tests.e2e.conftest import DEMO
from tools.heldout import examples, yaml_files
from tools.sms_client import SmsGatewayClient

pytestmark = pytest.mark.e2e
C1, C2, C3, C4, C5 = DEMO
ROOT = Path(__file__).resolve().parents[2]


async def replies(sms: SmsGatewayClient, sender: str, text: str) -> list[str]:
    """The replies to one text; each fits the segment budget and says how many it takes."""
    reply = await sms.send(sender, text)
    assert reply.status == 200, reply.body
    for sent in reply.body["replies"]:
        assert sent["segments"] == segment(sent["text"]).count
        assert sent["segments"] <= MAX_REPLY_SEGMENTS, sent
    return list(reply.texts)


def first_with(texts: list[str], needle: str) -> int:
    return next(i for i, text in enumerate(texts) if needle in text)


@pytest.mark.parametrize(
    ("sender", "text", "first", "second"),
    [
        (C1, "帮我查一下余额和流量", "23.50元", "流量已用31.2GB"),
        (C1, "我今個月用咗幾多數據？仲有戶口剩返幾多錢", "流量已用31.2GB", "23.50元"),
        (C4, "what's my balance and how much data have I used?", "310.75 yuan", "GB used"),
    ],
)
async def test_two_requests_are_both_answered_in_the_order_asked(
    sms: SmsGatewayClient, sender: str, text: str, first: str, second: str
) -> None:
    texts = await replies(sms, sender, text)
    assert first_with(texts, first) < first_with(texts, second)


def withdraw(billing_db: Engine, state_db: Engine, ticket_id: str) -> None:
    """Remove a ticket a test filed: an open one would escalate later tests' complaints."""
    with Session(billing_db) as session:
        for table in (TicketUpdateRow, TicketDueRow, TicketRow):
            session.execute(delete(table).where(table.ticket_id == ticket_id))
        session.commit()
    with Session(state_db) as session:
        session.execute(delete(TicketOriginRow).where(TicketOriginRow.ticket_id == ticket_id))
        session.commit()


async def test_a_complaint_said_up_front_is_confirmed_and_filed_as_said(
    sms: SmsGatewayClient, billing_db: Engine, state_db: Engine
) -> None:
    said = "我要投诉，家里天河区这边一个星期都没信号了"
    confirmation = "\n".join(await replies(sms, C1, said))
    assert "请确认投诉信息" in confirmation and "天河区" in confirmation
    assert "请简单描述" not in confirmation
    filed = "\n".join(await replies(sms, C1, "确认"))
    assert "TK" in filed
    with Session(billing_db) as session:
        ticket = session.scalars(
            select(TicketRow).where(TicketRow.msisdn == C1).order_by(TicketRow.created_at.desc())
        ).first()
    assert ticket is not None
    withdraw(billing_db, state_db, ticket.ticket_id)
    assert (ticket.category, ticket.description, ticket.location) == ("network", said, "家里天河区")


async def test_a_question_inside_the_form_is_answered_never_stored(
    sms: SmsGatewayClient, billing_db: Engine
) -> None:
    await replies(sms, C4, "I want to file a complaint")
    await replies(sms, C4, "network")  # the category
    asked = "\n".join(await replies(sms, C4, "what's my balance and my bill?"))
    assert "310.75 yuan" in asked and "describe the problem" in asked
    where = "\n".join(await replies(sms, C4, "calls keep dropping all day"))
    assert "Where" in where
    again = "\n".join(await replies(sms, C4, "yes"))
    assert "doesn't look like a place" in again and "Where" in again
    person = "\n".join(await replies(sms, C4, "ok"))
    assert "talk to a person" in person.lower()
    confirm = "\n".join(await replies(sms, C4, "Jing'an district, near the park"))
    assert "calls keep dropping all day" in confirm and "Jing'an" in confirm
    assert "balance" not in confirm


async def test_cancelling_the_caller_reminder_is_an_unsubscribe_never_a_notice_setting(
    sms: SmsGatewayClient, billing_db: Engine, state_db: Engine
) -> None:
    asked = "\n".join(await replies(sms, C2, "帮我把来电提醒取消掉"))
    assert "来电提醒" in asked and "2.00元" in asked
    assert "业务保持不变" in "\n".join(await replies(sms, C2, "不用取消了，先留着吧"))
    with Session(state_db) as session:
        query = select(func.count()).where(NoticePreferenceRow.msisdn == C2)
        assert session.scalar(query) == 0  # the notices were never touched
    with Session(billing_db) as session:
        row = session.scalar(
            select(SubscriptionRow).where(
                SubscriptionRow.msisdn == C2, SubscriptionRow.code == "MCR"
            )
        )
        assert row is not None and row.active is True


async def test_a_pack_named_with_its_size_goes_straight_to_its_confirmation(
    sms: SmsGatewayClient, untouched_billing: None
) -> None:
    reply = "\n".join(await replies(sms, C4, "add a 5GB data pack please"))
    assert "Buy the 5 GB data add-on?" in reply and "30.00 yuan" in reply
    assert "1 GB data add-on" not in reply  # no menu of every pack
    ordered = "\n".join(await replies(sms, C4, "yes"))
    assert "DP" in ordered and "280.75" in ordered  # ordered once, from the balance


async def test_another_number_is_never_looked_up(sms: SmsGatewayClient) -> None:
    reply = "\n".join(await replies(sms, C4, "balance of 13912345678 please"))
    assert "only look up your own verified number" in reply and "310.75 yuan" in reply
    assert "13912345678" not in reply


def heldout_messages() -> list[str]:
    """The development and honest held-out messages but those asking to change notices
    (a confident request changes them at once, as it should)."""
    folders = ["tests/nlu_dev", "tests/nlu_honest"]
    return [
        e.text
        for e in examples(yaml_files(ROOT, folders))
        if e.intent not in ("notice_opt_out", "notice_opt_in")
    ]


def account_state(billing_db: Engine, state_db: Engine) -> tuple[int, int, int]:
    """Plan changes ordered, services cancelled, notice settings made."""
    with Session(billing_db) as billing, Session(state_db) as own:
        orders = billing.scalar(select(func.count()).select_from(PlanChangeOrderRow))
        cancelled = billing.scalar(select(func.count()).where(SubscriptionRow.active.is_(False)))
        notices = own.scalar(select(func.count()).select_from(NoticePreferenceRow))
    return (orders or 0, cancelled or 0, notices or 0)


async def test_no_message_read_on_a_guess_changes_any_state(
    sms: SmsGatewayClient, billing_db: Engine, state_db: Engine
) -> None:
    """Every held-out message, each the first of its turn (whatever it proposed is then
    declined), from a customer with services to cancel: a plan change, an unsubscribe or
    a pack needs a yes to its question, notices a confident request, so no message,
    however it is read, changes anything."""
    before = account_state(billing_db, state_db)
    messages = heldout_messages()
    assert len(messages) > 1000
    for text in messages:
        reply = await sms.send(C2, text)
        assert reply.status == 200, (text, reply.body)
        await sms.send(C2, "算了")  # a pending question is dropped, as a customer would
    assert account_state(billing_db, state_db) == before
