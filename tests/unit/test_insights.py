"""Pure billing rules, checked against the exact figures of the demo data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from bot.billing.insights import (
    Recommendation,
    explain_month,
    money,
    next_cycle_start,
    recommend_plan,
    usage_report,
)
from bot.billing.port import Customer, CycleUsage, MonthlyUsage, Plan
from tests.fakes import TODAY, FakeBillingService
from tests.unit.trackers import C1, C2, C3, C4, C5

BILLING = FakeBillingService()
PLANS = {plan.code: plan for plan in BILLING.plans}
RATES = BILLING.rates


def plan_of(msisdn: str) -> Plan:
    return PLANS[BILLING.customers[msisdn].plan_code]


def month(name: str, msisdn: str) -> MonthlyUsage:
    return next(m for m in BILLING.history[msisdn] if m.month == name)


class TestMoney:
    def test_rounds_half_up_to_cents(self) -> None:
        assert money(Decimal("0.125")) == Decimal("0.13")
        assert str(money(Decimal("98.166666"))) == "98.17"


class TestNextCycleStart:
    @pytest.mark.parametrize(
        ("today", "expected"),
        [
            (dt.date(2026, 11, 28), dt.date(2026, 12, 1)),
            (dt.date(2026, 11, 1), dt.date(2026, 12, 1)),
            (dt.date(2026, 12, 31), dt.date(2027, 1, 1)),
            (dt.date(2026, 12, 1), dt.date(2027, 1, 1)),
            (dt.date(2028, 2, 29), dt.date(2028, 3, 1)),
        ],
    )
    def test_is_first_day_of_next_month(self, today: dt.date, expected: dt.date) -> None:
        assert next_cycle_start(today) == expected


class TestUsageReport:
    def test_customer_3_is_over_her_data_on_p38(self) -> None:
        report = usage_report(plan_of(C3), BILLING.usage[C3], RATES, TODAY)
        assert report.data.used == Decimal("23.5")
        assert report.data.included == Decimal("20")
        assert report.data.over == Decimal("3.5")
        assert report.data.remaining == 0
        assert report.data.percent_used == 118  # 117.5 rounds half up
        assert report.data.overage_charge == Decimal("17.50")
        assert report.overage_total == Decimal("17.50")

    def test_customer_3_voice_and_sms_within_allowance(self) -> None:
        report = usage_report(plan_of(C3), BILLING.usage[C3], RATES, TODAY)
        assert (report.voice.percent_used, report.voice.remaining) == (70, Decimal(60))
        assert (report.sms.percent_used, report.sms.remaining) == (30, Decimal(70))
        assert report.voice.overage_charge == report.sms.overage_charge == Decimal("0.00")

    def test_customer_1_within_allowance(self) -> None:
        report = usage_report(plan_of(C1), BILLING.usage[C1], RATES, TODAY)
        assert report.data.percent_used == 78
        assert report.data.remaining == Decimal("8.8")
        assert report.voice.remaining == Decimal(380)
        assert report.overage_total == 0

    def test_resets_on_first_of_next_month(self) -> None:
        report = usage_report(plan_of(C1), BILLING.usage[C1], RATES, dt.date(2026, 12, 15))
        assert report.resets_on == dt.date(2027, 1, 1)

    def test_voice_and_sms_overage_use_their_rates(self) -> None:
        usage = CycleUsage(Decimal("1"), 110, 60)
        report = usage_report(PLANS["P18"], usage, RATES, TODAY)
        assert report.voice.overage_charge == Decimal("1.50")  # 10 min x 0.15
        assert report.sms.overage_charge == Decimal("1.00")  # 10 x 0.10
        assert report.overage_total == Decimal("2.50")


class TestExplainMonth:
    @pytest.mark.parametrize(
        ("name", "total", "overage"),
        [
            ("2026-08", "89.00", "51.00"),
            ("2026-09", "105.50", "67.50"),
            ("2026-10", "100.00", "62.00"),
        ],
    )
    def test_customer_3_months_are_fee_plus_data_overage(
        self, name: str, total: str, overage: str
    ) -> None:
        explanation = explain_month(plan_of(C3), month(name, C3), RATES)
        assert explanation.total == Decimal(total)
        assert explanation.plan_fee == Decimal("38.00")
        assert explanation.extra == Decimal(overage)
        assert explanation.report.data.overage_charge == Decimal(overage)
        assert explanation.other_charges == 0

    def test_customer_5_october_is_18_plus_1_1_gb(self) -> None:
        explanation = explain_month(plan_of(C5), month("2026-10", C5), RATES)
        assert explanation.report.data.over == Decimal("1.1")
        assert explanation.report.data.overage_charge == Decimal("5.50")
        assert explanation.extra == Decimal("5.50")
        assert explanation.total == Decimal("23.50")
        assert explanation.other_charges == 0

    def test_charge_overage_does_not_explain_is_other_charges(self) -> None:
        extra_fee = MonthlyUsage("2026-07", Decimal("30"), 100, 10, Decimal("66.00"))
        explanation = explain_month(PLANS["P58"], extra_fee, RATES)
        assert explanation.extra == Decimal("8.00")
        assert explanation.other_charges == Decimal("8.00")

    def test_month_at_plan_fee_has_no_extra(self) -> None:
        explanation = explain_month(plan_of(C1), month("2026-09", C1), RATES)
        assert explanation.extra == 0


class TestRecommendPlanWithDemoData:
    def recommend(self, msisdn: str) -> Recommendation:
        customer = BILLING.customers[msisdn]
        return recommend_plan(customer, BILLING.plans, BILLING.history[msisdn], TODAY)

    def test_customer_1_keeps_p58(self) -> None:
        advice = self.recommend(C1)
        assert advice.plan.code == "P58"
        assert advice.keeps_current

    def test_customer_2_aged_73_gets_senior8(self) -> None:
        advice = self.recommend(C2)
        assert BILLING.customers[C2].age(TODAY) == 73
        assert advice.plan.code == "SENIOR8"
        assert advice.monthly_difference == Decimal("-80.00")

    def test_customer_3_gets_p58_and_saves_34_25(self) -> None:
        advice = self.recommend(C3)  # six months of overage, 92.25 a month on average
        assert advice.plan.code == "P58"
        assert advice.average_charge == Decimal("92.25")
        assert advice.monthly_difference == Decimal("-34.25")
        assert not advice.keeps_current

    def test_customer_4_gets_p88(self) -> None:
        assert self.recommend(C4).plan.code == "P88"

    def test_customer_5_gets_p38(self) -> None:
        advice = self.recommend(C5)
        assert advice.plan.code == "P38"
        assert advice.average_data_gb == Decimal("31.1") / 6
        assert advice.monthly_difference == Decimal("18.42")


def tiny_history() -> list[MonthlyUsage]:
    return [
        MonthlyUsage(f"2026-{m:02d}", Decimal("0.2"), 10, 1, Decimal("18.00")) for m in (8, 9, 10)
    ]


def customer_born(year: int) -> Customer:
    return Customer("+8613800000099", "测试", "Test", year, "zh", "P18", Decimal("10"))


class TestRecommendPlanRules:
    def test_under_60_with_tiny_usage_does_not_get_senior8(self) -> None:
        advice = recommend_plan(customer_born(1967), BILLING.plans, tiny_history(), TODAY)
        assert advice.plan.code == "P18"

    def test_exactly_60_by_birth_year_gets_senior8(self) -> None:
        advice = recommend_plan(customer_born(1966), BILLING.plans, tiny_history(), TODAY)
        assert advice.plan.code == "SENIOR8"

    def test_usage_beyond_every_plan_gets_the_largest(self) -> None:
        heavy = [MonthlyUsage("2026-10", Decimal("500"), 3000, 900, Decimal("900.00"))]
        advice = recommend_plan(customer_born(1990), BILLING.plans, heavy, TODAY)
        assert advice.plan.code == "P128"

    def test_needs_ten_percent_headroom(self) -> None:
        # 19 GB average needs 20.9 GB: P38's 20 GB is not enough.
        history = [MonthlyUsage("2026-10", Decimal("19"), 10, 1, Decimal("38.00"))]
        advice = recommend_plan(customer_born(1990), BILLING.plans, history, TODAY)
        assert advice.plan.code == "P58"

    def test_without_history_is_an_error(self) -> None:
        with pytest.raises(ValueError):
            recommend_plan(customer_born(1990), BILLING.plans, [], TODAY)
