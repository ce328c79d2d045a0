"""A tracker's events for the action server, encoded once each instead of on every call.

Before every custom action Rasa 3.6 sends the action server the whole conversation:
``current_state(EventVerbosity.ALL)`` turns every event into a dict and the request
body encodes them all to JSON again, a cost that grows with the conversation (py-spy on
long conversations, docs/performance.md). ``ProjectTracker.current_state`` hands out
``encoded_events``: Rasa's event dicts, each made and encoded once and kept on the
tracker (and carried over to its copies: Rasa runs each action on a copy), as a
``fastjson.Encoded`` list whose JSON text ``bot.rasa_ext.fastjson`` writes as it is.

The one change Rasa makes to an event once it is in a tracker is to the latest
message: ``EntitiesAdded`` appends entities to it (``DefinePrevUserUtteredFeaturization``
changes a flag that is not in its dict). Each kept message's entity count is checked
on every call and a message whose count changed is encoded again. The dicts are shared
between calls: callers only read them (Rasa's own action call and HTTP API do).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rasa.shared.core.events import Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa_ext import fastjson

_ATTRIBUTE = "_project_encoded_events"


@dataclass
class _Kept:
    """The first ``len(events)`` events of a tracker, as dicts and as JSON text."""

    events: list[Event] = field(default_factory=list)
    dicts: list[dict[str, Any]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    messages: list[tuple[int, int]] = field(default_factory=list)  # (index, entities)

    def follows(self, events: Any) -> bool:
        """Whether the kept events are where they were in ``events``."""
        count = len(self.events)
        return count <= len(events) and (count == 0 or events[count - 1] is self.events[-1])

    def copied(self) -> _Kept:
        return _Kept(list(self.events), list(self.dicts), list(self.texts), list(self.messages))

    def add(self, event: Event) -> None:
        if isinstance(event, UserUttered):
            self.messages.append((len(self.events), len(event.entities)))
        self.events.append(event)
        self.dicts.append({})
        self.texts.append("")
        self._encode(len(self.events) - 1)

    def refresh_messages(self) -> None:
        """Encode again each kept message whose entities changed since."""
        for place, (index, entities) in enumerate(self.messages):
            message = self.events[index]
            assert isinstance(message, UserUttered)
            if len(message.entities) != entities:
                self.messages[place] = (index, len(message.entities))
                self._encode(index)

    def _encode(self, index: int) -> None:
        data = self.events[index].as_dict()
        self.dicts[index] = data
        self.texts[index] = fastjson.dumps(data)


def encoded_events(tracker: DialogueStateTracker) -> fastjson.Encoded:
    """Rasa's ``[event.as_dict() for event in tracker.events]``, with its JSON text."""
    kept = _brought_up_to_date(tracker)
    return fastjson.Encoded(kept.dicts, "[" + ",".join(kept.texts) + "]")


def _brought_up_to_date(tracker: DialogueStateTracker) -> _Kept:
    events = tracker.events
    kept: _Kept | None = tracker.__dict__.get(_ATTRIBUTE)
    if kept is None or not kept.follows(events):
        kept = tracker.__dict__[_ATTRIBUTE] = _Kept()
    kept.refresh_messages()
    for index in range(len(kept.events), len(events)):
        kept.add(events[index])
    return kept


def carry_over(source: DialogueStateTracker, copy: DialogueStateTracker) -> None:
    """Give ``copy`` (same events as ``source``) its own copy of ``source``'s encoded
    events, encoding ``source``'s new ones first: the copy is the one an action gets,
    and what it encodes is thrown away with it."""
    copy.__dict__[_ATTRIBUTE] = _brought_up_to_date(source).copied()
