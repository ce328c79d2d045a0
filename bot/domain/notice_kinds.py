"""The kinds of notice a customer receives and can turn off one by one."""

from __future__ import annotations

from enum import Enum


class NoticeKind(str, Enum):
    """One kind of notice; each is sent at most once per customer and billing cycle and event."""

    BALANCE = "balance"  # balance below the threshold, and arrears
    DATA = "data"  # data at 80 % and at 100 % of the allowance
    BILL = "bill"  # a new monthly bill with its amount
    OFFER = "offer"  # a cheaper or better-fitting plan, at most once a quarter (offers.py)
