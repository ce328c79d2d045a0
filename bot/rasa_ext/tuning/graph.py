"""The model's graph run node after node, without dask.

Rasa 3.6 runs its NLU and policy graphs through ``dask.get`` on every message and
every prediction: dask builds and orders a task graph each time, and Rasa formats a
debug line with every input even when debug logging is off. For a graph of a dozen
nodes run three times per message that bookkeeping was a tenth of the Rasa server's
CPU (py-spy, docs/performance.md, "Where the time went"). ``SequentialGraphRunner`` runs the
same nodes with the same inputs in dependency order, working the order out once per
set of targets; node outputs and errors are the same as with ``DaskGraphRunner``.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.exceptions import GraphRunError
from rasa.engine.graph import GraphSchema
from rasa.engine.runner.dask import DaskGraphRunner


class SequentialGraphRunner(DaskGraphRunner):
    """``DaskGraphRunner`` with the nodes called in order by plain Python."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # per set of targets: the nodes to run, parents first, with what each needs
        self._orders: dict[tuple[str, ...], list[tuple[str, tuple[str, ...]]]] = {}

    def run(
        self, inputs: dict[str, Any] | None = None, targets: list[str] | None = None
    ) -> dict[str, Any]:
        """Run the nodes the targets need; each target's output by name."""
        run_targets = list(targets if targets else self._graph_schema.target_names)
        inputs = inputs or {}
        for name in inputs:
            if name in self._instantiated_nodes:
                raise GraphRunError(
                    f"Input value '{name}' clashes with a node name. Make sure that none of "
                    f"the input names passed to the `run` method are the same as node names "
                    f"in the graph schema."
                )
        # As with dask: an input is the pair (name, value); a node returns (name, output).
        results: dict[str, Any] = {name: (name, value) for name, value in inputs.items()}
        try:
            for name, needs in self._order(tuple(run_targets)):
                if name in results:
                    continue
                node = self._instantiated_nodes[name]
                results[name] = node(*(results[need] for need in needs))
        except RuntimeError as e:
            raise GraphRunError("Error running runner.") from e
        except KeyError as e:
            raise GraphRunError(f"The graph needs {e} but it was not given.") from e
        return dict(results[target] for target in run_targets)

    def _order(self, targets: tuple[str, ...]) -> list[tuple[str, tuple[str, ...]]]:
        """Nodes (with the names of what they need) so that parents come first."""
        if targets not in self._orders:
            self._orders[targets] = _dependency_order(self._graph_schema, targets)
        return self._orders[targets]


def _dependency_order(
    schema: GraphSchema, targets: tuple[str, ...]
) -> list[tuple[str, tuple[str, ...]]]:
    ordered: list[tuple[str, tuple[str, ...]]] = []
    seen: set[str] = set()

    def visit(name: str) -> None:
        if name in seen or name not in schema.nodes:  # done, or an input placeholder
            return
        seen.add(name)
        needs = tuple(schema.nodes[name].needs.values())
        for need in needs:
            visit(need)
        ordered.append((name, needs))

    for target in targets:
        visit(target)
    return ordered
