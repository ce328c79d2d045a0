"""What is not ours: other operators' plans, other wallets' balances, other people.

"SmarTone有冇學生計劃" asks about another operator's plans and "我八達通仲有幾多錢" about a
transit card's balance; the classifier hears "plans" and "balance". A question of that
kind that names something of somebody else's is out of scope: never answered with our
plans or the customer's account. "快递员把我包裹弄丢了，我要投诉他" is a complaint about
somebody else, out of scope too, unless it also names something of ours (signal,
bill, our shop). Text is read in Simplified (``bot.domain.script``).
"""

from __future__ import annotations

import re

from bot.domain.catalogue import has_word
from bot.domain.script import to_simplified

OTHER_OPERATORS = (
    "中国移动",
    "中国联通",
    "联通",
    "中国电信",
    "广电",
    "中华电信",
    "台湾大哥大",
    "远传",
    "亚太电信",
    "台湾之星",
    "数码通",
    "csl",
    "cmhk",
    "smartone",
    "3hk",
    "china mobile",
    "china unicom",
    "unicom",
    "china telecom",
    "verizon",
    "at&t",
    "t-mobile",
    "vodafone",
    "chunghwa",
    "taiwan mobile",
    "fareastone",
    "hkt",
    "1010",
)
OTHER_WALLETS = (
    "银行",
    "银行卡",
    "信用卡",
    "储蓄卡",
    "八达通",
    "悠游卡",
    "一卡通",
    "交通卡",
    "公交卡",
    "地铁卡",
    "饭卡",
    "校园卡",
    "支付宝",
    "余额宝",
    "微信钱包",
    "微信零钱",
    "游戏币",
    "点卡",
    "q币",
    "礼品卡",
    "会员卡",
    "bank",
    "credit card",
    "debit card",
    "octopus",
    "easycard",
    "transit card",
    "metro card",
    "oyster",
    "alipay",
    "wechat pay",
    "paypal",
    "gift card",
    "steam wallet",
    "game credits",
    "game wallet",
    "nature",
    "payroll",
    "savings",
)
THIRD_PARTIES = (
    "快递",
    "外卖",
    "邻居",
    "房东",
    "物业",
    "中介",
    "老板",
    "同事",
    "老师",
    "司机",
    "网约车",
    "滴滴",
    "餐厅",
    "饭店",
    "商家",
    "淘宝",
    "京东",
    "航空",
    "医院",
    "保安",
    "装修",
    "courier",
    "delivery",
    "neighbour",
    "neighbor",
    "landlord",
    "roommate",
    "boss",
    "coworker",
    "teacher",
    "driver",
    "uber",
    "restaurant",
    "airline",
    "taxi",
    "amazon",
    "plumber",
    "hotel",
)
OPERATOR_WORDS = (
    "信号",
    "网络",
    "网速",
    "上网",
    "流量",
    "话费",
    "账单",
    "扣费",
    "套餐",
    "营业厅",
    "门店",
    "客服",
    "营业员",
    "宽带",
    "短信",
    "通话",
    "号码",
    "手机卡",
    "基站",
    "你们",
    "你哋",
    "signal",
    "network",
    "coverage",
    "data",
    "bill",
    "charge",
    "plan",
    "your shop",
    "your store",
    "your staff",
    "customer service",
    "broadband",
    "sim",
    "your",
)
COMPLAINT_INTENT = "file_complaint"
# Words that make it ours again: "你们" / "your" in "比你们的便宜".
_OURS = re.compile(r"你们|你哋|贵公司|本公司|\byour\b|\byou guys\b|\bwith you\b", re.IGNORECASE)
PLAN_INTENTS = frozenset({"list_plans", "ask_plan_info", "recommend_plan"})
BALANCE_INTENT = "check_balance"


def _names(text: str, words: tuple[str, ...]) -> bool:
    return any(has_word(text, word) for word in words)


def about_something_else(intent: str, text: str) -> bool:
    """Whether a plan or balance question is about another operator or another wallet, or
    a complaint about somebody else."""
    lowered = to_simplified(text).lower()
    if intent in PLAN_INTENTS:
        return _names(lowered, OTHER_OPERATORS) and not _OURS.search(lowered)
    if intent == BALANCE_INTENT:
        return _names(lowered, OTHER_WALLETS)
    if intent == COMPLAINT_INTENT:
        return _names(lowered, THIRD_PARTIES) and not _names(lowered, OPERATOR_WORDS)
    return False
