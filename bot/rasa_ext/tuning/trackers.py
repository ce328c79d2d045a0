"""A tracker whose applied events and copies do not replay the whole conversation.

``ProjectTracker`` is what the project's tracker store hands out
(``bot.rasa_ext.tracker_store``; Rasa's own ``DialogueStateTracker`` with
``RASA_TUNING=off`` or on another Rasa). Rasa 3.6 works out ``applied_events()`` (the
events left after rewinds, restarts and loop undos) from the first event on every call,
several times per prediction, and ``copy()`` replays every event into a new tracker
before each action runs: both grow with the conversation and together were a tenth of
the Rasa server's CPU under load (py-spy, docs/performance.md, "Where the time went").

* ``applied_events``: the result is kept on the tracker with how many events it
  covers; new events are folded in with Rasa's own rules. A new loop name (which
  changes how earlier events are read) or any change to the events already seen
  means working it out from the start, with Rasa's own code.
* ``copy``: a new tracker with the same events and the state those events produced
  (slots, latest message and action, loop, follow-up action, pause), with the
  mutable parts copied, which is what replaying gives. Trackers with a bounded event
  history are still replayed (replaying the kept events can differ from the state).

Copies are ``ProjectTracker`` too (``init_copy``), so the processor's copy of a tracker
before each action keeps the speed-ups. Its ``current_state`` with every event (the
action server's request body) encodes each event once (``payload``).
"""

from __future__ import annotations

import copy as copying
import dataclasses
import itertools
from collections import deque
from dataclasses import dataclass
from typing import Any

from rasa.shared.constants import DEFAULT_SENDER_ID
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

from bot.rasa_ext.tuning import payload

_RASA_APPLIED = DialogueStateTracker.applied_events
_RASA_COPY = DialogueStateTracker.copy
_ATTRIBUTE = "_project_applied"
_COPIED_AS_IS = ("_paused", "followup_action", "latest_message", "latest_bot_utterance")


@dataclass
class _Applied:
    count: int  # events folded in
    last: Event | None  # the last of them
    loop_names: set[str]
    events: list[Event]


def applied_view(tracker: DialogueStateTracker) -> list[Event]:
    """The applied events, kept up to date on the tracker (do not change the list)."""
    events = tracker.events
    kept: _Applied | None = tracker.__dict__.get(_ATTRIBUTE)
    if kept is not None and len(events) >= kept.count > 0 and events[kept.count - 1] is kept.last:
        new = list(itertools.islice(events, kept.count, None))
        if not any(_new_loop(e, kept.loop_names) for e in new):
            if new:
                kept.events = _fold(tracker, list(kept.events), new, kept.loop_names)
                kept.count, kept.last = len(events), events[-1]
            return kept.events
    loop_names = {e.name for e in events if isinstance(e, ActiveLoop) and e.name}
    applied = _RASA_APPLIED(tracker)
    last = events[-1] if events else None
    tracker.__dict__[_ATTRIBUTE] = _Applied(len(events), last, loop_names, applied)
    return applied


def _new_loop(event: Event, loop_names: set[str]) -> bool:
    return isinstance(event, ActiveLoop) and bool(event.name) and event.name not in loop_names


def _fold(
    tracker: DialogueStateTracker,
    applied: list[Event],
    new: list[Event],
    loop_names: set[str],
) -> list[Event]:
    """Rasa's ``applied_events`` loop, over the new events only."""
    for event in new:
        if isinstance(event, (Restarted, SessionStarted)):
            applied = []
        elif isinstance(event, ActionReverted):
            tracker._undo_till_previous(ActionExecuted, applied)
        elif isinstance(event, UserUtteranceReverted):
            tracker._undo_till_previous(UserUttered, applied)
            tracker._undo_till_previous(ActionExecuted, applied)
        elif (
            isinstance(event, ActionExecuted)
            and event.action_name in loop_names
            and not tracker._first_loop_execution_or_unhappy_path(event.action_name, applied)
        ):
            tracker._undo_till_previous_loop_execution(event.action_name, applied)
        else:
            applied.append(event)
    return applied


class ProjectTracker(DialogueStateTracker):
    """``DialogueStateTracker`` with its applied events kept and copies made without replay."""

    def applied_events(self) -> list[Event]:
        """Rasa's ``applied_events``: a fresh list, from the kept one."""
        return list(applied_view(self))

    def init_copy(self) -> ProjectTracker:
        """Rasa's ``init_copy``, of this class."""
        return ProjectTracker(
            self.sender_id or DEFAULT_SENDER_ID,
            self.slots.values(),
            self._max_event_history,
            is_rule_tracker=self.is_rule_tracker,
        )

    def copy(self) -> DialogueStateTracker:
        """Rasa's ``copy`` (a replay of every event), without the replay."""
        return copy_tracker(self)

    def current_state(
        self, event_verbosity: EventVerbosity = EventVerbosity.NONE
    ) -> dict[str, Any]:
        """Rasa's ``current_state``; with every event (the action server's body), the
        events encoded once each (``bot.rasa_ext.tuning.payload``)."""
        if event_verbosity is not EventVerbosity.ALL:
            return super().current_state(event_verbosity)
        state = super().current_state(EventVerbosity.NONE)
        state["events"] = payload.encoded_events(self)
        return state


def copy_tracker(self: DialogueStateTracker) -> DialogueStateTracker:
    """A copy equal to ``DialogueStateTracker.copy``'s, without replaying the events (a
    tracker with a bounded history, or of another class, is replayed as Rasa does)."""
    if self._max_event_history is not None or type(self) not in LIVE:
        return _RASA_COPY(self)
    duplicate = self.init_copy()
    duplicate.events = deque(self.events)
    for name, slot in self.slots.items():
        twin = duplicate.slots[name]
        twin._value, twin._has_been_set = slot._value, slot._has_been_set
    for name in _COPIED_AS_IS:
        setattr(duplicate, name, getattr(self, name))
    duplicate.latest_action = copying.copy(self.latest_action)
    duplicate.active_loop = copying.copy(self.active_loop)
    applied: _Applied | None = self.__dict__.get(_ATTRIBUTE)
    if applied is not None:  # its own record: each tracker moves its own on
        duplicate.__dict__[_ATTRIBUTE] = dataclasses.replace(applied)
    payload.carry_over(self, duplicate)
    return duplicate


# The trackers the states and copies of this package are for: those of a live
# conversation (Rasa's training trackers, ``TrackerWithCachedStates``, keep their own).
LIVE = (DialogueStateTracker, ProjectTracker)
