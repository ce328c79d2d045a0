"""Notice codes and words: which kinds a customer's code or sentence names."""

from __future__ import annotations

import pytest

from bot.domain.commands import COMMANDS, parse_command
from bot.domain.notice_kinds import NoticeKind
from bot.domain.notice_words import ALL_KINDS, codes_for, kinds_meant, notice_code

BALANCE, DATA, BILL = NoticeKind.BALANCE, NoticeKind.DATA, NoticeKind.BILL
OFFER = NoticeKind.OFFER


class TestCodes:
    def test_every_notice_code_is_a_command_of_its_intent(self) -> None:
        codes = {code: intent for code, intent in COMMANDS.items() if "notice" in intent}
        assert len(codes) == 10
        for code, intent in codes.items():
            parsed = notice_code(code)
            assert parsed is not None, code
            assert parsed[0] == (intent == "notice_opt_in")
            assert codes_for(parsed[0], parsed[1]) == [code]

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("QXTX", (False, ALL_KINDS)),
            ("kttx", (True, ALL_KINDS)),
            ("  QxLlTx ", (False, {DATA})),
            ("ＫＴＹＥＴＸ", (True, {BALANCE})),
            ("QXZDTX", (False, {BILL})),
            ("qxyhtx", (False, {OFFER})),
            ("KTYHTX", (True, {OFFER})),
        ],
    )
    def test_codes_in_any_case_and_width(
        self, text: str, expected: tuple[bool, frozenset[NoticeKind]]
    ) -> None:
        assert notice_code(text) == expected
        command = parse_command(text)
        assert command is not None
        assert command.intent == ("notice_opt_in" if expected[0] else "notice_opt_out")

    @pytest.mark.parametrize("text", ["QXLLTX please", "QX", "TX", "QXABTX", "", None])
    def test_anything_else_is_no_code(self, text: str | None) -> None:
        assert notice_code(text) is None

    def test_two_kinds_give_two_codes_in_kind_order(self) -> None:
        assert codes_for(True, frozenset({BILL, BALANCE})) == ["KTYETX", "KTZDTX"]


class TestWords:
    @pytest.mark.parametrize(
        ("text", "kinds"),
        [
            ("不要再发流量提醒了", {DATA}),
            ("别再给我发余额提醒", {BALANCE}),
            ("流量提醒关掉", {DATA}),
            ("重新开启流量提醒", {DATA}),
            ("欠费了请发短信提醒我", {BALANCE}),
            ("別再寄帳單簡訊給我", {BILL}),  # Traditional, read in Simplified
            ("數據用量提醒不需要了", {DATA}),
            ("唔使再提醒我交費", {BALANCE}),
            ("帮我把流量和余额提醒都关了", {DATA, BALANCE}),
            ("stop the data alerts", {DATA}),
            ("no more bill texts pls", {BILL}),
            ("turn balance reminders back on", {BALANCE}),
            ("stop reminding me to top up", {BALANCE}),
            ("no more statement notifications", {BILL}),
            ("pls stop the data and balance reminders", {DATA, BALANCE}),
            ("不要再给我推荐套餐了", {OFFER}),
            ("優惠推薦的短信別發了", {OFFER}),  # Traditional
            ("don't send me offers", {OFFER}),
            ("no more promotions please", {OFFER}),
        ],
    )
    def test_named_kinds(self, text: str, kinds: set[NoticeKind]) -> None:
        assert kinds_meant(text) == kinds

    @pytest.mark.parametrize(
        "text", ["关提醒", "stop all reminders", "別再傳了", "/notice_opt_out"]
    )
    def test_no_kind_named_means_every_kind(self, text: str) -> None:
        assert kinds_meant(text) == ALL_KINDS

    def test_words_inside_other_words_do_not_count(self) -> None:
        assert kinds_meant("stop the billboard dataset alerts") == ALL_KINDS
