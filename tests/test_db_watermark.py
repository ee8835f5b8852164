"""db.watermark against a real PostgreSQL: the backfill's watermark against the newest source event."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest

import preflight.checks.db_watermark as watermark
from preflight.db.catalog import TableName, explain, find_tables, full_scans, index_names
from preflight.db.watermark import Moment, first_query, read_coverage, stage_query, stages
from preflight.model import Status
from tests.db_state_support import run_check
from tests.helpers import CliRun, validate_report, write_config

T = datetime.datetime(2024, 5, 1, 12, 0, tzinfo=datetime.UTC)
HOUR = datetime.timedelta(hours=1)

SCHEMA = """
create table task_usage (
    id bigint generated always as identity primary key,
    created_at timestamptz not null,
    updated_at timestamptz
);
create index task_usage_created_at on task_usage (created_at);
create index task_usage_updated_at on task_usage (updated_at);
create table task_usage_hourly_rollup_state (id int primary key, watermark_at timestamptz default '1970-01-01');
create table task_usage_hourly_rollup (hour timestamptz primary key, tasks bigint not null);
"""


def cfg(**over: Any) -> dict[str, Any]:
    table: dict[str, Any] = {
        "watermark": {"table": "task_usage_hourly_rollup_state", "column": "watermark_at", "where": {"id": 1}},
        "source": {"table": "task_usage", "columns": ["updated_at", "created_at"]},
        "max_lag": "1h",
    }
    table.update(over)
    return table


@pytest.fixture
def db(pg_dsn: str, pg_admin: psycopg.Connection[Any]) -> psycopg.Connection[Any]:
    pg_admin.execute(SCHEMA)
    pg_admin.execute("set timezone = 'UTC'")
    return pg_admin


def events(db: psycopg.Connection[Any], *rows: tuple[datetime.datetime, datetime.datetime | None]) -> None:
    with db.cursor() as cur:
        cur.executemany("insert into task_usage (created_at, updated_at) values (%s, %s)", list(rows))


def set_watermark(db: psycopg.Connection[Any], value: Any) -> None:
    db.execute("insert into task_usage_hourly_rollup_state (id, watermark_at) values (1, %s) "
               "on conflict (id) do update set watermark_at = excluded.watermark_at", (value,))


def test_caught_up_passes(db: Any, pg_dsn: str) -> None:
    events(db, (T - 3 * HOUR, T), (T - 2 * HOUR, None))
    set_watermark(db, T)
    r = run_check(watermark, cfg(), pg_dsn)
    assert r.status is Status.PASS, r.summary
    assert "caught up" in r.summary
    assert r.details["newest_event"] == "2024-05-01 12:00:00+00:00"
    assert r.details["watermark"] == "2024-05-01 12:00:00+00:00"


def test_compares_with_the_newest_event_never_with_the_clock(db: Any, pg_dsn: str) -> None:
    # The backfill ran long ago over data that is older still: nothing new arrived, so it is complete.
    old = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    events(db, (old - HOUR, old))
    set_watermark(db, old)
    r = run_check(watermark, cfg(max_lag="0s"), pg_dsn)
    assert r.status is Status.PASS, r.summary


def test_behind_fails_with_the_lag_and_a_remediation(db: Any, pg_dsn: str) -> None:
    events(db, (T - 5 * HOUR, T - 4 * HOUR), (T, None))
    set_watermark(db, T - 2 * HOUR)
    r = run_check(watermark, cfg(), pg_dsn)
    assert r.status is Status.FAIL
    assert r.summary.startswith("backfill behind: watermark 2024-05-01 10:00:00+00:00 is 2h behind")
    assert r.details["lag"] == "2h" and r.details["lag_seconds"] == 7200.0
    assert r.details["newest_event"] == "2024-05-01 12:00:00+00:00"
    assert r.details["max_lag"] == "1h"
    assert r.remediation and "public.task_usage_hourly_rollup_state.watermark_at" in r.remediation

    r = run_check(watermark, cfg(remediation="run `make backfill-hourly`"), pg_dsn)
    assert r.status is Status.FAIL and r.remediation == "run `make backfill-hourly`"


def test_exactly_at_the_lag_limit_passes_and_a_microsecond_more_fails(db: Any, pg_dsn: str) -> None:
    events(db, (T, None))
    set_watermark(db, T - HOUR)
    r = run_check(watermark, cfg(), pg_dsn)
    assert r.status is Status.PASS, r.summary
    assert "1h behind" in r.summary and "within max_lag 1h" in r.summary

    set_watermark(db, T - HOUR - datetime.timedelta(microseconds=1))
    r = run_check(watermark, cfg(), pg_dsn)
    assert r.status is Status.FAIL
    assert "just over 1h behind" in r.summary
    assert r.details["lag_seconds"] == 3600.000001


def test_empty_source_passes_even_without_a_watermark_row(db: Any, pg_dsn: str) -> None:
    r = run_check(watermark, cfg(), pg_dsn)
    assert r.status is Status.PASS and "nothing to cover" in r.summary
    set_watermark(db, None)
    assert run_check(watermark, cfg(), pg_dsn).status is Status.PASS


def test_missing_watermark_row_fails(db: Any, pg_dsn: str) -> None:
    events(db, (T, None))
    db.execute("insert into task_usage_hourly_rollup_state (id, watermark_at) values (2, %s)", (T,))
    r = run_check(watermark, cfg(), pg_dsn)
    assert r.status is Status.FAIL
    assert r.summary.startswith("no watermark row: public.task_usage_hourly_rollup_state has no row where id = 1")


def test_null_watermark_fails(db: Any, pg_dsn: str) -> None:
    events(db, (T, None))
    set_watermark(db, None)
    r = run_check(watermark, cfg(), pg_dsn)
    assert r.status is Status.FAIL and "is NULL" in r.summary and r.details["watermark"] is None


def test_null_in_the_first_column_falls_back_to_the_next(db: Any, pg_dsn: str) -> None:
    # The newest event is a row never updated: max(updated_at) alone would say T-2h.
    events(db, (T - 3 * HOUR, T - 2 * HOUR), (T, None), (T - 10 * HOUR, None))
    set_watermark(db, T - 2 * HOUR)
    r = run_check(watermark, cfg(max_lag="0s"), pg_dsn)
    assert r.status is Status.FAIL
    assert r.details["newest_event"] == "2024-05-01 12:00:00+00:00"
    set_watermark(db, T)
    assert run_check(watermark, cfg(max_lag="0s"), pg_dsn).status is Status.PASS


def test_a_newer_first_column_wins_over_the_second(db: Any, pg_dsn: str) -> None:
    # coalesce, not greatest: a row's created_at is ignored once updated_at is set, even when it is later.
    events(db, (T + 5 * HOUR, T), (T - HOUR, None))
    set_watermark(db, T)
    r = run_check(watermark, cfg(max_lag="0s"), pg_dsn)
    assert r.status is Status.PASS, r.summary
    assert r.details["newest_event"] == "2024-05-01 12:00:00+00:00"


def test_interrupted_backfill_rows_without_watermark_progress_fail(db: Any, pg_dsn: str) -> None:
    events(db, (T - 2 * HOUR, None), (T, None))
    db.execute("insert into task_usage_hourly_rollup values (%s, 1), (%s, 1)", (T - 2 * HOUR, T - HOUR))
    db.execute("insert into task_usage_hourly_rollup_state (id) values (1)")  # the default 1970-01-01
    r = run_check(watermark, cfg(), pg_dsn)
    assert r.status is Status.FAIL
    assert r.details["watermark"] == "1970-01-01 00:00:00+00:00"


def test_infinite_watermarks(db: Any, pg_dsn: str) -> None:
    events(db, (T, None))
    set_watermark(db, "-infinity")
    r = run_check(watermark, cfg(), pg_dsn)
    assert r.status is Status.FAIL and "infinitely behind" in r.summary
    set_watermark(db, "infinity")
    assert run_check(watermark, cfg(), pg_dsn).status is Status.PASS


def test_a_typo_in_a_table_or_column_is_an_error_naming_it(db: Any, pg_dsn: str) -> None:
    events(db, (T, None))
    r = run_check(watermark, cfg(source={"table": "task_usge", "columns": ["updated_at"]}), pg_dsn)
    assert r.status is Status.ERROR
    assert r.summary == ("table 'task_usge' does not exist: check the config (no [targets.migrations] to tell "
                         "whether a pending migration creates it)")
    r = run_check(watermark, cfg(source={"table": "task_usage", "columns": ["updated_at", "creatd_at"]}), pg_dsn)
    assert r.status is Status.ERROR and r.summary.startswith("column 'creatd_at' of table 'task_usage' does not")
    r = run_check(watermark, cfg(watermark={"table": "task_usage_hourly_rollup_state", "column": "watermark_at",
                                            "where": {"key": 1}}), pg_dsn)
    assert r.status is Status.ERROR and "column 'key' of table 'task_usage_hourly_rollup_state'" in r.summary


def test_names_are_identifiers_never_sql(db: Any, pg_dsn: str) -> None:
    db.execute('create schema "Rollup State"; create table "Rollup State"."State; drop table task_usage" '
               '("Watermark At" timestamptz, "Key" text)')
    db.execute('insert into "Rollup State"."State; drop table task_usage" values (%s, %s)', (T, "hourly"))
    events(db, (T, None))
    table = cfg(watermark={"table": "Rollup State.State; drop table task_usage", "column": "Watermark At",
                           "where": {"Key": "hourly"}})
    r = run_check(watermark, table, pg_dsn)
    assert r.status is Status.PASS, r.summary
    assert r.details["watermark_table"] == "Rollup State.State; drop table task_usage"
    r = run_check(watermark, cfg(source={"table": "task_usage; select 1", "columns": ["created_at"]}), pg_dsn)
    assert r.status is Status.ERROR and "does not exist" in r.summary
    assert db.execute("select count(*) from task_usage").fetchone() == (1,)


def test_schema_qualified_names(db: Any, pg_dsn: str) -> None:
    db.execute("create schema analytics; create table analytics.task_usage (created_at date)")
    db.execute("insert into analytics.task_usage values ('2024-05-01')")
    set_watermark(db, T)
    r = run_check(watermark, cfg(source={"table": "analytics.task_usage", "columns": ["created_at"]}), pg_dsn)
    assert r.status is Status.PASS, r.summary
    assert r.details["source_table"] == "analytics.task_usage"
    assert r.details["newest_event"] == "2024-05-01 00:00:00+00:00"


def test_a_where_matching_several_rows_is_an_error(db: Any, pg_dsn: str) -> None:
    events(db, (T, None))
    db.execute("insert into task_usage_hourly_rollup_state values (1, %s), (2, %s)", (T, T))
    table = cfg(watermark={"table": "task_usage_hourly_rollup_state", "column": "watermark_at"})
    r = run_check(watermark, table, pg_dsn)
    assert r.status is Status.ERROR and "more than one row" in r.summary


def test_a_column_that_is_not_a_time_is_an_error(db: Any, pg_dsn: str) -> None:
    events(db, (T, None))
    r = run_check(watermark, cfg(source={"table": "task_usage", "columns": ["id"]}), pg_dsn)
    assert r.status is Status.ERROR
    assert r.summary == ("column 'id' of public.task_usage is bigint: db.watermark compares date, timestamp or "
                         "timestamptz columns (check the config)")


def test_mixed_time_types_compare_in_the_widest(db: Any, pg_dsn: str) -> None:
    db.execute("create table day_state (d date); insert into day_state values ('2024-05-01')")
    db.execute("create table naive (at timestamp); insert into naive values ('2024-04-30 23:30')")
    r = run_check(watermark, cfg(watermark={"table": "day_state", "column": "d"},
                                 source={"table": "naive", "columns": ["at"]}, max_lag="0s"), pg_dsn)
    assert r.status is Status.PASS, r.summary
    assert r.details["watermark"] == "2024-05-01 00:00:00"
    db.execute("insert into naive values ('2024-05-01 00:30')")
    r = run_check(watermark, cfg(watermark={"table": "day_state", "column": "d"},
                                 source={"table": "naive", "columns": ["at"]}, max_lag="0s"), pg_dsn)
    assert r.status is Status.FAIL and r.details["lag"] == "30m"


def test_config_validation() -> None:
    from preflight.typed import KeyError_, build

    with pytest.raises(KeyError_) as e:
        build(watermark.Config, cfg(source={"table": "a.b.c", "columns": ["x"]}))
    assert e.value.key == "source.table"
    with pytest.raises(KeyError_) as e:
        build(watermark.Config, cfg(source={"table": "t", "columns": []}))
    assert e.value.key == "source.columns"
    with pytest.raises(KeyError_) as e:
        build(watermark.Config, cfg(max_lag="an hour"))
    assert e.value.key == "max_lag"


# -- plans: index lookups only ------------------------------------------------------------------------------


@pytest.fixture
def big(db: Any) -> Any:
    """Enough rows for the planner's choice to matter; a third never updated, updated rows a little later."""
    db.execute("""
        insert into task_usage (created_at, updated_at)
        select '2024-01-01'::timestamptz + i * interval '1 minute',
               case when i % 3 = 0 then null
                    else '2024-01-01'::timestamptz + i * interval '1 minute' + interval '7 minutes' end
          from generate_series(1, 30000) i;
        analyze task_usage;
    """)
    return db


def _tables(db: Any) -> tuple[Any, Any]:
    with db.cursor() as cur:
        wm, src = find_tables(cur, [TableName(None, "task_usage_hourly_rollup_state"),
                                    TableName(None, "task_usage")])
    return wm, src


def test_the_lookups_are_index_scans(big: Any) -> None:
    wm, src = _tables(big)
    columns = ["updated_at", "created_at"]
    q1, p1 = first_query(wm, "watermark_at", {"id": 1}, src, columns, "timestamptz")
    plan1 = explain(big.cursor(), q1, p1)
    assert not full_scans(plan1, "src")
    assert "task_usage_updated_at" in index_names(plan1)
    assert "task_usage_created_at" not in index_names(plan1)

    newest_updated = Moment(datetime.datetime(2024, 1, 21, 20, 7, tzinfo=datetime.UTC))
    q2, p2 = stage_query(src, stages(columns)[1], newest_updated, "timestamptz")
    plan2 = explain(big.cursor(), q2, p2)
    assert not full_scans(plan2, "src")
    assert index_names(plan2) == ["task_usage_created_at"]
    assert stages(columns)[1].bounded(plan2, src)


def test_reading_coverage_checks_every_plan_and_finds_the_exact_newest(big: Any) -> None:
    wm, src = _tables(big)
    with big.cursor() as cur:
        cov = read_coverage(cur, wm, "watermark_at", {"id": 1}, src, ["updated_at", "created_at"], check_plans=True)
        exact = cur.execute("select max(coalesce(updated_at, created_at)) from task_usage").fetchone()
    assert cov.exact and len(cov.plans) == 2
    assert cov.newest is not None and cov.newest.value == exact[0]


def test_no_fitting_index_could_not_decide_with_the_size_instead_of_scanning(big: Any, pg_dsn: str) -> None:
    big.execute("drop index task_usage_created_at")
    set_watermark(big, datetime.datetime(2024, 6, 1, tzinfo=datetime.UTC))
    # Could not decide is not safe: an error by default (exit 3), a warning only when the config accepts it.
    r = run_check(watermark, cfg(max_scan_rows=1000), pg_dsn)
    assert r.status is Status.ERROR, r.summary
    assert r.summary.startswith("could not decide: cannot tell without scanning public.task_usage (~30,000 rows, ")
    accepted = run_check(watermark, cfg(max_scan_rows=1000, on_unknown="warn"), pg_dsn)
    assert accepted.status is Status.WARN and accepted.summary == r.summary + ' (on_unknown = "warn")'
    assert r.details["could_not_decide"] is True
    assert "max(created_at) where updated_at is null" in r.summary
    assert r.details["estimated_rows"] == 30000 and r.details["indexes_on_column"] == []
    assert r.remediation and "create index concurrently on \"public\".\"task_usage\" (\"created_at\") where " \
        "\"updated_at\" is null" in r.remediation
    # Below the threshold the table is small enough to read.
    assert run_check(watermark, cfg(max_scan_rows=100_000), pg_dsn).status is Status.PASS


def test_a_partial_or_composite_index_fits(big: Any, pg_dsn: str) -> None:
    big.execute("drop index task_usage_created_at")
    set_watermark(big, datetime.datetime(2024, 6, 1, tzinfo=datetime.UTC))
    big.execute("create index never_updated on task_usage (created_at) where updated_at is null; analyze task_usage")
    r = run_check(watermark, cfg(max_scan_rows=1000), pg_dsn)
    assert r.status is Status.PASS, r.summary
    big.execute("drop index never_updated; create index by_both on task_usage (updated_at, created_at)")
    big.execute("analyze task_usage")
    r = run_check(watermark, cfg(max_scan_rows=1000), pg_dsn)
    assert r.status is Status.PASS, r.summary


def test_what_is_known_already_can_prove_it_behind(big: Any, pg_dsn: str) -> None:
    big.execute("drop index task_usage_created_at")
    set_watermark(big, datetime.datetime(2024, 1, 2, tzinfo=datetime.UTC))
    r = run_check(watermark, cfg(max_scan_rows=1000), pg_dsn)
    assert r.status is Status.FAIL
    assert "(at least 2024-01-21" in r.summary and r.details["newest_event"] is None


# -- missing tables and pending migrations ------------------------------------------------------------------


def _migrations(tmp_path: Path, files: dict[str, str]) -> Path:
    d = tmp_path / "migrations"
    d.mkdir()
    for name, text in files.items():
        (d / name).write_text(text, encoding="utf-8")
    return d


def test_fresh_database_skips_when_a_pending_migration_creates_the_tables(pg_dsn: str, tmp_path: Path) -> None:
    mig = _migrations(tmp_path, {
        "101_usage.up.sql": "create table task_usage (id bigint, created_at timestamptz, updated_at timestamptz);",
        "103_rollup.up.sql": "create table public.task_usage_hourly_rollup_state (id int primary key, "
                             "watermark_at timestamptz);",
    })
    r = run_check(watermark, cfg(), pg_dsn, migrations=mig)
    assert r.status is Status.SKIP, r.summary
    assert r.summary == ("not applicable: table 'task_usage_hourly_rollup_state' does not exist yet; pending "
                         "migration 103_rollup creates it")
    assert r.details["created_by"] == {"table 'task_usage_hourly_rollup_state'": "103_rollup",
                                       "table 'task_usage'": "101_usage"}


def test_a_column_added_by_a_pending_migration_skips(db: Any, pg_dsn: str, tmp_path: Path) -> None:
    db.execute("alter table task_usage drop column updated_at")
    mig = _migrations(tmp_path, {"104_updated.up.sql": "alter table task_usage add column updated_at timestamptz;"})
    r = run_check(watermark, cfg(), pg_dsn, migrations=mig)
    assert r.status is Status.SKIP and "pending migration 104_updated creates it" in r.summary


def test_missing_table_no_pending_migration_creates_is_an_error(pg_dsn: str, tmp_path: Path) -> None:
    mig = _migrations(tmp_path, {"101_usage.up.sql": "create table task_usage (created_at timestamptz);"})
    r = run_check(watermark, cfg(), pg_dsn, migrations=mig)
    assert r.status is Status.ERROR
    assert r.summary == ("table 'task_usage_hourly_rollup_state' does not exist: check the config (no pending "
                         "migration creates it)")


# -- through the command line --------------------------------------------------------------------------------


def test_end_to_end_report(cli: CliRun, tmp_path: Path, db: Any, pg_dsn: str) -> None:
    events(db, (T, None))
    set_watermark(db, T - 3 * HOUR)
    write_config(tmp_path, f"""
[targets.database]
dsn = "{pg_dsn}"

[[check]]
id = "hourly-rollup-caught-up"
uses = "db.watermark"
watermark = {{ table = "task_usage_hourly_rollup_state", column = "watermark_at", where = {{ id = 1 }} }}
source = {{ table = "task_usage", columns = ["updated_at", "created_at"] }}
max_lag = "1h"
""")
    out = cli("run", "--format", "json")
    doc = out.json
    validate_report(doc)
    assert out.exit_code == 1
    (check,) = doc["checks"]
    assert check["status"] == "fail" and check["details"]["lag"] == "3h"
    again = cli("run", "--format", "json")
    assert again.json["checks"][0]["details"] == check["details"]


def test_end_to_end_fresh_install_with_when_pending(cli: CliRun, tmp_path: Path, pg_dsn: str) -> None:
    # A fresh database: nothing applied, the migrations that create both tables pending, the check's own
    # migration (103) pending too, so it runs, and finds nothing to check yet.
    _migrations(tmp_path, {
        "101_usage.up.sql": "create table task_usage (id bigint, created_at timestamptz, updated_at timestamptz);",
        "101_usage.down.sql": "drop table task_usage;",
        "102_rollup.up.sql": "create table task_usage_hourly_rollup_state (id int primary key, watermark_at "
                             "timestamptz not null default '1970-01-01');",
        "103_drop_legacy_rollups.up.sql": "drop table if exists task_usage_daily_rollup;",
    })
    write_config(tmp_path, f"""
[targets.database]
dsn = "{pg_dsn}"

[targets.migrations]
source = "migrations"
tracking = "golang-migrate"

[[check]]
id = "hourly-rollup-caught-up"
uses = "db.watermark"
watermark = {{ table = "task_usage_hourly_rollup_state", column = "watermark_at", where = {{ id = 1 }} }}
source = {{ table = "task_usage", columns = ["updated_at", "created_at"] }}
max_lag = "1h"
when_pending = ["103_*"]
""")
    out = cli("run", "--format", "json")
    validate_report(out.json)
    assert out.exit_code == 0, out.stdout
    (check,) = out.json["checks"]
    assert check["status"] == "skip"
    assert check["summary"] == ("not applicable: table 'task_usage_hourly_rollup_state' does not exist yet; "
                                "pending migration 102_rollup creates it")
