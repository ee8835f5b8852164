"""golang-migrate (github.com/golang-migrate/migrate), PostgreSQL driver.

- Files: ``{version}_{title}.up.{ext}`` and ``.down.{ext}`` (regex ``^([0-9]+)_(.*)\\.(down|up)\\.(.*)$``);
  the version is an unsigned integer, so ``001`` and ``1`` are the same version. Files that do not match are
  ignored. Two up files with one version stop the runner ("duplicate migration file").
- Order: ascending version.
- Execution: the postgres driver sends the whole file as one ``Exec`` without parameters, i.e. one
  multi-statement simple query: an implicit transaction ("implicit"). ``x-multi-statement=true`` in the URL
  splits on ``;`` and runs each statement on its own: set ``transaction = "none"`` for that.
- Tracking: ``CREATE TABLE IF NOT EXISTS schema_migrations (version bigint not null primary key, dirty
  boolean not null)`` in ``current_schema()``, holding one row. Before running version N the runner writes
  (N, dirty = true), after it (N, false). ``migrate up`` runs only versions above the recorded one, refuses to
  run while the row is dirty, and fails when the recorded version has no file ("no migration found for
  version N"). It keeps no history: a migration below the recorded version that never ran is skipped silently.
"""

from __future__ import annotations

import re

from preflight.migrations.model import Applied, Migration, Problem, Scan, TrackingState, decode, file_facts
from preflight.migrations.runners.base import Row, Runner, ahead_problems, duplicate_problem
from preflight.migrations.source import Source

FILE_RE = re.compile(r"([0-9]+)_(.*)\.(down|up)\.(.*)")
MAX_VERSION = 2**64 - 1


class GolangMigrate(Runner):
    name = "golang-migrate"
    naming = "VERSION_TITLE.up.sql (001_create_users.up.sql; .down.sql files roll back)"
    table = "schema_migrations"
    columns = {"version": "version", "dirty": "dirty"}
    column_types = {"version": "int", "dirty": "bool"}
    column_sql = "(version bigint not null primary key, dirty boolean not null)"
    default_transaction = "implicit"

    def scan(self, source: Source) -> Scan:
        scan = Scan()
        ups: dict[int, list[str]] = {}
        seen: dict[tuple[int, str], list[str]] = {}
        for f in source.files:
            m = FILE_RE.fullmatch(f.name)
            if m is None or int(m.group(1)) > MAX_VERSION:
                scan.unmatched.append(f.display)
                continue
            version = int(m.group(1))
            seen.setdefault((version, m.group(3)), []).append(f.display)
            if m.group(3) == "down":
                scan.extra_versions.add(str(version))
                continue
            ups.setdefault(version, [])
            if len(ups[version]) == 0:
                data = f.read()
                sha, lines = file_facts(data)
                text = decode(data)
                # The file name without ".up.<ext>": what operators call the migration.
                name = f.name[: m.start(3) - 1]
                scan.migrations.append(Migration(
                    version=str(version), name=name, file=f.display, path=f.path, sha256=sha, line_count=lines,
                    sql=text, sql_line=1, transaction=self.transaction))
            ups[version].append(f.display)
        for (version, direction), files in sorted(seen.items()):
            if len(files) > 1:
                scan.problems.append(duplicate_problem(
                    self.name, str(version), files,
                    f"golang-migrate refuses to start (\"duplicate migration file\" for the {direction} "
                    f"migration)"))
        scan.migrations.sort(key=lambda mig: int(mig.version))
        return scan

    def evaluate(self, scan: Scan, rows: list[Row] | None, table: str) -> TrackingState:
        migrations = scan.migrations
        if not rows:
            return TrackingState(table=table, table_exists=rows is not None, rows=0, applied=[],
                                 pending=list(migrations))
        problems: list[Problem] = []
        if len(rows) > 1:
            problems.append(Problem(
                kind="tracking",
                message=(f"{table} holds {len(rows)} rows; golang-migrate keeps exactly one and reads an "
                         "arbitrary one of these"),
                remediation=f"delete the stale rows from {table} so that only the real version remains"))
        row = rows[0]
        if row["version"] is None:
            problems.append(Problem(kind="tracking", message=f"{table} records a NULL version",
                                    remediation=f"record the real version in {table} with `migrate force`"))
            return TrackingState(table=table, table_exists=True, rows=len(rows), applied=[],
                                 pending=list(migrations), problems=problems)
        current = int(row["version"])
        dirty = bool(row["dirty"])
        by_version = {int(m.version): m for m in migrations}
        if current < 0:
            # NilVersion recorded dirty: the very first migration failed.
            if dirty:
                first = migrations[0].name if migrations else "the first migration"
                problems.append(Problem(
                    kind="dirty",
                    message=(f"golang-migrate recorded a dirty state before any version: {first} failed "
                             "part-way, and `migrate up` refuses to run until that is fixed"),
                    remediation=(f"undo what {first} changed by hand, then clear the state with "
                                 "`migrate force -1`"),
                    migration=first))
            return TrackingState(table=table, table_exists=True, rows=len(rows), applied=[],
                                 pending=list(migrations), problems=problems)
        assumed = [m for m in migrations if int(m.version) <= current]
        applied = [Applied(m.version, m) for m in assumed]
        if current not in by_version and str(current) not in scan.extra_versions:
            applied.append(Applied(str(current), None))
            applied.sort(key=lambda a: int(a.version))
            problems += ahead_problems(self.name, table, applied, migrations[-1] if migrations else None)
            problems[-1] = Problem(
                kind="ahead",
                message=(problems[-1].message + f"; `migrate up` fails with \"no migration found for version "
                                                f"{current}\""),
                remediation=problems[-1].remediation, migration=str(current))
        pending = [m for m in migrations if int(m.version) > current]
        if dirty:
            m = by_version.get(current)
            label = m.name if m else f"version {current}"
            earlier = [v for v in by_version if v < current]
            previous = str(max(earlier)) if earlier else "-1"
            problems.insert(0, Problem(
                kind="dirty",
                message=(f"golang-migrate recorded {label} as dirty: it failed part-way, and `migrate up` refuses "
                         "to run until that is fixed"),
                remediation=(f"inspect what {label} changed and finish or undo it by hand, then record the truth "
                             f"with `migrate force {current}` (finished) or `migrate force {previous}` (undone)"),
                migration=m.name if m else str(current), file=m.file if m else None))
        return TrackingState(table=table, table_exists=True, rows=len(rows), applied=applied, pending=pending,
                             problems=problems, current=str(current),
                             assumed_applied=[m for m in assumed if int(m.version) < current])
