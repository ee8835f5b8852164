"""Flyway: Java migrations beside SQL ones, and flyway.conf / flyway.toml (locations, table, schemas,
placeholders, outOfOrder, mixed), against history tables written as Flyway writes them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from preflight.migrations.runners.flyway import flyway_checksum
from preflight.migrations.runners.flyway_config import parse_properties
from tests.helpers import CliRun
from tests.migrations_helpers import FLYWAY_DDL, names, plan_for, write


def history(conn: Any, table: str, rows: list[tuple[Any, ...]]) -> None:
    """Rows as Flyway's JdbcTableSchemaHistory inserts them, into ``table`` (schema-qualified) created with
    Flyway's DDL."""
    schema, _, name = table.rpartition(".")
    conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema or "public"}"')
    conn.execute(FLYWAY_DDL.replace('"public"."flyway_schema_history"', f'"{schema or "public"}"."{name}"')
                 .replace('"flyway_schema_history_pk"', f'"{name}_pk"').replace('"flyway_schema_history_s_idx"',
                                                                                f'"{name}_s_idx"'))
    for rank, (version, description, kind, script, checksum) in enumerate(rows, start=1):
        conn.execute(f'INSERT INTO "{schema or "public"}"."{name}" (installed_rank, version, description, type, '
                     "script, checksum, installed_by, execution_time, success) VALUES (%s, %s, %s, %s, %s, %s, "
                     "'postgres', 3, true)", (rank, version, description, kind, script, checksum))


def test_java_migrations_are_listed_and_named_as_not_linted(tmp_path: Path, pg_dsn: str, pg_admin: Any,
                                                           cli: CliRun) -> None:
    write(tmp_path / "src/main/resources/db/migration", {
        "V1__create_accounts.sql": "create table accounts (id bigint primary key);\n",
        "V3__add_plan.sql": "alter table accounts add column plan text;\n"})
    write(tmp_path / "src/main/java/db/migration", {
        "V2__Backfill_plans.java": "package db.migration;\npublic class V2__Backfill_plans {}\n",
        "V2_1__Fix.class": b"\xca\xfe\xba\xbe",
        "V2_1__Fix$1.class": b"\xca\xfe\xba\xbe",
        "Helper.java": "class Helper {}\n"})
    plan, targets = plan_for(pg_dsn, "src/main", "flyway", tmp_path)
    try:
        assert [m.version for m in plan.pending] == ["1", "2", "2.1", "3"]
        java = [m for m in plan.migrations if m.not_sql]
        assert [m.name for m in java] == ["V2__Backfill_plans", "V2_1__Fix"]
        assert java[0].description == "Backfill plans" and java[0].checksum is None
        assert "src/main/java/db/migration/Helper.java" in plan.unmatched
    finally:
        targets.close()
    # Flyway records a Java migration as type JDBC, without a checksum.
    v1 = (tmp_path / "src/main/resources/db/migration/V1__create_accounts.sql").read_bytes()
    history(pg_admin, "public.flyway_schema_history", [
        ("1", "create accounts", "SQL", "V1__create_accounts.sql", flyway_checksum(v1)),
        ("2", "Backfill plans", "JDBC", "db.migration.V2__Backfill_plans", None)])
    pg_admin.execute("create table accounts (id bigint primary key)")
    plan, targets = plan_for(pg_dsn, "src/main", "flyway", tmp_path)
    try:
        assert names(plan.pending) == ["V2_1__Fix", "V3__add_plan"] and plan.problems == []
    finally:
        targets.close()
    (tmp_path / "preflight.toml").write_text(
        f'[targets.database]\ndsn = "{pg_dsn}"\n[targets.migrations]\nsource = "src/main"\ntracking = "flyway"\n'
        '[[check]]\nid = "lint"\nuses = "migrations.lint"\n')
    out = cli("run", "--format", "json")
    (check,) = out.json["checks"]
    assert [(f["rule"], f["migration"]) for f in check["findings"] if f["rule"] == "not-linted"] == [
        ("not-linted", "V2_1__Fix")]
    assert check["status"] == "error"  # could not decide, unless on_unknown = "warn"


CONF = """# flyway.conf
flyway.locations=filesystem:sql,filesystem:more,classpath:db/callbacks
flyway.table=history
flyway.schemas=app,other
flyway.placeholders.owner=reporting
flyway.outOfOrder=true
flyway.mixed = true
flyway.cleanDisabled=true
flyway.sqlMigrationPrefix=V
"""
TOML = """[environments.default]
url = "jdbc:postgresql://db/app"
schemas = ["app", "other"]

[flyway]
locations = ["filesystem:sql", "filesystem:more", "classpath:db/callbacks"]
table = "history"
outOfOrder = true
mixed = true
sqlMigrationPrefix = "V"

[flyway.placeholders]
owner = "reporting"
"""
SQL = {
    "sql/V1__create_accounts.sql": "create table accounts (id bigint primary key, email text);\n",
    "sql/V3__grant.sql": "grant select on accounts to ${owner};\n",
    "more/V2__index.sql": ("create table plans (id bigint);\n"
                           "create index concurrently accounts_email_idx on accounts (email);\n"),
    "more/R__accounts_view.sql": "create or replace view accounts_v as select id from accounts; -- ${owner}\n",
}


@pytest.mark.parametrize("config", ["flyway.conf", "flyway.toml"])
def test_config_file_locations_table_placeholders_out_of_order_mixed(config: str, tmp_path: Path, pg_dsn: str,
                                                                     pg_admin: Any) -> None:
    write(tmp_path, {**SQL, config: CONF if config.endswith(".conf") else TOML})
    plan, targets = plan_for(pg_dsn, "", "flyway", tmp_path, config_file=config)
    try:
        assert names(plan.pending) == ["V1__create_accounts", "V2__index", "V3__grant", "R__accounts_view"]
        assert plan.state.table == "app.history"
        by = {m.name: m for m in plan.migrations}
        assert "grant select on accounts to reporting;" in by["V3__grant"].sql
        assert by["V2__index"].transaction == "none"  # mixed = true: any non-transactional statement
        assert any("classpath:db/callbacks" in n for n in plan.notes)
        assert any("sqlMigrationPrefix" in n for n in plan.notes)  # read but not applied: said so
    finally:
        targets.close()
    v1 = (tmp_path / "sql/V1__create_accounts.sql").read_bytes()
    v3 = (tmp_path / "sql/V3__grant.sql").read_bytes()
    # A repeatable migration's checksum is taken after placeholder replacement.
    view = SQL["more/R__accounts_view.sql"].replace("${owner}", "reporting").encode()
    history(pg_admin, "app.history", [
        ("1", "create accounts", "SQL", "V1__create_accounts.sql", flyway_checksum(v1)),
        ("3", "grant", "SQL", "V3__grant.sql", flyway_checksum(v3)),
        (None, "accounts view", "SQL", "R__accounts_view.sql", flyway_checksum(view))])
    plan, targets = plan_for(pg_dsn, "", "flyway", tmp_path, config_file=config)
    try:
        assert names(plan.pending) == ["V2__index"]
        (problem,) = plan.problems
        assert problem.kind == "out-of-order" and problem.severity == "info"  # outOfOrder = true
    finally:
        targets.close()
    # A new placeholder value makes the repeatable migration run again; an unknown placeholder stops Flyway.
    conf = tmp_path / config
    conf.write_text(conf.read_text().replace('reporting', 'analytics'))
    write(tmp_path, {"sql/V4__x.sql": "select '${nope}';\n"})
    plan, targets = plan_for(pg_dsn, "", "flyway", tmp_path, config_file=config)
    try:
        assert names(plan.pending) == ["V2__index", "V4__x", "R__accounts_view"]
        unparsable = [p for p in plan.problems if p.kind == "unparsable"]
        assert len(unparsable) == 1 and "No value provided for placeholder: ${nope}" in unparsable[0].message
    finally:
        targets.close()


def test_properties_format() -> None:
    assert parse_properties("a=1\n# c\n! c\nb : two words\nc=x,\\\n  y\n") == {"a": "1", "b": "two words",
                                                                             "c": "x,y"}


def test_source_optional_only_with_a_config_file(cli: CliRun, tmp_path: Path) -> None:
    (tmp_path / "preflight.toml").write_text('[targets.migrations]\ntracking = "flyway"\n')
    out = cli("validate")
    assert out.exit_code == 2 and "source" in out.stderr and "required" in out.stderr
