"""Slips of voice input and typing, services named like notices, what is not ours."""

from __future__ import annotations

import pytest

from bot.domain.catalogue import services_named, talks_of_a_service
from bot.domain.elsewhere import about_something_else
from bot.domain.fuzzy import named_in
from bot.rasa_ext.nlu.named_things import resolved
from bot.rasa_ext.nlu.pinyin import pinyin_features


def sounds(text: str) -> set[str]:
    return {feature for _, _, feature in pinyin_features(text)}


def test_a_homophone_sounds_like_the_word_meant() -> None:
    assert sounds("余额") == sounds("于额") == {"py:yu_e", "pi:y_e"}
    assert sounds("話費") == sounds("化费")  # Traditional too
    assert "py:liu_liang" in sounds("我的留量")


def test_pinyin_initials_share_features_with_the_words() -> None:
    assert {"pi:h_f"} <= sounds("hf") and "pi:h_f" in sounds("话费")
    assert "pi:c_x" in sounds("cx") and "pi:c_x" in sounds("查询")


def test_features_keep_their_place_in_the_text() -> None:
    text = "你好，查余额"
    for start, end, _ in pinyin_features(text):
        assert 0 <= start < end <= len(text)
    assert all(start >= 3 for start, _, f in pinyin_features(text) if f == "py:yu_e")


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("取消来电题醒", {"MCR"}),  # heard, not written
        ("我不要來電顯示了", {"CLIP"}),
        ("cancel the ringbak tone", {"VRBT"}),
        ("caller id dispaly off", {"CLIP"}),
        ("视频采铃退了", {"VRBT"}),
        ("查余额", set()),
        ("what about my bill", set()),
    ],
)
def test_services_are_named_despite_slips(text: str, codes: set[str]) -> None:
    assert services_named(text) == codes


def test_a_name_with_a_figure_is_matched_only_exactly() -> None:
    assert not named_in("畅享88元套餐", "我要畅享58元套餐")
    assert not named_in("max 88", "switch to max 58")
    assert named_in("senior care", "switch me to senor care")


@pytest.mark.parametrize(
    ("intent", "text", "meant"),
    [
        ("notice_opt_out", "帮我把来电提醒取消掉", "unsubscribe"),
        ("notice_opt_out", "stop the SMS reminder service, it's 3 a month", "unsubscribe"),
        ("notice_opt_out", "不要再发流量提醒了", "notice_opt_out"),
        ("stop", "stop the ringtone", "unsubscribe"),
        ("notice_status", "do i still have caller id display", "list_subscriptions"),
        ("check_balance", "我銀行戶口仲有幾多餘額", "out_of_scope"),
        ("check_balance", "how much is left on my octopus", "out_of_scope"),
        ("check_balance", "还有多少余额", "check_balance"),
        ("list_plans", "SmarTone有冇學生計劃", "out_of_scope"),
        ("list_plans", "有冇比SmarTone平嘅計劃，你哋", "list_plans"),
        ("file_complaint", "快递员把我包裹弄丢了 我要投诉他", "out_of_scope"),
        ("file_complaint", "I want to complain about my landlord", "out_of_scope"),
        ("file_complaint", "你们营业员态度太差，我要投诉", "file_complaint"),
        ("file_complaint", "the courier said your signal is bad here too", "file_complaint"),
    ],
)
def test_what_a_message_names_settles_a_half_read_intent(
    intent: str, text: str, meant: str
) -> None:
    assert resolved(intent, text) == meant


def test_reminders_as_paid_services() -> None:
    assert talks_of_a_service("短信提醒业务取消") and not talks_of_a_service("流量提醒别发了")
    assert about_something_else("recommend_plan", "china unicom's best plan") is True
