"""Pages of a long list: the ``?page=N`` of a request and the previous/next links.

The queue, Review and Deliveries pages show a fixed number of rows at a time; their
stores read one page with ``LIMIT``/``OFFSET`` (one row more than shown, to know
whether there is a next page), never the whole table.
"""

from __future__ import annotations

from sanic.request import Request

from bot.console.web.i18n import Translator
from bot.console.web.markup import Html, render

MAX_PAGE = 10_000  # far beyond any real list; keeps OFFSET small
LIST_PAGE_SIZE = 25  # rows on a page of the Review and Deliveries lists


def page_number(request: Request) -> int:
    """``?page=N`` (1 to ``MAX_PAGE``); 1 when absent or not a number."""
    raw = request.args.get("page") or ""
    if not raw.isdigit() or len(raw) > 6:
        return 1
    return min(max(1, int(raw)), MAX_PAGE)


def offset_of(page: int, size: int = LIST_PAGE_SIZE) -> int:
    """The ``OFFSET`` of page ``page`` (from 1) of ``size`` rows."""
    return (max(1, page) - 1) * size


def page_path(path: str, page: int) -> str:
    """``path`` with ``?page=N`` unless it is the first page (where a form sends one back)."""
    return path if page <= 1 else f"{path}?page={page}"


def pager(t: Translator, path: str, page: int, has_next: bool, pages: int | None = None) -> Html:
    """Previous/next links around the page number (nothing on a single page)."""
    if page <= 1 and not has_next:
        return Html("")
    where = t("pager.of", page=page, pages=pages) if pages else t("pager.page", page=page)
    previous = Html("")
    if page > 1:
        previous = render(
            '<a class="pager-previous" rel="prev" href="{path}?page={n}">{label}</a> ',
            path=path,
            n=page - 1,
            label=t("pager.previous"),
        )
    following = Html("")
    if has_next:
        following = render(
            ' <a class="pager-next" rel="next" href="{path}?page={n}">{label}</a>',
            path=path,
            n=page + 1,
            label=t("pager.next"),
        )
    return render(
        '<nav class="pager">{previous}<span class="pager-where">{where}</span>{following}</nav>',
        previous=previous,
        where=where,
        following=following,
    )
