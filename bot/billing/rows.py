"""Billing rows as the port's dataclasses."""

from __future__ import annotations

from bot.billing.models import CustomerRow, PlanRow, TicketRow
from bot.billing.port import ComplaintCategory, Customer, Plan, Ticket, TicketStatus


def customer_from_row(row: CustomerRow) -> Customer:
    return Customer(
        row.msisdn,
        row.name_zh,
        row.name_en,
        row.birth_year,
        row.language,
        row.plan_code,
        row.balance,
    )


def plan_from_row(row: PlanRow) -> Plan:
    return Plan(
        row.code,
        row.name_zh,
        row.name_en,
        row.monthly_fee,
        row.data_gb,
        row.voice_min,
        row.sms,
        row.min_age,
    )


def ticket_from_row(row: TicketRow) -> Ticket:
    return Ticket(
        row.ticket_id,
        row.msisdn,
        ComplaintCategory(row.category),
        row.description,
        row.location,
        TicketStatus(row.status),
        bool(row.escalated),
        row.created_at,
    )
