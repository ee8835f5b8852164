"""goose: files applied the way `goose up` applies them, then the plan against a real database."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from preflight.errors import ReaderError
from preflight.migrations.runners.goose import GooseParseError, parse_goose
from tests.migrations_helpers import (
    GOOSE_DDL_V2,
    goose_create,
    goose_down,
    goose_up,
    names,
    plan_for,
    relation_exists,
    write,
)

FUNCTION_FILE = """-- The rollup function, fenced: its body holds semicolons.
-- +goose Up
-- +goose StatementBegin
create function rollup_hour(h timestamptz) returns bigint language plpgsql as $$
begin
  return (select count(*) from task_usage where created_at >= h and created_at < h + interval '1 hour');
end;
$$;
-- +goose StatementEnd

-- +goose Down
drop function rollup_hour(timestamptz);
"""

FILES = {
    "00001_create_task_usage.sql": ("-- +goose Up\ncreate table task_usage (id bigserial primary key,\n"
                                    "  created_at timestamptz not null default now());\n\n"
                                    "-- +goose Down\ndrop table task_usage;\n"),
    "00002_rollup_function.sql": FUNCTION_FILE,
    "00003_index_concurrently.sql": ("-- +goose NO TRANSACTION\n-- +goose Up\n"
                                     "create index concurrently task_usage_created_at_idx on task_usage (created_at);\n"
                                     "-- +goose Down\ndrop index concurrently task_usage_created_at_idx;\n"),
    "00004_add_note.sql": "-- +goose up\nalter table task_usage add column note text; -- free text\n",
    "README.md": "docs\n",
    "seed.sql": "insert into task_usage default values;\n",
}


@pytest.fixture
def mdir(tmp_path: Path) -> Path:
    return write(tmp_path / "migrations", FILES)


def test_fresh_database_runs_everything_in_version_order(mdir: Path, tmp_path: Path, pg_dsn: str) -> None:
    plan, targets = plan_for(pg_dsn, "migrations", "goose", tmp_path)
    try:
        assert names(plan.pending) == ["00001_create_task_usage", "00002_rollup_function",
                                       "00003_index_concurrently", "00004_add_note"]
        assert [m.version for m in plan.pending] == ["1", "2", "3", "4"]
        assert not plan.state.table_exists and plan.problems == []
        assert plan.unmatched == ["migrations/README.md", "migrations/seed.sql"]
        fn = plan.pending[1]
        # The up section only, starting on the line after the annotation.
        assert fn.sql.startswith("-- +goose StatementBegin\ncreate function rollup_hour")
        assert "drop function" not in fn.sql and fn.sql_line == 3 and fn.transaction == "file"
        assert fn.line_count == 12
        lines = FUNCTION_FILE.split("\n")
        offset = fn.sql.index("return (select")
        assert "return (select" in lines[fn.sql_line + fn.sql.count("\n", 0, offset) - 1]
        assert plan.pending[2].transaction == "none"
    finally:
        targets.close()


def test_pending_after_applied_versions(mdir: Path, tmp_path: Path, pg_dsn: str, pg_admin: Any) -> None:
    goose_create(pg_admin)
    goose_up(pg_admin, mdir, [1, 2, 3])
    assert relation_exists(pg_admin, "task_usage_created_at_idx")
    plan, targets = plan_for(pg_dsn, "migrations", "goose", tmp_path)
    try:
        assert names(plan.pending) == ["00004_add_note"]
        assert [a.version for a in plan.applied] == ["1", "2", "3"]  # the (0, true) row is not a migration
        assert plan.last_applied is not None and plan.last_applied.label == "00003_index_concurrently"
        assert plan.problems == [] and plan.pending_names() == ["00004_add_note", "4"]
    finally:
        targets.close()
    goose_down(pg_admin, 3)
    plan, targets = plan_for(pg_dsn, "migrations", "goose", tmp_path)
    try:
        assert names(plan.pending) == ["00003_index_concurrently", "00004_add_note"]
    finally:
        targets.close()


def test_missing_older_migration_makes_goose_refuse(mdir: Path, tmp_path: Path, pg_dsn: str, pg_admin: Any) -> None:
    goose_create(pg_admin)
    goose_up(pg_admin, mdir, [1, 3])
    plan, targets = plan_for(pg_dsn, "migrations", "goose", tmp_path)
    try:
        assert names(plan.pending) == ["00002_rollup_function", "00004_add_note"]
        (problem,) = plan.problems
        assert problem.kind == "out-of-order" and problem.migration == "00002_rollup_function"
        assert "found 1 missing migrations" in problem.message and "-allow-missing" in problem.remediation
    finally:
        targets.close()


def test_history_rows_of_goose_before_v3(mdir: Path, tmp_path: Path, pg_dsn: str, pg_admin: Any) -> None:
    goose_create(pg_admin, GOOSE_DDL_V2)
    goose_up(pg_admin, mdir, [1, 2])
    # goose v2's down inserted (version, false): the newest row of a version decides.
    pg_admin.execute("insert into goose_db_version (version_id, is_applied) values (2, false)")
    plan, targets = plan_for(pg_dsn, "migrations", "goose", tmp_path)
    try:
        assert [a.version for a in plan.applied] == ["1"]
        assert names(plan.pending)[0] == "00002_rollup_function"
    finally:
        targets.close()


def test_database_ahead_of_the_release(mdir: Path, tmp_path: Path, pg_dsn: str, pg_admin: Any) -> None:
    goose_create(pg_admin)
    goose_up(pg_admin, mdir, [1, 2, 3, 4])
    (mdir / "00004_add_note.sql").unlink()
    plan, targets = plan_for(pg_dsn, "migrations", "goose", tmp_path)
    try:
        (problem,) = plan.problems
        assert problem.kind == "ahead" and problem.migration == "4"
        assert "goose_db_version records 1 applied migration this release does not have" in problem.message
    finally:
        targets.close()


def test_duplicates_and_files_goose_cannot_parse(tmp_path: Path) -> None:
    d = write(tmp_path / "m", {
        "00001_a.sql": "-- +goose Up\nselect 1;\n",
        "1_b.sql": "-- +goose Up\nselect 2;\n",
        "00002_no_up.sql": "select 1;\n",
        "00003_no_semicolon.sql": "-- +goose Up\ncreate table t (id int)\n-- +goose Down\ndrop table t;\n",
        "00004_prose.sql": "-- +goose Up\n-- we avoid +goose NO TRANSACTION here\nselect 1;\n",
        "00005_open_block.sql": "-- +goose Up\n-- +goose StatementBegin\nselect 1;\n",
        "00006_backfill.go": "package migrations\n",
        "00006_backfill_test.go": "package migrations\n",
    })
    plan, _ = plan_for(None, str(d), "goose", tmp_path)
    kinds = {(p.kind, p.migration) for p in plan.source_problems}
    assert ("duplicate-version", "1") in kinds
    assert {m for k, m in kinds if k == "unparsable"} == {"00002_no_up", "00003_no_semicolon", "00004_prose",
                                                         "00005_open_block"}
    by_name = {p.migration: p for p in plan.source_problems}
    assert by_name["00003_no_semicolon"].line == 3 and "semicolon" in by_name["00003_no_semicolon"].message
    assert "not a goose annotation" in by_name["00004_prose"].message
    go = plan.migration("00006_backfill")
    assert go is not None and go.sql == "" and go.version == "6"
    assert plan.unmatched == [] and plan.migration("00006_backfill_test") is None


@pytest.mark.parametrize("text, error", [
    ("select 1;\n-- +goose Up\nselect 2;\n", "before '-- +goose Up'"),
    ("-- +goose Down\nselect 1;\n", "before '-- +goose Up'"),
    ("-- +goose Up\n-- +goose Up\n", "duplicate"),
    ("  -- +goose Up\nselect 1;\n", "leading whitespace"),
])
def test_goose_parser_refuses_what_goose_refuses(text: str, error: str) -> None:
    with pytest.raises(GooseParseError, match=re.escape(error)):
        parse_goose(text)


def test_goose_parser_accepts_what_goose_accepts() -> None:
    # "+goose" itself is case-sensitive: this is a plain comment, and the statement has no Up above it.
    with pytest.raises(GooseParseError):
        parse_goose("-- +GOOSE Up\nselect 1;\n")
    assert parse_goose("-- +goose UP\nselect 1; -- trailing\n-- +goose down\nselect 2\n") == (1, 2, True)
    assert parse_goose("\n-- comment\n-- +goose Up\nselect 1;\n-- +goose NO TRANSACTION\n") == (3, 6, False)


def test_tracking_table_without_a_goose_column(mdir: Path, tmp_path: Path, pg_dsn: str, pg_admin: Any) -> None:
    pg_admin.execute("create table goose_db_version (id serial primary key, version_id bigint not null)")
    plan, targets = plan_for(pg_dsn, "migrations", "goose", tmp_path)
    try:
        with pytest.raises(ReaderError, match="tracking table goose_db_version has no column 'is_applied'"):
            _ = plan.pending
    finally:
        targets.close()
