"""Alembic: revisions with a branch, a merge and a depends_on, upgraded by Alembic itself (online, against the
test database), then the plan against the alembic_version Alembic left; the SQL of pending revisions comes from
Alembic's own offline mode through sql_command."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from preflight.migrations.runners.alembic import read_revision_file
from tests.helpers import CliRun
from tests.migrations_helpers import names, plan_for, write
from tests.runner_tools import dsn_url, run

ENV_PY = '''
import logging
import os
from alembic import context
from sqlalchemy import create_engine, pool

logging.basicConfig(level=logging.INFO, format="%(message)s")
url = os.environ["PF_TEST_DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1)

if context.is_offline_mode():
    context.configure(url=url, literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()
else:
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
'''


def revision(rid: str, down: Any, body: str, depends_on: Any = None, labels: Any = None) -> str:
    return (f'"""{rid}"""\nfrom alembic import op\nimport sqlalchemy as sa\n\nrevision = {rid!r}\n'
            f"down_revision: str | tuple[str, ...] | None = {down!r}\nbranch_labels = {labels!r}\n"
            f"depends_on = {depends_on!r}\n\n\ndef upgrade() -> None:\n{body}\n\ndef downgrade() -> None:\n    pass\n")


REVISIONS = {
    "1a_create_accounts.py": revision("1a", None, "    op.create_table('accounts', sa.Column('id', sa.BigInteger, "
                                                  "primary_key=True), sa.Column('email', sa.Text))"),
    "2b_add_plan.py": revision("2b", "1a", "    op.add_column('accounts', sa.Column('plan', sa.Text))"),
    "3c_audit_branch.py": revision("3c", "1a", "    op.create_table('audit', sa.Column('id', sa.BigInteger))",
                                   labels=("audit",)),
    "4d_merge.py": revision("4d", ("2b", "3c"), "    op.create_index('accounts_email_idx', 'accounts', ['email'])"),
    "5e_drop_audit.py": revision("5e", "4d", "    op.drop_table('audit')"),
    "6f_reports.py": revision("6f", None, "    op.create_table('reports', sa.Column('id', sa.BigInteger))",
                              depends_on="audit", labels=("reports",)),
}


def make_project(root: Path) -> Path:
    write(root / "alembic", {"env.py": ENV_PY, "script.py.mako": "", "versions/README": "not a revision\n"})
    write(root / "alembic" / "versions", REVISIONS)
    (root / "alembic.ini").write_text("[alembic]\nscript_location = alembic\n")
    return root


def alembic(root: Path, dsn: str, *args: str) -> str:
    out = run([sys.executable, "-m", "alembic", *args], cwd=root, env={"PF_TEST_DATABASE_URL": dsn_url(dsn)})
    return out.stderr + out.stdout


def running(log: str) -> list[str]:
    """The revisions Alembic ran, in order, from its own log ("Running upgrade a, b -> c")."""
    return [m.group(1) for m in re.finditer(r"Running upgrade [^\n]*-> (\w+)", log)]


def test_revision_files_are_read_without_running_them() -> None:
    values = read_revision_file(REVISIONS["4d_merge.py"])
    assert values["revision"] == ("4d",) and values["down_revision"] == ("2b", "3c")
    assert read_revision_file(REVISIONS["6f_reports.py"])["depends_on"] == ("audit",)


def test_pending_is_what_upgrade_heads_runs_in_alembic_order(tmp_path: Path, pg_dsn: str, pg_admin: Any) -> None:
    root = make_project(tmp_path)
    plan, targets = plan_for(pg_dsn, "alembic/versions", "alembic", root)
    try:
        fresh = [m.version for m in plan.pending]
        assert plan.unmatched == ["alembic/versions/README"]
        kinds = [(p.kind, p.severity) for p in plan.problems]
        assert kinds == [("multiple-heads", "info")]  # 5e and 6f: `upgrade head` would refuse
        assert all(m.not_sql is not None for m in plan.migrations)
    finally:
        targets.close()
    log = alembic(root, pg_dsn, "upgrade", "2b")
    assert running(log) == ["1a", "2b"]
    assert [r[0] for r in pg_admin.execute("select version_num from alembic_version")] == ["2b"]
    plan, targets = plan_for(pg_dsn, "alembic/versions", "alembic", root)
    try:
        pending = [m.version for m in plan.pending]
        assert pending == [r for r in fresh if r not in ("1a", "2b")]
        assert [a.version for a in plan.applied] == ["1a", "2b"]
    finally:
        targets.close()
    # Alembic itself runs exactly that list, in that order.
    assert running(alembic(root, pg_dsn, "upgrade", "heads")) == pending
    heads = sorted(r[0] for r in pg_admin.execute("select version_num from alembic_version"))
    assert heads == ["5e", "6f"]  # one row per head
    plan, targets = plan_for(pg_dsn, "alembic/versions", "alembic", root)
    try:
        assert plan.pending == [] and [p.kind for p in plan.problems] == ["multiple-heads"]
    finally:
        targets.close()


def test_database_ahead_and_broken_graphs(tmp_path: Path, pg_dsn: str, pg_admin: Any) -> None:
    root = make_project(tmp_path)
    alembic(root, pg_dsn, "upgrade", "heads")
    (root / "alembic/versions/5e_drop_audit.py").unlink()
    plan, targets = plan_for(pg_dsn, "alembic/versions", "alembic", root)
    try:
        ahead = [p for p in plan.problems if p.kind == "ahead"]
        assert len(ahead) == 1 and "Can't locate revision identified by '5e'" in ahead[0].message
    finally:
        targets.close()
    write(root / "alembic/versions", {"7g_broken.py": revision("7g", "zz", "    pass"),
                                      "8h_dynamic.py": "revision = make_id()\ndown_revision = None\n"})
    plan, targets = plan_for(pg_dsn, "alembic/versions", "alembic", root)
    try:
        messages = " | ".join(p.message for p in plan.source_problems)
        assert "down_revision 'zz' is not present" in messages and "not a literal" in messages
    finally:
        targets.close()


def test_sql_command_feeds_the_lint_with_alembic_offline_sql(tmp_path: Path, pg_dsn: str, pg_admin: Any,
                                                             cli: CliRun) -> None:
    root = make_project(tmp_path)
    alembic(root, pg_dsn, "upgrade", "4d")
    pg_admin.execute("insert into audit select g from generate_series(1, 5) g")
    python = sys.executable
    (root / "preflight.toml").write_text(
        f'[targets.database]\ndsn = "{pg_dsn}"\n[targets.migrations]\nsource = "alembic/versions"\n'
        f'tracking = "alembic"\nsql_command = "{python} -m alembic upgrade {{from}}:{{to}} --sql"\n\n'
        '[[check]]\nid = "migration-safety"\nuses = "migrations.lint"\n')
    out = cli("run", "--config", str(root / "preflight.toml"), "--format", "json",
              env={"PF_TEST_DATABASE_URL": dsn_url(pg_dsn)})
    (check,) = out.json["checks"]
    drops = [f for f in check["findings"] if f["rule"] == "ban-drop-table"]
    # 5e drops audit, which holds 5 rows: a failure with the count, located in the offline SQL.
    assert len(drops) == 1 and drops[0]["severity"] == "failure" and drops[0]["migration"] == "5e_drop_audit"
    assert "5 rows" in drops[0]["message"] + str(drops[0].get("data"))
    assert not [f for f in check["findings"] if f["rule"] == "not-linted"]
    # Without sql_command, the same migrations are named as not linted: never a silent pass.
    (root / "preflight.toml").write_text((root / "preflight.toml").read_text().replace("sql_command", "# sql"))
    out = cli("run", "--config", str(root / "preflight.toml"), "--format", "json")
    (check,) = out.json["checks"]
    assert check["status"] == "error"  # could not decide (on_unknown = "warn" would make it a warning)
    assert sorted(f["migration"] for f in check["findings"] if f["rule"] == "not-linted") == [
        "5e_drop_audit", "6f_reports"]
    assert names([]) == []
