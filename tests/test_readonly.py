"""The read-only promise: the database checks run as a role with only SELECT grants, a write attempt ends as
`error`, a locked table or a slow query ends as `error` within the timeouts, and so does a database that is down."""

from __future__ import annotations

import datetime
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

import preflight.checks.db_activity as activity
import preflight.checks.db_sql as db_sql
import preflight.checks.db_watermark as watermark
from preflight.db.embedded import free_port
from preflight.model import Status
from tests.db_state_support import background, run_check, session_state, wait_for
from tests.helpers import CliRun, validate_report, write_config

T = datetime.datetime(2024, 5, 1, 12, 0, tzinfo=datetime.UTC)

WATERMARK = {
    "watermark": {"table": "task_usage_hourly_rollup_state", "column": "watermark_at", "where": {"id": 1}},
    "source": {"table": "task_usage", "columns": ["updated_at", "created_at"]},
    "max_lag": "1h",
}


@pytest.fixture
def setup(pg_admin: psycopg.Connection[Any]) -> psycopg.Connection[Any]:
    pg_admin.execute("""
        create table task_usage (id bigint generated always as identity primary key,
                                 created_at timestamptz not null, updated_at timestamptz);
        create index on task_usage (created_at);
        create index on task_usage (updated_at);
        create table task_usage_hourly_rollup_state (id int primary key, watermark_at timestamptz);
        create sequence seq;
    """)
    pg_admin.execute("insert into task_usage (created_at, updated_at) values (%s, null), (%s, %s)",
                     (T, T - datetime.timedelta(hours=3), T - datetime.timedelta(hours=2)))
    pg_admin.execute("insert into task_usage_hourly_rollup_state values (1, %s)", (T,))
    return pg_admin


@pytest.fixture
def reader(setup: psycopg.Connection[Any], pg_dsn: str) -> Iterator[tuple[str, str]]:
    """(DSN, role) of a login role granted only SELECT on the test database's tables."""
    role = f"pft_ro_{uuid.uuid4().hex[:10]}"
    password = f"pw-{uuid.uuid4().hex}"
    admin = setup
    dbname = admin.info.dbname
    admin.execute(sql.SQL("create role {} login password {}").format(sql.Identifier(role), sql.Literal(password)))
    admin.execute(sql.SQL("grant connect on database {} to {}").format(sql.Identifier(dbname), sql.Identifier(role)))
    admin.execute(sql.SQL("grant usage on schema public to {}").format(sql.Identifier(role)))
    admin.execute(sql.SQL("grant select on all tables in schema public to {}").format(sql.Identifier(role)))
    params = conninfo_to_dict(pg_dsn)
    params.update(user=role, password=password)
    try:
        yield make_conninfo("", **params), role
    finally:
        admin.execute("select pg_terminate_backend(pid) from pg_stat_activity where usename = %s", (role,))
        admin.execute(sql.SQL("drop owned by {}").format(sql.Identifier(role)))
        admin.execute(sql.SQL("drop role {}").format(sql.Identifier(role)))


def test_the_role_really_cannot_write(reader: tuple[str, str]) -> None:
    # Outside preflight, with read-only switched off: the grants alone refuse the write.
    dsn, _ = reader
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("set default_transaction_read_only = off")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("update task_usage_hourly_rollup_state set watermark_at = now()")


def test_the_database_checks_run_as_a_select_only_role(setup: Any, reader: tuple[str, str]) -> None:
    dsn, role = reader
    r = run_check(watermark, WATERMARK, dsn)
    assert r.status is Status.PASS, r.summary
    setup.execute("update task_usage_hourly_rollup_state set watermark_at = %s", (T - datetime.timedelta(hours=2),))
    r = run_check(watermark, WATERMARK, dsn)
    assert r.status is Status.FAIL and r.details["lag"] == "2h"
    # Every lookup planned first (EXPLAIN works for the role), on a table big enough for the indexes to win.
    setup.execute("insert into task_usage (created_at) select %s - i * interval '1 minute' "
                  "from generate_series(1, 5000) i", (T,))
    setup.execute("analyze task_usage")
    r = run_check(watermark, {**WATERMARK, "max_scan_rows": 0}, dsn)
    assert r.status is Status.FAIL and r.details["lag"] == "2h"

    r = run_check(db_sql, {"query": "select count(*) from task_usage", "expect": {"min": 5002, "max": 5002}}, dsn)
    assert r.status is Status.PASS, r.summary

    # The admin fixture's own session is another role's: without pg_read_all_stats it is hidden, and whether it
    # could block the DDL is unknown: could not decide (an error), a warning only when the config accepts that.
    r = run_check(activity, {}, dsn)
    assert r.status is Status.ERROR and r.findings[0].rule == "hidden-sessions", r.summary
    assert r.findings[0].message.startswith("could not decide: ") and r.remediation
    r = run_check(activity, {"on_unknown": "warn"}, dsn)
    assert r.status is Status.WARN and r.findings[0].rule == "hidden-sessions", r.summary
    setup.execute(sql.SQL("grant pg_read_all_stats to {}").format(sql.Identifier(role)))
    r = run_check(activity, {}, dsn)
    assert r.status is Status.PASS, r.summary


@pytest.mark.parametrize("query", [
    "select nextval('seq')",
    "select id from task_usage for update",
    "select set_config('default_transaction_read_only', 'off', false), nextval('seq')",
])
def test_a_check_attempting_a_write_ends_as_error(setup: Any, reader: tuple[str, str], query: str) -> None:
    dsn, _ = reader
    r = run_check(db_sql, {"query": query, "expect": "rows"}, dsn)
    assert r.status is Status.ERROR, r.summary
    # A role that is not a superuser and cannot SET ROLE: the untrusted-SQL gate refuses before anything runs.
    assert r.summary.startswith("refused: the query "), r.summary
    assert setup.execute("select last_value, is_called from seq").fetchone() == (1, False)


def test_a_locked_table_ends_as_error_within_lock_timeout(setup: Any, reader: tuple[str, str]) -> None:
    dsn, _ = reader
    with background(setup.info.dsn, ["lock table task_usage in access exclusive mode"]) as holder:
        wait_for(lambda: session_state(setup, holder)[0] == "idle in transaction")
        start = time.monotonic()
        r = run_check(watermark, WATERMARK, dsn, lock_timeout=0.2)
        elapsed = time.monotonic() - start
        assert r.status is Status.ERROR
        assert r.summary.startswith("gave up waiting for a lock after lock_timeout (200ms): another session holds "
                                    "a conflicting lock")
        assert elapsed < 5
        r = run_check(db_sql, {"query": "select count(*) from task_usage", "expect": "rows"}, dsn, lock_timeout=0.2)
        assert r.status is Status.ERROR and "lock_timeout" in r.summary
        # The locked table does not stop db.activity, which reads only the statistics views: it names the holder.
        setup.execute(sql.SQL("grant pg_read_all_stats to {}").format(sql.Identifier(reader[1])))
        time.sleep(0.4)
        r = run_check(activity, {"max_idle_in_transaction": "300ms"}, dsn)
        assert r.status is Status.FAIL and r.findings[0].data["pid"] == holder


def test_statement_timeout_and_the_checks_own_budget(setup: Any, reader: tuple[str, str]) -> None:
    dsn, _ = reader
    r = run_check(db_sql, {"query": "select pg_sleep(5)", "expect": "rows"}, dsn, statement_timeout=0.3)
    assert r.status is Status.ERROR and r.summary.startswith("query stopped by statement_timeout (300ms)")
    # A check with less time left than statement_timeout stops its query on the server when its time is up.
    start = time.monotonic()
    r = run_check(db_sql, {"query": "select pg_sleep(5)", "expect": "rows"}, dsn, statement_timeout=10, budget=0.5)
    assert r.status is Status.ERROR and "statement_timeout" in r.summary
    assert time.monotonic() - start < 3


def test_a_database_that_is_down_is_an_error(tmp_path: Path) -> None:
    dsn = f"postgresql://reader:s3cret-pw@127.0.0.1:{free_port()}/prod"
    for module, table in ((watermark, WATERMARK), (db_sql, {"query": "select 1", "expect": "rows"}),
                          (activity, {})):
        start = time.monotonic()
        r = run_check(module, table, dsn)
        assert r.status is Status.ERROR
        assert r.summary.startswith("cannot connect to the database postgresql://reader:***@127.0.0.1:")
        assert "s3cret-pw" not in r.summary
        assert time.monotonic() - start < 5


def test_end_to_end_as_the_reader_role(cli: CliRun, tmp_path: Path, setup: Any, reader: tuple[str, str]) -> None:
    dsn, _ = reader
    password = conninfo_to_dict(dsn)["password"]
    write_config(tmp_path, f"""
[targets.database]
dsn = "{dsn}"
lock_timeout = "200ms"

[[check]]
id = "hourly-rollup-caught-up"
uses = "db.watermark"
watermark = {{ table = "task_usage_hourly_rollup_state", column = "watermark_at", where = {{ id = 1 }} }}
source = {{ table = "task_usage", columns = ["updated_at", "created_at"] }}
max_lag = "1h"

[[check]]
id = "no-writes"
uses = "db.sql"
query = "select nextval('seq')"
expect = "rows"
""")
    out = cli("run", "--format", "json")
    validate_report(out.json)
    assert out.exit_code == 3
    caught_up, writes = out.json["checks"]
    assert caught_up["status"] == "pass" and writes["status"] == "error"
    assert password not in out.stdout and password not in out.stderr
