"""Reading a backfill's watermark and the newest event of its source table, with index lookups only.

The newest event of a row is the first non-null of several columns, ``coalesce(c1, c2, ...)``. Its maximum over
the table needs no scan of the table when each column is indexed::

    max(coalesce(c1, c2)) = greatest(max(c1), max(c2) where c1 is null)

and a row whose ``c2`` is not above the first maximum cannot raise the result, so the second lookup is bounded
below by it: ``max(c2) where c1 is null and c2 > max(c1)``. PostgreSQL answers each ``max`` from the end of a
btree index on the column (a backward index scan that stops at the first row passing the filter), and the range
condition keeps the walk short. With more columns the same step repeats: stage ``i`` is ``max(ci)`` over rows
where every earlier column is null and ``ci`` is above the maximum so far.

Stage values are passed as parameters, so the planner sees them (an unnamed prepared statement is planned with
its parameter values) and estimates the range from the column's histogram. When asked to, each stage is planned
first (``EXPLAIN``) and not run unless its plan reads the table through an index that fits the lookup (see
:meth:`Stage.bounded`): the reader then reports the bound it has.

All values come back in one type shared by the watermark and the source columns (timestamptz if any of them is,
else timestamp if any is, else date), so the comparison is exact and done in Python; ``infinity`` and
``-infinity`` come back as such.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from psycopg import Cursor, sql

from preflight.db.catalog import Table, explain, full_scans, index_names

TIME_TYPES = ("date", "timestamp", "timestamptz")
"""Column types a watermark and its source may have, in order of precedence for the common type."""

SOURCE_ALIAS = "src"


def common_type(types: list[str]) -> str:
    return max(types, key=TIME_TYPES.index)


@dataclass(frozen=True)
class Moment:
    """A point in time from the database: a finite value, or ``infinity`` / ``-infinity``."""

    value: datetime.datetime | datetime.date | None = None
    infinite: int = 0
    """+1 for infinity, -1 for -infinity, 0 for a finite value."""

    @classmethod
    def read(cls, value: Any, infinite: str | None) -> Moment | None:
        if infinite is not None:
            return cls(None, 1 if infinite == "infinity" else -1)
        if value is None:
            return None
        return cls(value)

    def __str__(self) -> str:
        if self.infinite:
            return "infinity" if self.infinite > 0 else "-infinity"
        assert self.value is not None
        if isinstance(self.value, datetime.datetime):
            return self.value.isoformat(sep=" ")
        return self.value.isoformat()

    def __gt__(self, other: Moment) -> bool:
        if self.infinite or other.infinite:
            return self.infinite > other.infinite
        assert self.value is not None and other.value is not None
        return bool(self.value > other.value)  # type: ignore[operator]

    def minus(self, other: Moment) -> datetime.timedelta | None:
        """``self - other``; None when either is infinite."""
        if self.infinite or other.infinite:
            return None
        a, b = self.value, other.value
        if isinstance(a, datetime.datetime) or isinstance(b, datetime.datetime):
            return _as_datetime(a) - _as_datetime(b)
        assert a is not None and b is not None
        return a - b


def _as_datetime(v: Any) -> datetime.datetime:
    if isinstance(v, datetime.datetime):
        return v
    return datetime.datetime.combine(v, datetime.time())


@dataclass
class Stage:
    """One index lookup: ``max(column)`` over rows where ``nulls`` are all null (and ``column`` is above the
    maximum so far)."""

    column: str
    nulls: list[str]

    def index_fits(self, keys: list[str | None]) -> bool:
        """Whether an index with these key columns answers the lookup from one end of a range: its keys up to
        this stage's column are columns the stage requires NULL (equality-like), then the column itself."""
        for key in keys:
            if key == self.column:
                return True
            if key not in self.nulls:
                return False
        return False

    def bounded(self, plan: dict[str, Any], table: Table) -> bool:
        """Whether ``plan`` answers the lookup from an index that fits it, with no read of the whole table. An
        index that does not fit (say, one on an earlier column used for its IS NULL) would walk an unknown share
        of the table."""
        if full_scans(plan, SOURCE_ALIAS):
            return False
        used = [name for name in index_names(plan) if name in table.indexes]
        return bool(used) and all(self.index_fits(table.indexes[name]) for name in used)

    def describe(self) -> str:
        where = " and ".join(f"{c} is null" for c in self.nulls)
        return f"max({self.column})" + (f" where {where}" if where else "")


@dataclass
class Coverage:
    watermark_rows: int
    """How many rows the watermark's ``where`` picked (0, 1, or 2 meaning "more than one")."""
    watermark: Moment | None
    """None when the row is missing or the watermark is NULL."""
    newest: Moment | None
    """The newest source event; with ``exact`` False, a lower bound (None: nothing known)."""
    exact: bool
    not_run: Stage | None = None
    """The lookup that was not run because no index fits it (its plan would read much of the table)."""
    plans: list[dict[str, Any]] = field(default_factory=list)
    """Plans looked at, in stage order (when plans were checked)."""


def _moment_columns(expr: sql.Composable, type_name: str) -> sql.Composed:
    return sql.SQL("case when isfinite({e}) then ({e})::{t} end, case when not isfinite({e}) then ({e})::text end"
                   ).format(e=expr, t=sql.SQL(type_name))


def watermark_query(table: Table, column: str, where: dict[str, Any], type_name: str) -> tuple[sql.Composed, list[Any]]:
    """Count (up to 2), value and infinity of the watermark in the row(s) ``where`` picks."""
    conds: list[sql.Composable] = [sql.SQL("{} = %s").format(sql.Identifier(k)) for k in where]
    cond = sql.SQL(" and ").join(conds or [sql.SQL("true")])
    t = sql.SQL(type_name)
    query = sql.SQL(
        "select count(*), max(case when isfinite(x.w) then x.w::{t} end), "
        "max(case when not isfinite(x.w) then x.w::text end) "
        "from (select {col} as w from {tbl} as wm where {cond} limit 2) x"
    ).format(t=t, col=sql.Identifier(column), tbl=table.identifier, cond=cond)
    return query, list(where.values())


def stage_query(table: Table, stage: Stage, above: Moment | None, type_name: str) -> tuple[sql.Composed, list[Any]]:
    """``max(column)`` where the earlier columns are null and, given ``above``, the column is above it."""
    conds: list[sql.Composable] = [sql.SQL("{} is null").format(sql.Identifier(SOURCE_ALIAS, c)) for c in stage.nulls]
    params: list[Any] = []
    if above is not None and above.infinite == 0:
        conds.append(sql.SQL("{} > %s::{}").format(sql.Identifier(SOURCE_ALIAS, stage.column), sql.SQL(type_name)))
        params.append(above.value)
    where = sql.SQL(" where ") + sql.SQL(" and ").join(conds) if conds else sql.SQL("")
    query = sql.SQL("select {m} from (select max({col}) as m from {tbl} as {alias}{where}) s").format(
        m=_moment_columns(sql.SQL("s.m"), type_name), col=sql.Identifier(SOURCE_ALIAS, stage.column),
        tbl=table.identifier, alias=sql.Identifier(SOURCE_ALIAS), where=where)
    return query, params


def stages(columns: list[str]) -> list[Stage]:
    return [Stage(c, columns[:i]) for i, c in enumerate(columns)]


def first_query(wm_table: Table, wm_column: str, where: dict[str, Any], src: Table, columns: list[str],
                type_name: str) -> tuple[sql.Composed, list[Any]]:
    """The watermark and the first stage in one statement: one round trip, one snapshot."""
    wq, wp = watermark_query(wm_table, wm_column, where, type_name)
    sq, sp = stage_query(src, stages(columns)[0], None, type_name)
    return sql.SQL("select * from ({}) w cross join ({}) s").format(wq, sq), wp + sp


def read_coverage(cur: Cursor[Any], wm_table: Table, wm_column: str, where: dict[str, Any], src: Table,
                  columns: list[str], *, check_plans: bool) -> Coverage:
    """The watermark and the newest source event. With ``check_plans``, every lookup is planned first and one
    that would read the whole source table is not run (the result is then not ``exact``)."""
    types = [wm_table.columns[wm_column].base_type] + [src.columns[c].base_type for c in columns]
    type_name = common_type(types)
    all_stages = stages(columns)
    plans: list[dict[str, Any]] = []

    query, params = first_query(wm_table, wm_column, where, src, columns, type_name)
    if check_plans:
        plan = explain(cur, query, params)
        plans.append(plan)
        if not all_stages[0].bounded(plan, src):
            wq, wp = watermark_query(wm_table, wm_column, where, type_name)
            cur.execute(wq, wp)
            n, value, inf = _one(cur)
            return Coverage(min(int(n), 2), Moment.read(value, inf), None, False, all_stages[0], plans)
    cur.execute(query, params)
    n, w_value, w_inf, s_value, s_inf = _one(cur)
    watermark = Moment.read(w_value, w_inf)
    newest = Moment.read(s_value, s_inf)

    for stage in all_stages[1:]:
        if newest is not None and newest.infinite > 0:
            break  # nothing is newer than infinity
        query, params = stage_query(src, stage, newest, type_name)
        if check_plans:
            plan = explain(cur, query, params)
            plans.append(plan)
            if not stage.bounded(plan, src):
                return Coverage(min(int(n), 2), watermark, newest, False, stage, plans)
        cur.execute(query, params)
        value, inf = _one(cur)
        found = Moment.read(value, inf)
        if found is not None and (newest is None or found > newest):
            newest = found
    return Coverage(min(int(n), 2), watermark, newest, True, None, plans)


def _one(cur: Cursor[Any]) -> tuple[Any, ...]:
    row = cur.fetchone()
    assert row is not None
    return tuple(row)
