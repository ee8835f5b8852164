"""migrations.pending, `preflight migrations` and when_pending, end to end through the CLI against a real
PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from preflight.image.build import Layer, Whiteout, write_docker_archive
from tests.helpers import CliRun, validate_report, write_config
from tests.migrations_helpers import golang_migrate_up, goose_create, goose_up, write

GM_FILES = {
    "101_create_task_usage.up.sql": "create table task_usage (id bigserial primary key, created_at timestamptz);\n",
    "102_add_hourly_rollup.up.sql": ("create table task_usage_hourly_rollup (hour timestamptz primary key);\n"
                                     "create table task_usage_daily_rollup (day date primary key);\n"),
    "103_drop_legacy_rollups.up.sql": "drop table task_usage_daily_rollup;\n",
}


def gm_config(dsn: str, source: str = "db/migrations", checks: str = "", extra_target: str = "") -> str:
    return (f'[targets.database]\ndsn = "{dsn}"\n\n[targets.migrations]\nsource = "{source}"\n'
            f'tracking = "golang-migrate"\n{extra_target}\n'
            '[[check]]\nid = "migration-state"\nuses = "migrations.pending"\n' + checks)


@pytest.fixture
def gm(tmp_path: Path) -> Path:
    return write(tmp_path / "db" / "migrations", GM_FILES)


def test_pending_list_in_the_report(cli: CliRun, tmp_path: Path, gm: Path, pg_dsn: str, pg_admin: Any) -> None:
    golang_migrate_up(pg_admin, gm, [101, 102])
    write_config(tmp_path, gm_config(pg_dsn))
    out = cli("run", "--format", "json")
    doc = out.json
    validate_report(doc)
    assert out.exit_code == 0, out.stdout
    (check,) = doc["checks"]
    assert check["status"] == "pass" and check["findings"] == []
    assert check["summary"] == "1 pending migration: 103_drop_legacy_rollups (database at 102_add_hourly_rollup)"
    details = check["details"]
    assert details["applied_count"] == 2 and details["last_applied"]["name"] == "102_add_hourly_rollup"
    (pending,) = details["pending"]
    assert pending["version"] == "103" and pending["name"] == "103_drop_legacy_rollups"
    assert pending["file"] == "db/migrations/103_drop_legacy_rollups.up.sql" and pending["line_count"] == 1
    assert len(pending["sha256"]) == 64
    # Same inputs, byte-identical report (apart from timings).
    again = cli("run", "--format", "json").json
    for d in (doc, again):
        d.pop("duration_ms", None)
        for c in d["checks"]:
            c.pop("duration_ms", None)
    assert doc == again


def test_dirty_state_blocks_with_a_finding_per_problem(cli: CliRun, tmp_path: Path, gm: Path, pg_dsn: str,
                                                       pg_admin: Any) -> None:
    golang_migrate_up(pg_admin, gm, [101, 102], fail_at=102)
    write(gm, {"notes.txt": "x\n"})
    write_config(tmp_path, gm_config(pg_dsn))
    out = cli("run", "--format", "json")
    assert out.exit_code == 1
    (check,) = out.json["checks"]
    assert check["status"] == "fail"
    dirty, unmatched = check["findings"]
    assert dirty["severity"] == "failure" and dirty["rule"] == "dirty"
    assert dirty["migration"] == "102_add_hourly_rollup"
    assert dirty["location"] == {"file": "db/migrations/102_add_hourly_rollup.up.sql"}
    assert "migrate force" in dirty["data"]["remediation"] and "migrate force" in check["remediation"]
    assert unmatched["severity"] == "warning" and unmatched["rule"] == "unmatched-file"


def test_max_pending(cli: CliRun, tmp_path: Path, gm: Path, pg_dsn: str) -> None:
    write_config(tmp_path, gm_config(pg_dsn, checks="max_pending = 2\n"))
    out = cli("run", "--format", "json")
    assert out.exit_code == 1
    (finding,) = out.json["checks"][0]["findings"]
    assert finding["rule"] == "too-many-pending" and "3 migrations are pending" in finding["message"]
    write_config(tmp_path, gm_config(pg_dsn, checks="max_pending = 3\n"))
    assert cli("run").exit_code == 0


def test_when_pending_skips_and_runs(cli: CliRun, tmp_path: Path, gm: Path, pg_dsn: str, pg_admin: Any) -> None:
    gated = ('[[check]]\nid = "before-the-drop"\nuses = "db.connect"\nwhen_pending = ["103_*"]\n'
             '[[check]]\nid = "by-version"\nuses = "db.connect"\nwhen_pending = ["102"]\n')
    write_config(tmp_path, gm_config(pg_dsn, checks=gated))
    golang_migrate_up(pg_admin, gm, [101, 102])
    doc = cli("run", "--format", "json").json
    status = {c["id"]: c["status"] for c in doc["checks"]}
    assert status == {"migration-state": "pass", "before-the-drop": "pass", "by-version": "skip"}
    skipped = next(c for c in doc["checks"] if c["id"] == "by-version")
    assert "no pending migration matches when_pending (102)" in skipped["summary"]
    golang_migrate_up(pg_admin, gm, [103])
    doc = cli("run", "--format", "json").json
    assert {c["id"]: c["status"] for c in doc["checks"]} == {
        "migration-state": "pass", "before-the-drop": "skip", "by-version": "skip"}


def test_preflight_migrations_command(cli: CliRun, tmp_path: Path, gm: Path, pg_dsn: str, pg_admin: Any) -> None:
    golang_migrate_up(pg_admin, gm, [101])
    write_config(tmp_path, gm_config(pg_dsn))
    out = cli("migrations")
    assert out.exit_code == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].startswith("golang-migrate migrations in db/migrations, tracking table schema_migrations in ")
    assert lines[1] == "applied: 1, last: 101_create_task_usage"
    assert lines[2] == "pending: 2, in run order:"
    assert lines[3].split()[:4] == ["1.", "102", "102_add_hourly_rollup", "db/migrations/102_add_hourly_rollup.up.sql"]
    assert lines[4].split()[:3] == ["2.", "103", "103_drop_legacy_rollups"]
    doc = cli("migrations", "--format", "json").json
    assert [m["name"] for m in doc["pending"]] == ["102_add_hourly_rollup", "103_drop_legacy_rollups"]
    assert doc["problems"] == [] and doc["applied_count"] == 1 and doc["tracking_table_exists"] is True
    assert "dbname=pft_" in doc["database"] or "/pft_" in doc["database"]
    # The DSN from the command line, and a database ahead of an older release: exit 1.
    write_config(tmp_path, gm_config("postgresql://nobody@127.0.0.1:9/none"))
    golang_migrate_up(pg_admin, gm, [102, 103])
    older = write(tmp_path / "older", {k: v for k, v in GM_FILES.items() if not k.startswith("103")})
    out = cli("migrations", "--dsn", pg_dsn, "--migrations", str(older), "--format", "json")
    assert out.exit_code == 1
    assert [p["kind"] for p in out.json["problems"]] == ["ahead"]


def test_preflight_migrations_without_a_database(cli: CliRun, tmp_path: Path, gm: Path) -> None:
    write_config(tmp_path, '[targets.migrations]\nsource = "db/migrations"\ntracking = "golang-migrate"\n')
    out = cli("migrations")
    assert out.exit_code == 0
    assert "no database target (pass --dsn): all 3 migrations, in run order:" in out.stdout
    doc = cli("migrations", "--format", "json").json
    assert doc["database"] is None and len(doc["migrations"]) == 3


def test_tracking_table_of_another_runner_is_an_error(cli: CliRun, tmp_path: Path, gm: Path, pg_dsn: str,
                                                      pg_admin: Any) -> None:
    pg_admin.execute("create table schema_migrations (version varchar primary key)")  # dbmate's
    write_config(tmp_path, gm_config(pg_dsn))
    out = cli("run", "--format", "json")
    assert out.exit_code == 3
    check = out.json["checks"][0]
    assert check["status"] == "error"
    assert "tracking table schema_migrations has no column 'dirty'" in check["summary"]
    out = cli("migrations")
    assert out.exit_code == 3 and out.stdout == ""
    (line,) = out.stderr.strip().splitlines()
    assert line.startswith("preflight: error: tracking table schema_migrations has no column 'dirty'")


@pytest.mark.parametrize("source, message", [
    ("db/nowhere", "migrations source db/nowhere: no such directory"),
    ("preflight.toml", "migrations source preflight.toml: not a directory"),
])
def test_unreadable_source_is_a_one_line_error(cli: CliRun, tmp_path: Path, pg_dsn: str, source: str,
                                               message: str) -> None:
    write_config(tmp_path, gm_config(pg_dsn, source=source))
    out = cli("run", "--format", "json")
    assert out.exit_code == 3 and out.json["checks"][0]["summary"] == message
    out = cli("migrations")
    assert out.exit_code == 3 and out.stderr.strip() == f"preflight: error: {message}"


def test_config_errors_name_the_key(cli: CliRun, tmp_path: Path) -> None:
    # A runner preflight does not know (sqlx) is refused, naming the ones it knows.
    write_config(tmp_path, '[targets.migrations]\nsource = "m"\ntracking = "sqlx"\n')
    out = cli("validate")
    assert out.exit_code == 2 and "key 'targets.migrations.tracking'" in out.stderr and "golang-migrate" in out.stderr
    assert "liquibase" in out.stderr and len(out.stderr.strip().splitlines()) == 1
    # A runner-specific key set for a runner that does not read it is an error, not silently ignored.
    write_config(tmp_path, '[targets.migrations]\nsource = "m"\ntracking = "goose"\nsql_command = "x"\n')
    out = cli("validate")
    assert out.exit_code == 2 and "goose does not read it (only alembic, django, rails)" in out.stderr
    assert "targets.migrations.sql_command" in out.stderr
    write_config(tmp_path, '[targets.migrations]\nsource = "m"\ntracking = "goose"\ncolumns = { dirty = "d" }\n')
    out = cli("validate")
    assert out.exit_code == 2 and "goose has no column role 'dirty'" in out.stderr
    assert "targets.migrations.columns" in out.stderr


def test_migrations_read_from_the_image(cli: CliRun, tmp_path: Path, pg_dsn: str, pg_admin: Any) -> None:
    """The migrations that will run are the ones in the image being promoted, merged across its layers."""
    base = {f"/app/migrations/{k}": v for k, v in GM_FILES.items()}
    base["/app/migrations/100_scratch.up.sql"] = "select 1;\n"
    top = Layer({"/app/migrations/100_scratch.up.sql": Whiteout(),
                 "/app/migrations/104_add_note.up.sql": "alter table task_usage add column note text;\n"})
    write_docker_archive(tmp_path / "app.tar", [base, top], tag="team/app:1.4.0")
    golang_migrate_up(pg_admin, write(tmp_path / "applied", GM_FILES), [101, 102])
    write_config(tmp_path, gm_config(pg_dsn, source="image:/app/migrations")
                 + '\n[targets.image]\nref = "docker-archive:app.tar"\n')
    doc = cli("run", "--format", "json").json
    (check,) = doc["checks"]
    assert check["status"] == "pass", check
    assert [(p["name"], p["file"]) for p in check["details"]["pending"]] == [
        ("103_drop_legacy_rollups", "image:/app/migrations/103_drop_legacy_rollups.up.sql"),
        ("104_add_note", "image:/app/migrations/104_add_note.up.sql")]
    assert check["details"]["source"] == "image:/app/migrations"
    out = cli("migrations")
    assert "image:/app/migrations/104_add_note.up.sql" in out.stdout and "100_scratch" not in out.stdout
    # --image points `preflight migrations` at another build of the release: its own migrations are listed.
    write_docker_archive(tmp_path / "next.tar", [base, top, Layer({"/app/migrations/105_more.up.sql": "select 2;\n"})],
                         tag="team/app:1.5.0")
    out = cli("migrations", "--image", "docker-archive:next.tar")
    assert out.exit_code == 0 and "image:/app/migrations/105_more.up.sql" in out.stdout
    # A directory the image does not have: one line, the check errors.
    write_config(tmp_path, gm_config(pg_dsn, source="image:/app/nowhere")
                 + '\n[targets.image]\nref = "docker-archive:app.tar"\n')
    out = cli("run", "--format", "json")
    assert out.exit_code == 3 and "/app/nowhere" in out.json["checks"][0]["summary"]


def test_goose_history_through_the_cli(cli: CliRun, tmp_path: Path, pg_dsn: str, pg_admin: Any) -> None:
    d = write(tmp_path / "migrations", {
        "00001_a.sql": "-- +goose Up\ncreate table a (id int);\n",
        "00002_b.sql": "-- +goose Up\ncreate table b (id int);\n",
        "00003_c.sql": "-- +goose Up\ncreate table c (id int);\n",
    })
    goose_create(pg_admin)
    goose_up(pg_admin, d, [1, 3])
    write_config(tmp_path, f'[targets.database]\ndsn = "{pg_dsn}"\n[targets.migrations]\nsource = "migrations"\n'
                           'tracking = "goose"\n[[check]]\nid = "state"\nuses = "migrations.pending"\n')
    out = cli("run", "--format", "json")
    assert out.exit_code == 1
    (finding,) = out.json["checks"][0]["findings"]
    assert finding["rule"] == "out-of-order" and finding["migration"] == "00002_b"


def test_passwords_never_appear(cli: CliRun, tmp_path: Path, gm: Path, pg_dsn: str) -> None:
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    with_password = make_conninfo("", **{**conninfo_to_dict(pg_dsn), "password": "s3cret-pw"})
    write_config(tmp_path, gm_config(with_password.replace("'", "")))
    for args in (("migrations",), ("migrations", "--format", "json"), ("run", "--format", "json")):
        out = cli(*args)
        assert "s3cret-pw" not in out.stdout + out.stderr
    assert "***" in cli("migrations", "--format", "json").json["database"]
