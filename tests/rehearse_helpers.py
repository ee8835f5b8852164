"""Test support for the rehearsal: run ``migrations.rehearse`` against a live database on a real server, with
the test server itself (or an embedded one) as the rehearsal server."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import psycopg

from preflight.checks import migrations_rehearse
from preflight.model import Finding, Result
from preflight.plugin import CheckContext
from preflight.rehearsal.target import RehearsalTarget
from preflight.targets import DatabaseTarget, MigrationsTarget, Targets, TargetsConfig
from preflight.typed import Duration
from tests.migrations_helpers import write

REHEARSAL_PREFIX = "preflight_rehearsal_"


def golang_migrate_at(conn: psycopg.Connection[Any], version: int) -> None:
    """The live database as golang-migrate leaves it after ``version``."""
    conn.execute("create table if not exists schema_migrations (version bigint not null primary key, "
                 "dirty boolean not null)")
    conn.execute("truncate schema_migrations")
    conn.execute("insert into schema_migrations values (%s, false)", (version,))


def rehearse(tmp_path: Path, live_dsn: str, files: dict[str, str], *, rehearsal_dsn: str | None,
             tracking: str = "golang-migrate", transaction: str | None = None, pg_dump: str = "",
             sql_command: str | None = None, statement_timeout: float | None = None, seconds: float = 120,
             **config: Any) -> Result:
    """The check's result for ``files`` (the migrations directory) against ``live_dsn``, run with ``seconds``
    to its deadline; ``rehearsal_dsn`` None rehearses on an embedded server started for the run."""
    write(tmp_path / "migrations", dict[str, str | bytes](files))
    target = MigrationsTarget(source="migrations", tracking=tracking,  # type: ignore[arg-type]
                              transaction=transaction, sql_command=sql_command)  # type: ignore[arg-type]
    target.base_dir = tmp_path
    rehearsal = None
    if rehearsal_dsn or pg_dump or statement_timeout is not None:
        rehearsal = RehearsalTarget(dsn=rehearsal_dsn or "", pg_dump=pg_dump)
        if statement_timeout is not None:
            rehearsal.statement_timeout = Duration(statement_timeout)
    targets = Targets(TargetsConfig(database=DatabaseTarget(dsn=live_dsn), migrations=target, rehearsal=rehearsal))
    ctx = CheckContext(check_id="rehearse", targets=targets, deadline=time.monotonic() + seconds,
                       options={"no_cache": True})
    try:
        return migrations_rehearse.run(migrations_rehearse.Config(**config), ctx)
    finally:
        targets.close()


def findings(result: Result, rule: str) -> list[Finding]:
    return [f for f in result.findings if f.rule == rule]


def statements(result: Result, migration: str) -> list[dict[str, Any]]:
    (m,) = [m for m in result.details["migrations"] if m["name"] == migration]
    return list(m["statements"])


def probe(result: Result, kind: str) -> dict[str, Any]:
    (p,) = [p for p in result.details["preconditions"] if p["kind"] == kind]
    return p


def rehearsal_databases(server_dsn: str) -> list[str]:
    with psycopg.connect(server_dsn, autocommit=True) as conn:
        return [r[0] for r in conn.execute("select datname from pg_database where datname like %s",
                                           (REHEARSAL_PREFIX + "%",)).fetchall()]
