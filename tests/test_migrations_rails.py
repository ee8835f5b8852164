"""Rails: db/migrate migrated by ActiveRecord itself (Debian's ActiveRecord 6.1 and ruby-pg, through
MigrationContext, what `bin/rails db:migrate` calls), then the plan against its schema_migrations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.migrations_helpers import names, plan_for, write
from tests.runner_tools import rails_migrate

FILES = {
    "20240105093000_create_accounts.rb": ("class CreateAccounts < ActiveRecord::Migration[6.1]\n  def change\n"
                                          "    create_table :accounts do |t|\n      t.string :email\n    end\n"
                                          "  end\nend\n"),
    "20240212110000_index_accounts_email.rb": ("class IndexAccountsEmail < ActiveRecord::Migration[6.1]\n"
                                               "  disable_ddl_transaction!\n\n  def change\n"
                                               "    add_index :accounts, :email, algorithm: :concurrently\n"
                                               "  end\nend\n"),
    "20240301080000_add_accounts_plan.rb": ("class AddAccountsPlan < ActiveRecord::Migration[6.1]\n  def change\n"
                                            "    add_column :accounts, :plan, :string\n  end\nend\n"),
    ".keep": "",
}


def test_pending_after_activerecord_runs(tmp_path: Path, pg_dsn: str, pg_admin: Any) -> None:
    mdir = write(tmp_path / "db" / "migrate", FILES)
    plan, targets = plan_for(pg_dsn, "db/migrate", "rails", tmp_path)
    try:
        assert [m.version for m in plan.pending] == ["20240105093000", "20240212110000", "20240301080000"]
        by = {m.version: m for m in plan.migrations}
        assert by["20240212110000"].transaction == "none" and by["20240105093000"].transaction == "file"
        assert all(m.not_sql and "Ruby" in m.not_sql for m in plan.migrations)
    finally:
        targets.close()
    rails_migrate(pg_dsn, mdir, 20240212110000)
    assert pg_admin.execute("select count(*) from schema_migrations").fetchone()[0] == 2
    plan, targets = plan_for(pg_dsn, "db/migrate", "rails", tmp_path)
    try:
        assert names(plan.pending) == ["20240301080000_add_accounts_plan"] and plan.problems == []
    finally:
        targets.close()
    # An older migration merged late: db:migrate runs it (information), and a file ActiveRecord would refuse.
    write(mdir, {"20240201000000_backfill_plans.rb": "class BackfillPlans < ActiveRecord::Migration[6.1]\nend\n",
                 "20240302000000_AddThing.rb": "class AddThing < ActiveRecord::Migration[6.1]\nend\n"})
    plan, targets = plan_for(pg_dsn, "db/migrate", "rails", tmp_path)
    try:
        assert names(plan.pending) == ["20240201000000_backfill_plans", "20240301080000_add_accounts_plan"]
        kinds = sorted((p.kind, p.severity) for p in plan.problems)
        assert kinds == [("out-of-order", "info"), ("unparsable", "failure")]
    finally:
        targets.close()


def test_versions_without_files(tmp_path: Path, pg_dsn: str, pg_admin: Any) -> None:
    mdir = write(tmp_path / "db" / "migrate", FILES)
    rails_migrate(pg_dsn, mdir)
    # Pruned long ago (older than every file) and one from a newer release.
    pg_admin.execute("insert into schema_migrations (version) values ('20190101000000'), ('20250101000000')")
    plan, targets = plan_for(pg_dsn, "db/migrate", "rails", tmp_path)
    try:
        by = {p.severity: p for p in plan.problems}
        assert set(by) == {"info", "failure"}
        assert "20250101000000" in by["failure"].message and "20190101000000" in by["info"].message
        assert "presumed pruned" in by["info"].message
    finally:
        targets.close()
