"""dbmate: files applied the way `dbmate up` applies them, then the plan against a real database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from preflight.errors import ReaderError
from tests.migrations_helpers import GOLANG_MIGRATE_DDL, dbmate_up, names, plan_for, relation_exists, write

FILES = {
    "20240101000000_create_task_usage.sql": (
        "-- Owner: platform team\n-- migrate:up\ncreate table task_usage (id bigserial primary key,\n"
        "  created_at timestamptz not null default now());\n\n-- migrate:down\ndrop table task_usage;\n"),
    "20240102000000_index_created_at.sql": (
        "-- migrate:up transaction:false\n"
        "create index concurrently task_usage_created_at_idx on task_usage (created_at);\n\n"
        "-- migrate:down transaction:false\ndrop index concurrently task_usage_created_at_idx;\n"),
    "20240103000000_add_note.sql": "-- migrate:up\nalter table task_usage add column note text;\n-- migrate:down\n",
    # dbmate orders by file name, not by number: this one runs last.
    "9_legacy_view.sql": "-- migrate:up\ncreate view task_usage_v as select id from task_usage;\n-- migrate:down\n",
    "notes.txt": "x\n",
    "create.sql": "-- migrate:up\n-- migrate:down\n",
}


@pytest.fixture
def mdir(tmp_path: Path) -> Path:
    return write(tmp_path / "db" / "migrations", FILES)


def test_fresh_database_runs_everything_in_file_name_order(mdir: Path, tmp_path: Path, pg_dsn: str) -> None:
    plan, targets = plan_for(pg_dsn, "db/migrations", "dbmate", tmp_path)
    try:
        assert names(plan.pending) == ["20240101000000_create_task_usage", "20240102000000_index_created_at",
                                       "20240103000000_add_note", "9_legacy_view"]
        assert plan.pending[0].version == "20240101000000"
        assert not plan.state.table_exists and plan.problems == []
        assert plan.unmatched == ["db/migrations/create.sql", "db/migrations/notes.txt"]
        first = plan.pending[0]
        # From the up directive to the down directive, as dbmate executes it.
        assert first.sql == ("-- migrate:up\ncreate table task_usage (id bigserial primary key,\n"
                             "  created_at timestamptz not null default now());\n\n")
        assert first.sql_line == 2 and first.transaction == "file"
        assert plan.pending[1].transaction == "none"
    finally:
        targets.close()


def test_pending_after_applied_versions(mdir: Path, tmp_path: Path, pg_dsn: str, pg_admin: Any) -> None:
    dbmate_up(pg_admin, mdir, ["20240101000000_create_task_usage", "20240102000000_index_created_at"])
    assert relation_exists(pg_admin, "task_usage_created_at_idx")
    plan, targets = plan_for(pg_dsn, "db/migrations", "dbmate", tmp_path)
    try:
        assert names(plan.pending) == ["20240103000000_add_note", "9_legacy_view"]
        assert [a.version for a in plan.applied] == ["20240101000000", "20240102000000"]
        assert plan.last_applied is not None and plan.last_applied.label == "20240102000000_index_created_at"
        assert plan.problems == []
    finally:
        targets.close()


def test_out_of_order_is_applied_and_reported_as_information(
        mdir: Path, tmp_path: Path, pg_dsn: str, pg_admin: Any) -> None:
    dbmate_up(pg_admin, mdir, ["20240101000000_create_task_usage", "20240103000000_add_note"])
    plan, targets = plan_for(pg_dsn, "db/migrations", "dbmate", tmp_path)
    try:
        assert names(plan.pending) == ["20240102000000_index_created_at", "9_legacy_view"]
        (problem,) = plan.problems
        assert problem.kind == "out-of-order" and problem.severity == "info"
        assert problem.migration == "20240102000000_index_created_at" and "--strict" in problem.message
    finally:
        targets.close()


def test_database_ahead_of_the_release(mdir: Path, tmp_path: Path, pg_dsn: str, pg_admin: Any) -> None:
    dbmate_up(pg_admin, mdir, ["20240101000000_create_task_usage", "20240102000000_index_created_at",
                               "20240103000000_add_note"])
    (mdir / "20240103000000_add_note.sql").unlink()
    plan, targets = plan_for(pg_dsn, "db/migrations", "dbmate", tmp_path)
    try:
        assert [p.kind for p in plan.problems] == ["ahead"]
        assert plan.problems[0].migration == "20240103000000"
    finally:
        targets.close()


def test_duplicates_and_files_dbmate_cannot_parse(tmp_path: Path) -> None:
    d = write(tmp_path / "m", {
        "001_a.sql": "-- migrate:up\nselect 1;\n-- migrate:down\n",
        "001_b.sql": "-- migrate:up\nselect 2;\n-- migrate:down\n",
        "002_no_down.sql": "-- migrate:up\nselect 1;\n",
        "003_statement_first.sql": "create type t as enum ('a');\n-- migrate:up\nselect 1;\n-- migrate:down\n",
        "004_no_up.sql": "select 1;\n",
    })
    plan, _ = plan_for(None, str(d), "dbmate", tmp_path)
    problems = {(p.kind, p.migration): p for p in plan.source_problems}
    assert set(problems) == {("duplicate-version", "001"), ("unparsable", "002_no_down"),
                             ("unparsable", "003_statement_first"), ("unparsable", "004_no_up")}
    assert "never run" in problems[("duplicate-version", "001")].message
    assert "down block" in problems[("unparsable", "002_no_down")].message


def test_several_up_down_pairs_keep_line_numbers(tmp_path: Path) -> None:
    text = ("-- migrate:up\ncreate table a (id int);\n-- migrate:down\ndrop table a;\n"
            "-- migrate:up transaction:false\ncreate index concurrently a_id on a (id);\n-- migrate:down\n")
    d = write(tmp_path / "m", {"1_pairs.sql": text})
    plan, _ = plan_for(None, str(d), "dbmate", tmp_path)
    (m,) = plan.migrations
    assert "drop table" not in m.sql and m.transaction == "none"
    offset = m.sql.index("create index")
    assert text.split("\n")[m.sql_line + m.sql.count("\n", 0, offset) - 1].startswith("create index")


def test_old_varchar_255_table_and_renamed_column(mdir: Path, tmp_path: Path, pg_dsn: str, pg_admin: Any) -> None:
    pg_admin.execute("create table migrations_log (v varchar(255) primary key)")
    pg_admin.execute("insert into migrations_log values ('20240101000000')")
    plan, targets = plan_for(pg_dsn, "db/migrations", "dbmate", tmp_path, table="migrations_log",
                             columns={"version": "v"})
    try:
        assert names(plan.pending)[0] == "20240102000000_index_created_at"
    finally:
        targets.close()


def test_golang_migrate_table_is_not_a_dbmate_table(mdir: Path, tmp_path: Path, pg_dsn: str, pg_admin: Any) -> None:
    pg_admin.execute(GOLANG_MIGRATE_DDL)
    plan, targets = plan_for(pg_dsn, "db/migrations", "dbmate", tmp_path)
    try:
        with pytest.raises(ReaderError, match="column 'version' is of type int8, but dbmate writes text"):
            _ = plan.pending
    finally:
        targets.close()
