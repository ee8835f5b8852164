"""Helpers for the database-state tests (db.watermark, db.sql, db.activity): run one check the way the engine
does, against a real database, and hold other sessions open."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import psycopg

from preflight.errors import ReaderError
from preflight.model import Result, Status
from preflight.plugin import CheckContext
from preflight.targets import DatabaseTarget, MigrationsTarget, Targets, TargetsConfig
from preflight.typed import Duration, build


def run_check(module: ModuleType, table: dict[str, Any], dsn: str, *, migrations: Path | None = None,
              statement_timeout: float = 10, lock_timeout: float = 2, budget: float = 30) -> Result:
    """Build the check's typed config from ``table`` (as the loader does) and run it; a reader error ends the
    check as ``error`` with its one-line message, as in the engine."""
    config = build(module.Config, table)
    mig = None
    if migrations is not None:
        mig = MigrationsTarget(source=str(migrations), tracking="golang-migrate")
        mig.base_dir = migrations.parent
    targets = Targets(TargetsConfig(
        database=DatabaseTarget(dsn=dsn, statement_timeout=Duration(statement_timeout),
                                lock_timeout=Duration(lock_timeout), connect_timeout=Duration(2)),
        migrations=mig))
    ctx = CheckContext(check_id="test", targets=targets, deadline=time.monotonic() + budget)
    try:
        return module.run(config, ctx)  # type: ignore[no-any-return]
    except ReaderError as e:
        return Result(Status.ERROR, str(e))
    finally:
        targets.close()


def wait_for(predicate: Any, timeout: float = 10.0) -> None:
    """Poll until ``predicate()`` is true (another session reached a state), or fail."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return
        time.sleep(0.02)
    raise AssertionError("the other session did not reach the expected state in time")


@contextmanager
def background(dsn: str, statements: list[str], *, application_name: str = "pft-other") -> Iterator[int]:
    """A second session that runs ``statements`` in one transaction in a thread (the last may block or sleep),
    yields its pid, and is cancelled and closed afterwards."""
    conn = psycopg.connect(dsn, application_name=application_name)
    pid = conn.info.backend_pid
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for s in statements:
                conn.execute(s)  # type: ignore[arg-type]
        except psycopg.Error as e:
            errors.append(e)

    t = threading.Thread(target=work, daemon=True)
    t.start()
    try:
        yield pid
    finally:
        conn.cancel_safe()
        t.join(10)
        conn.close()


def session_state(admin: psycopg.Connection[Any], pid: int) -> tuple[str | None, str | None]:
    """(state, wait_event_type) of a backend, as pg_stat_activity shows it now."""
    row = admin.execute("select state, wait_event_type from pg_stat_activity where pid = %s", (pid,)).fetchone()
    admin.execute("select pg_stat_clear_snapshot()")
    return (row[0], row[1]) if row else (None, None)
