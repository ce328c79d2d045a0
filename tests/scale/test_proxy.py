"""Behind nginx: each visitor is one visitor, and no secret reaches nginx's access log.

The Rasa servers take the client's address from nginx's ``X-Real-IP`` (the cluster sets
``SANIC_REAL_IP_HEADER`` / ``SANIC_PROXIES_COUNT``, tools/scaleout.py), which nginx sets
to the connection's address and never appends to: a header the client forges changes
nothing. Clients come from loopback addresses of their own (127.0.0.2, 127.0.0.3), so
the other tests' limits (127.0.0.1) stay untouched.
"""

from __future__ import annotations

import asyncio
import time

import httpx

from bot.handoff.rasa_api import RasaAdminClient
from tools.scaleout import Cluster

FORGED = ("127.0.0.3", "10.1.2.3")


def client_from(cluster: Cluster, address: str) -> httpx.AsyncClient:
    """A client whose connections leave from ``address`` (nginx listens on 127.0.0.1)."""
    transport = httpx.AsyncHTTPTransport(local_address=address)
    return httpx.AsyncClient(base_url=cluster.url, transport=transport, timeout=30)


async def new_chats(
    client: httpx.AsyncClient, count: int, at_once: int = 10, **headers: str
) -> list[int]:
    """The statuses of ``count`` requests for a new web chat, ``at_once`` at a time."""
    statuses: list[int] = []
    for start in range(0, count, at_once):
        batch = [
            client.post("/webhooks/rest/session", headers=headers)
            for _ in range(min(at_once, count - start))
        ]
        statuses += [response.status_code for response in await asyncio.gather(*batch)]
    return statuses


async def test_a_visitor_who_used_up_new_chats_stays_refused_and_others_are_not(
    cluster: Cluster,
) -> None:
    limit = int(cluster.settings["RATE_LIMIT_PER_MINUTE"])  # per Rasa server, per minute
    async with client_from(cluster, "127.0.0.2") as greedy:
        # Each of the two servers counts what it sees: twice the limit, and a margin,
        # sent fast (the window is a minute: what is checked next must fall inside it).
        # nginx balances by open connections, not evenly: go on until both servers refuse.
        started, statuses = time.monotonic(), list[int]()
        while statuses[-40:] != [429] * 40 and len(statuses) < 3 * limit:
            statuses += await new_chats(greedy, 50, at_once=50)
        assert time.monotonic() - started < 40, "too slow to test a one-minute window"
        assert statuses.count(200) <= 2 * limit and statuses[-40:] == [429] * 40
        for forged in FORGED:  # a forged address helps nothing, in either header
            assert set(await new_chats(greedy, 10, **{"X-Forwarded-For": forged})) == {429}
            assert set(await new_chats(greedy, 10, **{"X-Real-IP": forged})) == {429}
            assert set(await new_chats(greedy, 10, Forwarded=f"for={forged}")) == {429}
    async with client_from(cluster, "127.0.0.3") as other:  # its own, fresh count
        assert await new_chats(other, 20) == [200] * 20


async def test_no_secret_reaches_nginxs_access_log(cluster: Cluster) -> None:
    log = cluster.nginx.access_log
    rasa = RasaAdminClient(cluster.url, cluster.jwt_secret, username="console")
    await rasa.events("web-proxy-test")  # the console's and the scheduler's way in
    await rasa.aclose()
    kannel_secret = "kannel-secret-in-the-path"
    async with client_from(cluster, "127.0.0.4") as client:
        await client.post(f"/webhooks/sms/kannel/{kannel_secret}", content=b"x")
        await client.get(f"/webhooks/sms/kannel/{kannel_secret}/dlr", params={"type": "1"})
        await client.get("/status", params={"token": "an-old-scripts-token"})
        await client.get("/webhooks/rest/pending", params={"sender": "web-an-old-page"})
    text = log.read_text()
    [call] = [line for line in text.splitlines() if "/conversations/web-proxy-test/" in line]
    assert '"GET /conversations/web-proxy-test/tracker?include_events=ALL HTTP/1.1" 200' in call
    assert text.count("/webhooks/sms/kannel/****") == 2 and "token=****" in text
    assert "sender=****" in text
    for secret in (cluster.jwt_secret, kannel_secret, "an-old-scripts-token", "web-an-old-page"):
        assert secret not in text
    for secret in ("scale-token", cluster.settings["SMS_GATEWAY_SECRET"], "Bearer", "eyJ"):
        assert secret not in text  # neither Rasa's token nor a JWT, anywhere
