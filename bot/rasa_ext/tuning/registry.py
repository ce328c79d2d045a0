"""The patches ``tune_rasa`` installs: Rasa 3.6.21 code with no extension point.

Each entry says why no extension point fits. What could be an extension is one:
the policies and their featurizer in ``bot.rasa_ext.tuning.policies``, named in
``config.yml``; the tracker class the project's tracker store hands out
(``bot.rasa_ext.tuning.trackers``); the closing of the kept HTTP sessions, a listener
the channels put on their blueprints (``bot.channels.lifecycle``). Every one is a
speed-up that returns what Rasa's own code returns; what changes what customers get
(the tracker store's failsafe) is not tuning: ``bot.rasa_ext.failsafe``, installed
whatever ``RASA_TUNING`` says.
"""

from __future__ import annotations

from typing import Any

import rasa.core.processor
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig

from bot.rasa_ext.tuning import Patch, endpoints, graph, validation


def _is(replacement: Any) -> Any:
    """A ``make`` that ignores the original (the replacement calls Rasa's own itself)."""
    return lambda _original: replacement


PATCHES: tuple[Patch, ...] = (
    Patch(
        RemoteAction,
        "_validate_action_result",
        _is(validation.validate_action_result),
        "RemoteAction is made by Rasa for every custom action named in the domain; "
        "no setting chooses another class",
    ),
    Patch(
        EndpointConfig,
        "session",
        _is(endpoints.kept_session),
        "endpoints are read from endpoints.yml into EndpointConfig by Rasa; the action "
        "server's client is not pluggable",
    ),
    Patch(
        rasa.core.processor,
        "DaskGraphRunner",
        _is(graph.SequentialGraphRunner),
        "MessageProcessor loads the model with DaskGraphRunner by name; the graph runner "
        "is not a recipe component or a setting",
    ),
)
