"""What the desk's replies say about time: when it opens, and a waiting customer's place.

Shared by the actions (a customer who asks for a person, or how long it will take) and the
console's answers to waiting customers (``bot.handoff.wait_answers``).
"""

from __future__ import annotations

from typing import Any

from bot.domain.responses import render
from bot.handoff.estimate import Standing
from bot.handoff.staffing import DeskState

BEIJING_ZONE = "Asia/Shanghai"


def opening_values(domain: dict[str, Any], language: str, state: DeskState) -> dict[str, Any]:
    """``{opening}``, ``{zone}`` and ``{hours}`` for the desk's responses, in ``language``."""
    opening, now = state.next_opening, state.now
    time = opening.strftime("%H:%M")
    days = (opening.date() - now.date()).days
    if days == 0:
        when = render(domain, "utter_desk_opening_today", language, time=time)
    elif days == 1:
        when = render(domain, "utter_desk_opening_tomorrow", language, time=time)
    else:
        names = render(domain, "utter_desk_weekdays", language).split(",")
        weekday = names[opening.weekday()].strip()
        when = render(domain, "utter_desk_opening_later", language, weekday=weekday, time=time)
    zone_key = getattr(opening.tzinfo, "key", str(opening.tzinfo))
    zone = (
        render(domain, "utter_desk_beijing_time", language)
        if zone_key == BEIJING_ZONE
        else zone_key
    )
    return {"opening": when, "zone": zone}


def wait_place(
    domain: dict[str, Any], language: str, standing: Standing, state: DeskState | None
) -> tuple[str, dict[str, Any]]:
    """The response and values that tell a waiting customer their place: with the desk's
    opening while it is closed, without an estimate while nobody is available, else with
    an estimate from recent waits (when there are any)."""
    if state is not None and not state.answering:
        if state.within_hours:
            return "utter_wait_place_unstaffed", {"place": standing.place}
        return "utter_wait_place_closed", {
            "place": standing.place,
            **opening_values(domain, language, state),
        }
    if standing.minutes is None:
        return "utter_wait_place_no_history", {"place": standing.place}
    return "utter_wait_place", {"place": standing.place, "minutes": standing.minutes}
