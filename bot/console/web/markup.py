"""Safe HTML building: every value is escaped unless it is already trusted markup."""

from __future__ import annotations

import html
from collections.abc import Iterable


class Html(str):
    """A string of markup built by the console itself (never from outside input)."""

    __slots__ = ()


def esc(value: object) -> Html:
    """``value`` as HTML text: escaped, unless it is already ``Html``."""
    if isinstance(value, Html):
        return value
    return Html(html.escape("" if value is None else str(value), quote=True))


def render(template: str, **values: object) -> Html:
    """``template.format(**values)`` with every value escaped (``Html`` passes as is).

    The template itself must be a literal of the console's own code.
    """
    return Html(template.format(**{key: esc(value) for key, value in values.items()}))


def join(parts: Iterable[object], separator: str = "") -> Html:
    """Concatenate markup, escaping whatever is not ``Html`` yet."""
    return Html(separator.join(esc(part) for part in parts))
