"""Passes when a backfill's watermark has caught up with the newest event of its source table.

A backfill that records its progress as a watermark (a timestamp in a state row, e.g. ``watermark_at``) is
complete when the watermark has reached the newest event in the table it reads. The check compares the two and
never the clock: a backfill stamped an hour ago over data whose newest event is older passes whenever it is
checked. A derived table having rows proves nothing (an interrupted backfill leaves rows behind): only the
watermark counts.

- The newest event of a row is the first non-null of ``source.columns`` (``coalesce``): rows written before a
  column existed have it NULL.
- Empty source (no row has an event time): passes, there is nothing to cover.
- No watermark row, or a NULL watermark, while the source has events: fails.
- Watermark behind the newest event by more than ``max_lag``: fails, with the watermark, the newest event and the
  lag in the details, and a remediation (``remediation`` overrides it). Exactly ``max_lag`` behind passes.
- A table or column that does not exist: skipped as not applicable when a pending migration creates it (a fresh
  install, needs ``[targets.migrations]``); otherwise an ``error`` naming it, so a typo cannot pass silently.

Safe on production: the newest event is found with index lookups (``max(c1)``, then ``max(c2) where c1 is null
and c2 > max(c1)``, and so on), not a scan of the table. On a table with more than ``max_scan_rows`` estimated
rows every lookup is planned first; if its plan does not go through an index that fits it (the only way would
be a scan of much or all of the table) the check does not run it, unless what it already knows proves the
watermark behind. It then could not decide: an ``error`` (exit 3) naming the lookup and the table's estimated
size, with the index that would answer it; ``on_unknown = "warn"`` makes that a warning instead. Index each
source column (for the second and later columns, an index on the column alone, or a partial one ``where
<earlier columns> is null``, fits). Columns may be ``date``, ``timestamp`` or ``timestamptz``.

Example::

    [[check]]
    id = "hourly-rollup-caught-up"
    uses = "db.watermark"
    watermark = { table = "task_usage_hourly_rollup_state", column = "watermark_at", where = { id = 1 } }
    source = { table = "task_usage", columns = ["updated_at", "created_at"] }
    max_lag = "1h"
    when_pending = ["103_*"]
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from preflight.api import (
    TIME_TYPES,
    CheckContext,
    Coverage,
    Duration,
    Moment,
    OnUnknown,
    Result,
    Stage,
    Table,
    TableName,
    check_session,
    doc,
    find_tables,
    human_count,
    human_duration,
    human_size,
    indexes_on,
    on_unknown_key,
    pending_schema,
    planner_rows,
    read_coverage,
    unknown_result,
)

needs = ("database",)


@dataclass
class WatermarkRef:
    table: str = doc('The state table holding the watermark: "table" or "schema.table" (exact, case-sensitive).')
    column: str = doc("The watermark column (date, timestamp or timestamptz).")
    where: dict[str, str | int | float | bool] = doc(
        "Picks the state row: column = value pairs, e.g. { id = 1 }. Empty: the table's only row.",
        default_factory=dict)

    def __post_init__(self) -> None:
        try:
            TableName.parse(self.table)
        except ValueError as e:
            raise ValueError(f"table: {e}") from None


@dataclass
class SourceRef:
    table: str = doc('The table the backfill reads: "table" or "schema.table" (exact, case-sensitive).')
    columns: list[str] = doc("The event time of a row: the first non-null of these columns, e.g. "
                             '["updated_at", "created_at"]. Index each of them.')

    def __post_init__(self) -> None:
        try:
            TableName.parse(self.table)
        except ValueError as e:
            raise ValueError(f"table: {e}") from None
        if not self.columns:
            raise ValueError("columns: name at least one column")
        if len(set(self.columns)) != len(self.columns):
            raise ValueError("columns: a column is listed twice")


@dataclass
class Config:
    watermark: WatermarkRef = doc(
        'Where the backfill records its progress: { table = "[schema.]table", column = "watermark_at", '
        "where = { id = 1 } }. `where` holds column = value pairs picking the row; without it the table must have "
        "exactly one row. Names are matched exactly (case-sensitive), unqualified ones along the search_path.")
    source: SourceRef = doc(
        'The table whose newest event the watermark must reach: { table = "[schema.]table", columns = '
        '["updated_at", "created_at"] }: a row\'s event time is the first non-null of `columns`.')
    max_lag: Duration = doc("How far the watermark may trail the newest event and still pass.",
                            default=Duration(0))
    remediation: str | None = doc("Replaces the default remediation shown when the check fails.", default=None)
    max_scan_rows: int = doc(
        "Source tables estimated above this many rows are never read in full: each lookup is planned first "
        "(EXPLAIN), and one the plan does not answer through an index that fits it is not run (the check could "
        "not decide: see on_unknown).", default=100_000)
    on_unknown: OnUnknown = on_unknown_key(
        "the newest event cannot be found without scanning a table above max_scan_rows (no index fits)")

    def __post_init__(self) -> None:
        if self.max_scan_rows < 0:
            raise ValueError("max_scan_rows: must not be negative")


def run(config: Config, ctx: CheckContext) -> Result:
    with check_session(ctx) as cur:
        wm, src = find_tables(cur, [TableName.parse(config.watermark.table), TableName.parse(config.source.table)])
        missing = _missing(config, wm, src)
        if not missing:
            assert wm is not None and src is not None
            wrong_type = _wrong_types(config, wm, src)
            if wrong_type:
                return Result.errored(wrong_type + " (check the config)")
            rows = src.estimated_rows if src.estimated_rows is not None else planner_rows(cur, src)
            coverage = read_coverage(cur, wm, config.watermark.column, dict(config.watermark.where), src,
                                     list(config.source.columns), check_plans=rows >= config.max_scan_rows)
            indexes: list[str] = []
            if coverage.not_run is not None:
                indexes = [i.definition for i in indexes_on(cur, src, coverage.not_run.column)]
            return _judge(config, wm, src, rows, coverage, indexes)
    # Outside the session: reading the pending list borrows a connection of its own, and the run may have one.
    return _not_there(ctx, missing)


# -- tables and columns that are not there -------------------------------------------------------------------


def _missing(config: Config, wm: Table | None, src: Table | None) -> list[tuple[str, str]]:
    """(table, column or "") for every table and column the config names that does not exist, in config order."""
    out: list[tuple[str, str]] = []
    for table, named, columns in (
        (wm, config.watermark.table, [config.watermark.column, *config.watermark.where]),
        (src, config.source.table, list(config.source.columns)),
    ):
        if table is None:
            out.append((named, ""))
            continue
        out.extend((named, c) for c in columns if c not in table.columns)
    return list(dict.fromkeys(out))  # the watermark may live in the source table itself


def _label(item: tuple[str, str]) -> str:
    table, column = item
    return f"column {column!r} of table {table!r}" if column else f"table {table!r}"


def _not_there(ctx: CheckContext, missing: list[tuple[str, str]]) -> Result:
    pending = pending_schema(ctx.targets)
    created: dict[tuple[str, str], str] = {}
    if pending is not None:
        for table, column in missing:
            by = pending.creator_of_column(table, column) if column else pending.creator_of_table(table)
            if by is not None:
                created[(table, column)] = by
    details: dict[str, Any] = {"missing": [_label(m) for m in missing]}
    typos = [m for m in missing if m not in created]
    if typos:
        first = typos[0]
        more = f" (and {len(typos) - 1} more)" if len(typos) > 1 else ""
        why = ("no pending migration creates it" if pending is not None
               else "no [targets.migrations] to tell whether a pending migration creates it")
        if pending is not None and pending.unparsed:
            details["unparsed_migrations"] = list(pending.unparsed)
            why += f"; {len(pending.unparsed)} pending migration(s) do not parse"
        return Result.errored(f"{_label(first)} does not exist{more}: check the config ({why})", details=details)
    details["created_by"] = {_label(m): created[m] for m in missing}
    first = missing[0]
    return Result.skipped(
        f"not applicable: {_label(first)} does not exist yet; pending migration {created[first]} creates it",
        details=details)


def _wrong_types(config: Config, wm: Table, src: Table) -> str | None:
    for table, column in [(wm, config.watermark.column), *[(src, c) for c in config.source.columns]]:
        col = table.columns[column]
        if col.base_type not in TIME_TYPES:
            return (f"column {column!r} of {table.qualified} is {col.type}: db.watermark compares date, timestamp "
                    "or timestamptz columns")
    return None


# -- the verdict ---------------------------------------------------------------------------------------------


def _judge(config: Config, wm: Table, src: Table, rows: float, cov: Coverage, indexes: list[str]) -> Result:
    where = " and ".join(f"{k} = {v!r}" for k, v in config.watermark.where.items())
    row_text = f"the row where {where}" if where else "its row"
    wm_text = f"{wm.qualified}.{config.watermark.column}"
    source_text = f"{src.qualified} ({', '.join(config.source.columns)})"
    max_lag = datetime.timedelta(seconds=float(config.max_lag))
    details: dict[str, Any] = {
        "watermark_table": wm.qualified,
        "watermark_column": config.watermark.column,
        "watermark_row": dict(config.watermark.where),
        "source_table": src.qualified,
        "source_columns": list(config.source.columns),
        "max_lag": human_duration(config.max_lag),
        "watermark": _text(cov.watermark),
        "newest_event": _text(cov.newest) if cov.exact else None,
    }
    remediation = config.remediation or (
        f"let the backfill run until {wm_text} reaches the newest event in {src.qualified}, then run preflight "
        "again; do not roll out the change that depends on it before")

    if cov.watermark_rows > 1:
        return Result.errored(f"{wm.qualified} has more than one row matching {where or 'no condition'}: make "
                              "watermark.where pick exactly one (check the config)", details=details)

    if not cov.exact:
        assert cov.not_run is not None
        if cov.newest is not None and _behind(cov.newest, cov.watermark, max_lag):
            # What is known already proves the watermark behind: the newest event is at least cov.newest.
            details["newest_event_at_least"] = str(cov.newest)
            return _behind_result(config, wm_text, row_text, source_text, cov.watermark, cov.newest, max_lag,
                                  details, remediation, at_least=True)
        details["estimated_rows"] = round(rows)
        details["table_size_bytes"] = src.size_bytes
        details["lookup_not_run"] = cov.not_run.describe()
        details["indexes_on_column"] = indexes
        details["could_not_decide"] = True
        return unknown_result(
            config.on_unknown,
            f"could not decide: cannot tell without scanning {src.qualified} (~{human_count(rows)} rows, "
            f"{human_size(src.size_bytes)}): no index fits {cov.not_run.describe()}, so it was not run",
            details=details, remediation=_index_hint(src, cov.not_run))

    if cov.newest is None:
        return Result.passed(f"the source {source_text} has no events: nothing to cover", details=details)
    if cov.watermark_rows == 0:
        return Result.failed(f"no watermark row: {wm.qualified} has no row where {where or 'true'}, while "
                             f"{source_text} has events up to {cov.newest}", details=details, remediation=remediation)
    if cov.watermark is None:
        return Result.failed(f"the watermark {wm_text} is NULL in {row_text}, while {source_text} has events up "
                             f"to {cov.newest}", details=details, remediation=remediation)
    lag = cov.newest.minus(cov.watermark)
    if lag is not None:
        details["lag_seconds"] = lag.total_seconds()
        details["lag"] = _human(lag)
    if _behind(cov.newest, cov.watermark, max_lag):
        return _behind_result(config, wm_text, row_text, source_text, cov.watermark, cov.newest, max_lag,
                              details, remediation, at_least=False)
    if lag is not None and lag > datetime.timedelta(0):
        return Result.passed(f"watermark {cov.watermark} is {_human(lag)} behind the newest event of "
                             f"{source_text}, within max_lag {human_duration(config.max_lag)}", details=details)
    return Result.passed(f"watermark {cov.watermark} has caught up with the newest event of {source_text} "
                         f"({cov.newest})", details=details)


def _behind(newest: Moment, watermark: Moment | None, max_lag: datetime.timedelta) -> bool:
    if watermark is None:
        return True
    lag = newest.minus(watermark)
    if lag is None:
        return newest > watermark
    return lag > max_lag


def _behind_result(config: Config, wm_text: str, row_text: str, source_text: str, watermark: Moment | None,
                   newest: Moment, max_lag: datetime.timedelta, details: dict[str, Any], remediation: str,
                   *, at_least: bool) -> Result:
    newest_text = f"at least {newest}" if at_least else str(newest)
    if watermark is None:
        summary = f"the watermark {wm_text} is missing or NULL while {source_text} has events up to {newest_text}"
        return Result.failed(summary, details=details, remediation=remediation)
    lag = newest.minus(watermark)
    if lag is None:
        how_far = "infinitely"
    elif _human(lag) == human_duration(max_lag.total_seconds()):
        how_far = f"just over {_human(lag)}"
    else:
        how_far = ("at least " if at_least else "") + _human(lag)
    return Result.failed(
        f"backfill behind: watermark {watermark} is {how_far} behind the newest event of {source_text} "
        f"({newest_text}); max_lag is {human_duration(config.max_lag)}",
        details=details, remediation=remediation)


def _index_hint(src: Table, stage: Stage) -> str:
    from psycopg import sql

    # Shown to a person, not executed: quoting keeps odd names copy-pasteable.
    cols = sql.Identifier(stage.column).as_string()
    table = f"{sql.Identifier(src.schema).as_string()}.{sql.Identifier(src.name).as_string()}"
    where = " and ".join(f"{sql.Identifier(c).as_string()} is null" for c in stage.nulls)
    partial = f" where {where}" if where else ""
    return (f"add an index so the newest event is an index lookup, e.g. `create index concurrently on {table} "
            f"({cols}){partial}`, or raise max_scan_rows to allow the scan (or set on_unknown = \"warn\" to accept "
            "not knowing)")


def _text(m: Moment | None) -> str | None:
    return None if m is None else str(m)


def _human(lag: datetime.timedelta) -> str:
    seconds = lag.total_seconds()
    return human_duration(seconds) if seconds >= 0 else f"-{human_duration(-seconds)}"
