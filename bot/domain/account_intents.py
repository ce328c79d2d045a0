"""Intents whose answer shows the customer's account data or changes their account.

Nothing is shown or changed on a guess: the actions ask first ("did you mean …?") when
the message was read with little confidence (``actions/unsure.py``), so their buttons
send these intents (allowed on Telegram and web chat, ``bot/channels/telegram/protocol.py``),
and the held-out evaluation counts them.
"""

from __future__ import annotations

ACCOUNT_INTENTS = frozenset(
    {"check_balance", "check_usage", "check_bill", "current_plan", "list_subscriptions"}
)
# Requests that change something (after a confirmation, or at once for notice settings).
STATE_CHANGE_INTENTS = frozenset(
    {"notice_opt_out", "notice_opt_in", "unsubscribe", "change_plan", "buy_data_pack"}
)
ASK_FIRST_INTENTS = ACCOUNT_INTENTS | STATE_CHANGE_INTENTS
# The action that answers each; an account intent's is ``action_<intent>``.
_ACTIONS = {
    "notice_opt_out": "action_set_notices",
    "notice_opt_in": "action_set_notices",
    "unsubscribe": "action_propose_unsubscribe",
    "change_plan": "action_propose_plan_change",
    "buy_data_pack": "action_offer_data_packs",
}


def action_of(intent: str) -> str:
    """The action that answers ``intent`` (``check_bill`` -> ``action_check_bill``)."""
    return _ACTIONS.get(intent, f"action_{intent}")
