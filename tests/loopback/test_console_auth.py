"""The console's gate: every route needs a session, every POST a CSRF token; login, logout."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.console.access.auth import is_public
from bot.console.settings import ConsoleSettings
from bot.state.tables import AgentSessionRow
from tests.loopback.test_console_support import (
    PASSWORD,
    Kit,
    csrf_of,
    login,
    page_csrf,
    running_kit,
    signed_in,
    start_kit,
)


@pytest.fixture
def kit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Kit]:
    yield from running_kit(tmp_path, monkeypatch)


PAGES = ["/", "/cases/1", "/dashboard", "/review", "/tickets", "/tickets/1", "/deliveries"]
PAGES += ["/password", "/replies", "/agents"]
PAGES += ["/preferences"]
APIS = ["/api/queue", "/api/cases/1", "/api/dashboard"]
APIS += ["/api/live"]  # server-sent events
POSTS = [
    "/cases/1/claim",
    "/cases/1/reply",
    "/cases/1/resolve",
    "/logout",
    "/review/1/label",
    "/review/1/dismiss",
    "/tickets/1/update",
    "/tickets/1/credit",
    "/deliveries/1/retry",
]
POSTS += [
    "/password",
    "/replies",
    "/replies/1",
    "/replies/1/delete",
    "/agents",
    "/agents/1/role",
    "/agents/1/password",
    "/agents/1/remove",
    "/cases/1/notes",
    "/tickets/1/notes",
]
POSTS += ["/preferences"]
POSTS += ["/presence", "/cases/1/transfer"]


def test_the_lists_above_cover_every_route(kit: Kit) -> None:
    routes = {
        "/" + re.sub(r"<\w+:\w+>", "1", route.path)
        for route in kit.server.app.router.routes
        if not is_public("/" + route.path)
    }
    assert routes == {*PAGES, *APIS, *POSTS}


@pytest.mark.parametrize("path", PAGES)
def test_pages_send_strangers_to_the_login(kit: Kit, path: str) -> None:
    response = kit.client().get(path)
    assert response.status_code == 303
    assert response.headers["location"] == f"/login?next={path}"


@pytest.mark.parametrize("path", APIS)
def test_the_api_answers_strangers_401(kit: Kit, path: str) -> None:
    response = kit.client().get(path)
    assert response.status_code == 401 and response.json() == {"error": "login required"}


@pytest.mark.parametrize("path", POSTS)
def test_posts_without_a_session_do_nothing(kit: Kit, path: str) -> None:
    kit.desk.add(1)
    response = kit.client().post(path, data={"text": "hi", "note": "done", "csrf_token": "x"})
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert kit.desk.cases[1].handoff.claimed_by is None and not kit.desk.replies


def test_a_forged_cookie_is_no_session(kit: Kit) -> None:
    client = kit.client(cookies={"console_session": "A" * 43})
    assert client.get("/").status_code == 303


def test_login_and_logout(kit: Kit) -> None:
    client = kit.client()
    response = login(client)
    assert response.status_code == 303 and response.headers["location"] == "/"
    token = client.cookies["console_session"]
    queue = client.get("/")
    assert queue.status_code == 200 and "ann" in queue.text
    response = client.post("/logout", data={"csrf_token": csrf_of(queue.text)})
    assert response.status_code == 303 and response.headers["location"] == "/login?out=1"
    assert "console_session" not in client.cookies
    # The old token is dead on the server, not just forgotten by the browser.
    stale = kit.client(cookies={"console_session": token})
    assert stale.get("/").status_code == 303


def test_login_goes_back_to_the_page_asked_for_but_never_off_site(kit: Kit) -> None:
    kit.desk.add(1)
    client = kit.client()
    form = client.get("/login?next=/cases/1")
    assert 'name="next" value="/cases/1"' in form.text
    data = {"csrf_token": csrf_of(form.text), "username": "ann", "password": PASSWORD}
    assert client.post("/login", data={**data, "next": "/cases/1"}).headers["location"] == (
        "/cases/1"
    )
    other = kit.client()
    data["csrf_token"] = csrf_of(other.get("/login").text)
    response = other.post("/login", data={**data, "next": "//evil.example/x"})
    assert response.headers["location"] == "/"


@pytest.mark.parametrize(("username", "password"), [("ann", "wrong password"), ("zoe", PASSWORD)])
def test_wrong_credentials_are_refused_alike(kit: Kit, username: str, password: str) -> None:
    client = kit.client(headers={"Accept-Language": "en"})
    response = login(client, username, password)
    assert response.status_code == 401
    assert "Wrong username or password." in response.text
    assert "console_session" not in client.cookies
    assert client.get("/").status_code == 303


def test_five_failures_lock_the_username_for_five_minutes(kit: Kit) -> None:
    client = kit.client(headers={"Accept-Language": "en"})
    for _ in range(5):
        assert login(client, "ann", "not it at all").status_code == 401
    locked = login(client, "ann", PASSWORD)
    assert locked.status_code == 429 and "Try again in 5 min" in locked.text
    assert login(kit.client(), "bob").status_code == 303  # other agents are not locked out
    kit.throttle_clock[0] += 301
    assert login(client, "ann", PASSWORD).status_code == 303


def test_the_agent_is_told_of_failed_sign_ins_under_their_name_once(kit: Kit) -> None:
    stranger = kit.client(headers={"Accept-Language": "en"})
    for _ in range(3):
        assert login(stranger, "ann", "guessing").status_code == 401
    ann = kit.client(headers={"Accept-Language": "en"})
    assert login(ann, "ann", PASSWORD).status_code == 303
    first = ann.get("/").text
    assert "3 failed sign-ins under your username since you last signed in" in first
    assert "127.0.0.1" in first and "Beijing time" in first
    assert "failed sign-ins" not in ann.get("/").text  # told once
    bob = kit.client(headers={"Accept-Language": "en"})
    assert login(bob, "bob").status_code == 303
    assert "failed sign-ins" not in bob.get("/").text  # only the agent whose name it was


@pytest.mark.parametrize("token", [None, "", "wrong-token-0123456789"])
def test_login_form_needs_its_csrf_token(kit: Kit, token: str | None) -> None:
    client = kit.client()
    client.get("/login")  # sets the pre-session cookie
    data = {"username": "ann", "password": PASSWORD}
    if token is not None:
        data["csrf_token"] = token
    response = client.post("/login", data=data)
    assert response.status_code == 403 and "console_session" not in client.cookies


def test_login_csrf_cookie_is_needed_too(kit: Kit) -> None:
    client = kit.client()
    token = csrf_of(client.get("/login").text)
    client.cookies.clear()
    response = client.post(
        "/login", data={"csrf_token": token, "username": "ann", "password": PASSWORD}
    )
    assert response.status_code == 403


@pytest.mark.parametrize("token", [None, "", "forged"])
@pytest.mark.parametrize("path", POSTS)
def test_posts_need_the_session_csrf_token(kit: Kit, path: str, token: str | None) -> None:
    kit.desk.add(1)
    client = signed_in(kit)
    data = {"text": "hello", "note": "done"}
    if token is not None:
        data["csrf_token"] = token
    response = client.post(path, data=data)
    assert response.status_code == 403
    assert kit.desk.cases[1].handoff.claimed_by is None and not kit.desk.replies
    assert client.get("/").status_code == 200  # still signed in


def test_a_fetch_post_may_send_the_token_as_a_header(kit: Kit) -> None:
    kit.desk.add(1)
    client = signed_in(kit)
    token = page_csrf(client)
    assert client.post("/cases/1/claim", headers={"X-CSRF-Token": token}).status_code == 303
    assert kit.desk.cases[1].handoff.claimed_by == "ann"


def test_another_sessions_token_does_not_pass(kit: Kit) -> None:
    kit.desk.add(1)
    ann, bob = signed_in(kit), signed_in(kit, "bob")
    response = ann.post("/cases/1/claim", data={"csrf_token": page_csrf(bob)})
    assert response.status_code == 403 and kit.desk.cases[1].handoff.claimed_by is None


def _set_cookie(response_headers: list[str], name: str) -> str:
    return next(value for value in response_headers if value.startswith(f"{name}="))


def test_session_cookie_flags(kit: Kit) -> None:
    response = login(kit.client())
    cookie = _set_cookie(response.headers.get_list("set-cookie"), "console_session")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # plain HTTP on loopback unless told otherwise
    assert len(cookie.split(";")[0].split("=", 1)[1]) >= 43  # 32 random bytes


def test_secure_cookies_when_configured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secure = start_kit(tmp_path, monkeypatch, ConsoleSettings(secure_cookies=True))
    try:
        client = secure.client()
        form = client.get("/login")
        assert "Secure" in _set_cookie(form.headers.get_list("set-cookie"), "console_login_csrf")
        data = {"csrf_token": csrf_of(form.text), "username": "ann", "password": PASSWORD}
        # httpx keeps Secure cookies from plain HTTP: send the pre-session one by hand.
        token = csrf_of(form.text)
        response = secure.client(cookies={"console_login_csrf": token}).post("/login", data=data)
        assert response.status_code == 303
        cookie = _set_cookie(response.headers.get_list("set-cookie"), "console_session")
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    finally:
        secure.server.stop()


def test_sessions_expire_after_eight_idle_hours(kit: Kit) -> None:
    client = signed_in(kit)
    kit.clock[0] += dt.timedelta(hours=7, minutes=59)
    assert client.get("/").status_code == 200  # activity restarts the idle clock
    kit.clock[0] += dt.timedelta(hours=7, minutes=59)
    assert client.get("/").status_code == 200
    kit.clock[0] += dt.timedelta(hours=8, seconds=1)
    assert client.get("/").status_code == 303


def test_only_a_hash_of_the_session_token_is_stored(kit: Kit) -> None:
    client = signed_in(kit)
    token = client.cookies["console_session"]
    with Session(kit.console.accounts._engine) as session:
        rows = session.scalars(select(AgentSessionRow)).all()
    assert [row.agent for row in rows] == ["ann"]
    assert token not in {rows[0].token_hash, rows[0].csrf_token}


def test_security_headers_on_pages_redirects_and_errors(kit: Kit) -> None:
    client = signed_in(kit)
    for response in (
        client.get("/"),
        kit.client().get("/"),
        client.get("/nope"),
        kit.client().get("/login"),
    ):
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["cache-control"].startswith("no-store")


def test_pages_have_no_inline_script(kit: Kit) -> None:
    kit.desk.add(1)
    client = signed_in(kit)
    pages = [client.get(path).text for path in ("/", "/cases/1", "/dashboard")]
    for text in [*pages, kit.client().get("/login").text]:
        assert re.findall(r"<script[^>]*>", text) == ['<script src="/static/console.js" defer>']
        assert not re.search(r"<[^>]+\son[a-z]+=", text)  # no event handler attributes
        assert "style=" not in text
