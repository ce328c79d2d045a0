"""The confirmation flows, declared once: plan change, unsubscribe, data pack order.

Each asks a question about a proposal recorded on the server (its id in a slot), may ask
it again after a question answered in passing, and is confirmed or cancelled by the
customer's next answer. The actions (``actions/confirmation.py`` and one module per
journey), the confirmation and digression policies (``bot/rasa_ext/answers/``) and the
proposals store read these declarations; nothing else names the actions or slots.
"""

from __future__ import annotations

from dataclasses import dataclass

# Proposal kinds (``bot.state.proposals``).
PLAN_CHANGE = "plan_change"
UNSUBSCRIBE = "unsubscribe"
DATA_PACK = "data_pack"


@dataclass(frozen=True)
class Confirmation:
    """One confirmation flow: its proposal kind, slot, actions and replies."""

    kind: str
    pending_slot: str  # the id of the recorded proposal, never a plan or service code
    propose: str  # asks first
    ask_again: str  # asks again (after a question in passing, or with new terms)
    confirm: str  # a yes: places the order
    cancel: str  # a no, or stop
    cancelled: str  # the response that says nothing was done

    @property
    def asked_by(self) -> frozenset[str]:
        """The actions after which a yes or no answers this flow's question."""
        return frozenset({self.propose, self.ask_again})


PLAN_CHANGE_FLOW = Confirmation(
    kind=PLAN_CHANGE,
    pending_slot="pending_plan",
    propose="action_propose_plan_change",
    ask_again="action_reask_plan_change",
    confirm="action_change_plan",
    cancel="action_cancel_plan_change",
    cancelled="utter_plan_change_cancelled",
)
UNSUBSCRIBE_FLOW = Confirmation(
    kind=UNSUBSCRIBE,
    pending_slot="pending_unsubscribe",
    propose="action_propose_unsubscribe",
    ask_again="action_reask_unsubscribe",
    confirm="action_unsubscribe",
    cancel="action_cancel_unsubscribe",
    cancelled="utter_unsubscribe_cancelled",
)
DATA_PACK_FLOW = Confirmation(
    kind=DATA_PACK,
    pending_slot="pending_data_pack",
    propose="action_propose_data_pack",
    ask_again="action_reask_data_pack",
    confirm="action_order_data_pack",
    cancel="action_cancel_data_pack",
    cancelled="utter_data_pack_cancelled",
)
CONFIRMATIONS = (PLAN_CHANGE_FLOW, UNSUBSCRIBE_FLOW, DATA_PACK_FLOW)
# The customer's answers to a confirmation question, and what each does.
CONFIRMING_INTENTS = frozenset({"affirm"})
CANCELLING_INTENTS = frozenset({"deny", "stop"})
