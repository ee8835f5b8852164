"""db.activity against a real PostgreSQL, with real concurrent sessions."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import psycopg
import pytest

import preflight.checks.db_activity as activity
from preflight.db.activity import query_prefix
from preflight.model import Severity, Status
from tests.db_state_support import background, run_check, session_state, wait_for
from tests.helpers import CliRun, validate_report, write_config

FAST = {"max_transaction_age": "300ms", "max_idle_in_transaction": "300ms", "max_lock_wait": "200ms"}


@pytest.fixture
def db(pg_admin: psycopg.Connection[Any]) -> psycopg.Connection[Any]:
    pg_admin.execute("""
        create table task_usage (id int primary key, created_at timestamptz);
        create table invoices (id int primary key);
        insert into task_usage values (1, now()); insert into invoices values (1);
    """)
    return pg_admin


def idle_in_transaction(admin: Any, pid: int) -> bool:
    return session_state(admin, pid)[0] == "idle in transaction"


def test_a_quiet_database_passes(db: Any, pg_dsn: str) -> None:
    with psycopg.connect(pg_dsn, autocommit=True) as other:
        other.execute("select 1")  # connected, idle, not in a transaction
        r = run_check(activity, {}, pg_dsn)
    assert r.status is Status.PASS, r.summary
    assert r.summary.startswith("no long transactions, idle-in-transaction sessions or lock waits among")
    assert r.details["sessions"] >= 1 and r.findings == []


def test_idle_in_transaction_fails(db: Any, pg_dsn: str) -> None:
    with background(pg_dsn, ["select * from invoices"], application_name="billing") as pid:
        wait_for(lambda: idle_in_transaction(db, pid))
        assert run_check(activity, {}, pg_dsn).status is Status.PASS  # under the default thresholds
        time.sleep(0.4)
        r = run_check(activity, FAST, pg_dsn)
    assert r.status is Status.FAIL
    (f,) = r.findings
    assert f.severity is Severity.FAILURE and f.data["pid"] == pid
    assert f.data["application"] == "billing" and f.data["state"] == "idle in transaction"
    assert any(x.startswith("idle in transaction for ") for x in f.data["reasons"])
    assert f.data["holds_locks_on"] == ["public.invoices"]
    assert f.data["query_prefix"] == "select * from invoices"
    assert r.summary.startswith(f"1 session(s) could block the migrations' DDL: pid {pid} (postgres, billing): ")
    assert r.remediation and "pg_terminate_backend" in r.remediation


def test_a_long_running_transaction_fails(db: Any, pg_dsn: str) -> None:
    with background(pg_dsn, ["select count(*) from task_usage", "select pg_sleep(30)"]) as pid:
        wait_for(lambda: session_state(db, pid)[0] == "active")
        time.sleep(0.4)
        r = run_check(activity, FAST, pg_dsn)
    assert r.status is Status.FAIL
    (f,) = r.findings
    assert f.data["state"] == "active" and f.data["idle_seconds"] is None
    assert f.data["reasons"][0].startswith("transaction open for ")
    assert f.data["query_prefix"] == "select pg_sleep(?)"


def test_lock_waiters_name_their_blockers(db: Any, pg_dsn: str) -> None:
    with background(pg_dsn, ["lock table task_usage in access exclusive mode"]) as holder:
        wait_for(lambda: idle_in_transaction(db, holder))
        with background(pg_dsn, ["select * from task_usage"], application_name="api") as waiter:
            wait_for(lambda: session_state(db, waiter)[1] == "Lock")
            time.sleep(0.4)
            r = run_check(activity, FAST, pg_dsn)
    assert r.status is Status.FAIL
    by_pid = {f.data["pid"]: f for f in r.findings}
    assert set(by_pid) == {holder, waiter}
    w = by_pid[waiter]
    assert w.data["blocked_by"] == [holder] and w.data["waits_for_locks_on"] == ["public.task_usage"]
    assert any(x.startswith("waiting for a lock on public.task_usage for ") and x.endswith(f"(blocked by pid {holder})")
               for x in w.data["reasons"])
    assert by_pid[holder].data["holds_locks_on"] == ["public.task_usage"]


def test_other_sessions_query_text_is_redacted(db: Any, pg_dsn: str) -> None:
    secret = "hunter2-do-not-show"
    with background(pg_dsn, [f"select '{secret}' as password, pg_sleep(30) /* token=abc123 */"]) as pid:
        wait_for(lambda: session_state(db, pid)[0] == "active")
        time.sleep(0.4)
        r = run_check(activity, FAST, pg_dsn)
        quiet = run_check(activity, {**FAST, "query_prefix": 0}, pg_dsn)
    (f,) = r.findings
    assert f.data["query_prefix"] == "select ? as password, pg_sleep(?) …" or \
        f.data["query_prefix"].startswith("select ? as password, pg_sleep(?)")
    dumped = json.dumps([r.summary, r.details, [x.to_dict() for x in r.findings]])
    assert secret not in dumped and "abc123" not in dumped
    (g,) = quiet.findings
    assert g.data["query_prefix"] == "" and "query:" not in g.message


def _migrations(tmp_path: Path, files: dict[str, str]) -> Path:
    d = tmp_path / "migrations"
    d.mkdir()
    for name, text in files.items():
        (d / name).write_text(text, encoding="utf-8")
    return d


def test_sessions_on_tables_pending_migrations_alter_are_singled_out(db: Any, pg_dsn: str, tmp_path: Path) -> None:
    mig = _migrations(tmp_path, {"103_rollup.up.sql": "alter table task_usage add column updated_at timestamptz;"})
    with background(pg_dsn, ["select * from task_usage"], application_name="worker") as on_it, \
            background(pg_dsn, ["select * from invoices"], application_name="billing") as elsewhere:
        wait_for(lambda: idle_in_transaction(db, on_it) and idle_in_transaction(db, elsewhere))
        time.sleep(0.4)
        r = run_check(activity, FAST, pg_dsn, migrations=mig)
        assert r.status is Status.FAIL
        assert r.details["pending_tables"] == ["task_usage"]
        first, second = r.findings
        assert first.severity is Severity.FAILURE and first.data["pid"] == on_it
        assert first.data["pending_migrations"] == ["103_rollup"]
        assert "it locks public.task_usage, which pending migration(s) 103_rollup alter" in first.message
        assert second.severity is Severity.WARNING and second.data["pid"] == elsewhere
        assert r.summary.startswith(f"1 session(s) could block the migrations' DDL: pid {on_it} (postgres, worker)")

    with background(pg_dsn, ["select * from invoices"]) as elsewhere:
        wait_for(lambda: idle_in_transaction(db, elsewhere))
        time.sleep(0.4)
        r = run_check(activity, FAST, pg_dsn, migrations=mig)
    assert r.status is Status.WARN
    assert r.summary == "1 long-running or waiting session(s), none on the tables the pending migrations alter"


def test_config_bounds() -> None:
    from preflight.typed import KeyError_, build

    with pytest.raises(KeyError_) as e:
        build(activity.Config, {"query_prefix": 500})
    assert e.value.key == "query_prefix"


@pytest.mark.parametrize(("text", "limit", "shown"), [
    ("select * from users where email = 'a@b.c'", 80, "select * from users where email = ?"),
    ("alter role app password 'hunter2'", 80, "alter role app password ?"),
    ("select $1, 42, 1.5, E'x', $$dollar$$, B'01', X'ff' from t", 80, "select ?, ?, ?, ?, ?, ?, ? from t"),
    ("select 1 /* secret */ -- more\n from t", 80, "select ? from t"),
    ("insert into t values ('unterminated because the server cut the tex", 80, "insert into t values ( ?…"),
    ("select     a,\n\tb from t", 80, "select a, b from t"),
    ("select a_long_column_name from a_long_table_name", 20, "select a_long_column…"),
    ("select 'é', 'ü' from t", 80, "select ?, ? from t"),
    ("", 80, ""),
    ("select 1", 0, ""),
])
def test_query_prefix_redaction(text: str, limit: int, shown: str) -> None:
    assert query_prefix(text, limit) == shown


def test_end_to_end(cli: CliRun, tmp_path: Path, db: Any, pg_dsn: str) -> None:
    write_config(tmp_path, f"""
[targets.database]
dsn = "{pg_dsn}"

[[check]]
id = "no-blocking-sessions"
uses = "db.activity"
max_idle_in_transaction = "300ms"
""")
    with background(pg_dsn, ["select * from invoices"]) as pid:
        wait_for(lambda: idle_in_transaction(db, pid))
        time.sleep(0.4)
        out = cli("run", "--format", "json")
    validate_report(out.json)
    assert out.exit_code == 1
    (check,) = out.json["checks"]
    assert check["status"] == "fail" and check["findings"][0]["data"]["pid"] == pid
