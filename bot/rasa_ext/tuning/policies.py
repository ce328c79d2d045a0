"""Rasa's memoization and rule policies with the project's speed-ups, named in config.yml.

Registered with Rasa's recipe (``DefaultV1Recipe.register``), they train exactly as
Rasa's own (nothing trained is changed) and, once loaded, predict the same:

* ``IncrementalStatesFeaturizer`` (both policies): the dialogue states of a live
  conversation continued from the previous prediction (``states``) instead of
  recomputed from the first event, on every prediction of every policy.
* ``RememberingRulePolicy``: the rule look-up answered from memory for recent states
  seen before (``rules``), and its debug description of the states made only when
  debug lines are logged (``debuglog``). Once loaded it reads only as many recent
  states as its longest rule has, plus one: the look-up's answer is the same (Rasa lets
  every rule pass further back than it is long), and the text key Rasa makes of the
  states when no rule applies, longer than any rule's, is still in none of its tables
  (the one use of that key is such a membership test).

With ``RASA_TUNING=off``, or on a Rasa other than the pinned one (``setting``), each
falls back to Rasa's own code.
"""

from __future__ import annotations

from typing import Any

from rasa.core.constants import POLICY_MAX_HISTORY
from rasa.core.featurizers.tracker_featurizers import (
    MaxHistoryTrackerFeaturizer,
    TrackerFeaturizer,
)
from rasa.core.policies.memoization import MemoizationPolicy
from rasa.core.policies.rule_policy import RulePolicy
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.domain import Domain, State
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa_ext.tuning import debuglog, rules, states
from bot.rasa_ext.tuning.setting import tuned
from bot.rasa_ext.tuning.trackers import LIVE

_RASA_CREATE_STATES = MaxHistoryTrackerFeaturizer._create_states


@TrackerFeaturizer.register("IncrementalStatesFeaturizer")
class IncrementalStatesFeaturizer(MaxHistoryTrackerFeaturizer):
    """``MaxHistoryTrackerFeaturizer`` with each live tracker's states kept between calls.

    For prediction it copies only the states its policy reads: the last ``max_history``
    (what Rasa's own slices), or with none the last ``window`` (set on a loaded
    ``RememberingRulePolicy``: one more than its longest rule). Training trackers (Rasa's
    ``TrackerWithCachedStates``, which keep states their own way) get Rasa's code.
    """

    window: int | None = None

    @staticmethod
    def _create_states(
        tracker: DialogueStateTracker,
        domain: Domain,
        omit_unset_slots: bool = False,
        ignore_rule_only_turns: bool = False,
        rule_only_data: dict[str, Any] | None = None,
    ) -> list[State]:
        arguments = (omit_unset_slots, ignore_rule_only_turns, rule_only_data)
        if type(tracker) in LIVE and tuned():
            return states.states_for_tracker_history(domain, tracker, *arguments)
        return _RASA_CREATE_STATES(tracker, domain, *arguments)

    def prediction_states(
        self,
        trackers: list[DialogueStateTracker],
        domain: Domain,
        use_text_for_last_user_input: bool = False,
        ignore_rule_only_turns: bool = False,
        rule_only_data: dict[str, Any] | None = None,
        ignore_action_unlikely_intent: bool = False,
    ) -> list[list[State]]:
        """Rasa's ``prediction_states``, copying only the recent states read."""
        if not tuned() or any(type(tracker) not in LIVE for tracker in trackers):
            return super().prediction_states(
                trackers,
                domain,
                use_text_for_last_user_input,
                ignore_rule_only_turns,
                rule_only_data,
                ignore_action_unlikely_intent,
            )
        count = self.max_history or self.window or None
        found = [
            states.recent_states(
                domain,
                tracker,
                count,
                ignore_action_unlikely_intent,
                ignore_rule_only_turns,
                rule_only_data,
            )
            for tracker in trackers
        ]
        self._choose_last_user_input(found, use_text_for_last_user_input)
        return found


def _featurizer(policy: MemoizationPolicy) -> MaxHistoryTrackerFeaturizer:
    """What ``MemoizationPolicy._standard_featurizer`` makes, incremental."""
    return IncrementalStatesFeaturizer(None, max_history=policy.config[POLICY_MAX_HISTORY])


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class IncrementalMemoizationPolicy(MemoizationPolicy):
    """Rasa's ``MemoizationPolicy`` with ``IncrementalStatesFeaturizer``."""

    def _standard_featurizer(self) -> MaxHistoryTrackerFeaturizer:
        return _featurizer(self)


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class RememberingRulePolicy(RulePolicy):
    """Rasa's ``RulePolicy`` with ``IncrementalStatesFeaturizer`` and kept rule look-ups."""

    format_tracker_states = staticmethod(debuglog.format_tracker_states)

    def _standard_featurizer(self) -> MaxHistoryTrackerFeaturizer:
        return _featurizer(self)

    @classmethod
    def load(cls, *args: Any, **kwargs: Any) -> RememberingRulePolicy:
        """Rasa's ``load``; the loaded policy keeps its look-up answers (when ``tuned``)."""
        policy = super().load(*args, **kwargs)
        assert isinstance(policy, RememberingRulePolicy)
        if tuned():
            setattr(policy, rules.ATTRIBUTE, {})
            if isinstance(policy.featurizer, IncrementalStatesFeaturizer):
                policy.featurizer.window = rules.longest_rule(policy) + 1
        return policy

    def _get_possible_keys(self, lookup: dict[str, Any], states: list[State]) -> set[str]:
        return rules.get_possible_keys(self, lookup, states)
