"""RulePolicy's rule look-up, remembered per recent dialogue states.

On every prediction RulePolicy tests each of its rules against the conversation's
states, one turn back after another (``_get_possible_keys``): 8% of the Rasa server's
busy thread under load (py-spy, docs/performance.md, "Where the time went"). The answer
depends only on the look-up table and on the last K states, K being the longest rule
in the table: Rasa's ``_is_rule_applicable`` lets every rule pass once the turn is
further back than the rule is long. A loaded policy's tables do not change, so the
answer is kept per table and per last K states (least recently used dropped first).
``RememberingRulePolicy`` (``bot.rasa_ext.tuning.policies``) uses it once loaded;
policies being trained are left to Rasa's own code: their tables are still built.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from rasa.core.policies.rule_policy import RULES, RULES_FOR_LOOP_UNHAPPY_PATH, RulePolicy

_RASA_POSSIBLE_KEYS = RulePolicy._get_possible_keys
ATTRIBUTE = "_project_rule_lookups"  # on loaded policies only
CACHE_SIZE = 4096  # answers kept per look-up table


def _frozen(value: Any) -> Any:
    """A hashable equivalent of a state, a sub-state or a value (dicts, lists)."""
    if isinstance(value, dict):
        return tuple(sorted((key, _frozen(item)) for key, item in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(item) for item in value)
    return value


def longest_rule(policy: RulePolicy) -> int:
    """States in the longest rule of the tables the look-up reads."""
    tables = (policy.lookup.get(RULES, {}), policy.lookup.get(RULES_FOR_LOOP_UNHAPPY_PATH, {}))
    return max((_depth(table) for table in tables), default=0)


def _depth(lookup: dict[str, Any]) -> int:
    return max((len(RulePolicy._rule_key_to_state(key)) for key in lookup), default=0)


class _Answers:
    """The kept answers for one look-up table (held, so its ``id`` stays its own)."""

    def __init__(self, lookup: dict[str, Any]) -> None:
        self.lookup = lookup
        self.depth = _depth(lookup)
        self.kept: OrderedDict[tuple[Any, ...], frozenset[str]] = OrderedDict()


def get_possible_keys(
    policy: RulePolicy, lookup: dict[str, Any], states: list[dict[str, Any]]
) -> set[str]:
    """``RulePolicy._get_possible_keys``, answered from memory when seen before."""
    tables: dict[int, _Answers] | None = policy.__dict__.get(ATTRIBUTE)
    if tables is None:
        return _RASA_POSSIBLE_KEYS(policy, lookup, states)
    answers = tables.get(id(lookup))
    if answers is None or answers.lookup is not lookup:
        answers = tables[id(lookup)] = _Answers(lookup)
    recent = states[len(states) - answers.depth :] if answers.depth < len(states) else states
    key = tuple(_frozen(state) for state in recent)
    found = answers.kept.get(key)
    if found is None:
        found = frozenset(_RASA_POSSIBLE_KEYS(policy, lookup, states))
        answers.kept[key] = found
        if len(answers.kept) > CACHE_SIZE:
            answers.kept.popitem(last=False)
    else:
        answers.kept.move_to_end(key)
    return set(found)
