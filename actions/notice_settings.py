"""Notice settings: a customer turns kinds of notice off and on again, and the bot confirms.

By SMS code (``QXLLTX`` data alerts off, ``KTTX`` every kind on again: see
``bot.domain.notice_words``) or in words ("不要再发流量提醒了", "turn balance reminders back
on"): the intent says off or on, the text says which kinds (every kind when it names none).
``action_notice_status`` answers "what reminders do I get?".
"""

from __future__ import annotations

import logging

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import AccountAction, EventList, conversation_language
from actions.unsure import meant_intent, question_text
from bot.billing.port import Customer
from bot.domain.notice_kinds import NoticeKind
from bot.domain.notice_words import ALL_KINDS, codes_for, kinds_meant, notice_code
from bot.domain.numbers import mask_msisdn
from bot.domain.responses import join_parts, render

logger = logging.getLogger(__name__)

OPT_IN_INTENT = "notice_opt_in"
OPT_OUT_INTENT = "notice_opt_out"


def wants_enabled(tracker: Tracker) -> bool:
    """On (``notice_opt_in``, a ``KT`` code, a yes to "did you mean to turn them on?") or
    off (anything else)."""
    message = tracker.latest_message or {}
    code = notice_code(message.get("text"))
    if code is not None:
        return code[0]
    return meant_intent(tracker, frozenset({OPT_IN_INTENT, OPT_OUT_INTENT})) == OPT_IN_INTENT


def kinds_text(domain: DomainDict, kinds: frozenset[NoticeKind], language: str) -> str:
    """The kinds as the customer reads them ("流量提醒", "balance reminders and data alerts")."""
    if kinds == ALL_KINDS:
        return render(domain, "utter_notice_kind_all", language)
    names = [
        render(domain, f"utter_notice_kind_{kind.value}", language)
        for kind in NoticeKind
        if kind in kinds
    ]
    if len(names) == 1:
        return names[0]
    return render(domain, "utter_notice_kinds_pair", language, first=names[0], second=names[1])


class ActionSetNotices(AccountAction):
    """Turn the kinds the customer means off or on, and say exactly what is now off or on.

    Changes a setting at once, so a message read with little confidence is asked about
    first (a reminder service such as 来电提醒 is not a notice: ``NamedThingsResolver``)."""

    answers = frozenset({OPT_IN_INTENT, OPT_OUT_INTENT})

    def name(self) -> str:
        return "action_set_notices"

    async def run_for(
        self,
        customer: Customer,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> EventList:
        enabled = wants_enabled(tracker)
        intent = OPT_IN_INTENT if enabled else OPT_OUT_INTENT
        kinds = kinds_meant(question_text(tracker, intent) or None)
        for kind in NoticeKind:
            if kind in kinds:
                await self.services.notice_preferences.set_enabled(customer.msisdn, kind, enabled)
        logger.info(
            "notices %s for %s: %s",
            "on" if enabled else "off",
            mask_msisdn(customer.msisdn),
            ",".join(sorted(kind.value for kind in kinds)),
        )
        language = conversation_language(tracker)
        dispatcher.utter_message(
            response="utter_notices_on" if enabled else "utter_notices_off",
            kinds=kinds_text(domain, kinds, language),
            # How to undo it: the opposite code(s).
            codes=" / ".join(codes_for(not enabled, kinds)),
        )
        return []


class ActionNoticeStatus(AccountAction):
    """Say which kinds of notice are on and which are off ("what reminders do I get?")."""

    def name(self) -> str:
        return "action_notice_status"

    async def run_for(
        self,
        customer: Customer,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> EventList:
        disabled = await self.services.notice_preferences.disabled_kinds(customer.msisdn)
        language = conversation_language(tracker)
        settings = [
            render(
                domain,
                "utter_notice_setting_off" if kind in disabled else "utter_notice_setting_on",
                language,
                kind=render(domain, f"utter_notice_kind_{kind.value}", language),
            )
            for kind in NoticeKind
        ]
        dispatcher.utter_message(
            response="utter_notices_status", settings=join_parts(settings, language)
        )
        return []
