"""Prisma and Atlas: their engines cannot be installed here (Prisma's schema engine and the Atlas CLI are binaries
downloaded at install time, from hosts this machine does not reach), so their tracking tables are written exactly
as their source writes them: Prisma's schema engine (``create_migrations_table``, ``record_migration_started``,
``record_successful_step``, ``record_migration_finished``, ``record_failed_step``; scripts sent as one simple
query) and Atlas's Executor (a revision written before the file runs, ``applied`` counted per statement, the
error kept)."""

from __future__ import annotations

import base64
import hashlib
import uuid
from pathlib import Path
from typing import Any

import psycopg

from preflight.migrations.runners.atlas import render_sum, sum_lines
from preflight.migrations.runners.prisma import prisma_checksum
from tests.migrations_helpers import names, plan_for, write

# -- Prisma ---------------------------------------------------------------------------------------------------

# schema-engine, sql-schema-connector, flavour/postgres.rs: create_migrations_table.
PRISMA_DDL = """CREATE TABLE _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);
"""

PRISMA_FILES = {
    "migration_lock.toml": 'provider = "postgresql"\n',
    "20240105093000_init/migration.sql": "-- CreateTable\nCREATE TABLE \"Account\" (\n    \"id\" SERIAL NOT NULL,\n"
                                         "    \"email\" TEXT NOT NULL,\n    CONSTRAINT \"Account_pkey\" PRIMARY KEY "
                                         "(\"id\")\n);\n",
    "20240212110000_add_plan/migration.sql": "-- AlterTable\nALTER TABLE \"Account\" ADD COLUMN \"plan\" TEXT;\n",
    "20240301080000_drop_legacy/migration.sql": "-- DropTable\nDROP TABLE \"Legacy\";\n",
}


def prisma_deploy(conn: psycopg.Connection[Any], directory: Path, names_: list[str]) -> None:
    """`prisma migrate deploy` of these migrations, recording them as the schema engine does."""
    if conn.execute("select to_regclass('_prisma_migrations')").fetchone()[0] is None:  # type: ignore[index]
        conn.execute(PRISMA_DDL)
    for name in names_:
        script = (directory / name / "migration.sql").read_bytes()
        mid = str(uuid.uuid4())
        conn.execute("INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at) "
                     "VALUES (%s, %s, %s, now())", (mid, prisma_checksum(script), name))
        try:
            conn.execute(script.decode())  # one simple query: an implicit transaction
        except psycopg.Error as e:
            conn.execute("UPDATE _prisma_migrations SET logs = %s WHERE id = %s", (str(e), mid))
            return
        conn.execute("UPDATE _prisma_migrations SET applied_steps_count = applied_steps_count + 1 WHERE id = %s",
                     (mid,))
        conn.execute("UPDATE _prisma_migrations SET finished_at = now() WHERE id = %s", (mid,))


def test_prisma_pending_failed_and_checksum_drift(tmp_path: Path, pg_dsn: str, pg_admin: Any) -> None:
    mdir = write(tmp_path / "prisma" / "migrations", PRISMA_FILES)
    plan, targets = plan_for(pg_dsn, "prisma/migrations", "prisma", tmp_path)
    try:
        assert names(plan.pending) == ["20240105093000_init", "20240212110000_add_plan", "20240301080000_drop_legacy"]
        assert plan.unmatched == [] and {m.transaction for m in plan.migrations} == {"implicit"}
        assert plan.pending[0].file == "prisma/migrations/20240105093000_init/migration.sql"
    finally:
        targets.close()
    prisma_deploy(pg_admin, mdir, ["20240105093000_init", "20240212110000_add_plan", "20240301080000_drop_legacy"])
    failed = pg_admin.execute("select logs from _prisma_migrations where finished_at is null").fetchone()[0]
    assert "Legacy" in failed
    plan, targets = plan_for(pg_dsn, "prisma/migrations", "prisma", tmp_path)
    try:
        (problem,) = plan.problems
        assert problem.kind == "dirty" and problem.migration == "20240301080000_drop_legacy"
        assert "P3009" in problem.message and "migrate resolve --rolled-back" in problem.remediation
        assert names(plan.pending) == ["20240301080000_drop_legacy"] and plan.dirty
    finally:
        targets.close()
    # `prisma migrate resolve --rolled-back`: the failed row stays, marked rolled back; the migration is pending.
    pg_admin.execute("update _prisma_migrations set rolled_back_at = now() where finished_at is null")
    # CRLF line endings match the recorded checksum (as the engine checks); a real edit does not.
    init = mdir / "20240105093000_init" / "migration.sql"
    init.write_bytes(init.read_bytes().replace(b"\n", b"\r\n"))
    plan, targets = plan_for(pg_dsn, "prisma/migrations", "prisma", tmp_path)
    try:
        assert plan.problems == [] and names(plan.pending) == ["20240301080000_drop_legacy"]
    finally:
        targets.close()
    add_plan = mdir / "20240212110000_add_plan" / "migration.sql"
    add_plan.write_text(add_plan.read_text().replace("TEXT", "VARCHAR(20)"))
    plan, targets = plan_for(pg_dsn, "prisma/migrations", "prisma", tmp_path)
    try:
        (problem,) = plan.problems
        assert problem.kind == "checksum-mismatch" and problem.migration == "20240212110000_add_plan"
    finally:
        targets.close()


# -- Atlas ----------------------------------------------------------------------------------------------------

# The ent schema of Atlas's revisions table (cmd/atlas/internal/migrate/ent/schema/revision.go), as ent creates
# it on PostgreSQL, in its own schema.
ATLAS_DDL = """CREATE SCHEMA IF NOT EXISTS "atlas_schema_revisions";
CREATE TABLE "atlas_schema_revisions"."atlas_schema_revisions" ("version" character varying NOT NULL,
 "description" character varying NOT NULL, "type" bigint NOT NULL DEFAULT 2, "applied" bigint NOT NULL DEFAULT 0,
 "total" bigint NOT NULL DEFAULT 0, "executed_at" timestamptz NOT NULL, "execution_time" bigint NOT NULL,
 "error" text NULL, "error_stmt" text NULL, "hash" character varying NOT NULL, "partial_hashes" jsonb NULL,
 "operator_version" character varying NOT NULL, PRIMARY KEY ("version"));"""

ATLAS_FILES = {
    "20240105093000_create_accounts.sql": "CREATE TABLE accounts (id bigint PRIMARY KEY, email text);\n",
    "20240212110000_index_email.sql": ("-- atlas:txmode none\n\nCREATE INDEX CONCURRENTLY accounts_email_idx ON "
                                       "accounts (email);\n"),
    "20240301080000_add_plan.sql": "ALTER TABLE accounts ADD COLUMN plan text;\nUPDATE accounts SET plan = 'x';\n"
                                   "ALTER TABLE accounts ADD COLUMN region text NOT NULL;\n",
}


def atlas_apply(conn: psycopg.Connection[Any], directory: Path, files: list[str]) -> None:
    """`atlas migrate apply`: a revision row before each file, applied counted per statement, the error kept."""
    conn.execute("CREATE SCHEMA IF NOT EXISTS atlas_schema_revisions")
    if conn.execute("select to_regclass('atlas_schema_revisions.atlas_schema_revisions')").fetchone()[0] is None:  # type: ignore[index]
        conn.execute(ATLAS_DDL)
    all_files = sorted(p.name for p in directory.glob("*.sql"))
    hashes = dict(sum_lines([(n, (directory / n).read_bytes()) for n in all_files]))
    for name in files:
        stmts = [s.strip() + ";" for s in (directory / name).read_text().split(";") if s.strip()
                 and not s.strip().startswith("--")]
        version, _, desc = name[: -len(".sql")].partition("_")
        conn.execute(
            "INSERT INTO atlas_schema_revisions.atlas_schema_revisions (version, description, type, applied, total, "
            "executed_at, execution_time, hash, operator_version) VALUES (%s, %s, 2, 0, %s, now(), 0, %s, %s)",
            (version, desc, len(stmts), hashes[name], "Atlas CLI v0.30.0"))
        for stmt in stmts:
            try:
                conn.execute(stmt)
            except psycopg.Error as e:
                conn.execute("UPDATE atlas_schema_revisions.atlas_schema_revisions SET error = %s, error_stmt = %s "
                             "WHERE version = %s", (str(e).strip(), stmt, version))
                return
            conn.execute("UPDATE atlas_schema_revisions.atlas_schema_revisions SET applied = applied + 1 "
                         "WHERE version = %s", (version,))


def test_atlas_sum_is_atlas_format() -> None:
    files = [("1_a.sql", b"create table a (id int);\n"), ("2_b.sql", b"create table b (id int);\n")]
    text = render_sum(files)
    h1 = base64.b64encode(hashlib.sha256(b"1_a.sql" + files[0][1]).digest()).decode()
    h2 = base64.b64encode(hashlib.sha256(b"1_a.sql" + files[0][1] + b"2_b.sql" + files[1][1]).digest()).decode()
    # The sum: names and hashes (without "h1:") in order; a file's hash runs over every file up to it.
    total = base64.b64encode(hashlib.sha256(b"1_a.sql" + h1.encode() + b"2_b.sql" + h2.encode()).digest()).decode()
    assert text == f"h1:{total}\n1_a.sql h1:{h1}\n2_b.sql h1:{h2}\n"


def test_atlas_pending_partial_and_integrity(tmp_path: Path, pg_dsn: str, pg_admin: Any) -> None:
    mdir = write(tmp_path / "migrations", ATLAS_FILES)
    (mdir / "atlas.sum").write_text(render_sum([(n, (mdir / n).read_bytes()) for n in sorted(ATLAS_FILES)]))
    plan, targets = plan_for(pg_dsn, "migrations", "atlas", tmp_path)
    try:
        assert [m.version for m in plan.pending] == ["20240105093000", "20240212110000", "20240301080000"]
        assert plan.problems == [] and plan.pending[1].transaction == "none"
        assert plan.state.table == "atlas_schema_revisions.atlas_schema_revisions"
    finally:
        targets.close()
    atlas_apply(pg_admin, mdir, sorted(ATLAS_FILES))
    plan, targets = plan_for(pg_dsn, "migrations", "atlas", tmp_path)
    try:
        assert plan.pending == [] and plan.problems == []
    finally:
        targets.close()
    # The same, with a row in accounts: the third statement of the last file fails, Atlas stops part-way.
    pg_admin.execute("drop schema atlas_schema_revisions cascade; drop table accounts")
    atlas_apply(pg_admin, mdir, ["20240105093000_create_accounts.sql", "20240212110000_index_email.sql"])
    pg_admin.execute("insert into accounts values (1, 'a@example.com')")
    atlas_apply(pg_admin, mdir, ["20240301080000_add_plan.sql"])
    plan, targets = plan_for(pg_dsn, "migrations", "atlas", tmp_path)
    try:
        (problem,) = plan.problems
        assert problem.kind == "dirty" and "2 of 3 statements" in problem.message and "region" in problem.message
        assert names(plan.pending) == ["20240301080000_add_plan"] and plan.dirty
    finally:
        targets.close()
    # A file edited after hashing, and one added without `atlas migrate hash`: Atlas refuses the directory.
    (mdir / "20240212110000_index_email.sql").write_text("CREATE INDEX accounts_email_idx ON accounts (email);\n")
    write(mdir, {"20240401000000_more.sql": "select 1;\n"})
    plan, targets = plan_for(pg_dsn, "migrations", "atlas", tmp_path)
    try:
        integrity = [p for p in plan.problems if p.kind == "integrity"]
        assert len(integrity) == 1 and "20240401000000_more.sql" in integrity[0].message
        assert "checksum mismatch" in integrity[0].message
    finally:
        targets.close()


def test_atlas_out_of_order_file_refused(tmp_path: Path, pg_dsn: str, pg_admin: Any) -> None:
    mdir = write(tmp_path / "migrations", ATLAS_FILES)
    atlas_apply(pg_admin, mdir, sorted(ATLAS_FILES))
    write(mdir, {"20240201000000_late.sql": "select 1;\n"})
    (mdir / "atlas.sum").write_text(render_sum([(p.name, p.read_bytes()) for p in sorted(mdir.glob("*.sql"))]))
    plan, targets = plan_for(pg_dsn, "migrations", "atlas", tmp_path)
    try:
        (problem,) = plan.problems
        assert problem.kind == "out-of-order" and problem.migration == "20240201000000_late"
        assert plan.pending == []
    finally:
        targets.close()


def test_prisma_migrations_read_from_the_image_with_when_pending(tmp_path: Path, pg_dsn: str, pg_admin: Any,
                                                               cli: Any) -> None:
    """An image: source reads subdirectories (one per Prisma migration), merged across layers; when_pending
    matches a pending migration by its directory name."""
    from preflight.image.build import Layer, write_docker_archive

    base = {f"/app/prisma/migrations/{k}": v for k, v in PRISMA_FILES.items()
            if not k.startswith("20240301080000")}
    top = Layer({"/app/prisma/migrations/20240301080000_drop_legacy/migration.sql":
                 PRISMA_FILES["20240301080000_drop_legacy/migration.sql"]})
    write_docker_archive(tmp_path / "app.tar", [base, top], tag="team/app:1.4.0")
    prisma_deploy(pg_admin, write(tmp_path / "local", PRISMA_FILES), ["20240105093000_init"])
    (tmp_path / "preflight.toml").write_text(
        f'[targets.database]\ndsn = "{pg_dsn}"\n[targets.image]\nref = "docker-archive:app.tar"\n'
        '[targets.migrations]\nsource = "image:/app/prisma/migrations"\ntracking = "prisma"\n\n'
        '[[check]]\nid = "state"\nuses = "migrations.pending"\n\n'
        '[[check]]\nid = "legacy-gone"\nuses = "db.sql"\nwhen_pending = ["*_drop_legacy"]\n'
        'query = "select count(*) = 0 from pg_class where relname = \'Legacy\'"\nexpect = true\n')
    out = cli("run", "--format", "json")
    assert out.stdout.startswith("{"), out.stderr
    by = {c["id"]: c for c in out.json["checks"]}
    assert by["state"]["status"] == "pass", by["state"].get("summary")
    assert [p["file"] for p in by["state"]["details"]["pending"]] == [
        "image:/app/prisma/migrations/20240212110000_add_plan/migration.sql",
        "image:/app/prisma/migrations/20240301080000_drop_legacy/migration.sql"]
    assert by["legacy-gone"]["status"] == "pass"  # ran: its migration is pending
    prisma_deploy(pg_admin, tmp_path / "local", ["20240212110000_add_plan"])
    pg_admin.execute('create table "Legacy" (id int)')
    prisma_deploy(pg_admin, tmp_path / "local", ["20240301080000_drop_legacy"])
    out = cli("run", "--format", "json")
    by = {c["id"]: c for c in out.json["checks"]}
    assert by["state"]["details"]["pending"] == [] and by["legacy-gone"]["status"] == "skip"
