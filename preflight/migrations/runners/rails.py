"""Rails / ActiveRecord migrations (``bin/rails db:migrate``), PostgreSQL adapter.

- Files (searched recursively, as ActiveRecord globs ``db/migrate/**/[0-9]*_*.rb``):
  ``{version}_{name}.rb`` or ``{version}_{name}.{scope}.rb`` (engines), matching ActiveRecord's
  ``\\A([0-9]+)_([_a-z0-9]*)\\.?([_a-z0-9]*)?\\.rb\\z``; a file the glob finds that does not match (say
  ``20240101_AddUser.rb``) stops every migration with ``IllegalMigrationNameError``. The version is an integer:
  ``001`` is recorded as ``1``. Two files with one version, or one class name, stop the runner too.
- Order: ascending version. ``db:migrate`` runs every pending migration, older ones included.
- Execution: each migration in a transaction ActiveRecord opens ("file"), unless the class calls
  ``disable_ddl_transaction!`` ("none"). A migration is Ruby: its SQL is known only through
  ``sql_command`` (Rails has no offline SQL mode of its own).
- Tracking: ``schema_migrations (version character varying NOT NULL PRIMARY KEY)``, one row per applied
  migration (beside ``ar_internal_metadata``, which preflight does not need). A version with no file is shown
  as "NO FILE" by ``db:migrate:status`` and otherwise ignored by Rails.
"""

from __future__ import annotations

import re

from preflight.migrations.model import Applied, Migration, Problem, Scan, TrackingState, decode, file_facts
from preflight.migrations.runners.base import Row, Runner, duplicate_problem, unparsable_problem
from preflight.migrations.runners.common import fill_per_migration, pruned_or_ahead
from preflight.migrations.source import Source

FILE_RE = re.compile(r"([0-9]+)_([_a-z0-9]*)\.?([_a-z0-9]*)?\.rb")
GLOB_RE = re.compile(r"[0-9].*_.*\.rb")
# `disable_ddl_transaction!` as a statement of the class body, not in a comment.
NO_TX_RE = re.compile(r"^[ \t]*(self\.)?disable_ddl_transaction!?[ \t]*(#.*)?$", re.M)

NOT_SQL = "a Ruby migration: its SQL is known only when it runs (set sql_command to a command that prints it)"


def camelize(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


class Rails(Runner):
    name = "rails"
    table = "schema_migrations"
    columns = {"version": "version"}
    column_types = {"version": "text"}
    column_sql = "(version character varying NOT NULL PRIMARY KEY)"
    default_transaction = "file"
    recursive = True
    options = ("sql_command",)

    def scan(self, source: Source) -> Scan:
        scan = Scan()
        found: list[tuple[int, Migration]] = []
        by_version: dict[int, list[str]] = {}
        by_class: dict[str, list[str]] = {}
        for f in source.files:
            base = f.basename
            if not GLOB_RE.fullmatch(base):
                scan.unmatched.append(f.display)
                continue
            m = FILE_RE.fullmatch(base)
            stem = base[: -len(".rb")]
            if m is None:
                scan.problems.append(unparsable_problem(
                    self.name, f.display, stem,
                    "the name does not match ActiveRecord's <version>_<snake_case_name>.rb (every migration stops "
                    "with IllegalMigrationNameError)"))
                continue
            version = int(m.group(1))
            data = f.read()
            sha, lines = file_facts(data)
            text = decode(data)
            transaction = "none" if NO_TX_RE.search(text) else self.transaction
            by_version.setdefault(version, []).append(f.display)
            by_class.setdefault(camelize(m.group(2)), []).append(f.display)
            found.append((version, Migration(str(version), stem, f.display, f.path, sha, lines, "", 1, transaction,
                                             not_sql=NOT_SQL)))
        for version, files in sorted(by_version.items()):
            if len(files) > 1:
                scan.problems.append(duplicate_problem(self.name, str(version), files,
                                                       "ActiveRecord refuses to migrate "
                                                       "(DuplicateMigrationVersionError)"))
        for cls, files in sorted(by_class.items()):
            if len(files) > 1:
                scan.problems.append(Problem(
                    kind="duplicate-version",
                    message=(f"{len(files)} migrations define the class {cls} ({', '.join(files)}): ActiveRecord "
                             "refuses to migrate (DuplicateMigrationNameError)"),
                    remediation="give each migration its own name", migration=cls, file=files[1]))
        found.sort(key=lambda item: item[0])
        scan.migrations = [m for _v, m in found]
        return scan

    def evaluate(self, scan: Scan, rows: list[Row] | None, table: str) -> TrackingState:
        migrations = scan.migrations
        if rows is None:
            return TrackingState(table=table, table_exists=False, rows=0, applied=[], pending=list(migrations))
        versions: set[int] = set()
        problems: list[Problem] = []
        for r in rows:
            raw = str(r["version"] or "")
            if raw.isdigit():
                versions.add(int(raw))
            else:
                problems.append(Problem(kind="tracking", message=f"{table} records {raw!r}, which is not a version",
                                        remediation=f"delete the row from {table}"))
        by_version = {int(m.version): m for m in migrations}
        applied = [Applied(str(v), by_version.get(v)) for v in sorted(versions)]
        problems += pruned_or_ahead(self.name, table, applied, migrations, key=int,
                                    consequence="`db:migrate:status` lists it as NO FILE")
        pending = [m for m in migrations if int(m.version) not in versions]
        newest = max(versions) if versions else None
        if newest is not None:
            older = [m for m in pending if int(m.version) < newest]
            if older:
                problems.append(Problem(
                    kind="out-of-order", severity="info",
                    message=(f"`db:migrate` will apply {', '.join(m.name for m in older)} out of order: older than "
                             f"the newest applied version {newest}"),
                    remediation="make sure it does not depend on running before the newer migrations",
                    migration=older[0].name, file=older[0].file))
        return TrackingState(table=table, table_exists=True, rows=len(rows), applied=applied, pending=pending,
                             problems=problems, current=str(newest) if newest is not None else None)

    def fill_sql(self, migrations: list[Migration], scan: Scan, state: TrackingState | None) -> list[Migration]:
        return fill_per_migration(self.target, migrations, lambda m: {"version": m.version, "name": m.name,
                                                                       "file": m.path})
