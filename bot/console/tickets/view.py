"""The Tickets pages: open complaint tickets (overdue first) and one ticket with its updates."""

from __future__ import annotations

from bot.billing.port import TicketStatus, TicketUpdate
from bot.billing.ticket_policy import MAX_UPDATE, due_of
from bot.console.notes.panel import notes_panel
from bot.console.notes.store import DeskNote
from bot.console.tickets.credit_view import credit_panel
from bot.console.web.i18n import Translator
from bot.console.web.layout import PageContext, csrf_field, page
from bot.console.web.markup import Html, join, render
from bot.domain.numbers import mask_msisdn
from bot.tickets.desk import TicketItem, TicketView

# What an agent may set a ticket to (a ticket never goes back to open).
SETTABLE = (TicketStatus.IN_PROGRESS, TicketStatus.RESOLVED, TicketStatus.CLOSED)


def _due_cell(t: Translator, item: TicketItem, which: str) -> Html:
    """A deadline; the pending one is marked, and flagged when it has passed."""
    due = due_of(item.ticket)
    moment = due.first_contact if which == "first" else due.resolution
    pending = item.due == moment
    classes = (
        "due" + (" pending" if pending else "") + (" late" if pending and item.overdue else "")
    )
    return render(
        '<td class="{classes}"><time datetime="{iso}">{time}</time></td>',
        classes=classes,
        iso=t.iso(moment),
        time=t.time(moment),
    )


def _latest(t: Translator, update: TicketUpdate | None) -> Html:
    if update is None:
        return render('<span class="note">{none}</span>', none=t("tickets.no_updates"))
    return render(
        '<span class="latest-text">{text}</span> <span class="note">({author}, {time})</span>',
        text=update.text or t("tickets.set_status", status=_status(t, update.status)),
        author=update.author,
        time=t.time(update.at),
    )


def _status(t: Translator, status: TicketStatus | None) -> str:
    return t.label("ticket_status", status.value) if status else ""


def _row(t: Translator, item: TicketItem) -> Html:
    ticket = item.ticket
    badge = (
        render(' <span class="badge urgent">{overdue}</span>', overdue=t("tickets.overdue"))
        if item.overdue
        else Html("")
    )
    return render(
        '<tr class="ticket{overdue}" id="ticket-{id}" data-ticket="{id}">'
        '<td><a href="/tickets/{id}">{id}</a>{badge}</td><td>{category}</td>'
        '<td class="msisdn">{customer}</td><td class="ticket-status">{status}</td>'
        "{first}{resolution}<td>{latest}</td>"
        '<td><a class="button" href="/tickets/{id}">{open}</a></td></tr>',
        overdue=" overdue" if item.overdue else "",
        id=ticket.ticket_id,
        badge=badge,
        category=t.label("ticket_category", ticket.category.value),
        customer=mask_msisdn(ticket.msisdn),
        status=_status(t, ticket.status),
        first=_due_cell(t, item, "first"),
        resolution=_due_cell(t, item, "resolution"),
        latest=_latest(t, ticket.latest_update),
        open=t("tickets.open"),
    )


def tickets_page(ctx: PageContext, items: list[TicketItem]) -> Html:
    """Every ticket being worked, in the desk's order (overdue first, then by due time)."""
    t = ctx.t
    if items:
        rows = join(_row(t, item) for item in items)
    else:
        rows = render('<tr class="empty"><td colspan="8">{text}</td></tr>', text=t("tickets.empty"))
    body = render(
        '<section class="panel"><h1>{title}</h1><p class="note">{intro}</p>'
        '<table class="ticket-list"><thead><tr><th>{id}</th><th>{category}</th><th>{customer}'
        "</th><th>{status}</th><th>{first}</th><th>{resolution}</th><th>{latest}</th><th></th>"
        '</tr></thead><tbody id="ticket-rows">{rows}</tbody></table></section>',
        title=t("tickets.title"),
        intro=t("tickets.intro"),
        id=t("ticket.id"),
        category=t("ticket.category"),
        customer=t("col.customer"),
        status=t("ticket.status"),
        first=t("tickets.first_contact"),
        resolution=t("tickets.resolution"),
        latest=t("tickets.latest"),
        rows=rows,
    )
    return page(ctx, t("tickets.title"), body, page_id="tickets")


def _facts(t: Translator, view: TicketView) -> Html:
    ticket, origin = view.item.ticket, view.origin
    told = (
        f"{t.label('channel', origin.channel)} · {t.label('language', origin.language)}"
        if origin
        else t("tickets.unreachable")
    )
    return render(
        '<section class="panel" id="ticket-facts"><dl class="facts">'
        "<dt>{category_l}</dt><dd>{category}{escalated}</dd>"
        '<dt>{customer_l}</dt><dd class="msisdn">{customer}</dd>'
        "<dt>{created_l}</dt><dd>{created}</dd>"
        '<dt>{first_l}</dt><dd id="due-first">{first}</dd>'
        '<dt>{resolution_l}</dt><dd id="due-resolution">{resolution}</dd>'
        '<dt>{told_l}</dt><dd id="ticket-channel">{told}</dd>'
        '<dt>{description_l}</dt><dd class="ticket-description">{description}</dd>'
        "{location}</dl></section>",
        category_l=t("ticket.category"),
        category=t.label("ticket_category", ticket.category.value),
        escalated=render(' <span class="badge urgent">{e}</span>', e=t("tickets.escalated"))
        if ticket.escalated
        else Html(""),
        customer_l=t("col.customer"),
        customer=mask_msisdn(ticket.msisdn),
        created_l=t("ticket.created"),
        created=t.time(ticket.created_at),
        first_l=t("tickets.first_contact"),
        first=t.time(due_of(ticket).first_contact),
        resolution_l=t("tickets.resolution"),
        resolution=t.time(due_of(ticket).resolution),
        told_l=t("tickets.reached_on"),
        told=told,
        description_l=t("tickets.description"),
        description=ticket.description,
        location=render("<dt>{l}</dt><dd>{v}</dd>", l=t("tickets.location"), v=ticket.location)
        if ticket.location
        else Html(""),
    )


def _updates(t: Translator, updates: list[TicketUpdate]) -> Html:
    if not updates:
        return render('<li class="empty">{text}</li>', text=t("tickets.no_updates"))
    return join(
        render(
            '<li class="line agent"><span class="who">{author}</span> '
            '<time datetime="{iso}">{time}</time> <span class="ticket-status">{status}</span>'
            '<p class="text">{text}</p></li>',
            author=update.author,
            iso=t.iso(update.at),
            time=t.time(update.at),
            status=t("tickets.set_status", status=_status(t, update.status))
            if update.status
            else "",
            text=update.text,
        )
        for update in updates
    )


def _form(ctx: PageContext, view: TicketView) -> Html:
    t, ticket = ctx.t, view.item.ticket
    if ticket.status == TicketStatus.CLOSED:
        return render('<p class="note" id="ticket-closed">{text}</p>', text=t("tickets.closed"))
    options = join(
        render('<option value="{value}">{label}</option>', value=s.value, label=_status(t, s))
        for s in SETTABLE
        if s != ticket.status
    )
    return render(
        '<form method="post" action="/tickets/{id}/update" class="stack" id="ticket-form">'
        '{csrf}<h2>{title}</h2><label for="ticket-text">{text_l}</label>'
        '<textarea id="ticket-text" name="text" rows="3" maxlength="{limit}"></textarea>'
        '<label for="ticket-status-select">{status_l}</label>'
        '<select id="ticket-status-select" name="status"><option value="">{keep}</option>'
        '{options}</select><p class="note">{hint}</p>'
        '<button type="submit" id="ticket-submit">{submit}</button></form>',
        id=ticket.ticket_id,
        csrf=csrf_field(ctx),
        title=t("tickets.form_title"),
        text_l=t("tickets.text"),
        limit=MAX_UPDATE,
        status_l=t("tickets.new_status"),
        keep=t("tickets.keep_status"),
        options=options,
        hint=t("tickets.form_note"),
        submit=t("tickets.submit"),
    )


def ticket_page(ctx: PageContext, view: TicketView, *, notes: list[DeskNote] | None = None) -> Html:
    """One ticket: facts and deadlines, every update, and the update form."""
    t, item = ctx.t, view.item
    overdue = (
        render(' <span class="badge urgent" id="ticket-overdue">{o}</span>', o=t("tickets.overdue"))
        if item.overdue
        else Html("")
    )
    body = render(
        '<p><a href="/tickets">{back}</a></p><h1>{title} <span class="status" '
        'id="ticket-status">{status}</span>{overdue}</h1>'
        '<div class="case-grid"><div class="col">{facts}</div><div class="col">'
        '<section class="panel"><h2>{updates_title}</h2><ol class="transcript" id="ticket-updates">'
        '{updates}</ol></section>{credit}<section class="panel" id="actions">{form}</section>'
        "{notes}</div></div>",
        back=t("tickets.back"),
        title=t("tickets.page_title", id=item.ticket.ticket_id),
        status=_status(t, item.ticket.status),
        overdue=overdue,
        facts=_facts(t, view),
        updates_title=t("tickets.updates"),
        updates=_updates(t, view.updates),
        credit=credit_panel(ctx, item.ticket),  # overage credits
        form=_form(ctx, view),
        notes=notes_panel(ctx, notes, f"/tickets/{item.ticket.ticket_id}/notes"),
    )
    title = t("tickets.page_title", id=item.ticket.ticket_id)
    return page(ctx, title, body, page_id="ticket")
