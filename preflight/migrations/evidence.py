"""Evidence from the schema where the tracking table keeps none.

golang-migrate records one version and no history: a migration below the recorded version that never ran
(merged late from a long-lived branch, with an older timestamp) is skipped by ``migrate up`` without a word.
The database shows it when that migration creates a relation (table, view, index, sequence) that does not
exist, and no migration the runner takes as applied after it touches that relation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from preflight.migrations.model import Migration, Problem

if TYPE_CHECKING:
    from preflight.db.target import Database
    from preflight.migrations.plan import MigrationPlan
    from preflight.sql.schema_changes import SchemaChanges


def silently_skipped(plan: MigrationPlan, database: Database) -> list[Problem]:
    """Migrations the runner will skip though they never ran (golang-migrate only; empty for the others, whose
    tracking tables keep history)."""
    state = plan.state
    if plan.runner != "golang-migrate" or not state.assumed_applied:
        return []
    if any(p.kind == "dirty" for p in state.problems):
        return []
    from preflight.sql.schema_changes import known_changes

    def changes_of(m: Migration) -> SchemaChanges | None:
        return known_changes(m.sql)  # None: unknown, it proves nothing and may touch anything

    candidates = state.assumed_applied
    recorded = plan.migration(state.current) if state.current is not None else None
    if recorded is None:
        # The database is ahead of the release: migrations it does not ship may have dropped anything.
        return []
    chain: list[Migration] = [*candidates, recorded]
    lowered = [m.sql.lower() for m in chain]
    # A later migration that drops with CASCADE (or drops a schema) can remove relations without naming them.
    sweeping = [j for j, text in enumerate(lowered) if "cascade" in text or "drop schema" in text]
    # Only a migration that says CREATE can create a relation: the others need no parsing unless they may
    # touch a relation found missing (a cheap filter; what counts is what pglast makes of the SQL).
    last_sweep = max(sweeping, default=-1)
    creating = [i for i in range(len(candidates)) if "create" in lowered[i] and i >= last_sweep]
    parsed: dict[int, SchemaChanges | None] = {i: changes_of(candidates[i]) for i in creating}
    creates: dict[int, set[str]] = {}
    for i in creating:
        ch = parsed[i]
        if ch is not None and ch.created - ch.dropped:
            creates[i] = ch.created - ch.dropped
    if not creates:
        return []
    absent = set(absent_relations(database, sorted(set().union(*creates.values()))))
    skipped: dict[int, list[str]] = {}
    for i, rels in creates.items():
        # golang-migrate runs a file as one implicit transaction: had it run, all it creates would have existed.
        if not rels <= absent:
            continue
        ch = parsed[i]
        assert ch is not None
        # What it creates, and the tables it builds on (an index's table), must be untouched since.
        watched = rels | ch.altered
        if any(_touched_later(i, rel, chain, lowered, parsed, changes_of) for rel in sorted(watched)):
            continue
        skipped[i] = sorted(rels)
    out = []
    for i in sorted(skipped):
        m = candidates[i]
        missing = ", ".join(skipped[i])
        out.append(Problem(
            kind="skipped",
            message=(f"{m.name} never ran ({missing} {'does' if len(skipped[i]) == 1 else 'do'} not exist), but golang-migrate records version "
                     f"{state.current}, above it: `migrate up` will skip it without a word"),
            remediation=(f"give {m.name} a version above {state.current} (rename the file) so that it runs, or "
                         "apply it by hand if that is intended"),
            migration=m.name, file=m.file))
    return out


def _touched_later(i: int, rel: str, chain: list[Migration], lowered: list[str],
                   parsed: dict[int, SchemaChanges | None], changes_of: Callable[[Migration], SchemaChanges | None]
                   ) -> bool:
    """Whether a migration the runner takes as applied after ``chain[i]`` alters or drops ``rel`` (or may: one
    that does not parse)."""
    bare = rel.rsplit(".", 1)[-1]
    for j in range(i + 1, len(chain)):
        if bare not in lowered[j]:
            continue
        if j not in parsed:
            parsed[j] = changes_of(chain[j])
        ch = parsed[j]
        if ch is None or rel in ch.touches():
            return True
    return False


def absent_relations(database: Database, names: list[str]) -> list[str]:
    """Which of these relations ("schema.name", or a bare name in any schema) do not exist. Compared without
    case, so a quoted mixed-case name never counts as absent when it exists."""
    wanted = [(n.rsplit(".", 1)[0].lower() if "." in n else "", n.rsplit(".", 1)[-1].lower(), n) for n in names]
    rows = database.query(
        "select lower(c.relname), lower(s.nspname) from pg_catalog.pg_class c join pg_catalog.pg_namespace s "
        "on s.oid = c.relnamespace where lower(c.relname) = any(%s::text[])",
        (sorted({rel for _sch, rel, _n in wanted}),))
    schemas_of: dict[str, set[str]] = {}
    for rel, sch in rows:
        schemas_of.setdefault(rel, set()).add(sch)
    return sorted(n for sch, rel, n in wanted
                  if rel not in schemas_of or (sch and sch not in schemas_of[rel]))
