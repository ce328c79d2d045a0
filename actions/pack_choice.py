"""Choosing a data pack: the packs as buttons, the pack a payload or the customer's
words name, and whether the balance pays for it (``actions/packs.py`` asks and orders)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.unsure import question_text
from bot.billing.port import Customer, DataPack
from bot.domain.formatting import fmt_money
from bot.domain.packs import match_pack
from bot.domain.responses import render

PACK_ENTITY = "data_pack"
CHOOSE_INTENT = "choose_data_pack"
BUY_INTENT = "buy_data_pack"


def pack_buttons(packs: list[DataPack], domain: DomainDict, language: str) -> list[dict[str, Any]]:
    """One button per pack: its name and price; the payload chooses it by code."""
    return [
        {
            "title": render(
                domain,
                "utter_data_pack_button",
                language,
                name=pack.name(language),
                price=fmt_money(pack.price),
            ),
            "payload": f'/{CHOOSE_INTENT}{{"{PACK_ENTITY}":"{pack.code}"}}',
        }
        for pack in packs
    ]


def chosen_pack(tracker: Tracker, packs: list[DataPack]) -> DataPack | None:
    """The pack a button's payload or the customer's words name."""
    message = tracker.latest_message or {}
    for entity in message.get("entities") or []:
        if entity.get("entity") == PACK_ENTITY:
            code = str(entity.get("value", "")).upper()
            return next((p for p in packs if p.code == code), None)
    text = question_text(tracker, BUY_INTENT)  # after "did you mean …?": the question
    return None if not text or text.startswith("/") else match_pack(text, packs)


def affordable(customer: Customer, pack: DataPack, dispatcher: CollectingDispatcher) -> bool:
    """Whether the balance pays for ``pack``; if not, says why (arrears, or too little)."""
    if customer.balance < 0:
        dispatcher.utter_message(
            response="utter_data_pack_arrears", owed=fmt_money(-customer.balance)
        )
        return False
    if customer.balance < pack.price:
        dispatcher.utter_message(
            response="utter_data_pack_balance_low",
            balance=fmt_money(customer.balance),
            price=fmt_money(pack.price),
        )
        return False
    return True
