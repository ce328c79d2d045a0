"""Placeholders of canned replies: ``{name}``, ``{balance}``, ``{ticket}`` filled from the case.

A placeholder without a value stays as it is, visibly, for the agent to fix; a reply in
which one remains is refused (``unfilled``), never sent with "{balance}" in it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PLACEHOLDER = re.compile(r"\{([^{}\s]{1,32})\}")
PLACEHOLDERS = ("name", "balance", "ticket")


@dataclass(frozen=True)
class CaseValues:
    """What the case knows for the placeholders (None: not known)."""

    name: str | None = None
    balance: str | None = None  # two decimals, yuan
    ticket: str | None = None  # the customer's latest ticket id

    def as_dict(self) -> dict[str, str]:
        found = {"name": self.name, "balance": self.balance, "ticket": self.ticket}
        return {key: value for key, value in found.items() if value}


def fill(body: str, values: CaseValues) -> str:
    """``body`` with every known placeholder replaced; unknown ones are left as written."""
    known = values.as_dict()
    return PLACEHOLDER.sub(lambda m: known.get(m.group(1), m.group(0)), body)


def unfilled(text: str) -> list[str]:
    """The placeholders still in ``text`` (``["{balance}"]``), in order, once each."""
    return list(dict.fromkeys(m.group(0) for m in PLACEHOLDER.finditer(text)))
