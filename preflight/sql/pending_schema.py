"""What the pending migrations will do to the schema, from their SQL (see :mod:`preflight.sql.schema_changes`):
the relations each creates, alters and drops, and, replayed in run order (:class:`Replay`), what each name is at
any point of the run."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from preflight.sql.schema_changes import (
    Effect,
    Objects,
    SchemaChanges,
    known_changes,
    name_matches,
    statement_effects,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from preflight.migrations import Migration
    from preflight.sql.schema_changes import PlacedEffects
    from preflight.targets import Targets


@dataclass
class PendingSchema:
    changes: list[tuple[str, SchemaChanges]] = field(default_factory=list)
    """(migration name, its changes) for each pending migration, in run order (empty changes for one that does
    not parse)."""
    unparsed: list[str] = field(default_factory=list)
    """Pending migrations whose SQL does not parse (their changes are unknown)."""
    effects: list[tuple[tuple[int, int, tuple[Effect, ...], int], ...]] = field(default_factory=list)
    """For each pending migration, its statements' effects on named objects with the line and column where
    each statement ends (:func:`preflight.sql.schema_changes.statement_effects`; none for one that does not parse)."""

    @classmethod
    def of(cls, migrations: Iterable[Migration]) -> PendingSchema:
        """The changes of ``migrations``, in their order."""
        return cls.of_sql((m.name, m.sql) for m in migrations)

    @classmethod
    def of_sql(cls, named: Iterable[tuple[str, str | None]]) -> PendingSchema:
        """The changes of each ``(name, SQL)``, in their order (SQL None: not known, as one that does not parse)."""
        out = cls()
        for name, sql in named:
            changes = known_changes(sql) if sql is not None else None
            if changes is None:
                out.unparsed.append(name)
                changes = SchemaChanges()
            out.changes.append((name, changes))
            out.effects.append((statement_effects(sql) if sql is not None else None) or ())
        return out

    @classmethod
    def from_effects(cls, named: Iterable[tuple[str, tuple[PlacedEffects, ...] | None]]) -> PendingSchema:
        """What a :meth:`replay` needs, from each ``(name, its statements' effects)`` already at hand (None: the SQL
        does not parse); the per-migration :attr:`changes` are left empty."""
        out = cls()
        for name, found in named:
            if found is None:
                out.unparsed.append(name)
            out.changes.append((name, SchemaChanges()))
            out.effects.append(found or ())
        return out

    def replay(self) -> Replay:
        """The objects of the run, point by point (see :class:`Replay`)."""
        return Replay(self)

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


class Replay:
    """The pending migrations' statements replayed in run order over :class:`~preflight.sql.schema_changes.Objects`,
    up to the points asked about, which must come in run order."""

    def __init__(self, schema: PendingSchema):
        self.objects = Objects()
        self._schema = schema
        self._migration = 0  # the migration being replayed
        self._statement = 0  # its next statement with effects

    def at(self, index: int, line: int, column: int) -> Objects:
        """The objects as the statement at ``line``, ``column`` (1-based, in its SQL) of pending migration
        ``index`` meets them: every statement that ends before that point has run."""
        while self._migration < min(index, len(self._schema.effects)):
            self._run(self._migration, None)
            self._migration, self._statement = self._migration + 1, 0
        if self._migration == index and index < len(self._schema.effects):
            self._run(index, (line, column))
        return self.objects

    def _run(self, index: int, until: tuple[int, int] | None) -> None:
        by = self._schema.changes[index][0]
        statements = self._schema.effects[index]
        while self._statement < len(statements):
            end_line, end_column, effects, line = statements[self._statement]
            if until is not None and (end_line, end_column) > until:
                return
            self.objects.line = line
            for effect in effects:
                self.objects.apply(effect, by)
            self._statement += 1


def pending_schema(targets: Targets) -> PendingSchema | None:
    """The schema changes of the pending migrations; None when the config has no migrations target (the pending
    list is unknown). Reading the pending list may query the database's tracking table."""
    if targets.config.migrations is None:
        return None
    return PendingSchema.of(targets.migrations.pending)
