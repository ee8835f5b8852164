"""``filename``: the home-grown runner many teams write in a few lines of shell or Python.

- Files: ``*.up.sql``; ``*.down.sql`` are its rollbacks and never run forward. In a directory with no
  ``*.up.sql`` file, every ``*.sql`` file is a migration (plain ordered files: ``0001-create.sql``, the
  ``for f in migrations/*.sql`` runner). The version is the file's stem as text (``103_drop_legacy_rollups``,
  ``0001-create``): numeric prefixes may repeat (``032_a``, ``032_b``) and are never parsed as numbers.
- Order: file name, byte order.
- Execution: each file sent as one query, i.e. an implicit transaction ("implicit"); ``transaction`` in
  ``[targets.migrations]`` says otherwise for runners that wrap files in ``BEGIN``/``COMMIT`` ("file") or split
  them ("none").
- Tracking: ``schema_migrations (version text primary key)`` by default (``table``, ``schema`` and
  ``columns = { version = "..." }`` name another), one row per applied file; every file whose stem is not
  there runs.
"""

from __future__ import annotations

from preflight.migrations.model import Applied, Migration, Problem, Scan, TrackingState, decode, file_facts
from preflight.migrations.runners.base import Row, Runner, ahead_problems
from preflight.migrations.source import Source

UP = ".up.sql"
DOWN = ".down.sql"
SQL = ".sql"


def _stem(name: str, suffix: str) -> str | None:
    """``name`` without ``suffix``; None when it does not end so, or is nothing but the suffix."""
    return name[: -len(suffix)] if name.endswith(suffix) and len(name) > len(suffix) else None


class Filename(Runner):
    name = "filename"
    naming = ("NAME.up.sql (103_drop_legacy.up.sql), or NAME.sql (0001-create.sql) in a directory with no "
              ".up.sql file; .down.sql files roll back")
    table = "schema_migrations"
    columns = {"version": "version"}
    column_types = {"version": "text"}
    column_sql = "(version text primary key)"
    default_transaction = "implicit"

    def scan(self, source: Source) -> Scan:
        scan = Scan()
        # Plain ordered files (0001-create.sql) are migrations only where no file says .up.sql: beside up files,
        # a plain .sql file is a seed or a schema dump, not a step to run.
        plain = not any(_stem(f.name, UP) for f in source.files)
        for f in source.files:
            if f.name.endswith(DOWN):
                continue
            stem = _stem(f.name, UP) or (_stem(f.name, SQL) if plain else None)
            if stem is None:
                scan.unmatched.append(f.display)
                continue
            data = f.read()
            sha, lines = file_facts(data)
            scan.migrations.append(Migration(stem, stem, f.display, f.path, sha, lines, decode(data), 1,
                                             self.transaction))
        scan.migrations.sort(key=lambda m: m.name.encode("utf-8", "surrogateescape"))
        return scan

    def evaluate(self, scan: Scan, rows: list[Row] | None, table: str) -> TrackingState:
        migrations = scan.migrations
        if rows is None:
            return TrackingState(table=table, table_exists=False, rows=0, applied=[], pending=list(migrations))
        done = {str(r["version"]) for r in rows if r["version"] is not None}
        by_version = {m.version: m for m in migrations}
        ordered = [m.version for m in migrations if m.version in done]
        ordered += sorted(done - set(ordered))
        applied = [Applied(v, by_version.get(v)) for v in ordered]
        problems = ahead_problems(self.name, table, applied, migrations[-1] if migrations else None)
        pending = [m for m in migrations if m.version not in done]
        last_known = max((i for i, m in enumerate(migrations) if m.version in done), default=-1)
        older = [m for i, m in enumerate(migrations) if i < last_known and m.version not in done]
        if older:
            problems.append(Problem(
                kind="out-of-order", severity="info",
                message=(f"{', '.join(m.name for m in older)} will run out of order: "
                         f"{'it sorts' if len(older) == 1 else 'they sort'} before {migrations[last_known].name}, "
                         "which is applied already"),
                remediation="make sure it does not depend on running before the newer migrations",
                migration=older[0].name, file=older[0].file))
        return TrackingState(table=table, table_exists=True, rows=len(rows), applied=applied, pending=pending,
                             problems=problems, current=migrations[last_known].version if last_known >= 0 else None)
