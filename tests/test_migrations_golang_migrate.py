"""golang-migrate: files applied the way `migrate up` applies them, then the plan against a real database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from preflight.errors import ReaderError
from preflight.migrations.evidence import silently_skipped
from tests.migrations_helpers import (
    GOLANG_MIGRATE_DDL,
    golang_migrate_set_version,
    golang_migrate_up,
    names,
    plan_for,
    relation_exists,
    write,
)

FILES = {
    "100_create_task_usage.up.sql": (
        "create table task_usage (\n  id bigserial primary key,\n  created_at timestamptz not null default now(),\n"
        "  updated_at timestamptz\n);\ncreate index task_usage_created_at_idx on task_usage (created_at);\n"),
    "100_create_task_usage.down.sql": "drop table task_usage;\n",
    "101_create_daily_rollup.up.sql": "create table task_usage_daily_rollup (day date primary key, n bigint not null);\n",
    "101_create_daily_rollup.down.sql": "drop table task_usage_daily_rollup;\n",
    "102_add_hourly_rollup.up.sql": (
        "create table task_usage_hourly_rollup (hour timestamptz primary key, n bigint not null);\n"
        "create table task_usage_hourly_rollup_state (id int primary key,\n"
        "  watermark_at timestamptz not null default '1970-01-01');\n"
        "insert into task_usage_hourly_rollup_state (id) values (1);\n"),
    "103_drop_legacy_rollups.up.sql": "drop table task_usage_daily_rollup;\n",
    # 1000 sorts before 103 as text: golang-migrate orders numerically.
    "1000_add_note.up.sql": "alter table task_usage add column note text;\n",
    "README.md": "how to write migrations\n",
}


@pytest.fixture
def mdir(tmp_path: Path) -> Path:
    return write(tmp_path / "db" / "migrations", FILES)


def test_fresh_database_everything_pending_in_numeric_order(mdir: Path, tmp_path: Path, pg_dsn: str) -> None:
    plan, targets = plan_for(pg_dsn, "db/migrations", "golang-migrate", tmp_path)
    try:
        assert names(plan.pending) == ["100_create_task_usage", "101_create_daily_rollup", "102_add_hourly_rollup",
                                       "103_drop_legacy_rollups", "1000_add_note"]
        assert not plan.state.table_exists and plan.applied == [] and plan.problems == []
        assert plan.unmatched == ["db/migrations/README.md"]
        first = plan.pending[0]
        assert first.file == "db/migrations/100_create_task_usage.up.sql"
        assert first.path == str(mdir / "100_create_task_usage.up.sql")
        assert first.transaction == "implicit" and first.sql == FILES["100_create_task_usage.up.sql"]
        assert first.line_count == 6 and first.sql_line == 1 and len(first.sha256) == 64
        assert plan.pending_names()[:2] == ["100_create_task_usage", "100"]
    finally:
        targets.close()


def test_pending_after_the_applied_version(mdir: Path, tmp_path: Path, pg_dsn: str, pg_admin: Any) -> None:
    golang_migrate_up(pg_admin, mdir, [100, 101, 102])
    assert relation_exists(pg_admin, "task_usage_hourly_rollup_state")
    plan, targets = plan_for(pg_dsn, "db/migrations", "golang-migrate", tmp_path)
    try:
        assert names(plan.pending) == ["103_drop_legacy_rollups", "1000_add_note"]
        assert [a.version for a in plan.applied] == ["100", "101", "102"]
        assert plan.last_applied is not None and plan.last_applied.label == "102_add_hourly_rollup"
        assert plan.state.current == "102" and plan.problems == []
        assert silently_skipped(plan, targets.database) == []
    finally:
        targets.close()


def test_dirty_version_fails_naming_the_migration(mdir: Path, tmp_path: Path, pg_dsn: str, pg_admin: Any) -> None:
    golang_migrate_up(pg_admin, mdir, [100, 101], fail_at=101)
    # The failed file ran as one implicit transaction: nothing of it stayed; the row says dirty.
    assert not relation_exists(pg_admin, "task_usage_daily_rollup")
    assert pg_admin.execute("select version, dirty from schema_migrations").fetchall() == [(101, True)]
    plan, targets = plan_for(pg_dsn, "db/migrations", "golang-migrate", tmp_path)
    try:
        (problem,) = plan.problems
        assert problem.kind == "dirty" and problem.migration == "101_create_daily_rollup"
        assert "dirty" in problem.message and "migrate force 101" in problem.remediation
        assert "migrate force 100" in problem.remediation
        assert plan.dirty
        assert names(plan.pending) == ["102_add_hourly_rollup", "103_drop_legacy_rollups", "1000_add_note"]
    finally:
        targets.close()


def test_database_ahead_of_the_release(mdir: Path, tmp_path: Path, pg_dsn: str, pg_admin: Any) -> None:
    golang_migrate_up(pg_admin, mdir, [100, 101, 102, 103, 1000])
    # The release being rolled out is older: it does not have 103 and 1000.
    (mdir / "103_drop_legacy_rollups.up.sql").unlink()
    (mdir / "1000_add_note.up.sql").unlink()
    plan, targets = plan_for(pg_dsn, "db/migrations", "golang-migrate", tmp_path)
    try:
        (problem,) = plan.problems
        assert problem.kind == "ahead" and problem.migration == "1000"
        assert "no migration found for version 1000" in problem.message
        assert "newest is 102_add_hourly_rollup" in problem.message
        assert plan.pending == []
    finally:
        targets.close()


def test_a_migration_below_the_recorded_version_is_skipped_silently(
        mdir: Path, tmp_path: Path, pg_dsn: str, pg_admin: Any) -> None:
    # 101 came in late from a long-lived branch: the database went from 100 straight to 102.
    golang_migrate_up(pg_admin, mdir, [100, 102])
    plan, targets = plan_for(pg_dsn, "db/migrations", "golang-migrate", tmp_path)
    try:
        assert names(plan.pending) == ["103_drop_legacy_rollups", "1000_add_note"]
        (problem,) = silently_skipped(plan, targets.database)
        assert problem.kind == "skipped" and problem.migration == "101_create_daily_rollup"
        assert "task_usage_daily_rollup does not exist" in problem.message
        assert problem.file == "db/migrations/101_create_daily_rollup.up.sql"
    finally:
        targets.close()
    # Once it has run (by hand), there is no evidence against it.
    pg_admin.execute(FILES["101_create_daily_rollup.up.sql"])
    plan, targets = plan_for(pg_dsn, "db/migrations", "golang-migrate", tmp_path)
    try:
        assert silently_skipped(plan, targets.database) == []
    finally:
        targets.close()


def test_no_evidence_when_a_later_applied_migration_drops_the_relation(
        mdir: Path, tmp_path: Path, pg_dsn: str, pg_admin: Any) -> None:
    golang_migrate_up(pg_admin, mdir, [100, 101, 102, 103])
    assert not relation_exists(pg_admin, "task_usage_daily_rollup")  # 103 dropped it
    plan, targets = plan_for(pg_dsn, "db/migrations", "golang-migrate", tmp_path)
    try:
        assert silently_skipped(plan, targets.database) == []
        assert names(plan.pending) == ["1000_add_note"]
    finally:
        targets.close()


def test_duplicate_versions_stop_the_runner(tmp_path: Path) -> None:
    d = write(tmp_path / "m", {"1_a.up.sql": "select 1;", "001_b.up.sql": "select 2;", "2_c.up.sql": "select 3;"})
    plan, targets = plan_for(None, str(d), "golang-migrate", tmp_path)
    (problem,) = plan.source_problems
    assert problem.kind == "duplicate-version" and problem.migration == "1"
    assert "m/001_b.up.sql" in problem.message and "m/1_a.up.sql" in problem.message
    assert "duplicate migration file" in problem.message
    assert names(plan.migrations) == ["001_b", "2_c"]


def test_empty_tracking_table_means_nothing_applied(mdir: Path, tmp_path: Path, pg_dsn: str, pg_admin: Any) -> None:
    pg_admin.execute(GOLANG_MIGRATE_DDL)
    golang_migrate_set_version(pg_admin, -1, False)  # what `migrate down` leaves behind
    plan, targets = plan_for(pg_dsn, "db/migrations", "golang-migrate", tmp_path)
    try:
        assert plan.state.table_exists and len(plan.pending) == 5 and plan.problems == []
    finally:
        targets.close()


def test_tracking_table_of_another_runner_names_table_and_column(
        mdir: Path, tmp_path: Path, pg_dsn: str, pg_admin: Any) -> None:
    # dbmate's schema_migrations has no dirty column.
    pg_admin.execute("create table schema_migrations (version varchar primary key)")
    plan, targets = plan_for(pg_dsn, "db/migrations", "golang-migrate", tmp_path)
    try:
        with pytest.raises(ReaderError) as e:
            _ = plan.pending
        msg = str(e.value)
        assert "tracking table schema_migrations has no column 'dirty'" in msg and "\n" not in msg
    finally:
        targets.close()
    pg_admin.execute("alter table schema_migrations add column dirty boolean")
    plan, targets = plan_for(pg_dsn, "db/migrations", "golang-migrate", tmp_path)
    try:
        with pytest.raises(ReaderError, match="column 'version' is of type varchar, but golang-migrate "
                                              "writes an integer"):
            _ = plan.pending
    finally:
        targets.close()


def test_custom_table_and_schema(mdir: Path, tmp_path: Path, pg_dsn: str, pg_admin: Any) -> None:
    pg_admin.execute("create schema ops")
    pg_admin.execute('create table ops."migrate_version" (v bigint not null primary key, d boolean not null)')
    pg_admin.execute("insert into ops.migrate_version values (101, false)")
    plan, targets = plan_for(pg_dsn, "db/migrations", "golang-migrate", tmp_path, schema="ops",
                             table="migrate_version", columns={"version": "v", "dirty": "d"})
    try:
        assert plan.state.table == "ops.migrate_version" and plan.state.current == "101"
        assert names(plan.pending)[0] == "102_add_hourly_rollup"
    finally:
        targets.close()


def test_multi_statement_mode_is_configurable(mdir: Path, tmp_path: Path) -> None:
    plan, _ = plan_for(None, "db/migrations", "golang-migrate", tmp_path, transaction="none")
    assert {m.transaction for m in plan.migrations} == {"none"}


@pytest.mark.parametrize("files", [
    # The index went with its table.
    {"1_t.up.sql": "create table t (a int);\n", "2_idx.up.sql": "create index t_a on t (a);\n",
     "3_drop.up.sql": "drop table t;\n"},
    # The view went with a CASCADE that does not name it.
    {"1_t.up.sql": "create table t (a int);\n", "2_view.up.sql": "create view v as select a from t;\n",
     "3_drop.up.sql": "drop table t cascade;\n"},
    # Something it created still exists: it ran (the other relation was removed by hand).
    {"1_t.up.sql": "create table t (a int);\ncreate table u (a int);\n", "2_x.up.sql": "select 1;\n",
     "3_y.up.sql": "select 1;\n"},
])
def test_no_false_evidence(files: dict[str, str], tmp_path: Path, pg_dsn: str, pg_admin: Any) -> None:
    d = write(tmp_path / "m", files)
    golang_migrate_up(pg_admin, d, [1, 2, 3])
    pg_admin.execute("drop table if exists u")
    plan, targets = plan_for(pg_dsn, "m", "golang-migrate", tmp_path)
    try:
        assert plan.pending == [] and silently_skipped(plan, targets.database) == []
    finally:
        targets.close()


def test_first_migration_failed_dirty_without_a_version(mdir: Path, tmp_path: Path, pg_dsn: str,
                                                        pg_admin: Any) -> None:
    # A failed `migrate down` of the first migration leaves (-1, dirty): golang-migrate issue 330.
    pg_admin.execute(GOLANG_MIGRATE_DDL)
    golang_migrate_set_version(pg_admin, -1, True)
    plan, targets = plan_for(pg_dsn, "db/migrations", "golang-migrate", tmp_path)
    try:
        (problem,) = plan.problems
        assert problem.kind == "dirty" and "migrate force -1" in problem.remediation
        assert len(plan.pending) == 5
    finally:
        targets.close()
