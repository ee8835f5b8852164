"""db.sql against a real PostgreSQL: read-only assertions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg
import pytest

import preflight.checks.db_sql as db_sql
from preflight.model import Status
from preflight.typed import KeyError_, build
from tests.db_state_support import run_check
from tests.helpers import CliRun, validate_report, write_config


@pytest.fixture
def db(pg_admin: psycopg.Connection[Any]) -> psycopg.Connection[Any]:
    pg_admin.execute("""
        create schema cron;
        create table cron.job (jobid bigserial primary key, jobname text, schedule text);
        insert into cron.job (jobname, schedule) values ('rollup_task_usage_hourly', '5 * * * *');
        create table orders (id int primary key, note text, amount numeric);
        insert into orders select i, repeat('x', 300), i * 1.5 from generate_series(1, 1000) i;
        create sequence seq;
    """)
    return pg_admin


REGISTERED = "select exists (select 1 from cron.job where jobname = 'rollup_task_usage_hourly')"


def test_expect_true_and_false(db: Any, pg_dsn: str) -> None:
    r = run_check(db_sql, {"query": REGISTERED, "expect": "true"}, pg_dsn)
    assert r.status is Status.PASS and r.summary == "the query returned true, as expected"
    assert r.details["columns"] == ["exists"] and r.details["rows"] == [[True]]
    r = run_check(db_sql, {"query": REGISTERED, "expect": False,
                           "message": "unregister the old job first"}, pg_dsn)
    assert r.status is Status.FAIL
    assert r.summary == "unregister the old job first (expected false, the query returned true)"
    db.execute("delete from cron.job")
    assert run_check(db_sql, {"query": REGISTERED, "expect": True}, pg_dsn).status is Status.FAIL


def test_boolean_from_no_row_or_null_fails(db: Any, pg_dsn: str) -> None:
    r = run_check(db_sql, {"query": "select true from cron.job where jobname = 'nope'", "expect": True}, pg_dsn)
    assert r.status is Status.FAIL and r.summary == "expected true, the query returned no rows"
    r = run_check(db_sql, {"query": "select null::boolean", "expect": True}, pg_dsn)
    assert r.status is Status.FAIL and r.summary.endswith("returned NULL")


def test_no_rows_and_rows(db: Any, pg_dsn: str) -> None:
    r = run_check(db_sql, {"query": "select id from orders where amount < 0", "expect": "no rows"}, pg_dsn)
    assert r.status is Status.PASS and r.details["rows"] == []
    r = run_check(db_sql, {"query": "select id, note from orders order by id", "expect": "no rows"}, pg_dsn)
    assert r.status is Status.FAIL and r.summary == "expected no rows, the query returned 5+ row(s)"
    # Bounded: the first rows, long values cut.
    assert len(r.details["rows"]) == 5 and r.details["more_rows"] is True
    assert r.details["rows"][0][0] == 1 and r.details["rows"][0][1] == "x" * 200 + "…"
    r = run_check(db_sql, {"query": "select 1 from orders limit 2", "expect": "rows", "show_rows": 1}, pg_dsn)
    assert r.status is Status.PASS and r.details["rows"] == [[1]] and r.details["more_rows"] is True
    r = run_check(db_sql, {"query": "select 1 where false", "expect": "rows"}, pg_dsn)
    assert r.status is Status.FAIL and r.summary == "expected rows, the query returned no rows"


def test_range_on_a_single_number(db: Any, pg_dsn: str) -> None:
    r = run_check(db_sql, {"query": "select count(*) from orders", "expect": {"min": 1, "max": 1000}}, pg_dsn)
    assert r.status is Status.PASS and r.summary == "the query returned 1000, as expected"
    r = run_check(db_sql, {"query": "select max(amount) from orders", "expect": {"max": 1000}}, pg_dsn)
    assert r.status is Status.FAIL and r.summary == "expected at most 1000, the query returned 1500.0"
    assert r.details["rows"] == [["1500.0"]]
    r = run_check(db_sql, {"query": "select 0.5::float8", "expect": {"min": 0.5}}, pg_dsn)
    assert r.status is Status.PASS
    r = run_check(db_sql, {"query": "select max(amount) from orders where false", "expect": {"min": 0}}, pg_dsn)
    assert r.status is Status.FAIL and r.summary.endswith("returned NULL")


def test_a_result_of_the_wrong_shape_is_an_error(db: Any, pg_dsn: str) -> None:
    r = run_check(db_sql, {"query": "select true, false", "expect": True}, pg_dsn)
    assert r.status is Status.ERROR and "it returned 2 columns" in r.summary
    r = run_check(db_sql, {"query": "select true from orders", "expect": True}, pg_dsn)
    assert r.status is Status.ERROR and "it returned 5+ rows" in r.summary
    r = run_check(db_sql, {"query": "select 'yes'", "expect": True}, pg_dsn)
    assert r.status is Status.ERROR and "needs a boolean; the query returned 'yes'" in r.summary
    r = run_check(db_sql, {"query": "select 'many'", "expect": {"min": 1}}, pg_dsn)
    assert r.status is Status.ERROR and "needs a number" in r.summary


@pytest.mark.parametrize(("query", "why"), [
    # Refused by the untrusted-SQL gate before anything runs (tests/hostile/ has the full set of routes).
    ("select nextval('seq')", "the query calls nextval(regclass), which advances a sequence"),
    ("select id from orders where id = 1 for update", "the query runs SELECT ... FOR UPDATE, which takes row locks"),
    ("select set_config('transaction_read_only', 'off', true)", "the query calls set_config(text,text,boolean), "
                                                                "which changes a setting of the session"),
])
def test_a_write_attempt_is_an_error(db: Any, pg_dsn: str, query: str, why: str) -> None:
    r = run_check(db_sql, {"query": query, "expect": "rows"}, pg_dsn)
    assert r.status is Status.ERROR, r.summary
    assert r.summary.startswith(f"refused: {why}"), r.summary
    assert db.execute("select last_value, is_called from seq").fetchone() == (1, False)


@pytest.mark.parametrize(("query", "why"), [
    ("insert into orders values (0)", "this is a Insert statement"),
    ("set transaction read write; insert into orders values (0)", "got 2 statements"),
    ("with d as (delete from orders returning id) select count(*) from d", "its WITH runs an DELETE"),
    ("select from where", "does not parse: syntax error"),
    ("", "got 0 statements"),
])
def test_anything_but_one_select_is_a_config_error(query: str, why: str) -> None:
    with pytest.raises(KeyError_) as e:
        build(db_sql.Config, {"query": query, "expect": "rows"})
    assert e.value.key == "query" and why in e.value.message


def test_config_expect_shapes() -> None:
    assert build(db_sql.Config, {"query": "select 1", "expect": "true"}).expect is True
    with pytest.raises(KeyError_) as e:
        build(db_sql.Config, {"query": "select 1", "expect": "yes"})
    assert e.value.key == "expect"
    with pytest.raises(KeyError_) as e:
        build(db_sql.Config, {"query": "select 1", "expect": {}})
    assert e.value.key == "expect.min"
    with pytest.raises(KeyError_):
        build(db_sql.Config, {"query": "select 1", "expect": {"min": 3, "max": 1}})


def test_a_trailing_semicolon_and_comments_are_fine(db: Any, pg_dsn: str) -> None:
    query = "-- is the job there?\nselect count(*) from cron.job; -- done\n"
    assert run_check(db_sql, {"query": query, "expect": {"min": 1}}, pg_dsn).status is Status.PASS


def test_statement_timeout_is_an_error(db: Any, pg_dsn: str) -> None:
    r = run_check(db_sql, {"query": "select pg_sleep(5)", "expect": "rows"}, pg_dsn, statement_timeout=0.3)
    assert r.status is Status.ERROR
    assert r.summary.startswith("query stopped by statement_timeout (300ms)")


def test_end_to_end(cli: CliRun, tmp_path: Path, db: Any, pg_dsn: str) -> None:
    write_config(tmp_path, f"""
[targets.database]
dsn = "{pg_dsn}"

[[check]]
id = "rollup-job-registered"
uses = "db.sql"
query = "{REGISTERED}"
expect = "true"
message = "register the hourly rollup job before rolling out"

[[check]]
id = "no-negative-amounts"
uses = "db.sql"
query = "select id, amount from orders where amount > 1490 order by id"
expect = "no rows"
""")
    out = cli("run", "--format", "json")
    validate_report(out.json)
    assert out.exit_code == 1
    registered, negative = out.json["checks"]
    assert registered["status"] == "pass"
    assert negative["status"] == "fail"
    assert negative["details"]["rows"] == [[994, "1491.0"], [995, "1492.5"], [996, "1494.0"], [997, "1495.5"],
                                           [998, "1497.0"]]
