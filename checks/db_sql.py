"""Passes when a read-only SQL query returns what is expected: an assertion for what the built-ins do not cover.

The query must be one ``SELECT`` (``WITH ... SELECT``, ``VALUES`` and ``TABLE`` included); anything else is a
config error, found by PostgreSQL's own parser before anything runs. It runs through preflight's untrusted-SQL
gate (README, "Safe on production"): every function, operator, view and cast it uses is resolved in the
catalogs first, recursively through SQL and PL/pgSQL function bodies, and a query that would write or lock
anything by any route (``nextval()``, ``SELECT ... FOR UPDATE``, ``dblink_exec``, ``pg_advisory_lock``, a
function that writes, a foreign table) is refused before it runs: the check ends as ``error`` with the reason.
Otherwise it runs as ``pg_read_all_data`` (or ``[targets.database] untrusted_role``) in a read-only transaction
that is rolled back, through a server-side cursor, with the session's statement and lock timeouts; only the
rows needed are fetched, however many the query would return. A table that row-level security would filter for
that role is an ``error`` rather than a silently smaller answer.

``expect`` is one of:

- ``true`` / ``false`` (or ``"true"`` / ``"false"``): the query returns one row with one boolean column, and it
  has this value. No row, or NULL, fails.
- ``"no rows"`` / ``"rows"``: the query returns no row / at least one row.
- ``{ min = 0, max = 10 }`` (either bound may be left out): the query returns one row with one number in the
  range, bounds included. No row, or NULL, fails.

A result of the wrong shape for ``expect`` (two columns for a boolean, text for a range) is an ``error``: the query
does not answer the question asked. The details show the first rows returned (``show_rows``, long values cut).

Example::

    [[check]]
    id = "rollup-job-registered"
    uses = "db.sql"
    query = "select exists (select 1 from cron.job where jobname = 'rollup_task_usage_hourly')"
    expect = "true"
    message = "register the hourly rollup job before rolling out"
"""

from __future__ import annotations

import datetime
import decimal
import math
import uuid
from dataclasses import dataclass
from typing import Any, Literal

from preflight.api import CheckContext, Result, SqlParseError, check_session, doc, query_calls, untrusted
from preflight.api import parse_sql as parse

needs = ("database",)

MAX_CELL = 200
"""Characters of a value shown in the details before it is cut."""

_WRITES = {"InsertStmt": "INSERT", "UpdateStmt": "UPDATE", "DeleteStmt": "DELETE", "MergeStmt": "MERGE"}


@dataclass
class Range:
    min: float | None = doc("Lowest value accepted (included).", default=None)
    max: float | None = doc("Highest value accepted (included).", default=None)

    def __post_init__(self) -> None:
        if self.min is None and self.max is None:
            raise ValueError("min: give min, max or both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min: is above max")

    def describe(self) -> str:
        if self.min is None:
            return f"at most {_num(self.max)}"
        if self.max is None:
            return f"at least {_num(self.min)}"
        if self.min == self.max:
            return f"exactly {_num(self.min)}"
        return f"between {_num(self.min)} and {_num(self.max)}"


@dataclass
class Config:
    query: str = doc("One SELECT statement. It runs read-only, with the session's timeouts.")
    expect: bool | Literal["true", "false", "no rows", "rows"] | Range = doc(
        'What the query must return: true | false | "no rows" | "rows" | { min, max } on a single number.')
    message: str | None = doc("Says what to do when the expectation is not met; shown in the summary.", default=None)
    show_rows: int = doc("How many returned rows the details show.", default=5)

    def __post_init__(self) -> None:
        if self.expect == "true":
            self.expect = True
        elif self.expect == "false":
            self.expect = False
        if not 0 <= self.show_rows <= 100:
            raise ValueError("show_rows: must be between 0 and 100")
        try:
            statements = parse(self.query)
        except SqlParseError as e:
            raise ValueError(f"query: does not parse: {e.message}") from None
        if len(statements) != 1:
            raise ValueError(f"query: must be exactly one SELECT statement, got {len(statements)} statements")
        (stmt,) = statements
        if stmt.kind != "SelectStmt":
            kind = stmt.kind.removesuffix("Stmt")
            raise ValueError(f"query: must be a SELECT; preflight never writes, and this is a {kind} statement")
        for cte in stmt.node.get("withClause", {}).get("ctes", []):
            inner = cte.get("CommonTableExpr", {}).get("ctequery", {})
            for kind, word in _WRITES.items():
                if kind in inner:
                    raise ValueError(f"query: its WITH runs an {word}; preflight never writes")
        self._statement = stmt.text

    @property
    def statement(self) -> str:
        """The query's one statement, without a trailing semicolon."""
        return self._statement


def run(config: Config, ctx: CheckContext) -> Result:
    expect = config.expect
    # Fetch only what the expectation and the details need: one more row than that tells whether there are more.
    wanted = max(config.show_rows, 1 if expect in ("no rows", "rows") else 2) + 1
    # The untrusted-SQL gate vets what the query calls and confines the session it runs in (see the README's
    # "Safe on production"). A cursor fetches only the rows needed, however many the query would return.
    with check_session(ctx) as cur, untrusted(cur, ctx.database, query_calls(config.statement), "the query"), \
            cur.connection.cursor(name="preflight_db_sql") as rows_cur:
        rows_cur.execute(config.statement)
        rows = rows_cur.fetchmany(wanted)
        columns = [c.name for c in rows_cur.description or []]
    more = len(rows) == wanted
    details: dict[str, Any] = {
        "expect": _expect_text(expect),
        "columns": columns,
        "rows": [[_cell(v) for v in row] for row in rows[:config.show_rows]],
        "more_rows": len(rows) > config.show_rows,
    }
    count = f"{len(rows) - 1}+" if more else str(len(rows))

    if expect == "no rows":
        return _verdict(config, not rows, "no rows", f"{count} row(s)" if rows else "no rows", details)
    if expect == "rows":
        return _verdict(config, bool(rows), "rows", f"{count} row(s)" if rows else "no rows", details)

    kind = "one boolean" if isinstance(expect, bool) else "one number"
    if len(columns) != 1 or len(rows) > 1:
        got = f"{len(columns)} columns" if len(columns) != 1 else f"{count} rows"
        return Result.errored(f"expect = {_expect_text(expect)} needs a query returning one row with {kind}; it "
                              f"returned {got} (check the config)", details=details)
    if not rows:
        return _verdict(config, False, _expect_text(expect), "no rows", details)
    value = rows[0][0]
    if value is None:
        return _verdict(config, False, _expect_text(expect), "NULL", details)
    if isinstance(expect, bool):
        if not isinstance(value, bool):
            return Result.errored(f"expect = {_expect_text(expect)} needs a boolean; the query returned "
                                  f"{_cell(value)!r} (check the config)", details=details)
        return _verdict(config, value is expect, _expect_text(expect), _expect_text(value), details)
    assert isinstance(expect, Range)
    if isinstance(value, bool) or not isinstance(value, int | float | decimal.Decimal):
        return Result.errored(f"expect = {{ min, max }} needs a number; the query returned {_cell(value)!r} "
                              "(check the config)", details=details)
    ok = (expect.min is None or value >= expect.min) and (expect.max is None or value <= expect.max)
    return _verdict(config, bool(ok), expect.describe(), _num(value), details)


def _verdict(config: Config, ok: bool, expected: str, got: str, details: dict[str, Any]) -> Result:
    if ok:
        return Result.passed(f"the query returned {got}, as expected", details=details)
    found = f"expected {expected}, the query returned {got}"
    if config.message:
        return Result.failed(f"{config.message} ({found})", details=details)
    return Result.failed(found, details=details)


def _expect_text(expect: Any) -> str:
    if isinstance(expect, bool):
        return "true" if expect else "false"
    if isinstance(expect, Range):
        return expect.describe()
    return str(expect)


def _num(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _cell(v: Any) -> Any:
    """A value as JSON can carry it, deterministic and short."""
    if v is None or isinstance(v, bool | int):
        return v
    if isinstance(v, float):
        return v if math.isfinite(v) else str(v)
    if isinstance(v, str):
        return v if len(v) <= MAX_CELL else v[:MAX_CELL] + "…"
    if isinstance(v, datetime.datetime):
        return v.isoformat(sep=" ")
    if isinstance(v, datetime.date | datetime.time | decimal.Decimal | uuid.UUID | datetime.timedelta):
        return str(v)
    if isinstance(v, bytes | bytearray | memoryview):
        data = bytes(v)
        text = "\\x" + data[: MAX_CELL // 2].hex()
        return text + ("…" if len(data) > MAX_CELL // 2 else "")
    if isinstance(v, list | tuple):
        return [_cell(x) for x in v]
    if isinstance(v, dict):
        return {str(k): _cell(x) for k, x in sorted(v.items(), key=lambda kv: str(kv[0]))}
    text = str(v)
    return text if len(text) <= MAX_CELL else text[:MAX_CELL] + "…"
