"""Hostile suite, floods: one client address cannot fill the agents' queue. Four web-chat
conversations from one address ask for a person; three are queued, the fourth is told
politely that its connection has enough requests waiting, and talks on with the bot.
Once a case is resolved, the address may open another."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.config import load_settings
from bot.console.wiring import console_services
from bot.handoff.desk_rasa import RasaHandoffDesk
from bot.handoff.queue import OPEN_PER_CLIENT
from bot.state.tables import HandoffRow
from tests.e2e.conftest import AGENT, ROOT, web_session
from tools.devstack import Stack

pytestmark = pytest.mark.e2e
ASK = "I want to talk to a person"
QUEUED = "passing you to a person"
REFUSED = "Several requests from your connection are already waiting"


@pytest.fixture
def desk(stack: Stack, monkeypatch: pytest.MonkeyPatch) -> RasaHandoffDesk:
    for key, value in stack.env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("RASA_URL", stack.rasa_url)
    return console_services(load_settings(), domain_path=ROOT / "domain").desk


@pytest.fixture
def senders(stack: Stack, state_db: Engine) -> Iterator[list[str]]:
    """Four web-chat conversations; their cases are deleted afterwards, so later tests
    find neither them in the queue nor this address's open cases used up."""
    issued = [web_session(stack) for _ in range(OPEN_PER_CLIENT + 1)]
    yield issued
    with Session(state_db) as session:
        session.execute(delete(HandoffRow).where(HandoffRow.conversation_id.in_(issued)))
        session.commit()


@pytest.fixture
async def chat(stack: Stack) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=f"{stack.rasa_url}/webhooks/rest", timeout=30) as c:
        yield c


async def say(chat: httpx.AsyncClient, sender: str, text: str) -> str:
    """The bot's replies to ``text`` in one string ("" when the conversation is paused)."""
    response = await chat.post("/webhook", json={"sender": sender, "message": text})
    assert response.status_code == 200, response.text
    return " ".join(str(reply.get("text") or "") for reply in response.json())


def cases_of(state_db: Engine, senders: list[str]) -> dict[str, HandoffRow]:
    with Session(state_db) as session:
        query = select(HandoffRow).where(HandoffRow.conversation_id.in_(senders))
        return {row.conversation_id: row for row in session.scalars(query)}


async def test_a_fourth_request_from_one_address_is_refused_politely(
    stack: Stack,
    senders: list[str],
    chat: httpx.AsyncClient,
    state_db: Engine,
    desk: RasaHandoffDesk,
) -> None:
    *queued, fourth = senders
    for sender in queued:
        assert QUEUED in await say(chat, sender, ASK)
    refusal = await say(chat, fourth, ASK)
    assert REFUSED in refusal and QUEUED not in refusal

    cases = cases_of(state_db, senders)
    assert sorted(cases) == sorted(queued)  # no case for the fourth
    assert {row.status for row in cases.values()} == {"waiting"}
    assert len({row.client_address for row in cases.values()}) == 1  # one signed address
    assert next(iter(cases.values())).client_address is not None
    # The queued conversations wait for a person; the fourth is not paused.
    assert await say(chat, queued[0], "hello?") == ""
    assert (await say(chat, fourth, "hello")).strip()

    # A resolved case frees a place for the same address.
    first = cases[queued[0]].id
    await desk.claim(first, AGENT)
    await desk.resolve(first, AGENT, "answered")
    assert QUEUED in await say(chat, fourth, ASK)
    after = cases_of(state_db, senders)
    assert after[fourth].status == "waiting" and after[queued[0]].status == "resolved"
