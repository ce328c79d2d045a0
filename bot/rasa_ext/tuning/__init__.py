"""Run-time fixes to Rasa 3.6's own code, measured with py-spy under load.

Installed by ``bot.rasa_ext.server`` before Rasa starts; each module holds one fix, states
what it fixes and why it keeps Rasa's behaviour.
"""

from __future__ import annotations

from bot.rasa_ext.tuning.collector import install as install_collector
from bot.rasa_ext.tuning.debuglog import install as install_debuglog
from bot.rasa_ext.tuning.domain import install as install_domain
from bot.rasa_ext.tuning.endpoints import install as install_endpoints
from bot.rasa_ext.tuning.graph import install as install_graph
from bot.rasa_ext.tuning.rules import install as install_rules
from bot.rasa_ext.tuning.states import install as install_states
from bot.rasa_ext.tuning.trackers import install as install_trackers
from bot.rasa_ext.tuning.validation import install as install_validation


def tune_rasa() -> None:
    """Install every fix (idempotent)."""
    install_validation()
    install_states()
    install_trackers()
    install_collector()
    install_graph()
    install_endpoints()
    install_debuglog()
    install_rules()
    install_domain()
