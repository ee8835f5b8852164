"""migrations.guards against a real PostgreSQL: guards that pass, raise, try to write, time out, and guards that
are not evaluable yet because an earlier pending migration changes what they read."""

from __future__ import annotations

import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from preflight.checks import migrations_guards
from preflight.lint.engine import analyze
from preflight.model import Result, Severity, Status
from preflight.plugin import CheckContext
from preflight.targets import DatabaseTarget, MigrationsTarget, Targets, TargetsConfig
from preflight.typed import Duration
from tests.helpers import CliRun, validate_report, write_config
from tests.migrations_helpers import write

GUARD = """DO $$
BEGIN
  IF (SELECT max(day) FROM rollup_watermark) < DATE '{day}' THEN
    RAISE EXCEPTION 'backfill has not caught up: watermark is %', (SELECT max(day) FROM rollup_watermark)
      USING HINT = 'run the backfill first';
  END IF;
END $$;
"""


pytestmark = pytest.mark.usefixtures("own_lint_cache")


@pytest.fixture
def db(pg_admin: Any) -> Any:
    pg_admin.execute("create table rollup_watermark (day date)")
    pg_admin.execute("insert into rollup_watermark values (DATE '2024-06-01')")
    pg_admin.execute("create table legacy_rollups (id int)")
    pg_admin.execute("insert into legacy_rollups values (1)")
    return pg_admin


def guards(tmp_path: Path, dsn: str, files: Mapping[str, str], tracking: str = "golang-migrate",
           statement_timeout: float = 10, on_unknown: str = "error") -> Result:
    write(tmp_path / "migrations", dict[str, str | bytes](files))
    target = MigrationsTarget(source="migrations", tracking=tracking)  # type: ignore[arg-type]
    target.base_dir = tmp_path
    targets = Targets(TargetsConfig(database=DatabaseTarget(dsn=dsn, statement_timeout=Duration(statement_timeout)),
                                    migrations=target))
    ctx = CheckContext(check_id="migration-guards", targets=targets, deadline=time.monotonic() + 60,
                       options={"no_cache": True})
    try:
        return migrations_guards.run(migrations_guards.Config(on_unknown=on_unknown), ctx)  # type: ignore[arg-type]
    finally:
        targets.close()


def test_guard_that_passes(tmp_path: Path, pg_dsn: str, db: Any) -> None:
    result = guards(tmp_path, pg_dsn, {"103_drop_legacy.up.sql": "SET lock_timeout = '2s';\n"
                                       + GUARD.format(day="2024-05-01") + "DROP TABLE legacy_rollups;\n"})
    assert result.status is Status.PASS, result.summary
    (f,) = result.findings
    assert f.severity is Severity.INFO and f.rule == "guard-passes" and f.migration == "103_drop_legacy"
    assert f.location is not None and (f.location.line, f.location.column) == (2, 1)
    # Only the guard ran: the table the migration drops is still there.
    assert db.execute("select count(*) from legacy_rollups").fetchone()[0] == 1


def test_guard_that_raises_carries_its_own_message(tmp_path: Path, pg_dsn: str, db: Any) -> None:
    result = guards(tmp_path, pg_dsn, {"103_drop_legacy.up.sql": GUARD.format(day="2024-07-01")
                                       + "DROP TABLE legacy_rollups;\n"})
    assert result.status is Status.FAIL
    (f,) = result.findings
    assert f.severity is Severity.FAILURE and f.rule == "guard-raises"
    assert "backfill has not caught up: watermark is 2024-06-01" in f.message
    assert "run the backfill first" in f.message
    assert f.location is not None and f.location.file == "migrations/103_drop_legacy.up.sql"
    assert result.remediation


def test_guard_that_writes_is_not_run(tmp_path: Path, pg_dsn: str, db: Any) -> None:
    writes = ("DO $$\nBEGIN\n  UPDATE rollup_watermark SET day = DATE '2030-01-01';\n"
              "  IF NOT FOUND THEN RAISE EXCEPTION 'no watermark'; END IF;\nEND $$;\nDROP TABLE legacy_rollups;\n")
    result = guards(tmp_path, pg_dsn, {"1_w.up.sql": writes})
    # Could not decide whether the guard holds: an error by default, a warning when the config accepts it.
    assert result.status is Status.ERROR
    (f,) = result.findings
    assert f.severity is Severity.ERROR and f.rule == "guard-not-evaluable"
    assert f.message.startswith("could not decide: ")
    assert "not evaluable read-only" in f.message and "UPDATE rollup_watermark" in f.message
    assert result.remediation and "on_unknown" in result.remediation
    accepted = guards(tmp_path, pg_dsn, {"1_w.up.sql": writes}, on_unknown="warn")
    assert accepted.status is Status.WARN and accepted.findings[0].severity is Severity.WARNING
    assert db.execute("select day::text from rollup_watermark").fetchone()[0] == "2024-06-01"


def test_guard_whose_write_is_hidden_in_a_function_is_refused_before_it_runs(
        tmp_path: Path, pg_dsn: str, db: Any) -> None:
    db.execute("create function bump() returns int language sql as "
               "$$ update rollup_watermark set day = day + 1 returning 1 $$")
    hidden = ("DO $$\nBEGIN\n  IF bump() IS NULL THEN RAISE EXCEPTION 'no watermark'; END IF;\nEND $$;\n"
              "DROP TABLE legacy_rollups;\n")
    result = guards(tmp_path, pg_dsn, {"1_w.up.sql": hidden})
    (f,) = result.findings
    # The untrusted-SQL gate reads bump()'s body through pg_proc: refused, an error, with the route.
    assert f.severity is Severity.ERROR and f.rule == "guard-refused", f.message
    assert f.message.endswith("refused: the guard calls public.bump(), which runs UPDATE, and only SELECT runs "
                              "read-only")
    assert result.status is Status.ERROR
    assert db.execute("select day::text from rollup_watermark").fetchone()[0] == "2024-06-01"


def test_guard_reading_what_an_earlier_pending_migration_creates_is_not_evaluable_yet(
        tmp_path: Path, pg_dsn: str) -> None:
    # A fresh install: nothing exists yet, and the guard reads a table the first migration creates.
    files = {"1_watermark.up.sql": "CREATE TABLE rollup_watermark (day date);\n",
             "2_drop.up.sql": GUARD.format(day="2024-07-01") + "DROP TABLE IF EXISTS legacy_rollups;\n"}
    result = guards(tmp_path, pg_dsn, files)
    assert result.status is Status.PASS
    (f,) = result.findings
    assert f.severity is Severity.INFO and f.rule == "guard-not-evaluable-yet"
    assert "1_watermark creates rollup_watermark" in f.message


def test_guard_not_evaluable_yet_on_a_database_that_has_applied_migrations_could_not_decide(
        tmp_path: Path, pg_dsn: str, db: Any) -> None:
    # The incident's shape one release earlier: the database holds data (and a tracking table), an earlier pending
    # migration changes what the guard reads, so whether the guard will hold at rollout is unknown.
    db.execute("create table schema_migrations (version bigint not null primary key, dirty boolean not null)")
    db.execute("insert into schema_migrations values (1, false)")
    files = {"1_base.up.sql": "SELECT 1;\n",
             "2_watermark.up.sql": "ALTER TABLE rollup_watermark ADD COLUMN note text;\n",
             "3_drop.up.sql": GUARD.format(day="2024-05-01") + "DROP TABLE legacy_rollups;\n"}
    result = guards(tmp_path, pg_dsn, files)
    assert result.status is Status.ERROR
    (f,) = result.findings
    assert f.severity is Severity.ERROR and f.rule == "guard-not-evaluable-yet"
    assert f.message.startswith("could not decide: ") and "2_watermark alters rollup_watermark" in f.message
    assert guards(tmp_path, pg_dsn, files, on_unknown="warn").status is Status.WARN


def test_a_pending_migration_that_does_not_parse_could_not_decide(tmp_path: Path, pg_dsn: str, db: Any) -> None:
    # Its guard (if it has one) cannot be found: unknown, not "no guards".
    files = {"1_broken.up.sql": GUARD.format(day="2024-05-01") + "DROP TABLE legacy_rollups,;\n"}
    result = guards(tmp_path, pg_dsn, files)
    assert result.status is Status.ERROR
    (f,) = result.findings
    assert f.rule == "guard-not-found" and f.message.startswith("could not decide: migrations/1_broken.up.sql "
                                                                "does not parse (syntax error")
    assert guards(tmp_path, pg_dsn, files, on_unknown="warn").status is Status.WARN


def test_guard_reading_what_no_earlier_migration_touches_is_evaluated(tmp_path: Path, pg_dsn: str,
                                                                       db: Any) -> None:
    files = {"1_other.up.sql": "CREATE TABLE unrelated (id int);\n",
             "2_drop.up.sql": GUARD.format(day="2024-07-01") + "DROP TABLE legacy_rollups;\n"}
    result = guards(tmp_path, pg_dsn, files)
    (f,) = result.findings
    assert f.rule == "guard-raises" and f.migration == "2_drop"


def test_guard_cut_short_by_the_statement_timeout_is_an_error(tmp_path: Path, pg_dsn: str, db: Any) -> None:
    slow = ("DO $$\nBEGIN\n  PERFORM pg_sleep(5);\n  IF true THEN RAISE EXCEPTION 'never'; END IF;\nEND $$;\n"
            "SELECT 1;\n")
    started = time.monotonic()
    result = guards(tmp_path, pg_dsn, {"1_slow.up.sql": slow}, statement_timeout=0.3)
    assert time.monotonic() - started < 4
    assert result.status is Status.ERROR
    assert "statement_timeout" in result.findings[0].message


def test_only_leading_do_blocks_that_raise_are_guards() -> None:
    sql = ("SET lock_timeout = '1s';\n" + GUARD.format(day="2024-01-01")
           + "DO $$ BEGIN RAISE NOTICE 'hello'; END $$;\n"
           + "DO $$ BEGIN IF true THEN RAISE EXCEPTION 'late'; END IF; END $$;\n")
    (g,) = analyze(sql)["guards"]
    assert g["line"] == 2 and g["reads"] == ["rollup_watermark"] and not g["writes"]
    assert g["sql"].startswith("DO $$") and g["sql"].endswith("$$")
    asserting = analyze("DO $$ BEGIN ASSERT (SELECT count(*) FROM t) = 0, 't must be empty'; END $$;\n")
    assert asserting["guards"][0]["reads"] == ["t"]
    dynamic = analyze("DO $$ BEGIN EXECUTE 'SELECT 1 FROM ' || 't'; RAISE EXCEPTION 'x'; END $$;")["guards"][0]
    assert dynamic["reads_unknown"] is True


def test_guards_end_to_end(cli: CliRun, tmp_path: Path, pg_dsn: str, db: Any) -> None:
    write(tmp_path / "migrations", {"103_drop.up.sql": GUARD.format(day="2024-07-01") + "DROP TABLE legacy_rollups;\n"})
    write_config(tmp_path, f'[targets.database]\ndsn = "{pg_dsn}"\n\n[targets.migrations]\nsource = "migrations"\n'
                           'tracking = "golang-migrate"\n\n[[check]]\nid = "guards"\nuses = "migrations.guards"\n\n'
                           '[[check]]\nid = "lint"\nuses = "migrations.lint"\n')
    out = cli("run", "--format", "json")
    doc = out.json
    validate_report(doc)
    checks = {c["id"]: c for c in doc["checks"]}
    assert checks["guards"]["status"] == "fail"
    assert "backfill has not caught up" in checks["guards"]["findings"][0]["message"]
    # The guard raises, so it does not acknowledge the drop.
    drop = [f for f in checks["lint"]["findings"] if f["rule"] == "ban-drop-table"][0]
    assert drop["severity"] == "failure"
