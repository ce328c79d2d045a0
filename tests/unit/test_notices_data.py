"""The data notice's rules (pure): unusual use against the customer's own average, packs
bought this cycle in the allowance, the top-up way for who cannot buy a pack, and the
unusual-use explanation once per cycle."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from bot.domain.notice_kinds import NoticeKind
from bot.notices.due import (
    CustomerFacts,
    Notice,
    due_notices,
    related,
    unsent,
)
from bot.notices.pace import average_month, elapsed_share, unusual_ratio
from bot.notices.settings import NoticeSettings, load_notice_settings

SETTINGS = NoticeSettings()
C1 = "+8613800000001"
MID = dt.datetime(2026, 11, 15, 10, 0)  # half of November has passed
FACTOR = Decimal("1.5")


def facts(**changes: object) -> CustomerFacts:
    base: dict[str, object] = {
        "msisdn": C1,
        "language": "zh",
        "balance": Decimal("23.50"),
        "data_used_gb": Decimal("10.0"),
        "data_allowance_gb": Decimal("40.00"),
        "usual_data_gb": Decimal("20.0"),  # 10 GB by the middle of the month is usual
        "usual_months": 6,
        "cheapest_pack": Decimal("10.00"),
    }
    return CustomerFacts(**{**base, **changes})  # type: ignore[arg-type]


def data_notices(found: CustomerFacts, now: dt.datetime = MID) -> list[Notice]:
    return [n for n in due_notices(found, now, SETTINGS) if n.kind is NoticeKind.DATA]


class TestPace:
    def test_the_share_of_the_month_counts_today(self) -> None:
        assert elapsed_share(MID) == Decimal("0.5")
        assert elapsed_share(dt.datetime(2026, 2, 28, 23, 0)) == 1
        assert average_month([Decimal("4"), Decimal("6")]) == 5 and average_month([]) is None

    @pytest.mark.parametrize(
        ("used", "ratio"),
        [("2.9", None), ("3.0", "1.5"), ("3.6", "1.8"), ("9.0", "4.5")],
    )
    def test_use_against_the_average_prorated_to_the_day(
        self, used: str, ratio: str | None
    ) -> None:
        found = unusual_ratio(Decimal(used), Decimal("4"), MID, FACTOR)
        assert (str(found) if found is not None else None) == ratio

    def test_before_a_third_of_the_month_the_comparison_is_with_a_third(self) -> None:
        third = dt.datetime(2026, 11, 3, 9, 0)  # 10 % of the month: compared with a third
        # 2.9 GB is almost 5 times 10 % of 6 GB, but less than 1.5 times a third of it.
        assert unusual_ratio(Decimal("2.9"), Decimal("6"), third, FACTOR) is None
        assert str(unusual_ratio(Decimal("4.0"), Decimal("6"), third, FACTOR)) == "2.0"

    def test_no_history_no_average_or_little_use_is_never_unusual(self) -> None:
        assert unusual_ratio(Decimal("5"), None, MID, FACTOR) is None
        assert unusual_ratio(Decimal("5"), Decimal("0"), MID, FACTOR) is None
        assert unusual_ratio(Decimal("0.9"), Decimal("0.2"), MID, FACTOR) is None

    def test_the_factor_is_a_setting(self) -> None:
        assert SETTINGS.data_unusual_factor == FACTOR
        assert load_notice_settings({"NOTICE_DATA_UNUSUAL_FACTOR": "2"}).data_unusual_factor == 2


class TestUnusualUse:
    def test_unusual_below_80_percent_is_a_data_notice_of_its_own(self) -> None:
        [notice] = data_notices(facts(data_used_gb=Decimal("16")))  # 1.6 times, 40 %
        assert (notice.event, notice.intent, notice.cycle) == (
            "data_unusual",
            "EXTERNAL_notice_data",
            "2026-11",
        )
        assert notice.figures["notice_unusual"] == "1.6"
        assert notice.figures["notice_months"] == "6"
        assert notice.figures["notice_percent"] == "40"

    def test_usual_use_below_80_percent_says_nothing(self) -> None:
        assert data_notices(facts(data_used_gb=Decimal("14.9"))) == []

    def test_unusual_at_80_percent_is_one_notice_the_warning_with_the_explanation(self) -> None:
        [notice] = data_notices(facts(data_used_gb=Decimal("33")))
        assert notice.event == "data_warn" and notice.figures["notice_unusual"] == "3.3"

    def test_usual_at_80_percent_is_the_warning_alone(self) -> None:
        heavy = facts(data_used_gb=Decimal("33"), usual_data_gb=Decimal("60"))
        [notice] = data_notices(heavy)
        assert notice.event == "data_warn" and "notice_unusual" not in notice.figures


class TestPacks:
    def test_packs_bought_this_cycle_add_to_the_allowance_and_are_counted(self) -> None:
        usual = {"usual_data_gb": Decimal("70")}
        bought = {"packs_bought": 2, "pack_data_gb": Decimal("6.00"), **usual}
        # 35 GB of a 40 GB plan is 87 %, but of 46 GB with the packs 76 %: no notice.
        assert data_notices(facts(data_used_gb=Decimal("35"), **usual))[0].event == "data_warn"
        assert data_notices(facts(data_used_gb=Decimal("35"), **bought)) == []
        [notice] = data_notices(facts(data_used_gb=Decimal("37"), **bought))
        assert notice.figures["notice_limit"] == "46.0"
        assert notice.figures["notice_percent"] == "80"
        assert (notice.figures["notice_packs"], notice.figures["notice_pack_gb"]) == ("2", "6.0")

    def test_without_packs_there_is_no_pack_figure(self) -> None:
        [notice] = data_notices(facts(data_used_gb=Decimal("41")))
        assert "notice_packs" not in notice.figures

    @pytest.mark.parametrize(
        ("balance", "cheapest", "offer"),
        [
            ("23.50", "10.00", "packs"),
            ("10.00", "10.00", "packs"),
            ("9.99", "10.00", "top_up"),
            ("-12.30", "10.00", "top_up"),
            ("-0.01", None, "top_up"),
            ("0.00", None, "packs"),
        ],
    )
    def test_after_100_percent_packs_only_for_who_can_buy_one(
        self, balance: str, cheapest: str | None, offer: str
    ) -> None:
        price = Decimal(cheapest) if cheapest else None
        found = facts(data_used_gb=Decimal("41"), balance=Decimal(balance), cheapest_pack=price)
        [notice] = data_notices(found)
        assert notice.event == "data_full" and notice.figures["notice_follow_up"] == offer


class TestOncePerCycle:
    def key(self, event: str, cycle: str = "2026-11") -> str:
        return f"{C1}/{event}/{cycle}"

    def test_related_asks_about_every_data_event_of_the_cycle(self) -> None:
        due = data_notices(facts(data_used_gb=Decimal("16")))
        keys = {n.key for n in related(due)}
        assert {self.key(e) for e in ("data_unusual", "data_warn", "data_full")} <= keys

    def test_the_first_data_notice_carries_the_explanation(self) -> None:
        due = data_notices(facts(data_used_gb=Decimal("33")))
        assert unsent(due, {self.key("data_unusual", "2026-10")}) == due

    def test_after_the_unusual_notice_the_warning_comes_without_it(self) -> None:
        due = data_notices(facts(data_used_gb=Decimal("33")))
        [notice] = unsent(due, {self.key("data_unusual")})
        assert notice.event == "data_warn"
        assert "notice_unusual" not in notice.figures and "notice_months" not in notice.figures
        assert notice.figures["notice_percent"] == "82"

    def test_after_the_explained_warning_100_percent_comes_without_it(self) -> None:
        due = data_notices(facts(data_used_gb=Decimal("41")))
        [notice] = unsent(due, {self.key("data_warn")})
        assert notice.event == "data_full" and "notice_unusual" not in notice.figures

    def test_nothing_lower_after_a_higher_data_notice_of_the_cycle(self) -> None:
        unusual = data_notices(facts(data_used_gb=Decimal("16")))
        warn = data_notices(facts(data_used_gb=Decimal("33")))
        assert unsent(unusual, {self.key("data_warn")}) == []
        assert unsent(unusual, {self.key("data_unusual")}) == []
        # A pack bought after 100 % brings the use below it: no 80 % notice after that.
        assert unsent(warn, {self.key("data_full")}) == []

    def test_other_kinds_are_only_checked_against_their_own_key(self) -> None:
        low = due_notices(facts(balance=Decimal("2")), MID, SETTINGS)
        assert unsent(low, {self.key("data_warn")}) == low
        assert unsent(low, {low[0].key}) == []
