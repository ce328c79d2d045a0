"""The sign-in page."""

from __future__ import annotations

from bot.console.web.layout import PageContext, page
from bot.console.web.markup import Html, render
from bot.console.web.security import CSRF_FIELD


def login_page(ctx: PageContext, *, csrf_token: str, next_path: str, username: str = "") -> Html:
    """The form; ``csrf_token`` is the pre-session token also set as a cookie."""
    t = ctx.t
    body = render(
        '<section class="panel narrow"><h1>{title}</h1>'
        '<form method="post" action="/login" id="login-form" class="stack">'
        '<input type="hidden" name="{field}" value="{csrf}">'
        '<input type="hidden" name="next" value="{next_path}">'
        '<label for="username">{user_label}</label>'
        '<input id="username" name="username" autocomplete="username" required '
        'maxlength="64" value="{username}" autofocus>'
        '<label for="password">{password_label}</label>'
        '<input id="password" name="password" type="password" autocomplete="current-password" '
        'required maxlength="256">'
        '<button type="submit" id="login-submit">{submit}</button></form></section>',
        title=t("login.title"),
        field=CSRF_FIELD,
        csrf=csrf_token,
        next_path=next_path,
        user_label=t("login.username"),
        username=username,
        password_label=t("login.password"),
        submit=t("login.submit"),
    )
    return page(ctx, t("login.title"), body, page_id="login")
