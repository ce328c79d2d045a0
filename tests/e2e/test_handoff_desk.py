"""The agents' desk against the real servers: delivery on each channel, resume, rating, expiry."""

from __future__ import annotations

import json
import time

import httpx
import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.config import load_settings
from bot.console.wiring import console_services
from bot.handoff.desk import DeskError
from bot.handoff.desk_rasa import RasaHandoffDesk
from bot.state.tables import HandoffRow, RatingRow
from tests.e2e.conftest import DEMO, ROOT, web_session
from tests.fakes import FakeSmsGateway
from tools.devstack import Stack
from tools.sms_client import SmsGatewayClient

pytestmark = pytest.mark.e2e
C2, C3 = DEMO[1], DEMO[2]


@pytest.fixture
def desk(stack: Stack, monkeypatch: pytest.MonkeyPatch) -> RasaHandoffDesk:
    for key, value in stack.env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("RASA_URL", stack.rasa_url)
    return console_services(load_settings(), domain_path=ROOT / "domain").desk


def case_of(state_db: Engine, conversation: str) -> int:
    with Session(state_db) as session:
        row = session.scalars(
            select(HandoffRow)
            .where(HandoffRow.conversation_id == conversation)
            .order_by(HandoffRow.id.desc())
        ).first()
        assert row is not None
        return int(row.id)


async def test_sms_case_from_handoff_to_rating(
    sms: SmsGatewayClient, sms_gateway: FakeSmsGateway, desk: RasaHandoffDesk, state_db: Engine
) -> None:
    assert (await sms.send(C2, "转人工")).texts
    case_id = case_of(state_db, C2)
    assert (await sms.send(C2, "我的宽带一直断线")).texts == []  # paused, but recorded
    view = await desk.case(case_id)
    assert view.transcript[-1].text == "我的宽带一直断线"
    assert view.profile is not None and view.profile.balance == "156.00"
    await desk.claim(case_id, "ann")
    with pytest.raises(DeskError):
        await desk.reply(case_id, "bob", "not my case")
    await desk.reply(case_id, "ann", "您好，我是客服小安，马上为您查看宽带。")
    assert sms_gateway.messages_to(C2)[-1] == "您好，我是客服小安，马上为您查看宽带。"
    assert (await sms.send(C2, "好的谢谢")).texts == []
    assert (await sms.send(C2, "ok")).texts == []  # Latin "ok" keeps the conversation Chinese
    await desk.resolve(case_id, "ann", "broadband reset remotely")
    back = sms_gateway.messages_to(C2)[-1]
    assert "回到智能客服" in back and "1. 满意" in back
    thanks = await sms.send(C2, "1")
    assert any("感谢您的评价" in t for t in thanks.texts)
    with Session(state_db) as session:
        ratings = session.scalars(select(RatingRow).where(RatingRow.conversation_id == C2)).all()
        assert [r.rating for r in ratings] == ["satisfied"]
    assert "156.00" in " ".join((await sms.send(C2, "查余额")).texts)
    figures = await desk.dashboard()
    assert figures.ratings["satisfied"] >= 1 and figures.handed_over >= 1
    # A second case, rated in words the classifier does not read as a rating (a fallback):
    # the answer to the prompt is the rating (RatingAnswerPolicy), thanked in Traditional.
    assert (await sms.send(C2, "轉人工")).texts
    second = case_of(state_db, C2)
    assert second != case_id
    await desk.claim(second, "ann")
    await desk.resolve(second, "ann", "explained the bill")
    thanks = await sms.send(C2, "還好啦")
    assert any("感謝您的評價" in t for t in thanks.texts)
    with Session(state_db) as session:
        ratings = session.scalars(select(RatingRow).where(RatingRow.conversation_id == C2)).all()
        assert [(r.rating, r.handoff_id) for r in ratings] == [
            ("satisfied", case_id),
            ("neutral", second),
        ]


async def test_pause_survives_the_session_expiring(
    sms: SmsGatewayClient, stack: Stack, state_db: Engine
) -> None:
    assert (await sms.send(C3, "转人工")).texts
    # Two hours pass: move every event of the conversation back in time.
    shift = 2 * 3600
    engine = create_engine(f"sqlite:///{stack.env['TRACKER_DB']}", future=True)
    with engine.begin() as connection:
        rows = connection.execute(
            text("SELECT id, data FROM events WHERE sender_id = :s"), {"s": C3}
        ).all()
        for row_id, data in rows:
            event = json.loads(data)
            event["timestamp"] = event["timestamp"] - shift
            connection.execute(
                text("UPDATE events SET data = :d, timestamp = timestamp - :t WHERE id = :i"),
                {"d": json.dumps(event), "t": shift, "i": row_id},
            )
    engine.dispose()
    reply = await sms.send(C3, "还有人吗")
    assert reply.status == 200 and reply.texts == []  # a new session, still with the agents
    assert case_of(state_db, C3)


def test_web_chat_gets_agent_messages_from_its_mailbox(
    stack: Stack, desk: RasaHandoffDesk, state_db: Engine
) -> None:
    sender = web_session(stack)
    url = f"{stack.rasa_url}/webhooks/rest"
    assert httpx.post(
        f"{url}/webhook", json={"sender": sender, "message": "talk to a person"}, timeout=30
    ).json()
    case_id = case_of(state_db, sender)

    async def agent() -> None:
        await desk.claim(case_id, "ann")
        await desk.reply(case_id, "ann", "Hi, Ann here <b>from support</b>")

    import asyncio

    asyncio.run(agent())
    deadline = time.monotonic() + 10
    messages: list[dict[str, object]] = []
    while time.monotonic() < deadline and not messages:
        messages = httpx.post(f"{url}/pending", json={"sender": sender}, timeout=10).json()
    assert [m["text"] for m in messages] == ["Hi, Ann here <b>from support</b>"]
    assert httpx.post(f"{url}/pending", json={"sender": sender}, timeout=10).json() == []
