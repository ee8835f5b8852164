"""Rehearses the pending migrations on a copy of the live schema: do they apply, what do they lock, for how long?

The lint predicts; PostgreSQL knows. This check copies the live database's schema (never its data, apart from
small tables and the migration tracking table), restores it into a throwaway database on a rehearsal server,
runs the pending migrations there exactly as the runner will, and watches every statement:

- **What is copied**: ``pg_dump --schema-only`` of the live database (read-only, under the session's timeouts,
  from a client at least as new as the server), the tracking table's rows, the rows of tables of at most
  ``small_table_rows`` rows (state and lookup tables, so ``DO`` blocks that read them behave as they would live;
  a table is copied only if every table its foreign keys reference is), sequence values, database settings,
  extensions (an extension the rehearsal server lacks is a finding, and so are the objects that need it), and
  placeholder roles for the roles the schema names.
- **Where**: ``[targets.rehearsal] dsn``, or by default an embedded PostgreSQL started for the run. When its
  major version differs from the live one, every result says so. A ``dsn`` that reaches the live database's own
  cluster (the same system identifier) is refused before anything is created.
- **What is run**: the pending list in the runner's order with the runner's transaction boundaries
  (golang-migrate: the file as one query, an implicit transaction; goose and Flyway: a transaction per
  migration unless ``NO TRANSACTION``; dbmate: a transaction unless ``transaction:false``, then still one query;
  the filename runner as configured), stopping at the first error. A migration preflight has no SQL for (goose's
  Go, Flyway's Java, code without ``sql_command``) is not run: the rehearsal is inconclusive there.
- **What is observed**, per statement: success, or the error with its SQLSTATE, message, file, line and column;
  the locks it holds when it ends (relation and mode, held to the end of the transaction); whether it rewrote a
  table or rebuilt an index (``relfilenode`` before and after); whether a DDL statement scanned a table; its
  duration on the copy.
- **Scaled by the live database**: a lock that blocks writes (``SHARE`` and stronger), held while a live table
  of at least ``lock_size`` is rewritten or scanned (by that statement or a later one in the same transaction),
  is a failure; with less to get through, a brief lock, or one on an empty or new table, information. Where
  the lint predicted a rewrite or a scan and the rehearsal saw none, the observation wins and the report says so.
- **Data preconditions**, probed read-only on the live data for statements that can fail on data (``SET NOT
  NULL``, a ``NOT NULL`` column without a default, ``PRIMARY KEY`` / ``UNIQUE`` / unique indexes, ``FOREIGN KEY``
  and ``CHECK`` without ``NOT VALID``, ``VALIDATE CONSTRAINT``, ``ALTER COLUMN TYPE``): each is planned first and
  run only within ``max_scan_bytes``. A violated precondition fails with the count and up to three sample keys
  (values redacted unless ``show_values = true``); one that could not be evaluated is an error unless
  ``on_unknown = "warn"``.

The live database is only read, with preflight's read-only sessions and timeouts; the rehearsal database (and
an embedded server) is removed at the end, also on Ctrl-C, SIGTERM and an error. ``preflight rehearse`` prints the per-statement table.

Limits: the copy's big tables are empty, so a statement's success on the copy says nothing about data beyond the
probed preconditions (the table marks each statement that ran on an empty copy of a populated table); the
rehearsal runs as the rehearsal server's superuser, so permission errors of the runner's own role are not
reproduced; the runner's writes to its tracking table are not replayed; a statement that calls out of the
database (``dblink``, ``COPY ... PROGRAM``) does so from the rehearsal server.

Example::

    [targets.rehearsal]
    dsn = "${REHEARSAL_URL:-}"      # empty: an embedded PostgreSQL started for the run

    [[check]]
    id = "migration-rehearsal"
    uses = "migrations.rehearse"
    lock_size = "50MB"
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from preflight.api import CheckContext, Result, doc

needs = ("database", "migrations")


@dataclass
class Config:
    small_table_rows: int = doc("Tables with at most this many rows are copied with their rows (state and lookup "
                                "tables); bigger ones are empty on the copy.", default=1000)
    lock_size: str = doc("A lock that blocks writes, held while at least this much live table "
                         "(pg_total_relation_size) is rewritten or scanned, is a failure; less is information.",
                         default="100MB")
    max_scan_bytes: str = doc("A data-precondition probe whose plan reads more than this (tables scanned, "
                              "indexes read whole) is not run, and is reported as not evaluated.",
                              default="100MB")
    show_values: bool = doc("Show the offending values and non-numeric keys of violating rows (and error "
                            "details) in the report; by default they are redacted.", default=False)
    on_unknown: Literal["error", "warn"] = doc(
        '"error": a precondition that could not be evaluated, or a statement the rehearsal could not decide, '
        'makes the check an error (the rollout is blocked); "warn": a warning.', default="error")

    def __post_init__(self) -> None:
        from preflight.api import parse_size

        if self.small_table_rows < 0:
            raise ValueError("small_table_rows: must not be negative")
        parse_size(self.lock_size, "lock_size")
        parse_size(self.max_scan_bytes, "max_scan_bytes")


def run(config: Config, ctx: CheckContext) -> Result:
    from preflight.api import judge_rehearsal as judge
    from preflight.api import rehearse_context

    pending = ctx.migrations.pending
    if not pending:
        return Result.passed("no pending migrations: nothing to rehearse",
                             details={"outcome": "nothing pending", "preconditions": [], "migrations": []})
    rehearsal, settings = rehearse_context(ctx, config)
    return judge(rehearsal, settings)
