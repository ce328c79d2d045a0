"""Digressions, declared once: questions answered in passing while the bot waits for an
answer (a form's question, a confirmation), and how the bot then asks again.

``bot.rasa_ext.answers.digressions.DigressionPolicy`` follows these declarations (one
policy instead of a rule per question and per context); the actions read the same
intents (``actions/digressions.py``), and the multi-request policy resumes the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.domain.confirmations import CONFIRMATIONS, DATA_PACK

# The action that answers each question asked in passing (SMS codes such as YE, LL, TC,
# ZD, 0000 and HELP map to these intents).
ANSWERS: Mapping[str, str] = {
    "check_balance": "action_check_balance",
    "check_usage": "action_check_usage",
    "check_bill": "action_check_bill",
    "current_plan": "action_current_plan",
    "list_plans": "action_list_plans",
    "ask_plan_info": "action_plan_info",
    "list_subscriptions": "action_list_subscriptions",
    "complaint_status": "action_complaint_status",
    "command_help": "utter_command_list",
    "ask_capabilities": "utter_menu",
}
INFORMATIONAL_INTENTS = frozenset(ANSWERS)
# While a list of data packs waits for a number, only these: a number answers the list,
# and the plan questions would bury it.
DATA_PACK_DIGRESSIONS = frozenset({"check_balance", "check_usage", "command_help"})

# Forms whose question is asked again (by running the form) after a question in passing.
FORMS = frozenset({"complaint_form", "phone_verification_form"})


@dataclass(frozen=True)
class PendingQuestion:
    """A question an action asked: what asks it again, and what may be asked meanwhile."""

    ask_again: str
    allowed: frozenset[str] = INFORMATIONAL_INTENTS


# The action that asked (the bot's last before the customer's message) -> how to go on:
# every confirmation flow's questions, and the complaint read back before filing.
PENDING_QUESTIONS: Mapping[str, PendingQuestion] = {
    **{
        asked: PendingQuestion(
            flow.ask_again,
            DATA_PACK_DIGRESSIONS if flow.kind == DATA_PACK else INFORMATIONAL_INTENTS,
        )
        for flow in CONFIRMATIONS
        for asked in sorted(flow.asked_by)
    },
    "action_ask_complaint_confirmation": PendingQuestion("action_ask_complaint_confirmation"),
}
