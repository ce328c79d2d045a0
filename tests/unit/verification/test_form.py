"""What the customer types: numbers and codes in text, and the verification form's validation."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.verification import ValidatePhoneVerificationForm
from bot.domain.files import load_domain
from bot.domain.ids import WEB
from bot.domain.numbers import code_from_text, phone_from_text
from bot.verification.service import Outcome
from tests.conftest import DOMAIN_FILE as DOMAIN
from tests.fakes import FakeSmsSender, fake_services
from tests.unit.trackers import STRANGER, make_tracker, responses
from tests.unit.verification.conftest import C1


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("13800000001", "+8613800000001"),
        ("+8613800000001", "+8613800000001"),
        ("my number is 138 0000 0001", "+8613800000001"),
        ("手机号138-0000-0001", "+8613800000001"),
        ("８６１３８０００００００１", "+8613800000001"),
        ("12345", None),
        ("23800000001", None),
    ],
)
def test_phone_numbers_in_text(text: str, number: str | None) -> None:
    assert phone_from_text(text) == number


@pytest.mark.parametrize(
    ("text", "code"), [("123456", "123456"), ("验证码是 654321", "654321"), ("1234567", None)]
)
def test_codes_in_text(text: str, code: str | None) -> None:
    assert code_from_text(text) == code


class TestVerificationForm:
    """The form's validation: unreadable answers are asked again, never counted as tries."""

    async def test_text_without_a_code_is_not_a_wrong_try(self) -> None:
        sms = FakeSmsSender()
        services = fake_services(sms)
        form = ValidatePhoneVerificationForm(services=services)
        await services.verification.start("conversation-1", WEB, C1, lambda code: code)
        domain = load_domain(DOMAIN)
        tracker = make_tracker(
            None,
            text="hang on, it hasn't come yet",
            intent="deny",
            channel="rest",
            slots={"requested_slot": "verification_code", "verification_phone": C1},
        )
        dispatcher = CollectingDispatcher()
        events = await form.run(dispatcher, tracker, domain)
        assert [m["response"] for m in dispatcher.messages] == ["utter_verification_code_invalid"]
        assert {"event": "slot", "timestamp": None, "name": "verification_code", "value": None} in (
            events
        )
        right = await services.verification.check("conversation-1", WEB, sms.sent[0][1])
        assert right.outcome == Outcome.VERIFIED  # still three tries left before this one

    async def test_too_many_codes_get_the_same_reply_for_customers_and_strangers(self) -> None:
        domain = load_domain(DOMAIN)
        said: dict[str, list[tuple[list[str | None], dict[str, object]]]] = {}
        for number in (C1, STRANGER):
            sms = FakeSmsSender()
            form = ValidatePhoneVerificationForm(services=fake_services(sms))
            said[number] = []
            for n in range(4):  # four conversations ask for a code for the same number
                tracker = make_tracker(None, text=number, channel="rest", sender_id=f"web-{n}")
                dispatcher = CollectingDispatcher()
                slots = await form.validate_verification_phone(number, dispatcher, tracker, domain)
                slots.pop("verification_phone")
                said[number].append((responses(dispatcher), slots))
            assert len(sms.sent) == (3 if number == C1 else 0)
        assert said[C1] == said[STRANGER]
        assert said[C1][2:] == [
            (["utter_verification_code_sent"], {}),
            (["utter_verification_too_many_codes"], {"requested_slot": None}),
        ]
