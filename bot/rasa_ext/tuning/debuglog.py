"""RulePolicy's debug description of the conversation, made only when debug is logged.

On every prediction RulePolicy formats every state of the conversation into text (and
structlog deep-copies it) for a debug line, also when debug logging is off: 4% of the
Rasa server's busy thread under load (py-spy, docs/performance.md, "Where the time went").
``RememberingRulePolicy`` (``bot.rasa_ext.tuning.policies``) makes the text only when
the policy's logger logs debug lines (Rasa sets its standard and its structlog levels
from the same ``--debug``/log-level option), or always with ``RASA_TUNING=off`` or on
a Rasa other than the pinned one.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.core.policies.policy import Policy

from bot.rasa_ext.tuning.setting import tuned

_RASA_FORMAT = Policy.format_tracker_states
_LOGGER = logging.getLogger("rasa.core.policies.rule_policy")


def format_tracker_states(states: list[dict[str, Any]]) -> str:
    """``Policy.format_tracker_states``, or nothing when it would not be logged."""
    if _LOGGER.isEnabledFor(logging.DEBUG) or not tuned():
        return str(_RASA_FORMAT(states))
    return ""
