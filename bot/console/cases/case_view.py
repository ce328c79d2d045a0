"""The case page: why the bot handed over, the customer's profile, the live transcript, actions."""

from __future__ import annotations

from typing import Any

from bot.console.cases.context_panel import context_panel
from bot.console.cases.queue_view import customer_label
from bot.console.notes.panel import notes_panel
from bot.console.notes.store import DeskNote
from bot.console.replies.picker import FilledReply, reply_picker
from bot.console.web.i18n import Translator
from bot.console.web.layout import PageContext, csrf_field, page
from bot.console.web.markup import Html, join, render
from bot.handoff.context import CaseContext
from bot.handoff.desk import CaseView, CustomerProfile, TranscriptLine
from bot.handoff.queue import HandoffStatus

REPLY_LIMIT = 1000
SPEAKERS = ("customer", "bot", "agent", "transfer")  # transfer: agents' eyes only
NOTE_LIMIT = 2000


def status_text(t: Translator, view: CaseView) -> str:
    """ "Waiting", "Claimed by x" or "Resolved"."""
    case = view.summary.case
    if case.status == HandoffStatus.CLAIMED:
        return t("status.claimed", agent=case.claimed_by or "")
    return t(f"status.{case.status.value}")


def transcript_items(t: Translator, lines: list[TranscriptLine]) -> Html:
    """The ``<ol id="transcript">`` content; customer text is escaped like everything else."""
    if not lines:
        return render('<li class="empty">{text}</li>', text=t("case.transcript_empty"))
    return join(
        render(
            '<li class="line {speaker}"><span class="who">{who}</span> '
            '<time datetime="{iso}">{time}</time><p class="text">{text}</p></li>',
            speaker=line.speaker if line.speaker in SPEAKERS else "bot",
            who=t.label("speaker", line.speaker),
            iso=t.iso(line.time),
            time=t.time(line.time),
            text=line.text,
        )
        for line in lines
    )


def _why(t: Translator, view: CaseView) -> Html:
    summary, case = view.summary, view.summary.case
    urgency = Html("")
    if summary.urgent:
        urgency = render(
            ' <span class="badge urgent">{urgent}{why}</span>',
            urgent=t("urgent"),
            why=f" · {t.label('urgency', summary.urgency_reason)}"
            if summary.urgency_reason
            else "",
        )
    detail = (
        render("<dt>{label}</dt><dd>{detail}</dd>", label=t("case.detail"), detail=case.detail)
        if case.detail
        else Html("")
    )
    return render(
        '<section class="panel" id="why"><h2>{title}</h2><dl class="facts">'
        '<dt>{reason_label}</dt><dd id="case-reason">{reason}{urgency}</dd>{detail}'
        "<dt>{created_label}</dt><dd>{created}</dd><dt>{channel_label}</dt><dd>{channel}</dd>"
        "<dt>{language_label}</dt><dd>{language}</dd><dt>{customer_label}</dt><dd>{customer}</dd>"
        "<dt>{callback_label}</dt><dd>{callback}</dd></dl></section>",
        title=t("case.why"),
        reason_label=t("col.reason"),
        reason=t.label("reason", case.reason.value),
        urgency=urgency,
        detail=detail,
        created_label=t("case.created"),
        created=t.time(case.created_at),
        channel_label=t("col.channel"),
        channel=t.label("channel", case.channel),
        language_label=t("col.language"),
        language=t.label("language", case.language),
        customer_label=t("col.customer"),
        customer=customer_label(t, summary),
        callback_label=t("col.callback"),
        callback=t("yes") if summary.callback_requested else t("no"),
    )


def _tickets(t: Translator, profile: CustomerProfile) -> Html:
    if not profile.open_tickets:
        return render("<p>{none}</p>", none=t("profile.no_tickets"))
    rows = join(
        render(
            "<tr><td>{id}</td><td>{category}</td><td>{status}</td><td>{created}</td></tr>",
            id=ticket.ticket_id,
            category=ticket.category,
            status=ticket.status,
            created=t.time(ticket.created_at),
        )
        for ticket in profile.open_tickets
    )
    return render(
        '<table class="tickets"><thead><tr><th>{id}</th><th>{category}</th><th>{status}</th>'
        "<th>{created}</th></tr></thead><tbody>{rows}</tbody></table>",
        id=t("ticket.id"),
        category=t("ticket.category"),
        status=t("ticket.status"),
        created=t("ticket.created"),
        rows=rows,
    )


def _profile(t: Translator, profile: CustomerProfile | None) -> Html:
    if profile is None:
        return render(
            '<section class="panel" id="profile"><h2>{title}</h2><p>{unknown}</p></section>',
            title=t("case.profile"),
            unknown=t("customer.unknown"),
        )
    return render(
        '<section class="panel" id="profile"><h2>{title}</h2><dl class="facts">'
        '<dt>{name_l}</dt><dd id="profile-name">{name}</dd>'
        '<dt>{msisdn_l}</dt><dd id="profile-msisdn">{msisdn}</dd>'
        "<dt>{language_l}</dt><dd>{language}</dd>"
        '<dt>{plan_l}</dt><dd id="profile-plan">{plan}</dd>'
        '<dt>{balance_l}</dt><dd id="profile-balance">{balance}</dd>'
        '<dt>{usage_l}</dt><dd id="profile-usage">{usage}</dd></dl>'
        "<h3>{tickets_l}</h3>{tickets}</section>",
        title=t("case.profile"),
        name_l=t("profile.name"),
        name=profile.name,
        msisdn_l=t("profile.msisdn"),
        msisdn=profile.msisdn,
        language_l=t("profile.language"),
        language=t.label("language", profile.language),
        plan_l=t("profile.plan"),
        plan=profile.plan,
        balance_l=t("profile.balance"),
        balance=t("profile.balance_value", amount=profile.balance),
        usage_l=t("profile.usage"),
        usage=profile.usage,
        tickets_l=t("profile.tickets"),
        tickets=_tickets(t, profile),
    )


def _actions(ctx: PageContext, view: CaseView, replies: list[FilledReply] | None = None) -> Html:
    t, case = ctx.t, view.summary.case
    action = f"/cases/{case.id}"
    if case.status == HandoffStatus.WAITING:
        return render(
            '<form method="post" action="{action}/claim" class="inline">{csrf}'
            '<button type="submit" id="claim">{claim}</button></form>',
            action=action,
            csrf=csrf_field(ctx),
            claim=t("case.claim"),
        )
    if case.status == HandoffStatus.RESOLVED:
        return render('<p class="note">{text}</p>', text=t("case.closed"))
    if case.claimed_by != ctx.agent:
        return render(
            '<p class="note" id="other-agent">{text}</p>',
            text=t("case.other_agent", agent=case.claimed_by or ""),
        )
    return render(
        '<form method="post" action="{action}/reply" class="stack" id="reply-form">{csrf}'
        '{picker}<label for="reply-text">{reply}</label>'
        '<textarea id="reply-text" name="text" rows="3" maxlength="{reply_limit}" required>'
        '</textarea><button type="submit" id="send-reply">{send}</button></form>'
        '<form method="post" action="{action}/resolve" class="stack" id="resolve-form">{csrf}'
        '<label for="resolve-note">{note}</label>'
        '<textarea id="resolve-note" name="note" rows="2" maxlength="{note_limit}"></textarea>'
        '<button type="submit" id="resolve">{resolve}</button></form>',
        action=action,
        csrf=csrf_field(ctx),
        picker=reply_picker(t, replies),  # canned replies
        reply=t("case.reply"),
        reply_limit=REPLY_LIMIT,
        send=t("case.send"),
        note=t("case.note"),
        note_limit=NOTE_LIMIT,
        resolve=t("case.resolve_submit"),
    )


def case_json(t: Translator, view: CaseView) -> dict[str, Any]:
    """``/api/cases/<id>``: the state the page watches and the rendered transcript."""
    case = view.summary.case
    return {
        "id": case.id,
        "status": case.status.value,
        "claimed_by": case.claimed_by,
        "lines": len(view.transcript),
        "transcript": [
            {"speaker": line.speaker, "text": line.text, "time": t.iso(line.time)}
            for line in view.transcript
        ],
        "html": {"transcript": transcript_items(t, view.transcript)},
    }


def case_page(
    ctx: PageContext,
    view: CaseView,
    *,
    notes: list[DeskNote] | None = None,  # internal notes (None: not offered)
    replies: list[FilledReply] | None = None,  # canned replies for the reply box
    context: CaseContext | None = None,  # the customer's (bot.handoff.context)
    transfer: Html | None = None,  # the form and its note (cases/transfer.py)
) -> Html:
    """The whole case; ``console.js`` refreshes the transcript from ``/api/cases/<id>``."""
    t, case = ctx.t, view.summary.case
    body = render(
        '<p><a href="/">{back}</a></p><h1>{title} <span class="status" id="case-status">'
        '{status}</span></h1><p class="flash warn" id="case-changed" hidden>{changed}</p>'
        '<div class="case-grid"><div class="col">{why}{profile}{context}</div>'
        '<div class="col"><section class="panel"><h2>{transcript_title}</h2>'
        '<ol class="transcript" id="transcript">{transcript}</ol></section>'
        '<section class="panel" id="actions">{actions}</section>{transfer}{notes}</div></div>',
        back=t("case.back"),
        title=t("case.title", id=case.id),
        status=status_text(t, view),
        changed=t("case.changed"),
        why=_why(t, view),
        profile=_profile(t, view.profile),
        context=context_panel(t, context),  # bills, notices, proposals, cases
        transcript_title=t("case.transcript"),
        transcript=transcript_items(t, view.transcript),
        actions=_actions(ctx, view, replies),
        notes=notes_panel(ctx, notes, f"/cases/{case.id}/notes"),  # internal notes
        transfer=transfer or Html(""),
    )
    data = render(
        'data-case-id="{id}" data-status="{status}" data-claimed-by="{agent}"',
        id=case.id,
        status=case.status.value,
        agent=case.claimed_by or "",
    )
    return page(ctx, t("case.title", id=case.id), body, page_id="case", data=data)
