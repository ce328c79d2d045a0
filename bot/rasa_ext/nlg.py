"""Replies in the script the customer writes: Rasa's templated NLG, then OpenCC.

Configured in endpoints.yml (``nlg: type: bot.rasa_ext.nlg.ScriptAwareNLG``, Rasa's
extension point for response generation). Responses are written once, in Simplified
Chinese and English (``domain/``); when the conversation's ``script`` slot says
Traditional (the latest customer message whose characters tell: "YE" or "1" keep the
script of the conversation), the filled Chinese text and button titles are converted
at output, so every figure is exactly the one the template was filled with. The
converter is endpoints.yml's ``variant``, else the Rasa server's settings
(``TRADITIONAL_VARIANT``, read once at start-up: ``bot.services``).
"""

from __future__ import annotations

from typing import Any

from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot import services
from bot.domain.language import ZH
from bot.domain.script import TRADITIONAL, detect_script, to_traditional


class ScriptAwareNLG(TemplatedNaturalLanguageGenerator):
    """The domain's responses, in Traditional characters for customers who write them."""

    def __init__(
        self, endpoint_config: EndpointConfig | None = None, domain: Domain | None = None
    ) -> None:
        super().__init__((domain or Domain.empty()).responses)
        kwargs = (endpoint_config.kwargs if endpoint_config else {}) or {}
        # endpoints.yml's ``variant``, else the Rasa server's settings (TRADITIONAL_VARIANT)
        self.variant = str(kwargs.get("variant") or services.settings().traditional_variant)
        to_traditional("", self.variant)  # an unknown variant fails at start, not per reply

    async def generate(
        self,
        utter_action: str,
        tracker: DialogueStateTracker,
        output_channel: str,
        **kwargs: Any,
    ) -> dict[str, Any] | None:
        response = await super().generate(utter_action, tracker, output_channel, **kwargs)
        if response is None or not writes_traditional(tracker):
            return response
        return in_traditional(response, self.variant)


def writes_traditional(tracker: DialogueStateTracker) -> bool:
    """Whether the conversation is in Chinese and its customer writes Traditional."""
    return tracker.get_slot("language") == ZH and customer_script(tracker) == TRADITIONAL


def customer_script(tracker: DialogueStateTracker) -> str | None:
    """The script of the customer's latest message whose characters tell one (or None)."""
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            script = detect_script(event.text)
            if script is not None:
                return script
    return None


def in_traditional(response: dict[str, Any], variant: str) -> dict[str, Any]:
    """The response with its text and button titles in Traditional characters."""
    converted = dict(response)
    if converted.get("text"):
        converted["text"] = to_traditional(str(converted["text"]), variant)
    if converted.get("buttons"):
        converted["buttons"] = [
            {**button, "title": to_traditional(str(button.get("title", "")), variant)}
            for button in converted["buttons"]
        ]
    return converted
