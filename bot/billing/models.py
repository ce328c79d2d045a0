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
