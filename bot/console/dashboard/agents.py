"""The supervisors' part of the dashboard: figures per agent (``StatsStore.per_agent``)."""

from __future__ import annotations

from typing import Any

from bot.console.web.i18n import Translator
from bot.console.web.markup import Html, join, render
from bot.handoff.stats import RATINGS, AgentFigures


def _duration(t: Translator, seconds: float | None) -> str:
    return "—" if seconds is None else t.duration(seconds)


def agent_figures_panel(t: Translator, figures: list[AgentFigures] | None) -> Html:
    """``<section id="agent-figures">``: one row per agent (nothing for agents, None)."""
    if figures is None:
        return Html("")
    rows = join(
        render(
            '<tr id="agent-fig-{agent}" data-agent="{agent}"><td>{agent}</td>'
            '<td class="handled">{handled}</td><td class="claim">{claim}</td>'
            '<td class="resolve">{resolve}</td><td class="ratings">{ratings}</td></tr>',
            agent=f.agent,
            handled=f.handled,
            claim=_duration(t, f.median_claim_seconds),
            resolve=_duration(t, f.median_resolve_seconds),
            ratings=" · ".join(
                f"{t.label('rating', name)} {f.ratings.get(name, 0)}" for name in RATINGS.values()
            ),
        )
        for f in figures
    ) or render('<tr><td colspan="5" class="note">{none}</td></tr>', none=t("dash.no_data"))
    return render(
        '<section class="panel" id="agent-figures"><h2>{title}</h2><table class="figures-table">'
        "<thead><tr><th>{agent}</th><th>{handled}</th><th>{claim}</th><th>{resolve}</th>"
        "<th>{ratings}</th></tr></thead><tbody>{rows}</tbody></table></section>",
        title=t("agentfig.title"),
        agent=t("agentfig.agent"),
        handled=t("agentfig.handled"),
        claim=t("agentfig.median_claim"),
        resolve=t("agentfig.median_resolve"),
        ratings=t("agentfig.ratings"),
        rows=rows,
    )


def agent_figures_json(figures: list[AgentFigures]) -> list[dict[str, Any]]:
    """The figures for ``/api/dashboard`` (supervisors)."""
    return [
        {
            "agent": f.agent,
            "handled": f.handled,
            "median_claim_seconds": f.median_claim_seconds,
            "median_resolve_seconds": f.median_resolve_seconds,
            "ratings": f.ratings,
        }
        for f in figures
    ]
