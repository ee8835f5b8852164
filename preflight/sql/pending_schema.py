"""What the pending migrations will do to the schema, from their SQL (see :mod:`preflight.sql.schema_changes`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from preflight.sql.schema_changes import SchemaChanges, known_changes, name_matches

if TYPE_CHECKING:
    from collections.abc import Iterable

    from preflight.migrations import Migration
    from preflight.targets import Targets


@dataclass
class PendingSchema:
    changes: list[tuple[str, SchemaChanges]] = field(default_factory=list)
    """(migration name, its changes) for each pending migration, in run order (empty changes for one that does
    not parse)."""
    unparsed: list[str] = field(default_factory=list)
    """Pending migrations whose SQL does not parse (their changes are unknown)."""

    @classmethod
    def of(cls, migrations: Iterable[Migration]) -> PendingSchema:
        """The changes of ``migrations``, in their order."""
        out = cls()
        for m in migrations:
            changes = known_changes(m.sql)
            if changes is None:
                out.unparsed.append(m.name)
                changes = SchemaChanges()
            out.changes.append((m.name, changes))
        return out

    def creator_of_table(self, table: str, before: int | None = None) -> str | None:
        """The first pending migration (of the first ``before``) that creates ``table`` (``table`` or
        ``schema.table``)."""
        for name, ch in self.changes[:before]:
            if any(name_matches(table, c) for c in ch.created):
                return name
        return None

    def adder_of_column(self, table: str, column: str, before: int | None = None) -> str | None:
        """The first pending migration (of the first ``before``) that adds ``column`` to ``table``."""
        for name, ch in self.changes[:before]:
            for added in ch.columns_added:
                rel, _, col = added.rpartition(".")
                if col == column and name_matches(table, rel):
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
    return PendingSchema.of(targets.migrations.pending)
