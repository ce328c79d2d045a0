"""Transfers on the case page: the form, the history, the transcript's lines, the route.

The holder of a case hands it to another agent or back to the queue with a note; a
supervisor may reassign any open case (``bot.console.access.roles``). The receiving agent
sees the case as theirs with the note; the transcript shows the transfer to agents only
(it is never sent to the customer: ``bot.handoff.transfer``).
"""

from __future__ import annotations

from dataclasses import replace

from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, redirect

from bot.console.access.roles import is_supervisor
from bot.console.access.sessions import Flash
from bot.console.web.context import console_of, session_of, translator
from bot.console.web.i18n import Translator
from bot.console.web.layout import PageContext, csrf_field
from bot.console.web.markup import Html, join, render
from bot.handoff.desk import CaseView, TranscriptLine
from bot.handoff.queue import HandoffStatus
from bot.handoff.transfer import NOTE_LIMIT, Transfer, TransferError

QUEUE = "_queue"  # the form's value for "back to the queue"
SPEAKER = "transfer"  # the transcript lines of transfers


def transfer_line(t: Translator, transfer: Transfer) -> TranscriptLine:
    """A transfer as a line of the agents' transcript."""
    to = transfer.to_agent or t("transfer.the_queue")
    text = t("transfer.line", by=transfer.by_agent, to=to)
    if transfer.note:
        text = f"{text} {t('transfer.line_note', note=transfer.note)}"
    return TranscriptLine(SPEAKER, text, transfer.created_at)


def with_transfers(t: Translator, view: CaseView, history: list[Transfer]) -> CaseView:
    """The view with its transfers in the transcript, in time order."""
    if not history:
        return view
    lines = [*view.transcript, *(transfer_line(t, x) for x in history)]
    return replace(view, transcript=sorted(lines, key=lambda line: line.time))


async def with_case_transfers(request: Request, view: CaseView) -> CaseView:
    """The view with its transfers in the transcript (``/api/cases/<id>`` too)."""
    transfers = console_of(request).transfers
    if transfers is None:
        return view
    return with_transfers(translator(request), view, await transfers.history(view.summary.case.id))


async def case_transfers(
    request: Request, ctx: PageContext, view: CaseView
) -> tuple[CaseView, Html]:
    """The view with its transfer lines, and the transfer panel (empty when not offered)."""
    console = console_of(request)
    if console.transfers is None:
        return view, Html("")
    history = await console.transfers.history(view.summary.case.id)
    agents = await console.presence.everyone() if console.presence is not None else {}
    panel = transfer_panel(ctx, view, history, agents, is_supervisor(request))
    return with_transfers(ctx.t, view, history), panel


def transfer_panel(
    ctx: PageContext,
    view: CaseView,
    history: list[Transfer],
    agents: dict[str, str],
    supervisor: bool,
) -> Html:
    """The latest transfer's note for its receiver, and the form for who may transfer."""
    t, case = ctx.t, view.summary.case
    latest = history[-1] if history else None
    received = Html("")
    if latest is not None and latest.to_agent == ctx.agent and case.claimed_by == ctx.agent:
        received = render(
            '<p class="flash ok" id="transfer-received">{text}</p>',
            text=t("transfer.received", by=latest.by_agent, note=latest.note or "-"),
        )
    may = case.status != HandoffStatus.RESOLVED and (
        supervisor or (case.status == HandoffStatus.CLAIMED and case.claimed_by == ctx.agent)
    )
    if not may:
        return received
    holder = case.claimed_by if case.status == HandoffStatus.CLAIMED else None
    options = [render('<option value="{v}">{label}</option>', v=QUEUE, label=t("transfer.queue"))]
    options += [
        render(
            '<option value="{name}">{name} ({presence})</option>',
            name=name,
            presence=t(f"presence.{'away' if presence == 'away' else 'available'}"),
        )
        for name, presence in agents.items()
        if name != holder
    ]
    return render(
        '<section class="panel" id="transfer">{received}<h2>{title}</h2>'
        '<form method="post" action="/cases/{id}/transfer" class="stack" id="transfer-form">'
        '{csrf}<label for="transfer-to">{to}</label>'
        '<select id="transfer-to" name="to">{options}</select>'
        '<label for="transfer-note">{note}</label>'
        '<textarea id="transfer-note" name="note" rows="2" maxlength="{limit}"></textarea>'
        '<button type="submit" id="transfer-submit">{submit}</button></form></section>',
        received=received,
        title=t("transfer.title_supervisor")
        if supervisor and holder != ctx.agent
        else t("transfer.title"),
        id=case.id,
        csrf=csrf_field(ctx),
        to=t("transfer.to"),
        options=join(options),
        note=t("transfer.note"),
        limit=NOTE_LIMIT,
        submit=t("transfer.submit"),
    )


async def transfer(request: Request, case_id: int) -> HTTPResponse:
    """POST /cases/<id>/transfer: to an agent or ``_queue``, with a note."""
    console, session, t = console_of(request), session_of(request), translator(request)
    if session is None or console.transfers is None:  # the middleware lets no such request by
        return redirect("/", status=303)
    to = (request.form.get("to") or "").strip()
    note = (request.form.get("note") or "").strip()
    try:
        done = await console.transfers.transfer(
            case_id,
            session.agent,
            None if to in ("", QUEUE) else to,
            note,
            supervisor=is_supervisor(request),
        )
        flash = Flash(t("transfer.done", to=done.to_agent or t("transfer.the_queue")), "ok")
    except TransferError as error:
        flash = Flash(t("transfer.refused", detail=str(error)), "error")
    await console.sessions.set_flash(session.token, flash)
    return redirect(f"/cases/{case_id}", status=303)


def register(app: Sanic) -> None:
    """Add the transfer route."""
    app.add_route(transfer, "/cases/<case_id:int>/transfer", methods=["POST"])
