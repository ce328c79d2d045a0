"""What the answer policies share: the bot's pending buttons, and a policy with nothing
to learn that ranks above the rule policy.

Some of the bot's questions are not steps a rule can follow: the desk appends the
satisfaction prompt to the conversation, and an account action asks "did you mean …?"
in place of its answer. A customer who answers them in words instead of pressing a
button is understood by looking at the buttons the bot sent since the customer's
previous message.
"""

from __future__ import annotations

from typing import Any

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker


def pending_payloads(tracker: DialogueStateTracker) -> list[str]:
    """Payloads of the buttons the bot sent between the customer's last two messages."""
    payloads: list[str] = []
    seen_latest = False
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            if seen_latest:
                break
            seen_latest = True
        elif seen_latest and isinstance(event, BotUttered):
            buttons = (event.data or {}).get("buttons") or []
            payloads += [str(b.get("payload", "")) for b in buttons]
    return payloads


# Actions Rasa runs by itself; never the question a message answers.
_AUTOMATIC = frozenset({ACTION_LISTEN_NAME, "action_extract_slots", "action_unlikely_intent"})


def asked_before(tracker: DialogueStateTracker) -> str | None:
    """The bot's last action before the customer's latest message (its pending question)."""
    seen_message = False
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            if seen_message:
                return None
            seen_message = True
        elif (
            seen_message
            and isinstance(event, ActionExecuted)
            and event.action_name not in _AUTOMATIC
        ):
            return str(event.action_name)
    return None


def latest_intent(tracker: DialogueStateTracker) -> str | None:
    message = tracker.latest_message
    return (message.intent or {}).get("name") if message is not None else None


class AnswerPolicy(Policy):
    """A policy without training, above ``RulePolicy`` (priority 6): certain of the action
    ``answer`` names for the latest message, then of listening (no rule follows it)."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"priority": 7}

    def answer(self, tracker: DialogueStateTracker) -> str | None:
        """The action the latest message stands for, or None to leave it to the others."""
        raise NotImplementedError

    def train(
        self,
        training_trackers: list[TrackerWithCachedStates],
        domain: Domain,
        **kwargs: Any,
    ) -> Resource:
        """Nothing to learn; an empty resource so that the policy loads."""
        with self._model_storage.write_to(self._resource):
            pass
        return self._resource

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        """Certain of ``next_action``, silent without one."""
        probabilities = self._default_predictions(domain)
        action = self.next_action(tracker)
        if action is not None and action in domain.action_names_or_texts:
            probabilities[domain.index_for_action(action)] = 1.0
        return self._prediction(probabilities)

    def next_action(self, tracker: DialogueStateTracker) -> str | None:
        """The answer's action after the customer's message, listening after the action."""
        action = self.answer(tracker)
        if action is None:
            return None
        if tracker.latest_action_name == ACTION_LISTEN_NAME:
            return action
        return ACTION_LISTEN_NAME if tracker.latest_action_name == action else None


def done_since_message(tracker: DialogueStateTracker) -> list[str]:
    """The actions run since the customer's latest message, in order."""
    done: list[str] = []
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, ActionExecuted) and event.action_name not in _AUTOMATIC:
            done.append(str(event.action_name))
    return done[::-1]


def following(steps: list[str], tracker: DialogueStateTracker) -> str | None:
    """The next of ``steps`` after what ran since the customer's message, listening once
    they are done; None without steps or when the conversation left them (a form took
    over, a handoff paused it, another action ran)."""
    if not steps:
        return None
    done = done_since_message(tracker)
    if done != steps[: len(done)]:
        return None
    return steps[len(done)] if len(done) < len(steps) else ACTION_LISTEN_NAME


class PlanPolicy(AnswerPolicy):
    """An answer policy that follows a plan of several actions for the latest message,
    whatever ran just before (``plan``: none, to leave the message to the others)."""

    def plan(self, tracker: DialogueStateTracker) -> list[str]:
        """The actions that answer the latest message, in order."""
        raise NotImplementedError

    def answer(self, tracker: DialogueStateTracker) -> str | None:
        return following(self.plan(tracker), tracker)

    def next_action(self, tracker: DialogueStateTracker) -> str | None:
        """The plan's next step (listening included)."""
        return following(self.plan(tracker), tracker)
