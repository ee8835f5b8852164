"""Pending migrations applied as their runner applies them, one statement at a time, each observed.

The runner decides how a migration's text is sent (:func:`tests.lint_oracle.runners.units`): inside a
transaction it opens ("file"), as one multi-statement query ("implicit": one implicit transaction when it holds
more than one statement, the statement alone otherwise), or statement by statement ("none"). The harness sends
the same statements in the same transaction structure, one at a time, so that each one's truth is its own
(:func:`tests.lint_oracle.observe.observe_step`):

- a statement that fails ends its migration as the runner ends it: the migration's transaction (if it has one)
  is rolled back and the statements after it are not reached (their claims cannot be judged). A real runner
  would stop there; the harness goes on with the next migration, so that later migrations are judged against
  the database as it is without the failed one;
- ``BEGIN`` / ``COMMIT`` written in the file act as they do under the runner: a ``COMMIT`` inside a runner's
  transaction ends it and the rest of the file runs in autocommit (goose, dbmate, Flyway), or in a new implicit
  transaction (golang-migrate's one multi-statement query);
- a statement that commits on its own (alone in a golang-migrate file, in a NO TRANSACTION file...) is observed
  inside a transaction block committed right after it, which is the same thing with its locks visible; one that
  refuses transaction blocks (25001) is then run as is, in autocommit, and its truth has no locks.

``rows`` of a statement's truth (what decides whether a table "holds rows" for the claims it should have made)
are the rows at the start of its migration plus what the transaction inserted and deleted since, read from the
transaction's own counters (``pg_stat_get_xact_tuples_*``, no lock taken).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from pglast.parser import parse_sql

from tests.lint_oracle import claims as oracle
from tests.lint_oracle.observe import LintState, Truth, lint_state, observe_step, row_counts
from tests.lint_oracle.runners import Unit, located_statements, units

TRANSACTION_STARTS = ("TRANS_STMT_BEGIN", "TRANS_STMT_START")
TRANSACTION_ENDS = ("TRANS_STMT_COMMIT", "TRANS_STMT_ROLLBACK", "TRANS_STMT_COMMIT_PREPARED",
                    "TRANS_STMT_ROLLBACK_PREPARED")


@dataclass
class Applied:
    """One statement of a pending migration and what PostgreSQL did with it."""

    file: str
    line: int
    end_line: int
    text: str
    truth: Truth | None
    """None for BEGIN/COMMIT of the file itself: nothing to judge."""
    column: int = 1
    """Where the statement starts on its first line (two statements can share a line)."""
    reached: bool = True
    """False: an earlier statement of the migration failed, so this one never ran."""


def _transaction_kind(text: str) -> str | None:
    (raw,) = parse_sql(text)
    stmt = raw.stmt
    if type(stmt).__name__ != "TransactionStmt":
        return None
    kind = stmt.kind
    return str(getattr(kind, "name", kind))


TABLES = ("select c.oid, n.nspname || '.' || c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace "
          "where c.relkind in ('r', 'p', 'm') and n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')")


def _counters(cur: psycopg.Cursor[Any]) -> dict[int, int]:
    """Net rows inserted per table (by oid) by this transaction so far (its own pending counters)."""
    cur.execute("select c.oid, pg_stat_get_xact_tuples_inserted(c.oid) - pg_stat_get_xact_tuples_deleted(c.oid) "
                "from pg_class c where c.relkind in ('r', 'p', 'm')")
    return {int(oid): int(n) for oid, n in cur.fetchall()}


def _rows_by_oid(cur: psycopg.Cursor[Any]) -> dict[int, int]:
    """Rows of every table, by oid (a table renamed later in the migration keeps its oid)."""
    by_name = row_counts(cur)
    cur.execute(TABLES)
    return {int(oid): by_name[name] for oid, name in cur.fetchall() if name in by_name}


class Applier:
    """``rows_at_lint`` and ``lint``: the database when the lint ran; None: as the first unit found it."""

    def __init__(self, conn: psycopg.Connection[Any], rows_at_lint: dict[str, int] | None,
                 lint: LintState | None = None) -> None:
        self.conn = conn
        self.rows_at_lint = rows_at_lint
        self.lint = lint

    def apply(self, unit: Unit, file: str, *, rehearse: bool = False) -> list[Applied]:
        """Apply one unit, observing each statement. ``rehearse``: inside one transaction block that is rolled
        back at the end, whatever the unit's mode (the differential table: many cases share one database)."""
        stmts = located_statements(unit.text)
        in_tx = rehearse or unit.mode == "file" or (unit.mode == "implicit" and len(stmts) > 1)
        restart = unit.mode == "implicit"  # after a COMMIT in the file: a new implicit transaction
        out: list[Applied] = []
        with self.conn.cursor() as cur:
            cur.execute("set stats_fetch_consistency = none")
            start = _rows_by_oid(cur)
            at_start = row_counts(cur)
            if self.lint is None:
                self.lint = lint_state(cur)
            if in_tx:
                cur.execute("begin")
            base = _counters(cur)
            failed = False
            for text, line, column in stmts:
                first = line + unit.first_line - 1
                end = first + text.count("\n")
                if failed:
                    out.append(Applied(file, first, end, text, None, column, reached=False))
                    continue
                kind = _transaction_kind(text)
                if kind is not None and rehearse:
                    raise AssertionError(f"{file}:{first}: a rehearsed file cannot manage its transaction")
                if kind is not None:
                    try:
                        cur.execute(text.encode())  # a BEGIN inside a transaction only warns
                    except psycopg.Error as e:
                        raise AssertionError(f"{file}:{first}: {text!r} failed: {e}") from e
                    if kind in TRANSACTION_STARTS:
                        in_tx = True
                        base = _counters(cur)
                    elif kind in TRANSACTION_ENDS:
                        in_tx = False
                        start = _rows_by_oid(cur)
                        if restart:
                            cur.execute("begin")
                            in_tx = True
                        base = _counters(cur)
                    out.append(Applied(file, first, end, text, None, column))
                    continue
                if in_tx:
                    now = _counters(cur)
                    cur.execute(TABLES)
                    rows = {name: start.get(int(oid), 0) + now.get(int(oid), 0) - base.get(int(oid), 0)
                            for oid, name in cur.fetchall()}
                else:
                    rows = row_counts(cur)
                if in_tx:
                    truth = observe_step(cur, text, in_transaction=True, rows=rows, lint=self.lint)
                else:
                    truth = self._alone(cur, text, rows)
                truth.rows_at_lint = self.rows_at_lint if self.rows_at_lint is not None else at_start
                out.append(Applied(file, first, end, text, truth, column))
                if truth.error is not None:
                    failed = True
                    if in_tx:
                        cur.execute("rollback")
                        in_tx = False
            if in_tx:
                cur.execute("rollback" if rehearse else "commit")
        return out


    def _alone(self, cur: psycopg.Cursor[Any], text: str, rows: dict[str, int]) -> Truth:
        """A statement that commits on its own: observed inside a transaction block committed right after it
        (the same thing, with its locks visible), unless it refuses blocks; then run as is."""
        cur.execute("begin")
        truth = observe_step(cur, text, in_transaction=True, rows=rows, lint=self.lint)
        cur.execute("rollback" if truth.error else "commit")
        if truth.error and truth.error["sqlstate"] == "25001":
            truth = observe_step(cur, text, in_transaction=False, rows=rows, lint=self.lint)
        return truth


def apply_pending(conn: psycopg.Connection[Any], runner: str, paths: list[Path], *,
                  placeholders: dict[str, str] | None, stand_in: dict[str, str]) -> list[Applied]:
    """Apply ``paths`` (pending, in run order) as ``runner`` does; the truth of every statement."""
    with conn.cursor() as cur:
        applier = Applier(conn, row_counts(cur), lint_state(cur))
    out: list[Applied] = []
    for path in paths:
        if path.name in stand_in:  # a migration in code (goose's Go): what it does, in SQL, for the state after it
            applier.apply(Unit(stand_in[path.name], 1, "file"), path.name)
            continue
        for unit in units(runner, path, placeholders):
            out += applier.apply(unit, path.name)
    return out


# -- judging the claims of a file, statement by statement ------------------------------------------------------


@dataclass
class Judged:
    statement: Applied
    verdicts: list[oracle.Verdict]


def judge_statements(applied: list[Applied], claims: dict[str, list[oracle.Claim]], *, with_missing: bool = True
                     ) -> tuple[list[Judged], list[oracle.Claim]]:
    """Each claim judged against the statement its line falls in (``claims``: by file base name), and the
    claims the lint should have made on each statement; also the claims that fall on no statement that ran."""
    def start(a: Applied) -> tuple[int, int]:
        return (a.line, a.column)

    by_statement: dict[int, list[oracle.Claim]] = {id(a): [] for a in applied}
    placed: set[int] = set()
    for file, cs in claims.items():
        mine = [a for a in applied if a.file == file]
        for c in cs:
            if c.line is None:
                continue
            at = (c.line, c.column or 1)
            # the last statement of the file that starts at or before the claim and reaches its line
            home = [a for a in mine if start(a) <= at and c.line <= a.end_line]
            if home:
                by_statement[id(home[-1])].append(c)
                placed.add(id(c))
    judged: list[Judged] = []
    for a in applied:
        if not a.reached:
            judged.append(Judged(a, [oracle.Verdict(c, c.kind, oracle.MOOT, "not reached: an earlier statement of the "
                                                    "migration failed") for c in by_statement[id(a)]]))
            continue
        if a.truth is None:
            continue
        mine_claims = by_statement[id(a)]
        verdicts = [oracle.judge(c, a.truth) for c in mine_claims]
        if with_missing:
            verdicts += oracle.missing(mine_claims, a.truth)
        judged.append(Judged(a, verdicts))
    unplaced = [c for cs in claims.values() for c in cs if id(c) not in placed]
    return judged, unplaced


def tally(judged: list[Judged]) -> dict[str, dict[str, int]]:
    """Claims checked, wrong and missing, by kind (moot claims are not counted)."""
    out: dict[str, dict[str, int]] = {k: {"checked": 0, "wrong": 0, "missing": 0} for k in oracle.KINDS}
    for j in judged:
        for v in j.verdicts:
            if v.verdict == oracle.MOOT:
                continue
            out[v.kind]["checked"] += 1
            if v.verdict == oracle.WRONG:
                out[v.kind]["wrong"] += 1
                out[v.kind]["missing"] += v.claim is None
    return out
