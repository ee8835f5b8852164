"""db.connect and the database reader's promises, against a real PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg
import pytest

from preflight.db.target import Database
from preflight.db.untrusted_sql import Refused
from preflight.errors import ReaderError
from preflight.targets import DatabaseTarget
from tests.helpers import CliRun, validate_report, write_config


def config(dsn: str, extra: str = "", target_extra: str = "") -> str:
    return f'[targets.database]\ndsn = "{dsn}"\n{target_extra}[[check]]\nid = "db"\nuses = "db.connect"\n{extra}'


def test_passes_against_a_live_server(cli: CliRun, tmp_path: Path, pg_dsn: str) -> None:
    write_config(tmp_path, config(pg_dsn))
    out = cli("run", "--format", "json")
    doc = out.json
    validate_report(doc)
    assert out.exit_code == 0, out.stdout
    assert doc["checks"][0]["status"] == "pass" and doc["checks"][0]["details"]["read_only"] is True


def test_min_version_and_extensions(cli: CliRun, tmp_path: Path, pg_dsn: str, pg_admin: Any) -> None:
    write_config(tmp_path, config(pg_dsn, 'min_version = "99"\nextensions = ["plpgsql", "pg_cron_missing"]\n'))
    out = cli("run", "--format", "json")
    check = out.json["checks"][0]
    assert out.exit_code == 1 and check["status"] == "fail"
    messages = [f["message"] for f in check["findings"]]
    assert any("older than the required 99" in m for m in messages)
    assert any("'pg_cron_missing' is not installed" in m for m in messages)
    assert check["details"]["extensions"] == {"plpgsql": True, "pg_cron_missing": False}
    write_config(tmp_path, config(pg_dsn, 'min_version = "12"\nextensions = ["plpgsql"]\n'))
    assert cli("run").exit_code == 0


def test_bad_min_version_is_a_config_error(cli: CliRun, tmp_path: Path) -> None:
    write_config(tmp_path, config("dbname=x", 'min_version = "fourteen"\n'))
    out = cli("validate")
    assert out.exit_code == 2 and "key 'min_version'" in out.stderr and ":6:" in out.stderr


def test_database_down_is_an_error_that_blocks(cli: CliRun, tmp_path: Path) -> None:
    write_config(tmp_path, config("postgresql://postgres@127.0.0.1:9/x", target_extra='connect_timeout = "2s"\n')
                 + '[[check]]\nid = "db2"\nuses = "db.connect"\n')
    out = cli("run", "--format", "json")
    assert out.exit_code == 3
    first, second = out.json["checks"]
    assert first["status"] == second["status"] == "error"
    assert first["summary"] == second["summary"] and "cannot connect to the database" in first["summary"]


def test_dsn_override(cli: CliRun, tmp_path: Path, pg_dsn: str) -> None:
    write_config(tmp_path, config("postgresql://postgres@127.0.0.1:9/x"))
    assert cli("run", "--dsn", pg_dsn).exit_code == 0


def test_sessions_are_read_only_with_timeouts(pg_dsn: str, pg_admin: Any) -> None:
    pg_admin.execute("create table t (i int)")
    db = Database(DatabaseTarget(dsn=pg_dsn, statement_timeout=3, lock_timeout=0.5))
    with db.connection() as conn:
        settings = dict(conn.execute(
            "select name, setting from pg_settings where name in ('default_transaction_read_only', "
            "'statement_timeout', 'lock_timeout', 'idle_in_transaction_session_timeout', 'application_name')"
        ).fetchall())
    assert settings["default_transaction_read_only"] == "on"
    assert settings["statement_timeout"] == "3000" and settings["lock_timeout"] == "500"
    assert settings["application_name"] == "preflight"
    with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
        db.query("insert into t values (1)")
    # User-written SQL cannot switch read-only off, nor smuggle in a second statement: the untrusted-SQL gate
    # refuses each before it runs.
    for attempt, why in (("set transaction read write", "runs SET"), ("insert into t values (1)", "runs INSERT"),
                         ("select 1; set default_transaction_read_only = off; commit; insert into t values (1)",
                          "runs SET"),
                         ("do $$ begin set transaction read write; insert into t values (1); end $$", "runs DO")):
        with pytest.raises(Refused) as e:
            db.run_untrusted(attempt)
        assert e.value.message.startswith(f"refused: the query {why}")
    assert db.run_untrusted("select i from generate_series(1, 5) i", max_rows=3) == (["i"], [(1,), (2,), (3,)], True)
    assert pg_admin.execute("select count(*) from t").fetchone() == (0,)
    db.close()


def test_dsn_options_cannot_turn_off_read_only(pg_dsn: str) -> None:
    dsn = pg_dsn + " options='-c default_transaction_read_only=off'"
    db = Database(DatabaseTarget(dsn=dsn))
    assert db.query("show default_transaction_read_only") == [("on",)]
    db.close()


def test_checks_of_a_run_share_one_reader_and_session(pg_dsn: str) -> None:
    import threading

    from preflight.targets import Targets, TargetsConfig

    targets = Targets(TargetsConfig(database=DatabaseTarget(dsn=pg_dsn)))
    assert targets.database is targets.database
    pids: list[int] = []

    def borrow() -> None:
        pids.append(targets.database.query("select pg_backend_pid(), pg_sleep(0.05)")[0][0])

    threads = [threading.Thread(target=borrow) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(pids) == 4 and len(set(pids)) == 1
    targets.close()


def test_a_failed_connection_is_remembered() -> None:
    db = Database(DatabaseTarget(dsn="postgresql://postgres@127.0.0.1:9/x", connect_timeout=1))
    with pytest.raises(ReaderError) as first:
        db.query("select 1")
    with pytest.raises(ReaderError) as second:
        db.query("select 1")
    assert first.value is second.value


def test_a_thread_holding_the_session_can_borrow_it_again(pg_dsn: str) -> None:
    db = Database(DatabaseTarget(dsn=pg_dsn))
    with db.connection() as outer:
        outer.execute("select 1")
        # Nested use (a check reading the pending list while it holds the run's only session) must not deadlock.
        assert db.query("select pg_backend_pid()") == [(outer.info.backend_pid,)]
        assert not outer.closed
    db.close()


def test_a_cached_value_is_computed_outside_the_lock_that_guards_the_cache(pg_dsn: str) -> None:
    """One check holds the run's only session and asks for a cached value while another check computes a cached
    value that needs a session (the server version): both finish. With the value computed under the cache's lock,
    each waited for the other for ever (the checks timed out)."""
    import threading

    db = Database(DatabaseTarget(dsn=pg_dsn), pool_size=1)
    computing = threading.Event()
    answers: dict[str, Any] = {}

    def needs_a_session() -> Any:
        computing.set()
        return db.query("select 1")[0][0]

    other = threading.Thread(target=lambda: answers.setdefault("other", db.cached("needs", needs_a_session)))
    asking = threading.Thread(target=lambda: answers.setdefault("holder", db.cached("plain", lambda: 2)))
    try:
        with db.connection():
            other.start()
            assert computing.wait(10)
            asking.start()
            asking.join(10)
            assert not asking.is_alive(), "the check holding the session waits for the cache's lock"
        other.join(10)
        assert not other.is_alive()
        assert answers == {"other": 1, "holder": 2}
        assert db.cached("needs", lambda: 3) == 1  # computed once, then kept
    finally:
        db.close()
