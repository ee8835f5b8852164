"""What the pending migrations will do to the schema, from their SQL (see :mod:`preflight.schema_changes`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from preflight.schema_changes import SchemaChanges, SqlParseError, name_matches, schema_changes

if TYPE_CHECKING:
    from preflight.targets import Targets


@dataclass
class PendingSchema:
    changes: list[tuple[str, SchemaChanges]] = field(default_factory=list)
    """(migration name, its changes) for each pending migration, in run order."""
    unparsed: list[str] = field(default_factory=list)
    """Pending migrations whose SQL does not parse (their changes are unknown)."""

    def creator_of_table(self, table: str) -> str | None:
        """The first pending migration that creates ``table`` (``table`` or ``schema.table``)."""
        for name, ch in self.changes:
            if any(name_matches(table, c) for c in ch.created):
                return name
        return None

    def creator_of_column(self, table: str, column: str) -> str | None:
        """The first pending migration that creates ``table`` or adds ``column`` to it."""
        for name, ch in self.changes:
            if any(name_matches(table, c) for c in ch.created):
                return name
            for added in ch.columns_added:
                rel, _, col = added.rpartition(".")
                if col == column and name_matches(table, rel):
                    return name
        return None

    def touched(self) -> dict[str, list[str]]:
        """Relations the pending migrations alter or drop -> the migrations that do, in run order."""
        out: dict[str, list[str]] = {}
        for name, ch in self.changes:
            for rel in sorted(ch.altered | ch.dropped):
                out.setdefault(rel, []).append(name)
        return out


def pending_schema(targets: Targets) -> PendingSchema | None:
    """The schema changes of the pending migrations; None when the config has no migrations target (the pending
    list is unknown). Reading the pending list may query the database's tracking table."""
    if targets.config.migrations is None:
        return None
    out = PendingSchema()
    for m in targets.migrations.pending:
        try:
            out.changes.append((m.name, schema_changes(m.sql)))
        except SqlParseError:
            out.unparsed.append(m.name)
    return out
