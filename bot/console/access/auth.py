"""Who is asking: the middleware that requires a session and a CSRF token, login and logout."""

from __future__ import annotations

import asyncio
import math
from urllib.parse import quote

from sanic import Sanic
from sanic.request import Request
from sanic.response import BaseHTTPResponse, HTTPResponse, html, json, redirect

from bot.console.access.accounts import normalise_username
from bot.console.access.login_view import login_page
from bot.console.access.sessions import Flash, new_token
from bot.console.web.context import console_of, page_context, session_of, translator
from bot.console.web.i18n import LANGUAGES, Translator, choose_language
from bot.console.web.layout import error_page
from bot.console.web.security import (
    CSRF_FIELD,
    LANGUAGE_COOKIE,
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    clear_cookie,
    safe_next,
    same_token,
    set_cookie,
    submitted_csrf,
)

PUBLIC_PATHS = frozenset({"/login", "/health", "/metrics"})  # /metrics: a token (app.py)
NO_SESSION_PATHS = frozenset({"/health", "/metrics"})  # no database round trip
PUBLIC_PREFIXES = ("/static/",)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_PASSWORD = 256


def is_public(path: str) -> bool:
    """Whether ``path`` answers without a session."""
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


async def identify(request: Request) -> HTTPResponse | None:
    """Request middleware: language, session; no session -> login (401 for the API); CSRF."""
    if request.path.startswith(PUBLIC_PREFIXES) or request.path in NO_SESSION_PATHS:
        return None  # nothing to personalise: no database round trip
    chosen = request.args.get("lang")
    request.ctx.t = Translator(
        choose_language(
            chosen, request.cookies.get(LANGUAGE_COOKIE), request.headers.get("accept-language")
        )
    )
    request.ctx.remember_language = chosen in LANGUAGES
    console = console_of(request)
    request.ctx.session = await console.sessions.get(request.cookies.get(SESSION_COOKIE))
    if request.ctx.session is not None:  # times in the agent's zone, read with the session
        request.ctx.t.zone = request.ctx.session.time_zone
    if is_public(request.path):
        return None
    session = session_of(request)
    if session is None:
        if request.path.startswith("/api/"):
            return json({"error": "login required"}, status=401)
        target = f"/login?next={quote(request.path)}" if request.method == "GET" else "/login"
        return redirect(target, status=303)
    if request.method not in SAFE_METHODS and not same_token(
        session.csrf_token, submitted_csrf(request)
    ):
        return forbidden(request)
    return None


def forbidden(request: Request) -> HTTPResponse:
    """403 for a POST without the right CSRF token."""
    message = translator(request)("csrf.failed")
    if request.path.startswith("/api/"):
        return json({"error": message}, status=403)
    return html(error_page(page_context(request), message), status=403)


def remember_language(request: Request, response: BaseHTTPResponse) -> None:
    """Response middleware: keep the language chosen with the switch."""
    if getattr(request.ctx, "remember_language", False):
        secure = console_of(request).settings.secure_cookies
        language = translator(request).language
        set_cookie(response, LANGUAGE_COOKIE, language, secure=secure, max_age=365 * 86400)


def _login_response(
    request: Request, *, status: int = 200, message: Flash | None = None, username: str = ""
) -> HTTPResponse:
    token = request.cookies.get(LOGIN_CSRF_COOKIE) or ""
    if not 20 <= len(token) <= 64:
        token = new_token()
    source = request.form if request.method == "POST" else request.args
    next_path = safe_next(source.get("next"))
    body = login_page(
        page_context(request, message), csrf_token=token, next_path=next_path, username=username
    )
    response = html(body, status=status)
    secure = console_of(request).settings.secure_cookies
    set_cookie(response, LOGIN_CSRF_COOKIE, token, secure=secure, max_age=3600)
    return response


def throttle_keys(username: str, address: str) -> list[str]:
    """What a failed sign-in counts against: the username from this address (so that a
    stranger elsewhere cannot lock an agent out), and the address itself."""
    return [f"user:{username}@{address}", f"ip:{address}"]


async def login_form(request: Request) -> HTTPResponse:
    """GET /login: the form (an agent already signed in goes to the queue)."""
    if session_of(request) is not None:
        return redirect("/", status=303)
    t = translator(request)
    message = None
    if request.args.get("out"):
        message = Flash(t("login.logged_out"), "ok")
    elif request.args.get("next"):
        message = Flash(t("login.expired"), "ok")
    return _login_response(request, message=message)


async def login_submit(request: Request) -> HTTPResponse:
    """POST /login: CSRF cookie, rate limit, password; then a fresh session."""
    console, t = console_of(request), translator(request)
    if not same_token(request.cookies.get(LOGIN_CSRF_COOKIE), request.form.get(CSRF_FIELD)):
        return _login_response(request, status=403, message=Flash(t("csrf.failed"), "error"))
    username = normalise_username(request.form.get("username") or "")[:64]
    password = request.form.get("password") or ""
    keys = throttle_keys(username, request.ip)
    wait = console.throttle.locked_for(keys)
    if wait > 0:
        message = Flash(t("login.locked", minutes=math.ceil(wait / 60)), "error")
        return _login_response(request, status=429, message=message, username=username)
    agent = None
    if username and password and len(password) <= MAX_PASSWORD:
        agent = await asyncio.to_thread(console.accounts.authenticate, username, password)
    if agent is None:
        console.throttle.failure(keys)
        if username:
            console.throttle.missed(username, request.ip)
        message = Flash(t("login.failed"), "error")
        return _login_response(request, status=401, message=message, username=username)
    console.throttle.success(keys[:1])
    previous = session_of(request)
    if previous is not None:
        await console.sessions.delete(previous.token)
    session = await console.sessions.create(agent.username)
    console.throttle.signed_in(agent.username, session.token)
    response = redirect(safe_next(request.form.get("next")), status=303)
    secure = console.settings.secure_cookies
    set_cookie(response, SESSION_COOKIE, session.token, secure=secure)
    clear_cookie(response, LOGIN_CSRF_COOKIE, secure=secure)
    return response


async def logout(request: Request) -> HTTPResponse:
    """POST /logout: the session is deleted on the server, the cookie dropped."""
    session = session_of(request)
    if session is not None:
        await console_of(request).sessions.delete(session.token)
    response = redirect("/login?out=1", status=303)
    clear_cookie(response, SESSION_COOKIE, secure=console_of(request).settings.secure_cookies)
    return response


def register(app: Sanic) -> None:
    """Add the middleware and the login routes."""
    app.register_middleware(identify, "request")
    app.register_middleware(remember_language, "response")
    app.add_route(login_form, "/login", methods=["GET"], name="login_form")
    app.add_route(login_submit, "/login", methods=["POST"], name="login_submit")
    app.add_route(logout, "/logout", methods=["POST"], name="logout")
