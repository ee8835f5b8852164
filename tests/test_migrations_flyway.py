"""Flyway: scripts applied the way `flyway migrate` applies them, then the plan against a real database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from preflight.migrations.runners.flyway import flyway_checksum, version_key
from tests.migrations_helpers import flyway_insert, flyway_migrate, names, plan_for, relation_exists, write

FILES = {
    "V1__create_task_usage.sql": ("create table task_usage (\n  id bigserial primary key,\n"
                                  "  created_at timestamptz not null default now()\n);\n"),
    "V1_1__add_note.sql": "alter table task_usage add column note text;\n",
    "V1.9__add_owner.sql": "alter table task_usage add column owner text;\n",
    "V1.10__add_kind.sql": "alter table task_usage add column kind text;\n",
    "V2__index_created_at.sql": ("-- Flyway runs this outside a transaction: every statement needs that.\n"
                                 "create index concurrently task_usage_created_at_idx on task_usage (created_at);\n"),
    "sub/V3__in_a_subdirectory.sql": "alter table task_usage add column region text;\n",
    "R__task_usage_view.sql": "create or replace view task_usage_v as select id, created_at from task_usage;\n",
    "beforeMigrate.sql": "select 1;\n",
    "U1__undo_create.sql": "drop table task_usage;\n",
    "V4_one_underscore.sql": "select 1;\n",
    "README.md": "docs\n",
}


@pytest.fixture
def mdir(tmp_path: Path) -> Path:
    return write(tmp_path / "db" / "migration", FILES)


def test_fresh_database_runs_versions_in_order_then_repeatables(mdir: Path, tmp_path: Path, pg_dsn: str) -> None:
    plan, targets = plan_for(pg_dsn, "db/migration", "flyway", tmp_path)
    try:
        assert [m.version for m in plan.pending] == ["1", "1.1", "1.9", "1.10", "2", "3", ""]
        assert names(plan.pending)[-1] == "R__task_usage_view" and plan.pending[-1].repeatable
        assert not plan.state.table_exists and plan.problems == []
        assert plan.unmatched == ["db/migration/README.md", "db/migration/V4_one_underscore.sql"]
        by = {m.version: m for m in plan.migrations}
        assert by["1"].transaction == "file" and by["2"].transaction == "none"
        assert by["1.1"].description == "add note" and by["3"].file == "db/migration/sub/V3__in_a_subdirectory.sql"
        assert by["1"].checksum == flyway_checksum(FILES["V1__create_task_usage.sql"].encode())
        assert plan.pending_names()[:2] == ["V1__create_task_usage", "1"]
    finally:
        targets.close()


def test_pending_after_applied_versions_and_changed_repeatable(
        mdir: Path, tmp_path: Path, pg_dsn: str, pg_admin: Any) -> None:
    flyway_migrate(pg_admin, mdir, ["V1__create_task_usage.sql", "V1_1__add_note.sql", "V1.9__add_owner.sql",
                                    "R__task_usage_view.sql"])
    assert relation_exists(pg_admin, "task_usage_v")
    plan, targets = plan_for(pg_dsn, "db/migration", "flyway", tmp_path)
    try:
        assert [m.version for m in plan.pending] == ["1.10", "2", "3"]
        assert plan.state.current == "1.9" and plan.problems == []
        assert [a.version for a in plan.applied] == ["1", "1.1", "1.9", "task usage view"]
        assert plan.last_applied is not None and plan.last_applied.label == "R__task_usage_view"
    finally:
        targets.close()
    # A repeatable migration runs again, after the versioned ones, when its checksum changes.
    (mdir / "R__task_usage_view.sql").write_text(
        "create or replace view task_usage_v as select id, created_at, note from task_usage;\n")
    plan, targets = plan_for(pg_dsn, "db/migration", "flyway", tmp_path)
    try:
        assert names(plan.pending) == ["V1.10__add_kind", "V2__index_created_at", "V3__in_a_subdirectory",
                                       "R__task_usage_view"]
    finally:
        targets.close()


def test_checksum_mismatch_but_not_for_line_endings(mdir: Path, tmp_path: Path, pg_dsn: str, pg_admin: Any) -> None:
    flyway_migrate(pg_admin, mdir, ["V1__create_task_usage.sql", "V1_1__add_note.sql"])
    v1 = mdir / "V1__create_task_usage.sql"
    # Line endings and a byte-order mark do not change Flyway's checksum.
    v1.write_bytes(b"\xef\xbb\xbf" + FILES["V1__create_task_usage.sql"].replace("\n", "\r\n").encode())
    plan, targets = plan_for(pg_dsn, "db/migration", "flyway", tmp_path)
    try:
        assert plan.problems == []
    finally:
        targets.close()
    v1.write_text(FILES["V1__create_task_usage.sql"].replace("id bigserial", "id bigint"))
    plan, targets = plan_for(pg_dsn, "db/migration", "flyway", tmp_path)
    try:
        (problem,) = plan.problems
        assert problem.kind == "checksum-mismatch" and problem.migration == "V1__create_task_usage"
        assert "Migration checksum mismatch" in problem.message and "flyway repair" in problem.remediation
        stored = pg_admin.execute("select checksum from flyway_schema_history where version = '1'").fetchone()[0]
        assert f"checksum {stored}" in problem.message
    finally:
        targets.close()


def test_renamed_description_is_a_mismatch(mdir: Path, tmp_path: Path, pg_dsn: str, pg_admin: Any) -> None:
    flyway_migrate(pg_admin, mdir, ["V1__create_task_usage.sql"])
    (mdir / "V1__create_task_usage.sql").rename(mdir / "V1__create_usage_table.sql")
    plan, targets = plan_for(pg_dsn, "db/migration", "flyway", tmp_path)
    try:
        (problem,) = plan.problems
        assert problem.kind == "description-mismatch" and "'create task usage'" in problem.message
    finally:
        targets.close()


def test_failed_migration_blocks(mdir: Path, tmp_path: Path, pg_dsn: str, pg_admin: Any) -> None:
    flyway_migrate(pg_admin, mdir, ["V1__create_task_usage.sql", "V1_1__add_note.sql"], fail="V1_1__add_note.sql")
    plan, targets = plan_for(pg_dsn, "db/migration", "flyway", tmp_path)
    try:
        (problem,) = plan.problems
        assert problem.kind == "failed" and problem.migration == "V1_1__add_note"
        assert "success = false" in problem.message and "flyway repair" in problem.remediation
        assert plan.dirty and names(plan.pending)[0] == "V1_1__add_note"
    finally:
        targets.close()


def test_database_ahead_of_the_release(mdir: Path, tmp_path: Path, pg_dsn: str, pg_admin: Any) -> None:
    flyway_migrate(pg_admin, mdir, ["V1__create_task_usage.sql", "V1_1__add_note.sql", "V1.9__add_owner.sql",
                                    "V1.10__add_kind.sql", "V2__index_created_at.sql",
                                    "sub/V3__in_a_subdirectory.sql", "R__task_usage_view.sql"])
    (mdir / "sub" / "V3__in_a_subdirectory.sql").unlink()
    plan, targets = plan_for(pg_dsn, "db/migration", "flyway", tmp_path)
    try:
        (problem,) = plan.problems
        assert problem.kind == "ahead" and problem.migration == "3"
        assert "sub/V3__in_a_subdirectory.sql" in problem.message
        assert plan.pending == []
    finally:
        targets.close()


def test_unapplied_migration_below_current_version(mdir: Path, tmp_path: Path, pg_dsn: str, pg_admin: Any) -> None:
    flyway_migrate(pg_admin, mdir, ["V1__create_task_usage.sql", "V1_1__add_note.sql", "V1.10__add_kind.sql"])
    plan, targets = plan_for(pg_dsn, "db/migration", "flyway", tmp_path)
    try:
        (problem,) = plan.problems
        assert problem.kind == "out-of-order" and problem.migration == "V1.9__add_owner"
        assert "outOfOrder" in problem.remediation and "current version 1.10" in problem.message
    finally:
        targets.close()


def test_baseline_counts_as_applied(mdir: Path, tmp_path: Path, pg_dsn: str, pg_admin: Any) -> None:
    flyway_migrate(pg_admin, mdir, [])
    flyway_insert(pg_admin, "1.9", "<< Flyway Baseline >>", "BASELINE", "<< Flyway Baseline >>", None, True)
    plan, targets = plan_for(pg_dsn, "db/migration", "flyway", tmp_path)
    try:
        assert [m.version for m in plan.pending] == ["1.10", "2", "3", ""]
        assert plan.problems == [] and plan.state.current == "1.9"
    finally:
        targets.close()


def test_duplicates_bad_versions_and_script_config(tmp_path: Path) -> None:
    d = write(tmp_path / "m", {
        "V1__a.sql": "select 1;\n",
        "V1.0__b.sql": "select 2;\n",
        "R__view.sql": "select 1;\n",
        "more/R__view.sql": "select 2;\n",
        "V1a__bad.sql": "select 1;\n",
        "V2__vacuum.sql": "create index i on t (a);\nvacuum t;\n",
        "V2__vacuum.sql.conf": "executeInTransaction=false\n",
        "V3__mixed.sql": "create index concurrently i2 on t (a);\ncreate table t2 (a int);\n",
    })
    plan, _ = plan_for(None, str(d), "flyway", tmp_path)
    kinds = sorted((p.kind, p.migration) for p in plan.source_problems)
    assert kinds == [("duplicate-version", "1.0"), ("duplicate-version", "R__view"), ("unparsable", "V1a__bad")]
    assert any("Found more than one migration with version 1.0" in p.message for p in plan.source_problems)
    by = {m.name: m for m in plan.migrations}
    assert by["V2__vacuum"].transaction == "none"
    # Mixed: Flyway refuses it unless mixed = true; it stays in a transaction, so the lint flags it.
    assert by["V3__mixed"].transaction == "file"


def test_version_order() -> None:
    assert sorted(["1.10", "1.9", "1", "1.1", "2", "1.0.1"], key=lambda v: version_key(v) or ()) == [
        "1", "1.0.1", "1.1", "1.9", "1.10", "2"]
    assert version_key("1.0") == version_key("1") == version_key("1_0_0")
    assert version_key("1a") is None
