"""Knex (knexjs.org), ``knex migrate:latest``, PostgreSQL client.

- Files: every file of the migrations directory (not its subdirectories) whose extension is one Knex loads:
  ``.js .cjs .ts .co .coffee .eg .iced .litcoffee .ls`` (``loadExtensions``; a ``.d.ts`` counts as ``.ts``, as
  it does for Knex). The whole file name is the migration's name, recorded with its extension.
- Order: file name (JavaScript's string order, the byte order of ASCII names).
- Execution: a migration is JavaScript: its SQL is known only when it runs, so it is listed and named as not
  linted. ``migrate:latest`` runs the whole batch in one transaction unless a migration says
  ``exports.config = { transaction: false }`` ("none") or the knexfile sets ``disableTransactions``.
- Tracking: ``knex_migrations (id serial primary key, name varchar(255), batch integer, migration_time
  timestamptz)``, one row per applied file, and ``knex_migrations_lock (index serial primary key, is_locked
  integer)``: ``migrate:latest`` takes the lock by setting ``is_locked = 1`` and refuses to start while it is
  held ("Migration table is already locked"); a run that died leaves it held until ``knex migrate:unlock``.
  Before running, Knex checks that every recorded name still has its file ("The migration directory is
  corrupt, the following files are missing"), and runs every pending file, older ones included.
"""

from __future__ import annotations

import re

from preflight.migrations.model import Applied, Migration, Problem, Scan, TrackingState, decode, file_facts
from preflight.migrations.runners.base import Row, Runner, ahead_problems
from preflight.migrations.source import Source
from preflight.migrations.tracking import LOCK_ROLE

LOAD_EXTENSIONS = (".co", ".coffee", ".eg", ".iced", ".js", ".cjs", ".litcoffee", ".ls", ".ts")
NO_TX_RE = re.compile(r"config\s*=\s*\{[^}]*\btransaction\s*:\s*false", re.S)
NOT_SQL = "a JavaScript migration: its SQL is known only when Knex runs it"


def _extension(name: str) -> str:
    """Node's path.extname: from the last dot, unless the name starts with it."""
    dot = name.rfind(".")
    return name[dot:] if dot > 0 else ""


class Knex(Runner):
    name = "knex"
    table = "knex_migrations"
    columns = {"id": "id", "name": "name", "batch": "batch"}
    column_types = {"id": "int", "name": "text", "batch": "int"}
    column_sql = "(id serial primary key, name varchar(255), batch integer, migration_time timestamptz)"
    order_by = "id"
    default_transaction = "file"
    lock = ("{table}_lock", "is_locked")

    def scan(self, source: Source) -> Scan:
        scan = Scan()
        for f in source.files:
            if _extension(f.name) not in LOAD_EXTENSIONS:
                scan.unmatched.append(f.display)
                continue
            data = f.read()
            sha, lines = file_facts(data)
            transaction = "none" if NO_TX_RE.search(decode(data)) else self.transaction
            scan.migrations.append(Migration(f.name, f.name, f.display, f.path, sha, lines, "", 1, transaction,
                                             not_sql=NOT_SQL))
        # lodash sortBy on the name: UTF-16 code units, which is byte order for the ASCII names Knex writes.
        scan.migrations.sort(key=lambda m: m.name.encode("utf-16-be"))
        return scan

    def evaluate(self, scan: Scan, rows: list[Row] | None, table: str) -> TrackingState:
        migrations = scan.migrations
        if rows is None:
            return TrackingState(table=table, table_exists=False, rows=0, applied=[], pending=list(migrations))
        locks = [r[LOCK_ROLE] for r in rows if LOCK_ROLE in r]
        history = [r for r in rows if LOCK_ROLE not in r]
        by_name = {m.name: m for m in migrations}
        names = list(dict.fromkeys(str(r["name"]) for r in history if r["name"] is not None))
        applied = [Applied(n, by_name.get(n)) for n in names]
        problems: list[Problem] = []
        ahead = ahead_problems(self.name, table, applied, migrations[-1] if migrations else None)
        if ahead:
            missing = [a.label for a in applied if a.migration is None]
            problems.append(Problem(
                kind="ahead", message=(f"{ahead[0].message}; `knex migrate:latest` refuses to run (\"The migration "
                                       f"directory is corrupt, the following files are missing: "
                                       f"{', '.join(missing[:10])}\")"),
                remediation=ahead[0].remediation, migration=ahead[0].migration))
        lock_label = f"{table}_lock" if not self.target.table else f"{self.target.table}_lock"
        if any(v not in (0, None) for v in locks):
            problems.append(Problem(
                kind="locked",
                message=(f"{lock_label} is held (is_locked = 1): a `knex migrate` is running now, or one died "
                         "holding it; `migrate:latest` refuses to start (\"Migration table is already locked\")"),
                remediation=("make sure no migration is running, then release it with `knex migrate:unlock` "
                             "before rolling out")))
        done = set(names)
        pending = [m for m in migrations if m.name not in done]
        last_batch = max((int(r["batch"]) for r in history if r["batch"] is not None), default=None)
        last_known = max((i for i, m in enumerate(migrations) if m.name in done), default=-1)
        older = [m for i, m in enumerate(migrations) if i < last_known and m.name not in done]
        if older:
            problems.append(Problem(
                kind="out-of-order", severity="info",
                message=(f"Knex will run {', '.join(m.name for m in older)} out of order: "
                         f"{'it sorts' if len(older) == 1 else 'they sort'} before {migrations[last_known].name}, "
                         "which is applied already"),
                remediation="make sure it does not depend on running before the newer migrations",
                migration=older[0].name, file=older[0].file))
        return TrackingState(table=table, table_exists=True, rows=len(history), applied=applied, pending=pending,
                             problems=problems,
                             current=f"batch {last_batch}" if last_batch is not None else None)
