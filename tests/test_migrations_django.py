"""Django: a project with two apps (a cross-app dependency, a squashed migration, a non-atomic one) migrated by
Django itself (`manage.py migrate`), then the plan against the django_migrations Django wrote; SQL through
`manage.py sqlmigrate`."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from tests.helpers import CliRun
from tests.migrations_helpers import names, plan_for, write
from tests.runner_tools import django_manage, dsn_url

MANAGE = '''import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_settings")
from django.core.management import execute_from_command_line
execute_from_command_line(sys.argv)
'''
SETTINGS = '''import os
from urllib.parse import urlparse
u = urlparse(os.environ["PF_TEST_DATABASE_URL"])
SECRET_KEY = "test"
INSTALLED_APPS = ["django.contrib.contenttypes", "shop", "billing.apps.BillingConfig"]
DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": u.path[1:], "USER": u.username,
                         "PASSWORD": u.password or "", "HOST": u.hostname, "PORT": u.port}}
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
'''


def mig(deps: list[tuple[str, str]], ops: str, extra: str = "") -> str:
    return (f"from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n{extra}"
            f"    dependencies = {deps!r}\n    operations = [\n{ops}    ]\n")


FILES = {
    "manage.py": MANAGE,
    "site_settings.py": SETTINGS,
    "shop/__init__.py": "",
    "shop/migrations/__init__.py": "",
    "shop/migrations/0001_initial.py": mig([], "        migrations.CreateModel('Product', [('id', models."
                                               "BigAutoField(primary_key=True)), ('name', models.TextField())]),\n",
                                           "    initial = True\n"),
    "shop/migrations/0002_product_price.py": mig([("shop", "0001_initial")], "        migrations.AddField("
                                                 "'product', 'price', models.IntegerField(null=True)),\n"),
    "shop/migrations/0003_product_sku.py": mig([("shop", "0002_product_price")], "        migrations.AddField("
                                               "'product', 'sku', models.TextField(null=True)),\n"),
    # The squash of 0001 and 0002, as `squashmigrations shop 0002` writes it.
    "shop/migrations/0001_squashed_0002_product_price.py": mig(
        [], "        migrations.CreateModel('Product', [('id', models.BigAutoField(primary_key=True)), ('name', "
            "models.TextField()), ('price', models.IntegerField(null=True))]),\n",
        "    replaces = [('shop', '0001_initial'), ('shop', '0002_product_price')]\n    initial = True\n"),
    "billing/__init__.py": "",
    "billing/apps.py": ("from django.apps import AppConfig\n\n\nclass BillingConfig(AppConfig):\n"
                        "    name = 'billing'\n    label = 'invoicing'\n"),
    "billing/migrations/__init__.py": "",
    "billing/migrations/0001_initial.py": mig([("shop", "__first__"), ("contenttypes", "0002_remove_content_type_name")],
                                              "        migrations.CreateModel('Invoice', [('id', models.BigAutoField("
                                              "primary_key=True)), ('product', models.ForeignKey('shop.Product', "
                                              "on_delete=models.CASCADE))]),\n"),
    "billing/migrations/0002_drop_legacy.py": mig([("invoicing", "0001_initial"), ("shop", "0003_product_sku")],
                                                  "        migrations.RunSQL('DROP TABLE IF EXISTS legacy_invoices')"
                                                  ",\n", "    atomic = False\n"),
}


def migrate_before_the_squash(project: Path, dsn: str) -> None:
    """`migrate shop 0001_initial` as it ran before the squash was added (Django cannot target a replaced
    migration while the squash is in use)."""
    squash = project / "shop/migrations/0001_squashed_0002_product_price.py"
    text = squash.read_text()
    squash.unlink()
    django_manage(project, dsn, "migrate", "shop", "0001_initial")
    squash.write_text(text)


def plan_order(out: str) -> list[str]:
    """`migrate --plan`: Django's own plan, "app.name" per line."""
    return [f"{m.group(1)}.{m.group(2)}" for m in re.finditer(r"^(\w+)\.(\w+)$", out, re.M)]


def test_plan_is_django_own_plan(tmp_path: Path, pg_dsn: str, pg_admin: Any) -> None:
    project = write(tmp_path / "site", FILES)
    plan, targets = plan_for(pg_dsn, "site", "django", tmp_path)
    try:
        ours = [n for n in names(plan.pending)]
        django = [n for n in plan_order(django_manage(project, pg_dsn, "migrate", "--plan").stdout)
                  if not n.startswith("contenttypes.")]
        assert ours == django
        assert "shop.0001_squashed_0002_product_price" in ours and "shop.0001_initial" not in ours
        by = {m.name: m for m in plan.migrations}
        assert by["invoicing.0002_drop_legacy"].transaction == "none"  # atomic = False
        assert any("contenttypes" in n for n in plan.notes)  # a dependency outside the source, said so
    finally:
        targets.close()
    # Half-applied: only 0001 of shop, recorded by Django itself. The squash is partly applied, so Django uses
    # the replaced migrations.
    migrate_before_the_squash(project, pg_dsn)
    plan, targets = plan_for(pg_dsn, "site", "django", tmp_path)
    try:
        django = [n for n in plan_order(django_manage(project, pg_dsn, "migrate", "--plan").stdout)
                  if not n.startswith("contenttypes.")]
        assert names(plan.pending) == django and "shop.0002_product_price" in django
        assert plan.problems == []
    finally:
        targets.close()
    django_manage(project, pg_dsn, "migrate")
    plan, targets = plan_for(pg_dsn, "site", "django", tmp_path)
    try:
        assert plan.pending == []
        # contenttypes rows: an app outside the source, not judged (and said so).
        assert [(p.kind, p.severity) for p in plan.problems] == [("ahead", "info")]
    finally:
        targets.close()


def test_inconsistent_history_and_rows_without_files(tmp_path: Path, pg_dsn: str, pg_admin: Any) -> None:
    project = write(tmp_path / "site", FILES)
    migrate_before_the_squash(project, pg_dsn)
    # A billing migration recorded although shop.0003 (its dependency) is not applied: Django refuses.
    pg_admin.execute("insert into django_migrations (app, name, applied) values "
                     "('invoicing', '0001_initial', now()), ('invoicing', '0002_drop_legacy', now()), "
                     "('shop', '0009_from_the_future', now())")
    plan, targets = plan_for(pg_dsn, "site", "django", tmp_path)
    try:
        kinds = sorted((p.kind, p.severity) for p in plan.problems)
        assert ("inconsistent", "failure") in kinds and ("ahead", "failure") in kinds
        inconsistent = next(p for p in plan.problems if p.kind == "inconsistent")
        assert inconsistent.migration == "invoicing.0002_drop_legacy" and "shop.0003_product_sku" in inconsistent.message
        assert "shop.0009_from_the_future" in next(p for p in plan.problems if p.kind == "ahead"
                                                   and p.severity == "failure").message
    finally:
        targets.close()
    out = django_manage(project, pg_dsn, "migrate", ok=False)
    assert out.returncode != 0 and "InconsistentMigrationHistory" in out.stderr


def test_sqlmigrate_feeds_the_lint(tmp_path: Path, pg_dsn: str, cli: CliRun) -> None:
    project = write(tmp_path / "site", FILES)
    django_manage(project, pg_dsn, "migrate", "shop")
    config = project / "preflight.toml"
    config.write_text(
        f'[targets.database]\ndsn = "{pg_dsn}"\n[targets.migrations]\nsource = "."\ntracking = "django"\n'
        f'sql_command = "{sys.executable} manage.py sqlmigrate {{app}} {{name}}"\n\n'
        '[[check]]\nid = "migration-safety"\nuses = "migrations.lint"\n')
    out = cli("run", "--config", str(config), "--format", "json", env={"PF_TEST_DATABASE_URL": dsn_url(pg_dsn)})
    (check,) = out.json["checks"]
    assert not [f for f in check["findings"] if f["rule"] == "not-linted"], check
    drops = [f for f in check["findings"] if f["rule"] == "ban-drop-table"]
    # RunSQL in a non-atomic migration: the DROP, on a table that does not exist, dropped IF EXISTS.
    assert [f["migration"] for f in drops] == ["invoicing.0002_drop_legacy"]
    assert check["details"]["migrations"] == 2
