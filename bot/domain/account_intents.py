"""Intents whose answer shows the customer's account data.

An out-of-scope message must never get one of these answers on a guess: the actions ask
first when the message was read with little confidence (``actions/unsure.py``), so their
"did you mean …?" buttons send these intents (allowed on Telegram and web chat,
``bot/channels/telegram/protocol.py``), and the held-out evaluation counts them.
"""

from __future__ import annotations

ACCOUNT_INTENTS = frozenset(
    {"check_balance", "check_usage", "check_bill", "current_plan", "list_subscriptions"}
)
