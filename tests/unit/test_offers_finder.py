"""The offer finder (pure): overage in three of six months, a cheaper plan with room to
spare, nobody in arrears, senior plans only for seniors, months that are recent."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from bot.billing.port import Customer, MonthlyUsage, Plan
from bot.notices.offers import (
    OVERAGE,
    ROOMY,
    Offer,
    find_offer,
    offer_notice,
    quarter_of,
    recent_months,
)
from tests.fakes import FakeBillingService

TODAY = dt.date(2027, 2, 10)  # the last six completed months: 2026-08 .. 2027-01
MONTHS = ["2026-08", "2026-09", "2026-10", "2026-11", "2026-12", "2027-01"]
BILLING = FakeBillingService()
PLANS = BILLING.plans
RATES = BILLING.rates


def customer(plan: str, born: int = 1990, balance: str = "50.00") -> Customer:
    return Customer("+8613800000009", "测试", "Test", born, "zh", plan, Decimal(balance))


def usage(data: list[float], voice: int = 50, sms: int = 10) -> list[MonthlyUsage]:
    """One month per figure of data, the newest last (charges are not read)."""
    months = MONTHS[-len(data) :]
    return [
        MonthlyUsage(m, Decimal(str(gb)), voice, sms, Decimal("0"))
        for m, gb in zip(months, data, strict=True)
    ]


def plan(code: str) -> Plan:
    return next(p for p in PLANS if p.code == code)


def find(who: Customer, history: list[MonthlyUsage], today: dt.date = TODAY) -> Offer | None:
    return find_offer(who, PLANS, RATES, history, today)


class TestOverage:
    def test_overage_in_three_of_six_months_offers_the_plan_that_costs_least(self) -> None:
        # Talk 18 (5 GB): 16 GB is 55 yuan of overage; three such months, three within:
        # 18 + 3 x 55 / 6 = 45.50 a month on Talk 18, 38.00 on Essential 38.
        offer = find(customer("P18"), usage([4, 16, 4, 16, 4, 16]))
        assert offer is not None and offer.reason == OVERAGE
        assert (offer.plan.code, offer.saving, offer.months) == ("P38", Decimal("7.50"), 6)

    def test_a_saving_under_five_yuan_is_not_worth_a_message(self) -> None:
        # 14 GB: 18 + 3 x 45 / 6 = 40.50 on Talk 18, a saving of 2.50.
        assert find(customer("P18"), usage([4, 14, 4, 14, 4, 14])) is None

    def test_heavy_overage_saves_the_difference(self) -> None:
        offer = find(customer("P18"), usage([15, 16, 15, 16, 15, 16]))
        assert offer is not None and offer.plan.code == "P38"
        # Talk 18: 18 + 5 x 10.5 GB = 70.50 on average; Essential 38 covers it: 38.00.
        assert offer.saving == Decimal("32.50")

    def test_overage_in_only_two_months_is_no_offer(self) -> None:
        assert find(customer("P18"), usage([15, 16, 4, 4, 4, 4])) is None

    def test_overage_that_no_plan_would_have_saved_is_no_offer(self) -> None:
        # 5.5 GB on Talk 18 costs 2.50 extra: Essential 38 would cost more.
        assert find(customer("P18"), usage([5.5, 5.5, 5.5, 4, 4, 4])) is None


class TestRoomToSpare:
    def test_a_cheaper_plan_covering_every_month_within_80_percent(self) -> None:
        offer = find(customer("P88"), usage([10, 12, 14, 16, 11, 9], voice=150, sms=50))
        assert offer is not None and offer.reason == ROOMY
        assert (offer.plan.code, offer.saving, offer.months) == ("P38", Decimal("50.00"), 6)

    def test_one_month_above_80_percent_of_the_cheaper_plan_rules_it_out(self) -> None:
        offer = find(customer("P88"), usage([10, 12, 17, 16, 11, 9], voice=150, sms=50))
        assert offer is not None and offer.plan.code == "P58"  # 17 GB > 80 % of 20 GB

    def test_a_plan_that_fits_is_no_offer(self) -> None:
        assert find(customer("P38"), usage([10, 12, 14, 16, 11, 9], voice=150)) is None


class TestWho:
    def test_arrears_get_no_offer(self) -> None:
        history = usage([15, 16, 15, 16, 15, 16])
        assert find(customer("P18", balance="-0.01"), history) is None
        assert find(customer("P18", balance="0.00"), history) is not None

    @pytest.mark.parametrize(
        ("born", "offered", "saving"), [(1967, "SENIOR8", "50.00"), (1968, "P18", "40.00")]
    )
    def test_a_senior_plan_only_for_customers_old_enough(
        self, born: int, offered: str, saving: str
    ) -> None:
        # Senior Care 8 is for 60 and over: born in 1967, 60 in 2027 (by birth year).
        offer = find(customer("P58", born=born), usage([0.5, 0.6, 0.4, 0.7, 0.5, 0.6], 60, 5))
        assert offer is not None
        assert (offer.plan.code, offer.saving) == (offered, Decimal(saving))


class TestMonths:
    def test_fewer_than_three_months_say_too_little(self) -> None:
        assert find(customer("P88"), usage([1, 1])) is None
        assert find(customer("P88"), usage([1, 1, 1])) is not None

    def test_only_the_six_months_before_this_one_count(self) -> None:
        old = [MonthlyUsage("2026-0" + str(m), Decimal(1), 50, 10, Decimal(0)) for m in (5, 6, 7)]
        current = MonthlyUsage("2027-02", Decimal(1), 50, 10, Decimal(0))
        kept = recent_months([*old, *usage([1, 1, 1]), current], TODAY)
        assert [m.month for m in kept] == ["2026-11", "2026-12", "2027-01"]
        # A frozen history (nothing in the last six months) is no basis for an offer.
        assert find(customer("P88"), old, TODAY) is None

    def test_the_offer_says_how_many_months_it_is_based_on(self) -> None:
        offer = find(customer("P88"), usage([1, 1, 1, 1], voice=60))
        assert offer is not None and offer.months == 4


class TestNotice:
    @pytest.mark.parametrize(
        ("day", "quarter"),
        [
            (dt.date(2026, 1, 1), "2026-Q1"),
            (dt.date(2026, 3, 31), "2026-Q1"),
            (dt.date(2026, 4, 1), "2026-Q2"),
            (dt.date(2026, 12, 31), "2026-Q4"),
        ],
    )
    def test_quarters(self, day: dt.date, quarter: str) -> None:
        assert quarter_of(day) == quarter

    def test_the_notice_key_is_once_a_quarter_and_the_figures_are_the_texts(self) -> None:
        offer = find(customer("P88"), usage([1, 1, 1, 1, 1, 1], voice=60))
        assert offer is not None
        notice = offer_notice(offer, "en", TODAY)
        assert notice.key == "+8613800000009/plan_offer/2027-Q1"
        assert notice.intent == "EXTERNAL_notice_offer" and notice.kind.value == "offer"
        assert notice.figures == {
            "notice_plan": offer.plan.code,
            "notice_saving": str(offer.saving),
            "notice_months": "6",
            "notice_language": "en",
        }

    def test_a_plan_no_longer_current_is_no_offer(self) -> None:
        gone = dataclasses.replace(customer("P88"), plan_code="OLD99")
        assert find(gone, usage([1] * 6)) is None
