"""Traditional Chinese: read as Simplified by the NLU, answered in Traditional by the NLG."""

from __future__ import annotations

import re

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.domain.script import (
    SIMPLIFIED,
    TRADITIONAL,
    detect_script,
    to_simplified,
    to_traditional,
)
from bot.rasa_ext.nlg import ScriptAwareNLG
from bot.rasa_ext.nlu.script_normalizer import ChineseScriptNormalizer

FIGURES = re.compile(r"[0-9]+(?:\.[0-9]+)?|[A-Z]+[0-9]+")


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("查詢餘額", TRADITIONAL),
        ("我的流量還剩多少？", TRADITIONAL),
        ("上個月的帳單", TRADITIONAL),
        ("查余额", SIMPLIFIED),
        ("流量还剩多少", SIMPLIFIED),
        ("套餐", None),  # the same in both scripts: the conversation keeps its script
        ("YE", None),
        ("how much data is left", None),
        ("", None),
    ],
)
def test_the_script_is_told_by_its_own_characters(text: str, script: str | None) -> None:
    assert detect_script(text) == script


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        ("查詢餘額", "查询余额"),
        ("我的帳單多少錢", "我的账单多少钱"),  # Taiwan's 帳 reads as the mainland's 账
        ("取消影片彩鈴", "取消视频彩铃"),
        ("轉人工", "转人工"),
        ("換成58元的套餐", "换成58元的套餐"),
    ],
)
def test_traditional_is_read_as_simplified(traditional: str, simplified: str) -> None:
    converted = to_simplified(traditional)
    assert converted == simplified and len(converted) == len(traditional)


REPLIES = [
    "您的余额为23.50元，本月已用流量12.3GB（80%）。",
    "确认将套餐从P18改为P38（38.00元/月），12月1日生效？回复1确认，2取消。",
    "您已欠费12.30元，请尽快充值。投诉单号TK2611290001已受理，我们将在48小时内回复。",
]


@pytest.mark.parametrize("variant", ["s2tw", "s2hk", "s2twp", "s2t"])
@pytest.mark.parametrize("reply", REPLIES)
def test_replies_in_traditional_keep_every_figure(reply: str, variant: str) -> None:
    converted = to_traditional(reply, variant)
    assert detect_script(converted) == TRADITIONAL
    assert FIGURES.findall(converted) == FIGURES.findall(reply)
    assert to_simplified(converted).replace("覆", "复") == reply or variant == "s2twp"


def test_an_unknown_variant_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown Traditional variant"):
        to_traditional("余额", "s2xx")


def test_the_component_reads_traditional_as_simplified() -> None:
    component = ChineseScriptNormalizer()
    messages = [Message({TEXT: "查詢餘額"}), Message({TEXT: "查余额"}), Message({TEXT: "YE"})]
    component.process(messages)
    assert [m.get(TEXT) for m in messages] == ["查询余额", "查余额", "YE"]
    assert all(not m.get(ENTITIES) for m in messages)  # nothing else is added


def test_traditional_training_examples_are_learnt_in_simplified() -> None:
    data = TrainingData([Message({TEXT: "查詢餘額", "intent": "check_balance"})])
    ChineseScriptNormalizer().process_training_data(data)
    assert data.training_examples[0].get(TEXT) == "查询余额"


DOMAIN = Domain.from_yaml(
    """
version: "3.1"
slots:
  language: {type: categorical, values: [zh, en], mappings: [{type: custom}]}
responses:
  utter_balance:
  - condition: [{type: slot, name: language, value: zh}]
    text: 您的余额为{balance}元。
    buttons: [{title: 查询账单, payload: /check_bill}]
  - text: Your balance is {balance} yuan.
"""
)


def tracker(language: str, said: list[str]) -> DialogueStateTracker:
    events = [SlotSet("language", language), *(UserUttered(text) for text in said)]
    return DialogueStateTracker.from_events("c", events, slots=DOMAIN.slots)


TRAD = ("您的餘額為23.50元。", "查詢賬單")
SIMP = ("您的余额为23.50元。", "查询账单")


@pytest.mark.parametrize(
    ("language", "said", "expected"),
    [
        ("zh", ["查詢餘額"], TRAD),
        ("zh", ["查詢餘額", "YE", "1"], TRAD),  # codes and digits keep the script
        ("zh", ["查詢餘額", "查余额"], SIMP),  # Simplified again: Simplified replies
        ("zh", ["套餐"], SIMP),  # nothing tells: the templates as written
        ("zh", [], SIMP),
        ("en", ["查詢餘額", "balance please"], ("Your balance is 23.50 yuan.", None)),
    ],
)
async def test_replies_follow_the_script_the_customer_writes(
    language: str, said: list[str], expected: tuple[str, str | None]
) -> None:
    nlg = ScriptAwareNLG(domain=DOMAIN)
    response = await nlg.generate("utter_balance", tracker(language, said), "sms", balance="23.50")
    assert response is not None
    titles = [b["title"] for b in response.get("buttons") or []]
    assert (response["text"], titles[0] if titles else None) == expected
