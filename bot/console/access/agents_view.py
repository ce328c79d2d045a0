"""The supervisors' Agents page: add, remove, reset a password, set a role (``/agents``)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, html, redirect

from bot.console.access.accounts import ROLES, AccountError, Agent
from bot.console.access.passwords import MIN_LENGTH, WeakPassword
from bot.console.access.roles import supervisor_only
from bot.console.access.sessions import Flash
from bot.console.web.context import console_of, page_context, session_of, translator
from bot.console.web.layout import PageContext, csrf_field, page
from bot.console.web.markup import Html, join, render

AGENTS_PATH = "/agents"


def _roles(ctx: PageContext, chosen: str) -> Html:
    return join(
        render(
            '<option value="{r}"{sel}>{label}</option>',
            r=role,
            label=ctx.t(f"role.{role}"),
            sel=Html(" selected") if role == chosen else Html(""),
        )
        for role in ROLES
    )


def _row(ctx: PageContext, agent: Agent) -> Html:
    t, csrf = ctx.t, csrf_field(ctx)
    return render(
        '<tr id="agent-{name}"><td>{name}</td><td class="role">{role}</td><td>'
        '<form method="post" action="/agents/{name}/role" class="inline">{csrf}'
        '<select name="role" aria-label="{role_l}">{roles}</select>'
        '<button type="submit" id="role-{name}">{set_role}</button></form> '
        '<form method="post" action="/agents/{name}/password" class="inline">{csrf}'
        '<input type="password" name="password" minlength="{min}" aria-label="{new_l}" required>'
        '<button type="submit" id="reset-{name}">{reset}</button></form> '
        '<form method="post" action="/agents/{name}/remove" class="inline">{csrf}'
        '<button type="submit" class="danger" id="remove-{name}">{remove}</button></form>'
        "</td></tr>",
        name=agent.username,
        role=t(f"role.{agent.role}"),
        csrf=csrf,
        role_l=t("agents.role"),
        roles=_roles(ctx, agent.role),
        set_role=t("agents.set_role"),
        min=MIN_LENGTH,
        new_l=t("password.new"),
        reset=t("agents.reset"),
        remove=t("agents.remove"),
    )


def agents_page(ctx: PageContext, agents: list[Agent]) -> Html:
    """Every agent with the supervisor's actions, and the form for a new one."""
    t = ctx.t
    body = render(
        '<h1>{title}</h1><section class="panel"><table class="agents"><thead><tr>'
        "<th>{name_l}</th><th>{role_l}</th><th></th></tr></thead>"
        '<tbody id="agent-rows">{rows}</tbody></table></section>'
        '<section class="panel"><h2>{add_title}</h2>'
        '<form method="post" action="/agents" class="stack" id="add-agent">{csrf}'
        '<label for="new-agent">{name_l}</label><input id="new-agent" name="username" required>'
        '<label for="new-agent-password">{password_l}</label>'
        '<input type="password" id="new-agent-password" name="password" minlength="{min}" '
        'required><label for="new-agent-role">{role_l}</label>'
        '<select id="new-agent-role" name="role">{roles}</select>'
        '<button type="submit" id="add-agent-submit">{add}</button></form></section>',
        title=t("agents.title"),
        name_l=t("login.username"),
        role_l=t("agents.role"),
        rows=join(_row(ctx, agent) for agent in agents),
        add_title=t("agents.add_title"),
        csrf=csrf_field(ctx),
        password_l=t("login.password"),
        min=MIN_LENGTH,
        roles=_roles(ctx, "agent"),
        add=t("agents.add"),
    )
    return page(ctx, t("agents.title"), body, page_id="agents")


async def _done(request: Request, flash: Flash) -> HTTPResponse:
    session = session_of(request)
    if session is not None:
        await console_of(request).sessions.set_flash(session.token, flash)
    return redirect(AGENTS_PATH, status=303)


async def _change(
    request: Request, work: Callable[[], object], done_key: str, **values: object
) -> HTTPResponse:
    t = translator(request)
    try:
        await asyncio.to_thread(work)
    except (AccountError, WeakPassword) as error:
        return await _done(request, Flash(t("agents.failed", detail=str(error)), "error"))
    return await _done(request, Flash(t(done_key, **values), "ok"))


@supervisor_only
async def agents(request: Request) -> HTTPResponse:
    """GET /agents."""
    console, session = console_of(request), session_of(request)
    flash = await console.sessions.pop_flash(session.token) if session else None
    listed = await asyncio.to_thread(console.accounts.list)
    return html(agents_page(page_context(request, flash), listed))


@supervisor_only
async def add_agent(request: Request) -> HTTPResponse:
    """POST /agents: a new agent or supervisor."""
    accounts, form = console_of(request).accounts, request.form
    name, password = form.get("username") or "", form.get("password") or ""
    role = form.get("role") or "agent"
    return await _change(
        request, lambda: accounts.add(name, password, role), "agents.added", agent=name
    )


@supervisor_only
async def set_role(request: Request, name: str) -> HTTPResponse:
    """POST /agents/<name>/role."""
    accounts, role = console_of(request).accounts, request.form.get("role") or ""
    return await _change(
        request, lambda: accounts.set_role(name, role), "agents.role_set", agent=name
    )


@supervisor_only
async def reset_password(request: Request, name: str) -> HTTPResponse:
    """POST /agents/<name>/password: a new password; the agent's sessions end."""
    accounts, password = console_of(request).accounts, request.form.get("password") or ""
    return await _change(
        request, lambda: accounts.reset_password(name, password), "agents.reset_done", agent=name
    )


@supervisor_only
async def remove_agent(request: Request, name: str) -> HTTPResponse:
    """POST /agents/<name>/remove (not oneself)."""
    console, session, t = console_of(request), session_of(request), translator(request)
    if session is not None and session.agent == name:
        return await _done(request, Flash(t("agents.not_yourself"), "error"))
    removed = await asyncio.to_thread(console.accounts.remove, name)
    flash = (
        Flash(t("agents.removed", agent=name), "ok")
        if removed
        else Flash(t("error.not_found"), "error")
    )
    return await _done(request, flash)


def register(app: Sanic) -> None:
    """Add the Agents page's routes."""
    app.add_route(agents, AGENTS_PATH, methods=["GET"], name="agents_list")
    app.add_route(add_agent, AGENTS_PATH, methods=["POST"], name="agents_add")
    app.add_route(set_role, "/agents/<name:str>/role", methods=["POST"], name="agents_role")
    app.add_route(
        reset_password, "/agents/<name:str>/password", methods=["POST"], name="agents_password"
    )
    app.add_route(remove_agent, "/agents/<name:str>/remove", methods=["POST"], name="agents_remove")
