"""An agent changes their own password: the current one first, the strength rules of
``passwords``; their other sessions end (``GET/POST /password``)."""

from __future__ import annotations

import asyncio

from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, html, redirect

from bot.console.access.passwords import MIN_LENGTH, WeakPassword
from bot.console.access.sessions import Flash
from bot.console.web.context import console_of, page_context, session_of, translator
from bot.console.web.layout import PageContext, csrf_field, page
from bot.console.web.markup import Html, render

PASSWORD_PATH = "/password"
MAX_PASSWORD = 256


def password_page(ctx: PageContext) -> Html:
    """The form: current password, the new one twice."""
    t = ctx.t
    body = render(
        '<section class="panel narrow"><h1>{title}</h1><p class="note">{rules}</p>'
        '<form method="post" action="{path}" class="stack" id="password-form">{csrf}'
        '<label for="current-password">{current}</label>'
        '<input type="password" id="current-password" name="current" '
        'autocomplete="current-password" required>'
        '<label for="new-password">{new}</label>'
        '<input type="password" id="new-password" name="new" autocomplete="new-password" '
        'minlength="{min}" required>'
        '<label for="repeat-password">{repeat}</label>'
        '<input type="password" id="repeat-password" name="repeat" autocomplete="new-password" '
        'minlength="{min}" required>'
        '<button type="submit" id="change-password">{submit}</button></form></section>',
        title=t("password.title"),
        rules=t("password.rules", min=MIN_LENGTH),
        path=PASSWORD_PATH,
        csrf=csrf_field(ctx),
        current=t("password.current"),
        new=t("password.new"),
        repeat=t("password.repeat"),
        min=MIN_LENGTH,
        submit=t("password.submit"),
    )
    return page(ctx, t("password.title"), body, page_id="password")


async def password_form(request: Request) -> HTTPResponse:
    """GET /password."""
    session = session_of(request)
    flash = await console_of(request).sessions.pop_flash(session.token) if session else None
    return html(password_page(page_context(request, flash)))


async def _problem(request: Request) -> str | None:
    """Change the password; the translated reason if it was not changed."""
    console, session, t = console_of(request), session_of(request), translator(request)
    if session is None:
        return t("login.expired")
    current = request.form.get("current") or ""
    new = request.form.get("new") or ""
    if new != (request.form.get("repeat") or ""):
        return t("password.differ")
    if len(new) > MAX_PASSWORD or len(current) > MAX_PASSWORD:
        return t("password.weak", min=MIN_LENGTH)
    try:
        changed = await asyncio.to_thread(
            console.accounts.change_password, session.agent, current, new, session.token
        )
    except WeakPassword:
        return t("password.weak", min=MIN_LENGTH)
    return None if changed else t("password.wrong")


async def password_submit(request: Request) -> HTTPResponse:
    """POST /password: changed (other sessions ended), or back to the form with the reason."""
    session = session_of(request)
    problem = await _problem(request)
    flash = (
        Flash(problem, "error") if problem else Flash(translator(request)("password.changed"), "ok")
    )
    if session is not None:
        await console_of(request).sessions.set_flash(session.token, flash)
    return redirect(PASSWORD_PATH, status=303)


def register(app: Sanic) -> None:
    """Add the password routes."""
    app.add_route(password_form, PASSWORD_PATH, methods=["GET"], name="password_form")
    app.add_route(password_submit, PASSWORD_PATH, methods=["POST"], name="password_submit")
