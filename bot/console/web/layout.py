"""The page shell every console page shares: head, navigation, language switch, flash."""

from __future__ import annotations

from dataclasses import dataclass

from bot.console.access.sessions import Flash
from bot.console.web.i18n import Translator
from bot.console.web.markup import Html, render
from bot.console.web.security import CSRF_FIELD


@dataclass(frozen=True)
class PageContext:
    """What the shell needs to know about the request."""

    t: Translator
    path: str
    agent: str | None = None
    csrf_token: str | None = None
    flash: Flash | None = None
    poll_seconds: int = 3
    role: str | None = None  # "supervisor" adds the supervisors' links
    presence: str | None = None  # "available" or "away" (the nav's toggle)


def csrf_field(ctx: PageContext) -> Html:
    """The hidden CSRF input of a form."""
    return render(
        '<input type="hidden" name="{name}" value="{value}">',
        name=CSRF_FIELD,
        value=ctx.csrf_token or "",
    )


def local_path(path: str) -> str:
    """A path on this console only: "//evil.example/x" or "/\\evil" would leave it."""
    return "/" + path.lstrip("/\\") if path else "/"


def _desk_links(ctx: PageContext) -> Html:
    """The password page; canned replies and agents for a supervisor."""
    t = ctx.t
    links = render('<a href="/password" id="nav-password">{p}</a>', p=t("nav.password"))
    if ctx.role != "supervisor":
        return links
    return render(
        '{links}<a href="/replies" id="nav-replies">{r}</a>'
        '<a href="/agents" id="nav-agents">{a}</a>',
        links=links,
        r=t("nav.replies"),
        a=t("nav.agents"),
    )


def _presence_toggle(ctx: PageContext) -> Html:
    """Available or away, and the button that switches (``bot.console.access.presence``)."""
    if ctx.presence is None:
        return Html("")
    away = ctx.presence == "away"
    return render(
        '<form method="post" action="/presence" class="inline presence" id="presence-form">'
        '{csrf}<input type="hidden" name="presence" value="{other}">'
        '<span class="badge presence-{now}" id="presence" data-presence="{now}">{label}</span>'
        '<button type="submit" id="presence-toggle">{switch}</button></form>',
        csrf=csrf_field(ctx),
        other="available" if away else "away",
        now=ctx.presence,
        label=ctx.t(f"presence.{'away' if away else 'available'}"),
        switch=ctx.t("presence.set_available" if away else "presence.set_away"),
    )


def _navigation(ctx: PageContext) -> Html:
    t = ctx.t
    other = "en" if t.language == "zh" else "zh"
    switch = render(
        '<a id="lang-switch" class="lang" href="{path}?lang={other}" hreflang="{other}">'
        "{label}</a>",
        path=local_path(ctx.path),
        other=other,
        label=t("nav.switch"),
    )
    if ctx.agent is None:
        return Html(f'<nav class="nav">{switch}</nav>')
    return render(
        '<nav class="nav"><a href="/">{queue}</a><a href="/dashboard">{dashboard}</a>'
        '<a href="/review" id="nav-review">{review}</a>'
        '<a href="/tickets" id="nav-tickets">{tickets}</a>'
        '<a href="/deliveries" id="nav-deliveries">{deliveries}</a>'
        '<a href="/preferences" id="nav-preferences">{preferences}</a>'
        "{desk}{switch}"  # password; canned replies and agents for supervisors
        '<span class="who" id="signed-in">{signed_in}</span>{presence}'
        '<form method="post" action="/logout" class="inline">{csrf}'
        '<button type="submit" id="logout">{logout}</button></form></nav>',
        queue=t("nav.queue"),
        dashboard=t("nav.dashboard"),
        review=t("nav.review"),
        tickets=t("nav.tickets"),
        deliveries=t("nav.deliveries"),
        preferences=t("nav.preferences"),
        desk=_desk_links(ctx),
        switch=switch,
        signed_in=t("nav.signed_in", agent=ctx.agent),
        presence=_presence_toggle(ctx),
        csrf=csrf_field(ctx),
        logout=t("nav.logout"),
    )


def flash_box(flash: Flash | None) -> Html:
    """A one-time message, if any."""
    if flash is None:
        return Html("")
    kind = "error" if flash.kind == "error" else "ok"
    return render(
        '<p class="flash {kind}" id="flash" role="status">{text}</p>', kind=kind, text=flash.text
    )


def page(
    ctx: PageContext, title: str, body: Html, *, page_id: str, data: Html | None = None
) -> Html:
    """A whole HTML document; ``data`` adds trusted ``data-*`` attributes to ``<body>``."""
    t = ctx.t
    return render(
        "<!doctype html>\n"
        '<html lang="{html_lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>{title} · {app}</title>"
        '<link rel="stylesheet" href="/static/console.css">'
        '<script src="/static/console.js" defer></script></head>'
        '<body data-page="{page_id}" data-poll="{poll}" data-offline="{offline}" {data}>'
        '<header class="top"><a class="brand" href="/">{app}</a>{nav}</header>'
        '<main id="main">{flash}{body}</main></body></html>\n',
        html_lang="zh-CN" if t.language == "zh" else "en",
        title=title,
        app=t("app.title"),
        page_id=page_id,
        poll=ctx.poll_seconds,
        offline=t("live.offline"),
        data=data or Html(""),
        nav=_navigation(ctx),
        flash=flash_box(ctx.flash),
        body=body,
    )


def error_page(ctx: PageContext, message: str) -> Html:
    """A friendly error page: the message, never a stack trace."""
    body = render(
        '<section class="panel"><h1>{title}</h1><p class="error-text">{message}</p>'
        '<p><a href="/">{back}</a></p></section>',
        title=ctx.t("error.title"),
        message=message,
        back=ctx.t("case.back"),
    )
    return page(ctx, ctx.t("error.title"), body, page_id="error")
