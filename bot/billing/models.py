"""SQLAlchemy tables of the billing stub."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import declarative_base

# The stub stands for an external system: its tables have their own metadata.
BillingBase: Any = declarative_base()  # untyped in SQLAlchemy 1.4
MONEY = Numeric(12, 2)
VOLUME = Numeric(12, 2)


class PlanRow(BillingBase):
    __tablename__ = "plans"
    code = Column(String(16), primary_key=True)
    name_zh = Column(String(64), nullable=False)
    name_en = Column(String(64), nullable=False)
    monthly_fee = Column(MONEY, nullable=False)
    data_gb = Column(VOLUME, nullable=False)
    voice_min = Column(Integer, nullable=False)
    sms = Column(Integer, nullable=False)
    min_age = Column(Integer, nullable=True)


class OverageRow(BillingBase):
    __tablename__ = "overage_rates"
    id = Column(Integer, primary_key=True)
    data_per_gb = Column(MONEY, nullable=False)
    voice_per_min = Column(MONEY, nullable=False)
    sms_each = Column(MONEY, nullable=False)


class CustomerRow(BillingBase):
    __tablename__ = "customers"
    msisdn = Column(String(20), primary_key=True)
    name_zh = Column(String(64), nullable=False)
    name_en = Column(String(64), nullable=False)
    birth_year = Column(Integer, nullable=False)
    language = Column(String(2), nullable=False)
    plan_code = Column(String(16), ForeignKey("plans.code"), nullable=False)
    balance = Column(MONEY, nullable=False)


class CycleUsageRow(BillingBase):
    __tablename__ = "cycle_usage"
    msisdn = Column(String(20), ForeignKey("customers.msisdn"), primary_key=True)
    data_used_gb = Column(VOLUME, nullable=False)
    voice_used_min = Column(Integer, nullable=False)
    sms_used = Column(Integer, nullable=False)


class UsageHistoryRow(BillingBase):
    __tablename__ = "usage_history"
    __table_args__ = (UniqueConstraint("msisdn", "month"),)
    id = Column(Integer, primary_key=True)
    msisdn = Column(String(20), ForeignKey("customers.msisdn"), nullable=False, index=True)
    month = Column(String(7), nullable=False)
    data_gb = Column(VOLUME, nullable=False)
    voice_min = Column(Integer, nullable=False)
    sms = Column(Integer, nullable=False)
    total_charge = Column(MONEY, nullable=False)


class SubscriptionRow(BillingBase):
    __tablename__ = "subscriptions"
    __table_args__ = (UniqueConstraint("msisdn", "code"),)
    id = Column(Integer, primary_key=True)
    msisdn = Column(String(20), ForeignKey("customers.msisdn"), nullable=False, index=True)
    code = Column(String(16), nullable=False)
    name_zh = Column(String(64), nullable=False)
    name_en = Column(String(64), nullable=False)
    monthly_fee = Column(MONEY, nullable=False)
    active = Column(Boolean, nullable=False, default=True)
    cancelled_at = Column(DateTime, nullable=True)


class PlanChangeOrderRow(BillingBase):
    __tablename__ = "plan_change_orders"
    order_id = Column(String(16), primary_key=True)
    msisdn = Column(String(20), ForeignKey("customers.msisdn"), nullable=False, index=True)
    from_plan = Column(String(16), ForeignKey("plans.code"), nullable=False)
    to_plan = Column(String(16), ForeignKey("plans.code"), nullable=False)
    effective_date = Column(Date, nullable=False)
    created_at = Column(DateTime, nullable=False)


class TicketRow(BillingBase):
    __tablename__ = "complaint_tickets"
    ticket_id = Column(String(16), primary_key=True)
    msisdn = Column(String(20), ForeignKey("customers.msisdn"), nullable=False, index=True)
    category = Column(String(16), nullable=False)
    description = Column(Text, nullable=False)
    location = Column(String(200), nullable=True)
    status = Column(String(16), nullable=False)
    escalated = Column(Boolean, nullable=False, default=False)
    created_at = Column(DateTime, nullable=False)


# --- ticket updates and deadlines: new tables, so that existing stub databases only gain them ---
class TicketDueRow(BillingBase):
    """A ticket's deadlines, fixed when it is filed (``bot.billing.ticket_policy``)."""

    __tablename__ = "ticket_due_times"
    ticket_id = Column(String(16), ForeignKey("complaint_tickets.ticket_id"), primary_key=True)
    first_contact = Column(DateTime, nullable=False)
    resolution = Column(DateTime, nullable=False)


class TicketUpdateRow(BillingBase):
    """An agent's update of a ticket; ``status`` is the status it set (None: a note)."""

    __tablename__ = "ticket_updates"
    id = Column(Integer, primary_key=True, autoincrement=True)
    ticket_id = Column(
        String(16), ForeignKey("complaint_tickets.ticket_id"), nullable=False, index=True
    )
    author = Column(String(64), nullable=False)
    at = Column(DateTime, nullable=False)
    text = Column(Text, nullable=False)
    status = Column(String(16), nullable=True)


# --- data packs (add-on data): new tables, so that existing stub databases only gain them ---
class DataPackRow(BillingBase):
    __tablename__ = "data_packs"
    code = Column(String(16), primary_key=True)
    name_zh = Column(String(64), nullable=False)
    name_en = Column(String(64), nullable=False)
    data_gb = Column(VOLUME, nullable=False)
    price = Column(MONEY, nullable=False)


class DataPackOrderRow(BillingBase):
    __tablename__ = "data_pack_orders"
    order_id = Column(String(16), primary_key=True)
    msisdn = Column(String(20), ForeignKey("customers.msisdn"), nullable=False, index=True)
    code = Column(String(16), ForeignKey("data_packs.code"), nullable=False)
    data_gb = Column(VOLUME, nullable=False)  # as sold
    price = Column(MONEY, nullable=False)  # taken from the balance
    valid_until = Column(Date, nullable=False, index=True)
    created_at = Column(DateTime, nullable=False, index=True)


class BillingCalendarRow(BillingBase):
    """The stub's billing cycle in progress (``YYYY-MM``): one row, moved on as months end."""

    __tablename__ = "billing_calendar"
    id = Column(Integer, primary_key=True)
    cycle = Column(String(7), nullable=False)


# --- credits: a new table, so that existing stub databases only gain it ---
class AccountCreditRow(BillingBase):
    """Money added to a balance; ``reference`` (a ticket id) credits once."""

    __tablename__ = "account_credits"
    credit_id = Column(String(16), primary_key=True)
    msisdn = Column(String(20), ForeignKey("customers.msisdn"), nullable=False, index=True)
    amount = Column(MONEY, nullable=False)
    reference = Column(String(32), nullable=False, unique=True)
    created_at = Column(DateTime, nullable=False)
