"""Horizontal bar charts as inline SVG (styled by the stylesheet, no script)."""

from __future__ import annotations

from bot.console.web.markup import Html, join, render

WIDTH = 640
LABEL_WIDTH = 270
BAR_HEIGHT = 22
GAP = 10
VALUE_SPACE = 48


def bar_chart(items: list[tuple[str, int]], *, title: str, chart_id: str) -> Html:
    """One bar per ``(label, value)``, scaled to the largest value."""
    largest = max([value for _, value in items] + [1])
    span = WIDTH - LABEL_WIDTH - VALUE_SPACE
    height = max(1, len(items)) * (BAR_HEIGHT + GAP)
    bars = join(
        render(
            '<g class="row"><text x="0" y="{text_y}" class="label">{label}</text>'
            '<rect x="{x}" y="{y}" width="{width}" height="{height}" class="bar"></rect>'
            '<text x="{value_x}" y="{text_y}" class="value">{value}</text></g>',
            label=label,
            x=LABEL_WIDTH,
            y=index * (BAR_HEIGHT + GAP),
            width=round(span * value / largest),
            height=BAR_HEIGHT,
            value=value,
            value_x=LABEL_WIDTH + round(span * value / largest) + 6,
            text_y=index * (BAR_HEIGHT + GAP) + BAR_HEIGHT - 6,
        )
        for index, (label, value) in enumerate(items)
    )
    return render(
        '<svg id="{chart_id}" class="chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        'aria-label="{title}"><title>{title}</title>{bars}</svg>',
        chart_id=chart_id,
        width=WIDTH,
        height=height,
        title=title,
        bars=bars,
    )
