"""Knex: knex_migrations and knex_migrations_lock written by Knex's own Migrator (npm knex + pg), then the plan
against the same database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.migrations_helpers import names, plan_for, write
from tests.runner_tools import knex_migrate

FILES = {
    "20240105093000_create_accounts.js": ("exports.up = (knex) => knex.schema.createTable('accounts', (t) => {\n"
                                          "  t.bigIncrements('id'); t.text('email');\n});\n"
                                          "exports.down = (knex) => knex.schema.dropTable('accounts');\n"),
    "20240212110000_index_accounts_email.js": (
        "exports.config = { transaction: false };\n"
        "exports.up = (knex) => knex.raw('create index concurrently accounts_email_idx on accounts (email)');\n"
        "exports.down = (knex) => knex.raw('drop index accounts_email_idx');\n"),
    "20240301080000_add_accounts_plan.js": ("exports.up = (knex) => knex.schema.alterTable('accounts', (t) => "
                                            "{ t.text('plan'); });\nexports.down = () => Promise.resolve();\n"),
    "README.md": "not a migration\n",
}


def test_pending_after_knex_own_runs(tmp_path: Path, pg_dsn: str, pg_admin: Any) -> None:
    mdir = write(tmp_path / "migrations", FILES)
    plan, targets = plan_for(pg_dsn, "migrations", "knex", tmp_path)
    try:
        assert names(plan.pending) == sorted(n for n in FILES if n.endswith(".js"))
        assert plan.unmatched == ["migrations/README.md"] and not plan.state.table_exists
        by = {m.name: m for m in plan.migrations}
        assert by["20240212110000_index_accounts_email.js"].transaction == "none"
        assert all(m.not_sql and "JavaScript" in m.not_sql for m in plan.migrations)
    finally:
        targets.close()
    knex_migrate(pg_dsn, mdir, steps=1)
    plan, targets = plan_for(pg_dsn, "migrations", "knex", tmp_path)
    try:
        assert names(plan.pending) == ["20240212110000_index_accounts_email.js", "20240301080000_add_accounts_plan.js"]
        assert plan.problems == [] and plan.state.current == "batch 1"
        assert plan.last_applied is not None and plan.last_applied.label == "20240105093000_create_accounts.js"
    finally:
        targets.close()
    knex_migrate(pg_dsn, mdir)
    plan, targets = plan_for(pg_dsn, "migrations", "knex", tmp_path)
    try:
        assert plan.pending == [] and plan.problems == []
    finally:
        targets.close()


def test_held_lock_and_missing_files_block_as_knex_does(tmp_path: Path, pg_dsn: str, pg_admin: Any) -> None:
    mdir = write(tmp_path / "migrations", FILES)
    knex_migrate(pg_dsn, mdir)
    # A run that died holding the lock leaves is_locked = 1: Knex then refuses to start.
    pg_admin.execute("update knex_migrations_lock set is_locked = 1")
    (mdir / "20240301080000_add_accounts_plan.js").unlink()
    plan, targets = plan_for(pg_dsn, "migrations", "knex", tmp_path)
    try:
        kinds = sorted(p.kind for p in plan.problems)
        assert kinds == ["ahead", "locked"]
        ahead = next(p for p in plan.problems if p.kind == "ahead")
        assert "20240301080000_add_accounts_plan.js" in ahead.message and "directory is corrupt" in ahead.message
    finally:
        targets.close()
    out = knex_migrate(pg_dsn, mdir, ok=False)
    assert out.returncode != 0 and "corrupt" in out.stderr  # Knex agrees
    (mdir / "20240301080000_add_accounts_plan.js").write_text(FILES["20240301080000_add_accounts_plan.js"])
    out = knex_migrate(pg_dsn, mdir, ok=False)
    assert out.returncode != 0 and "already locked" in out.stderr
    pg_admin.execute("update knex_migrations_lock set is_locked = 0")
    plan, targets = plan_for(pg_dsn, "migrations", "knex", tmp_path)
    try:
        assert plan.problems == []
    finally:
        targets.close()


def test_an_older_file_added_later_runs_out_of_order(tmp_path: Path, pg_dsn: str) -> None:
    mdir = write(tmp_path / "migrations", FILES)
    knex_migrate(pg_dsn, mdir)
    write(mdir, {"20240201000000_backfill.ts": "export async function up() {}\nexport async function down() {}\n"})
    plan, targets = plan_for(pg_dsn, "migrations", "knex", tmp_path)
    try:
        assert names(plan.pending) == ["20240201000000_backfill.ts"]
        (problem,) = plan.problems
        assert problem.kind == "out-of-order" and problem.severity == "info"
    finally:
        targets.close()
