"""Liquibase: DATABASECHANGELOG written by Liquibase itself (4.28, the CLI the npm package ships, on the JDK),
then the plan against the same database."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from preflight.migrations.runners.liquibase_checksum import SqlChange, changeset_checksum
from tests.migrations_helpers import plan_for, write
from tests.runner_tools import liquibase

DATA = Path(__file__).parent / "data" / "liquibase"
ROOT = "db/changelog/db.changelog-master.yaml"
ORDER = [
    "db/changelog/changes/001-accounts.sql::1::alice",
    "db/changelog/changes/001-accounts.sql::2::alice",
    "db/changelog/changes/002-plans.xml::plans-1::bob",
    "db/changelog/changes/002-plans.xml::plans-2::bob",
    "db/changelog/changes/more/010-notes.sql::notes::dave",
    "db/changelog/changes/more/020-raw.sql::raw::includeAll",
    "db/changelog/db.changelog-master.yaml::yaml-1::carol",
]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(DATA, tmp_path / "resources")
    return tmp_path / "resources"


def names(migrations: list[Any]) -> list[str]:
    return [m.name for m in migrations]


def test_changelog_order_and_liquibase_own_checksums(project: Path, tmp_path: Path, pg_dsn: str,
                                                     pg_admin: Any) -> None:
    plan, targets = plan_for(pg_dsn, "resources", "liquibase", tmp_path)
    try:
        assert names(plan.pending) == ORDER and not plan.state.table_exists
        by = {m.name: m for m in plan.migrations}
        assert by[ORDER[1]].transaction == "none" and by[ORDER[0]].transaction == "file"
        assert by[ORDER[3]].not_sql is not None and "createTable" in by[ORDER[3]].not_sql
        # The SQL starts on the line after --changeset, the --comment and --rollback lines are not SQL.
        assert by[ORDER[0]].sql_line == 4 and "rollback" not in by[ORDER[0]].sql and "comment" not in by[ORDER[0]].sql
    finally:
        targets.close()
    liquibase(pg_dsn, project, ROOT, "update-count", "--count=4")
    plan, targets = plan_for(pg_dsn, "resources", "liquibase", tmp_path)
    try:
        assert names(plan.pending) == ORDER[4:]
        assert plan.problems == [] and plan.state.rows == 4
        recorded = dict(pg_admin.execute("select filename || '::' || id || '::' || author, md5sum "
                                         "from databasechangelog").fetchall())
        by = {m.name: m for m in plan.migrations}
        # Every SQL changeset's MD5SUM is exactly what Liquibase wrote (formatted SQL, XML sql + sqlFile).
        for name in ORDER[:3]:
            assert by[name].checksum_text == recorded[name]
    finally:
        targets.close()
    liquibase(pg_dsn, project, ROOT, "update")
    recorded = dict(pg_admin.execute("select filename || '::' || id || '::' || author, md5sum "
                                     "from databasechangelog").fetchall())
    plan, targets = plan_for(pg_dsn, "resources", "liquibase", tmp_path)
    try:
        assert plan.pending == [] and plan.problems == []
        for m in plan.migrations:
            if m.checksum_text is not None:  # the raw includeAll file and the YAML sql change too
                assert m.checksum_text == recorded[m.name], m.name
    finally:
        targets.close()


def test_edited_changesets(project: Path, tmp_path: Path, pg_dsn: str, pg_admin: Any) -> None:
    liquibase(pg_dsn, project, ROOT, "update")
    accounts = project / "db/changelog/changes/001-accounts.sql"
    # Whitespace and line endings do not change a version 9 checksum.
    accounts.write_bytes(accounts.read_bytes().replace(b"\n", b"\r\n").replace(b"email text", b"email   text"))
    notes = project / "db/changelog/changes/more/010-notes.sql"
    notes.write_text(notes.read_text().replace("note text", "note varchar(200)"))
    plan, targets = plan_for(pg_dsn, "resources", "liquibase", tmp_path)
    try:
        # runOnChange: the edited changeset runs again; nothing refuses.
        assert names(plan.pending) == [ORDER[4]] and plan.problems == []
    finally:
        targets.close()
    accounts.write_text(accounts.read_text().replace("email   text", "email varchar(320)"))
    plan, targets = plan_for(pg_dsn, "resources", "liquibase", tmp_path)
    try:
        (problem,) = plan.problems
        assert problem.kind == "checksum-mismatch" and problem.migration == ORDER[0]
        assert "Validation Failed" in problem.message
    finally:
        targets.close()
    # Liquibase itself agrees: it refuses to update.
    out = liquibase(pg_dsn, project, ROOT, "validate", ok=False)
    assert out.returncode != 0 and "check sum" in (out.stdout + out.stderr).lower()
    # A validCheckSum naming the recorded sum makes the edit accepted, for Liquibase and for preflight.
    recorded = pg_admin.execute("select md5sum from databasechangelog where id = '1'").fetchone()[0]
    accounts.write_text(accounts.read_text().replace("--changeset alice:1\n",
                                                     f"--changeset alice:1\n--validCheckSum: {recorded}\n"))
    liquibase(pg_dsn, project, ROOT, "validate")
    plan, targets = plan_for(pg_dsn, "resources", "liquibase", tmp_path)
    try:
        assert plan.problems == []
    finally:
        targets.close()


def test_version_8_checksums_as_liquibase_validates_them(project: Path, tmp_path: Path, pg_dsn: str,
                                                         pg_admin: Any) -> None:
    """Rows written by Liquibase before 4.22 hold "8:" sums; Liquibase validates them with the old algorithm.
    The sums preflight computes pass Liquibase's own validation, and a wrong one does not."""
    liquibase(pg_dsn, project, ROOT, "update")
    plan, targets = plan_for(pg_dsn, "resources", "liquibase", tmp_path)
    targets.close()
    from preflight.migrations.runners.liquibase import Liquibase

    changesets = plan._scan.context["changesets"]
    v8 = {cs.label: changeset_checksum(cs.sql, 8) for cs in changesets if not cs.other}
    assert all(v.startswith("8:") for v in v8.values()) and Liquibase.name == "liquibase"
    for label, value in v8.items():
        pg_admin.execute("update databasechangelog set md5sum = %s where filename || '::' || id || '::' || author = %s",
                         (value, label))
    plan, targets = plan_for(pg_dsn, "resources", "liquibase", tmp_path)
    try:
        assert plan.problems == [] and plan.pending == []
    finally:
        targets.close()
    liquibase(pg_dsn, project, ROOT, "validate")  # Liquibase accepts every 8: sum preflight computed
    bad = changeset_checksum([SqlChange("select 1;")], 8)
    pg_admin.execute("update databasechangelog set md5sum = %s where id = '1'", (bad,))
    plan, targets = plan_for(pg_dsn, "resources", "liquibase", tmp_path)
    try:
        assert [p.kind for p in plan.problems] == ["checksum-mismatch"]
    finally:
        targets.close()
    assert liquibase(pg_dsn, project, ROOT, "validate", ok=False).returncode != 0


def test_held_lock_foreign_rows_and_missing_changesets(project: Path, tmp_path: Path, pg_dsn: str,
                                                       pg_admin: Any) -> None:
    liquibase(pg_dsn, project, ROOT, "update")
    # What Liquibase writes while it holds the lock (a run that died leaves it so).
    pg_admin.execute("update databasechangeloglock set locked = true, lockgranted = now(), "
                     "lockedby = 'deploy-7f9c (10.0.0.7)' where id = 1")
    # Another project's changelog sharing the table, and a changeset this release's file no longer has.
    pg_admin.execute("insert into databasechangelog (id, author, filename, dateexecuted, orderexecuted, exectype) "
                     "values ('x', 'eve', 'other/changelog.xml', now(), 99, 'EXECUTED'), "
                     "('3', 'alice', 'db/changelog/changes/001-accounts.sql', now(), 100, 'EXECUTED')")
    plan, targets = plan_for(pg_dsn, "resources", "liquibase", tmp_path)
    try:
        kinds = {(p.kind, p.severity) for p in plan.problems}
        assert kinds == {("locked", "failure"), ("ahead", "failure"), ("ahead", "info")}
        ahead = next(p for p in plan.problems if p.kind == "ahead" and p.severity == "failure")
        assert "001-accounts.sql::3::alice" in ahead.message and "other/changelog.xml" not in ahead.message
        assert "release-locks" in next(p for p in plan.problems if p.kind == "locked").remediation
    finally:
        targets.close()


def test_json_changelog_reads_like_yaml(tmp_path: Path) -> None:
    """A JSON changelog has the YAML one's structure: same changesets, same checksums for the same SQL."""
    import json

    changes = [{"changeSet": {"id": "1", "author": "ann", "changes": [
        {"sql": {"sql": "create table t (id int);"}}, {"createTable": {"tableName": "u"}}]}},
        {"changeSet": {"id": "2", "author": "ann", "runInTransaction": False, "changes": [
            {"sql": {"sql": "create index concurrently t_idx on t (id);"}}]}}]
    write(tmp_path / "res" / "db/changelog", {"db.changelog-master.json": json.dumps({"databaseChangeLog": changes})})
    write(tmp_path / "yaml" / "db/changelog", {"db.changelog-master.yaml":
                                               "databaseChangeLog:\n  - changeSet:\n      id: 2\n      author: ann\n"
                                               "      changes:\n        - sql:\n            sql: create index "
                                               "concurrently t_idx on t (id);\n"})
    plan, targets = plan_for(None, "res", "liquibase", tmp_path)
    targets.close()
    assert [m.name for m in plan.migrations] == ["db/changelog/db.changelog-master.json::1::ann",
                                                 "db/changelog/db.changelog-master.json::2::ann"]
    first, second = plan.migrations
    assert first.not_sql is not None and "createTable" in first.not_sql and second.transaction == "none"
    yaml_plan, targets = plan_for(None, "yaml", "liquibase", tmp_path)
    targets.close()
    assert yaml_plan.migrations[0].checksum_text == second.checksum_text
