"""The errors the billing port raises (``bot.billing.port`` hands them on)."""

from __future__ import annotations

from decimal import Decimal

from bot.domain.numbers import mask_msisdn


class BillingError(Exception):
    """Base class of every error the billing port raises."""


class CustomerNotFound(BillingError):
    """The number does not belong to a customer of the operator."""

    def __init__(self, msisdn: str) -> None:
        super().__init__(f"no customer with number {mask_msisdn(msisdn)}")
        self.msisdn = msisdn


class PlanNotFound(BillingError):
    """No plan has that code."""


class PlanNotEligible(BillingError):
    """The customer may not take the plan (e.g. an age limit)."""


class SubscriptionNotFound(BillingError):
    """The customer has no active subscription with that code."""


class TicketNotFound(BillingError):
    """No complaint ticket has that id (for that customer)."""


class BillingUnavailable(BillingError):
    """The billing system could not be reached or failed."""


class TicketUpdateRefused(BillingError):
    """The ticket cannot take that update (closed already, no note, nothing to record)."""


class DataPackNotFound(BillingError):
    """No data pack on sale has that code."""


class CustomerInArrears(BillingError):
    """The customer owes money (balance below zero): nothing can be ordered until a top-up."""

    def __init__(self, balance: Decimal) -> None:
        super().__init__(f"the account is in arrears ({balance} yuan)")
        self.balance = balance


class BalanceTooLow(BillingError):
    """The balance does not cover the price of what is ordered (charged to the balance)."""

    def __init__(self, balance: Decimal, price: Decimal) -> None:
        super().__init__(f"the balance {balance} yuan does not cover {price} yuan")
        self.balance = balance
        self.price = price


class CreditRefused(BillingError):
    """A credit that cannot be recorded: nothing to credit, or its reference is another
    customer's."""
