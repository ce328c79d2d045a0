"""The preferences page (``/preferences``): the agent chooses the zone times are shown in."""

from __future__ import annotations

from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, html, redirect

from bot.console.access.preferences import UnknownZone
from bot.console.access.sessions import Flash
from bot.console.web.clock import zone_label, zone_names
from bot.console.web.context import console_of, page_context, session_of, translator
from bot.console.web.layout import PageContext, csrf_field, page
from bot.console.web.markup import Html, join, render
from bot.storage.clock import utc_now

PATH = "/preferences"


def _options(current: str) -> Html:
    return join(
        render(
            '<option value="{z}"{selected}>{z}</option>',
            z=zone,
            selected=Html(" selected") if zone == current else "",
        )
        for zone in sorted(zone_names())
    )


def preferences_page(ctx: PageContext, zone: str) -> Html:
    """The form: the agent's zone among every zone, and the time now in it."""
    t = ctx.t
    body = render(
        '<section class="panel"><h1>{title}</h1>'
        '<form method="post" action="{path}" class="stack" id="preferences-form">{csrf}'
        '<label for="time-zone">{zone_l}</label>'
        '<select id="time-zone" name="time_zone">{options}</select>'
        '<p class="note">{hint}</p><p class="note" id="zone-now">{now}</p>'
        '<button type="submit" id="save-preferences">{save}</button></form></section>',
        title=t("prefs.title"),
        path=PATH,
        csrf=csrf_field(ctx),
        zone_l=t("prefs.zone"),
        options=_options(zone),
        hint=t("prefs.zone_hint"),
        now=t("prefs.now", time=t.time(utc_now())),
        save=t("prefs.save"),
    )
    return page(ctx, t("prefs.title"), body, page_id="preferences")


async def preferences(request: Request) -> HTTPResponse:
    """GET /preferences."""
    console, session = console_of(request), session_of(request)
    if console.time_zones is None or session is None:
        return redirect("/", status=303)
    flash = await console.sessions.pop_flash(session.token)
    return html(preferences_page(page_context(request, flash), translator(request).zone))


async def save_preferences(request: Request) -> HTTPResponse:
    """POST /preferences: keep the zone; the next page shows times in it."""
    console, session, t = console_of(request), session_of(request), translator(request)
    if console.time_zones is None or session is None:
        return redirect("/", status=303)
    try:
        zone = await console.time_zones.set_time_zone(
            session.agent, request.form.get("time_zone") or ""
        )
    except UnknownZone:
        flash = Flash(t("prefs.bad_zone"), "error")
        return html(preferences_page(page_context(request, flash), t.zone), status=400)
    t.zone = zone  # the flash is written in the new zone's name
    flash = Flash(t("prefs.saved", zone=f"{zone} ({zone_label(zone, t.language)})"), "ok")
    await console.sessions.set_flash(session.token, flash)
    return redirect(PATH, status=303)


def register(app: Sanic) -> None:
    """Add the preferences page."""
    app.add_route(preferences, PATH, methods=["GET"], name="preferences")
    app.add_route(save_preferences, PATH, methods=["POST"], name="save_preferences")
