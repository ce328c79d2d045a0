"""Dialogue states computed once per conversation turn instead of once per prediction.

Every policy asks for the states of the whole conversation (``past_states``) on every
prediction, and Rasa 3.6 recomputes them from the first event each time: with the
project's tracker store handing out the same tracker across messages, the cost of a
message grew with the length of the conversation (a quarter of the Rasa server's CPU
after 60 messages; py-spy, docs/performance.md, "Where the time went").

``states_for_tracker_history`` below is Rasa's ``Domain.states_for_tracker_history``
(which ``DialogueStateTracker.past_states`` calls) with its loop state kept on the
tracker; the policies' featurizer (``bot.rasa_ext.tuning.policies``) uses it. A later
call with the same arguments on a tracker whose applied events extend the ones already
seen continues where the last call stopped. Anything else (a rewind, a restart, other
arguments) starts afresh. The applied events come from ``bot.rasa_ext.tuning.trackers``.
Callers get copies: policies edit the states they are given. ``recent_states`` copies
only the last few a policy reads (its ``max_history``, or the longest rule for the rule
policy), so a prediction costs the same at the 10th message and at the 500th.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from rasa.core.featurizers.tracker_featurizers import _is_prev_action_unlikely_intent_in_state
from rasa.shared.core.constants import PREVIOUS_ACTION, USER
from rasa.shared.core.domain import Domain, State, SubState
from rasa.shared.core.events import ActionExecuted, Event
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa_ext.tuning.trackers import applied_view

_ATTRIBUTE = "_project_states_progress"


@dataclass
class _Progress:
    """How far the states of one tracker (for one set of arguments) are computed."""

    domain: Domain
    replay: DialogueStateTracker  # a tracker with ``events`` applied
    events: list[Event] = field(default_factory=list)
    states: list[State] = field(default_factory=list)
    last_ml_action: SubState | None = None
    turn_was_hidden: bool = False

    def extended_by(self, applied: list[Event]) -> bool:
        seen = self.events
        return len(applied) >= len(seen) and all(
            a is b for a, b in zip(seen, applied, strict=False)
        )


def _step(
    domain: Domain,
    progress: _Progress,
    tracker: DialogueStateTracker,
    hide_rule_turn: bool,
    omit_unset_slots: bool,
    rule_only_data: dict[str, Any] | None,
    ignore_rule_only_turns: bool,
) -> None:
    """One iteration of Rasa's loop over the prior trackers (same code, same order)."""
    if ignore_rule_only_turns:
        if not progress.turn_was_hidden:
            progress.last_ml_action = domain._get_prev_action_sub_state(tracker)
        if not tracker.followup_action and tracker.latest_action_name != tracker.active_loop_name:
            progress.turn_was_hidden = hide_rule_turn
        if progress.turn_was_hidden:
            return
    state = domain.get_active_state(tracker, omit_unset_slots=omit_unset_slots)
    if ignore_rule_only_turns:
        domain._remove_rule_only_features(state, rule_only_data)
        if progress.states:
            domain._substitute_rule_only_user_input(state, progress.states[-1])
        if progress.last_ml_action:
            state[PREVIOUS_ACTION] = progress.last_ml_action
    progress.states.append(domain._clean_state(state))


def states_for_tracker_history(
    self: Domain,
    tracker: DialogueStateTracker,
    omit_unset_slots: bool = False,
    ignore_rule_only_turns: bool = False,
    rule_only_data: dict[str, Any] | None = None,
) -> list[State]:
    """``Domain.states_for_tracker_history``, continued from the previous call."""
    kept, final = _current(self, tracker, omit_unset_slots, ignore_rule_only_turns, rule_only_data)
    return [*(_copy_state(state) for state in kept), *final]


def recent_states(
    domain: Domain,
    tracker: DialogueStateTracker,
    count: int | None,
    skip_action_unlikely_intent: bool,
    ignore_rule_only_turns: bool = False,
    rule_only_data: dict[str, Any] | None = None,
) -> list[State]:
    """The last ``count`` (all when ``None``) of ``states_for_tracker_history``'s states,
    those after ``action_unlikely_intent`` left out first when asked (as Rasa's featurizer
    leaves them out before keeping its ``max_history``): only those are copied."""
    kept, final = _current(domain, tracker, False, ignore_rule_only_turns, rule_only_data)
    recent: list[State] = []
    for state in itertools.chain(final, reversed(kept)):
        if count is not None and len(recent) == count:
            break
        if skip_action_unlikely_intent and _is_prev_action_unlikely_intent_in_state(state):
            continue
        recent.append(state if final and state is final[0] else _copy_state(state))
    recent.reverse()
    return recent


def _current(
    domain: Domain,
    tracker: DialogueStateTracker,
    omit_unset_slots: bool,
    ignore_rule_only_turns: bool,
    rule_only_data: dict[str, Any] | None,
) -> tuple[list[State], list[State]]:
    """The kept states up to the last action (not to be changed) and, in a list of at
    most one, the state after the last event (the caller's own)."""
    key = (omit_unset_slots, ignore_rule_only_turns, _frozen(rule_only_data))
    progresses: dict[tuple[Any, ...], _Progress] = tracker.__dict__.setdefault(_ATTRIBUTE, {})
    applied = applied_view(tracker)
    progress = progresses.get(key)
    if progress is None or progress.domain is not domain or not progress.extended_by(applied):
        progress = _Progress(domain=domain, replay=tracker.init_copy())
    args = (omit_unset_slots, rule_only_data, ignore_rule_only_turns)
    for event in applied[len(progress.events) :]:
        if isinstance(event, ActionExecuted):
            _step(domain, progress, progress.replay, event.hide_rule_turn, *args)
        progress.replay.update(event)
        progress.events.append(event)
    progresses[key] = progress
    # The state after the last event, computed on a throw-away progress that holds only
    # the last kept state (the one ``_step`` reads).
    final = _Progress(
        domain=domain,
        replay=progress.replay,
        states=progress.states[-1:],
        last_ml_action=progress.last_ml_action,
        turn_was_hidden=progress.turn_was_hidden,
    )
    before = len(final.states)
    _step(domain, final, progress.replay, False, *args)
    if len(final.states) == before:
        return progress.states, []
    # Its sub-states may be the replay's own.
    return progress.states, [{name: dict(sub) for name, sub in final.states[-1].items()}]


def _frozen(rule_only_data: dict[str, Any] | None) -> tuple[Any, ...] | None:
    """A key for the rule-only slots and loops (RulePolicy passes a new dict each time)."""
    if rule_only_data is None:
        return None
    return tuple(sorted((name, tuple(values)) for name, values in rule_only_data.items()))


def _copy_state(state: State) -> State:
    """A state callers may change: Rasa 3.6's featurizers delete keys of the user
    sub-state (``_choose_last_user_input``, ``_remove_user_text_if_intent``); nothing
    else in its policies or featurizers changes a state, so the rest is shared."""
    copied = dict(state)
    if USER in copied:
        copied[USER] = dict(copied[USER])
    return copied
