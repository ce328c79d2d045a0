"""SQL statements compiled once and run through the driver (``exec_driver_sql``).

SQLAlchemy builds, cache-keys and compiles a statement each time it runs one: for the
small indexed statements run on every message (tracker store, webhook deliveries) that
cost more than the database's own work (py-spy, docs/performance.md, "Where the time went").
A ``PreparedStatement`` does that once per dialect; each run only orders the values
for the driver and passes them through the column types' own bind processors.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy.engine import Connection, CursorResult
from sqlalchemy.engine.interfaces import Dialect


class PreparedStatement:
    """``statement`` (with named ``bindparam``s) compiled for ``dialect``."""

    def __init__(self, statement: Any, dialect: Dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        self.sql: str = compiled.string
        self._order = tuple(compiled.positiontup) if compiled.positional else None
        self._processors: dict[str, Callable[[Any], Any]] = {}
        for name, bind in compiled.binds.items():
            processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if processor is not None:
                self._processors[name] = processor

    def params(self, values: Mapping[str, Any]) -> Sequence[Any] | Mapping[str, Any]:
        """``values`` by bind name, as the driver takes them."""
        if self._processors:
            values = {
                name: self._processors[name](value) if name in self._processors else value
                for name, value in values.items()
            }
        if self._order is None:
            return values
        return tuple(values[name] for name in self._order)

    def run(self, connection: Connection, values: Mapping[str, Any]) -> CursorResult:
        """Execute on ``connection`` with ``values`` by bind name."""
        return connection.exec_driver_sql(self.sql, self.params(values))  # type: ignore[arg-type]
