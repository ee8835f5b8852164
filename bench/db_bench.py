"""db.watermark, db.sql and db.activity on a 10-million-row source table: wall time and round trips per check.

Usage: python bench/db_bench.py [--rows N] [--runs N] [--dsn DSN] [--keep]

In a throwaway database of its own, the bench loads ``task_usage`` with --rows rows (default 10,000,000) in one
``INSERT ... SELECT`` from generate_series: ``created_at`` every 3 seconds, ``updated_at`` 7 minutes later on two
rows of three and NULL on the third (rows never updated), both columns indexed, then ANALYZE. It then runs each
check the way the engine does (typed config, a CheckContext, the shared read-only Database reader) and reports:

- wall time, median and best of --runs, on a warm connection (the run's pooled session, as every check after
  the first one of a run gets it), and once cold (opening the session included);
- round trips, counted exactly: libpq's protocol trace of the session is read back and every ReadyForQuery the
  server sends ends one round trip (BEGIN and ROLLBACK included).

Baselines measured in the same run: one ``select 1`` round trip on a plain autocommit psycopg connection, the
same through preflight's reader (BEGIN READ ONLY, select, ROLLBACK), and the naive answer to the watermark's
question, ``select max(coalesce(updated_at, created_at)) from task_usage`` (a full scan; its result is checked
against the watermark check's). The watermark check's goal: tens of milliseconds.

The database server is --dsn, else PREFLIGHT_TEST_DSN, else a throwaway embedded PostgreSQL (the tests' default).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
from psycopg import pq, sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import preflight.checks.db_activity as db_activity  # noqa: E402
import preflight.checks.db_sql as db_sql  # noqa: E402
import preflight.checks.db_watermark as db_watermark  # noqa: E402
from preflight.db.target import Database  # noqa: E402
from preflight.model import Result  # noqa: E402
from preflight.plugin import CheckContext  # noqa: E402
from preflight.targets import DatabaseTarget, Targets, TargetsConfig  # noqa: E402
from preflight.typed import build  # noqa: E402

GOAL_MS = 50.0

WATERMARK = {
    "watermark": {"table": "task_usage_hourly_rollup_state", "column": "watermark_at", "where": {"id": 1}},
    "source": {"table": "task_usage", "columns": ["updated_at", "created_at"]},
    "max_lag": "1h",
}
CRON = {"query": "select exists (select 1 from cron.job where jobname = 'rollup_task_usage_hourly')",
        "expect": "true"}


# -- round trips: libpq's trace of every session preflight opens -----------------------------------------------

_connections: list[psycopg.Connection[Any]] = []
_original_connect = Database._connect


def _recording_connect(self: Database) -> psycopg.Connection[Any]:
    conn = _original_connect(self)
    _connections.append(conn)
    return conn


Database._connect = _recording_connect  # type: ignore[method-assign]


@contextlib.contextmanager
def traced(conn: psycopg.Connection[Any]) -> Iterator[list[str]]:
    """Trace ``conn``'s protocol messages; yields a list filled, on exit, with the frontend messages sent."""
    sent: list[str] = []
    fd, path = tempfile.mkstemp(prefix="preflight-trace-")
    conn.pgconn.trace(fd)
    conn.pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS | pq.Trace.REGRESS_MODE)
    try:
        yield sent
    finally:
        conn.pgconn.untrace()  # flushes the trace
        with open(path, encoding="utf-8", errors="replace") as f:
            sent.extend(line.rstrip("\n") for line in f)
        os.close(fd)
        os.unlink(path)


def round_trips(trace: list[str]) -> int:
    return sum(1 for line in trace if line.startswith("B\t") and "\tReadyForQuery" in line)


def statements(trace: list[str]) -> list[str]:
    """What the client sent, one line per round trip: a simple Query's text or an extended Parse's."""
    # A query's own newlines continue the trace line they belong to.
    joined: list[str] = []
    for line in trace:
        if line.startswith(("F\t", "B\t")) or not joined:
            joined.append(line)
        else:
            joined[-1] += " " + line
    out = []
    for line in joined:
        parts = line.split("\t")
        if parts[0] == "F" and parts[2] in ("Query", "Parse"):
            text = parts[3].strip()
            if parts[2] == "Parse":
                text = text.split('" "', 1)[1] if '" "' in text else text
            out.append(" ".join(text.strip('"').split())[:110])
    return out


# -- the data ---------------------------------------------------------------------------------------------------


def load(admin: psycopg.Connection[Any], rows: int) -> float:
    start = time.monotonic()
    admin.execute("set synchronous_commit = off")
    admin.execute("set maintenance_work_mem = '512MB'")
    admin.execute("""
        create table task_usage (
            id bigint generated always as identity primary key,
            tenant_id int not null,
            created_at timestamptz not null,
            updated_at timestamptz
        )""")
    admin.execute("""
        insert into task_usage (tenant_id, created_at, updated_at)
        select i %% 1000,
               '2023-01-01'::timestamptz + i * interval '3 seconds',
               case when i %% 3 = 0 then null
                    else '2023-01-01'::timestamptz + i * interval '3 seconds' + interval '7 minutes' end
          from generate_series(1, %s) as i""", (rows,))
    admin.execute("create index task_usage_created_at_idx on task_usage (created_at)")
    admin.execute("create index task_usage_updated_at_idx on task_usage (updated_at)")
    admin.execute("analyze task_usage")
    admin.execute("""
        create table task_usage_hourly_rollup_state (id int primary key, watermark_at timestamptz not null
                                                     default '1970-01-01');
        create schema cron;
        create table cron.job (jobid bigserial primary key, jobname text not null, schedule text not null);
        insert into cron.job (jobname, schedule) values ('rollup_task_usage_hourly', '5 * * * *');
    """)
    admin.execute("insert into task_usage_hourly_rollup_state "
                  "select 1, max(coalesce(updated_at, created_at)) from task_usage")
    return time.monotonic() - start


# -- measuring --------------------------------------------------------------------------------------------------


def ctx_for(targets: Targets) -> CheckContext:
    return CheckContext(check_id="bench", targets=targets, deadline=time.monotonic() + 60)


def measure(label: str, dsn: str, module: Any, table: dict[str, Any], runs: int) -> dict[str, Any]:
    config = build(module.Config, table)
    # Cold: a run of its own, opening the session.
    cold_targets = Targets(TargetsConfig(database=DatabaseTarget(dsn=dsn)))
    start = time.perf_counter()
    module.run(config, ctx_for(cold_targets))
    cold = time.perf_counter() - start
    cold_targets.close()

    targets = Targets(TargetsConfig(database=DatabaseTarget(dsn=dsn)))
    result: Result = module.run(config, ctx_for(targets))  # opens the pooled session
    conn = _connections[-1]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = module.run(config, ctx_for(targets))
        times.append(time.perf_counter() - start)
    with traced(conn) as trace:
        module.run(config, ctx_for(targets))
    targets.close()
    return {"label": label, "median": statistics.median(times), "best": min(times), "cold": cold,
            "round_trips": round_trips(trace), "statements": statements(trace), "result": result}


def time_it(fn: Callable[[], Any], runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


@contextlib.contextmanager
def server(dsn: str | None) -> Iterator[str]:
    if dsn:
        yield dsn
        return
    from preflight.db.embedded import ThrowawayPostgres

    with ThrowawayPostgres() as pg:
        yield pg.dsn("postgres")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--dsn", default=os.environ.get("PREFLIGHT_TEST_DSN"))
    ap.add_argument("--keep", action="store_true", help="keep the bench database (its name is printed)")
    args = ap.parse_args()

    with server(args.dsn) as server_dsn:
        name = f"preflight_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(server_dsn, autocommit=True) as root:
            root.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
            version = root.execute("show server_version").fetchone()[0]  # type: ignore[index]
        params = conninfo_to_dict(server_dsn)
        params["dbname"] = name
        dsn = make_conninfo("", **params)
        try:
            with psycopg.connect(dsn, autocommit=True) as admin:
                load_s = load(admin, args.rows)
                size = admin.execute("select pg_size_pretty(pg_table_size('task_usage'))").fetchone()[0]  # type: ignore[index]
                print(f"PostgreSQL {version}; loaded {args.rows:,} rows ({size}) with indexes in {load_s:.0f} s",
                      file=sys.stderr)
                run_report(admin, dsn, args.rows, args.runs)
        finally:
            if not args.keep:
                with psycopg.connect(server_dsn, autocommit=True) as root:
                    root.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)))
            else:
                print(f"kept database {name}", file=sys.stderr)
    return 0


def run_report(admin: psycopg.Connection[Any], dsn: str, rows: int, runs: int) -> None:
    lines: list[tuple[str, float, float, float | None, int | None, str]] = []

    # Baselines.
    with psycopg.connect(dsn, autocommit=True) as plain:
        med, best = time_it(lambda: plain.execute("select 1").fetchall(), runs)
        lines.append(("baseline: `select 1`, plain autocommit psycopg", med, best, None, 1, ""))
    db = Database(DatabaseTarget(dsn=dsn))
    db.query("select 1")
    med, best = time_it(lambda: db.query("select 1"), runs)
    with traced(_connections[-1]) as trace:
        db.query("select 1")
    lines.append(("baseline: `select 1` through preflight's read-only reader", med, best, None,
                  round_trips(trace), ""))
    db.close()
    naive_runs = 3
    naive_result: list[Any] = []
    naive = "select max(coalesce(updated_at, created_at)) from task_usage"
    med, best = time_it(lambda: naive_result.append(admin.execute(naive).fetchone()[0]), naive_runs)  # type: ignore[index]
    lines.append((f"baseline: naive `{naive}` (full scan, {naive_runs} runs)", med, best, None, 1, ""))

    # The checks.
    measured = []
    wm = measure(f"db.watermark (plans checked: {rows:,} rows > max_scan_rows)", dsn, db_watermark, WATERMARK,
                 runs)
    measured.append(wm)
    got = wm["result"].details.get("newest_event")
    expected = naive_result[0].isoformat(sep=" ")
    assert got == expected, f"watermark check says newest {got}, the full scan {expected}"
    measured.append(measure("db.watermark, plans not checked (max_scan_rows above the table)", dsn, db_watermark,
                            {**WATERMARK, "max_scan_rows": rows * 10}, runs))
    measured.append(measure("db.sql (`select exists (...)` on cron.job)", dsn, db_sql, CRON, runs))
    idle = [psycopg.connect(dsn, autocommit=True) for _ in range(10)]
    in_tx = psycopg.connect(dsn)
    in_tx.execute("select count(*) from task_usage_hourly_rollup_state")  # idle in transaction, holding a lock
    time.sleep(0.2)
    measured.append(measure("db.activity (12 other sessions, 1 idle in transaction)", dsn, db_activity,
                            {"max_idle_in_transaction": "100ms"}, runs))
    in_tx.close()
    for c in idle:
        c.close()
    admin.execute("drop index task_usage_created_at_idx")
    measured.append(measure("db.watermark, no index fits stage 2 (warns, does not scan)", dsn, db_watermark,
                            WATERMARK, runs))

    for m in measured:
        lines.append((m["label"], m["median"], m["best"], m["cold"], m["round_trips"], str(m["result"].status)))

    print("| case | median ms | best ms | cold ms | round trips | status |")
    print("|---|---|---|---|---|---|")
    for label, med, best, cold, trips, status in lines:
        cold_text = f"{cold * 1000:.1f}" if cold is not None else ""
        print(f"| {label} | {med * 1000:.1f} | {best * 1000:.1f} | {cold_text} | {trips} | {status} |")
    print()
    print(f"db.watermark's round trips on the wire (warm session), goal: median under {GOAL_MS:.0f} ms:")
    for s in wm["statements"]:
        print(f"- `{s}`")
    if wm["median"] * 1000 > GOAL_MS:
        print(f"GOAL MISSED: db.watermark median {wm['median'] * 1000:.1f} ms", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
