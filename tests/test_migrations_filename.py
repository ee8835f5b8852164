"""The home-grown ``filename`` runner: files applied the way such a runner applies them, then the plan."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from preflight.errors import ReaderError
from tests.migrations_helpers import filename_up, names, plan_for, write

FILES = {
    "032_a.up.sql": "create table a (id int);\n",
    "032_b.up.sql": "create table b (id int);\n",
    "101_create_hourly_rollup.up.sql": "create table task_usage_hourly_rollup (hour timestamptz primary key);\n",
    "101_create_hourly_rollup.down.sql": "drop table task_usage_hourly_rollup;\n",
    "103_drop_legacy_rollups.up.sql": "drop table if exists task_usage_daily_rollup;\n",
    "notes.md": "x\n",
}


@pytest.fixture
def mdir(tmp_path: Path) -> Path:
    return write(tmp_path / "migrations", FILES)


def test_fresh_database_runs_files_in_byte_order(mdir: Path, tmp_path: Path, pg_dsn: str) -> None:
    plan, targets = plan_for(pg_dsn, "migrations", "filename", tmp_path)
    try:
        assert [m.version for m in plan.pending] == ["032_a", "032_b", "101_create_hourly_rollup",
                                                     "103_drop_legacy_rollups"]
        assert names(plan.pending) == [m.version for m in plan.pending]
        assert plan.unmatched == ["migrations/notes.md"] and plan.problems == []
        assert {m.transaction for m in plan.pending} == {"implicit"}
        assert plan.pending_names() == ["032_a", "032_b", "101_create_hourly_rollup", "103_drop_legacy_rollups"]
    finally:
        targets.close()


def test_repeated_numeric_prefixes_are_separate_versions(mdir: Path, tmp_path: Path, pg_dsn: str,
                                                         pg_admin: Any) -> None:
    filename_up(pg_admin, mdir, ["032_a", "101_create_hourly_rollup"])
    plan, targets = plan_for(pg_dsn, "migrations", "filename", tmp_path)
    try:
        assert names(plan.pending) == ["032_b", "103_drop_legacy_rollups"]
        assert [a.version for a in plan.applied] == ["032_a", "101_create_hourly_rollup"]
        (info,) = plan.problems
        assert info.kind == "out-of-order" and info.severity == "info" and info.migration == "032_b"
    finally:
        targets.close()


def test_database_ahead_and_custom_table(mdir: Path, tmp_path: Path, pg_dsn: str, pg_admin: Any) -> None:
    filename_up(pg_admin, mdir, ["032_a", "032_b", "101_create_hourly_rollup", "103_drop_legacy_rollups"],
                table="applied_migrations", column="filename")
    pg_admin.execute("insert into applied_migrations values ('104_add_index')")
    plan, targets = plan_for(pg_dsn, "migrations", "filename", tmp_path, table="applied_migrations",
                             columns={"version": "filename"}, transaction="file")
    try:
        assert plan.pending == []
        (problem,) = plan.problems
        assert problem.kind == "ahead" and problem.migration == "104_add_index"
        assert "applied_migrations records 1 applied migration this release does not have" in problem.message
        assert {m.transaction for m in plan.migrations} == {"file"}
    finally:
        targets.close()


def test_default_table_with_the_wrong_column(mdir: Path, tmp_path: Path, pg_dsn: str, pg_admin: Any) -> None:
    pg_admin.execute("create table schema_migrations (name text primary key)")
    plan, targets = plan_for(pg_dsn, "migrations", "filename", tmp_path)
    try:
        with pytest.raises(ReaderError, match="tracking table schema_migrations has no column 'version'"):
            _ = plan.pending
    finally:
        targets.close()


def test_plain_ordered_files_are_migrations_where_no_file_says_up(tmp_path: Path, pg_dsn: str,
                                                                  pg_admin: Any) -> None:
    # The `for f in migrations/*.sql; do psql -f "$f"` runner: every .sql file runs, in name order.
    mdir = write(tmp_path / "migrations", {"0001-create.sql": "create table a (id int);\n",
                                           "0002-add.sql": "alter table a add column b int;\n",
                                           "0002-add.down.sql": "alter table a drop column b;\n",
                                           "notes.md": "x\n"})
    pg_admin.execute("create table schema_migrations (version text primary key)")
    pg_admin.execute((mdir / "0001-create.sql").read_text())
    pg_admin.execute("insert into schema_migrations values ('0001-create')")
    plan, targets = plan_for(pg_dsn, "migrations", "filename", tmp_path)
    try:
        assert [a.version for a in plan.applied] == ["0001-create"] and names(plan.pending) == ["0002-add"]
        assert plan.unmatched == ["migrations/notes.md"] and plan.problems == []
    finally:
        targets.close()
    # Beside an .up.sql file, plain .sql files are seeds or dumps: not migrations, listed as unmatched.
    write(mdir, {"0003_index.up.sql": "create index on a (b);\n"})
    plan, targets = plan_for(pg_dsn, "migrations", "filename", tmp_path)
    try:
        assert names(plan.pending) == ["0003_index"]
        assert plan.unmatched == ["migrations/0001-create.sql", "migrations/0002-add.sql", "migrations/notes.md"]
    finally:
        targets.close()
