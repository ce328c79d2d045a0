"""Render the domain's response templates inside actions (for list items and parts).

Whole replies are sent with ``dispatcher.utter_message(response=...)`` and
rendered by Rasa; pieces of a reply (one line per plan, one item per charge)
are rendered here from the same domain responses, so every customer-facing
text lives in the domain (``domain/``) with its language variations.
"""

from __future__ import annotations

from typing import Any

from bot.domain.language import EN, ZH

# The domain file as Rasa hands it to actions (rasa_sdk's ``DomainDict`` is the same alias).
DomainDict = dict[str, Any]


def render(domain: DomainDict, response: str, language: str, /, **values: Any) -> str:
    """The text of ``response`` in ``language``, with ``values`` filled in."""
    variations = domain.get("responses", {}).get(response)
    if not variations:
        raise KeyError(f"response {response} is not in the domain")
    chosen = _variation(variations, language)
    return str(chosen["text"]).format(**values)


def response_variation(domain: DomainDict, response: str, language: str) -> dict[str, Any]:
    """The variation of ``response`` for ``language`` (its text, buttons ...)."""
    variations = domain.get("responses", {}).get(response)
    if not variations:
        raise KeyError(f"response {response} is not in the domain")
    return _variation(variations, language)


def _variation(variations: list[dict[str, Any]], language: str) -> dict[str, Any]:
    default = None
    for variation in variations:
        conditions = variation.get("condition") or []
        if not conditions:
            default = default or variation
            continue
        if all(c.get("name") == "language" and c.get("value") == language for c in conditions):
            return variation
    if default is None:
        raise KeyError(f"no variation for language {language or EN}")
    return default


def join_parts(parts: list[str], language: str) -> str:
    """Join rendered pieces with the language's list separator."""
    return ("，" if language == ZH else ", ").join(parts)
