"""migrations.lint against a real PostgreSQL: severities follow the data (populated, empty, missing, created by
an earlier pending migration), guards and suppressions acknowledge, narrowed waivers work end to end."""

from __future__ import annotations

import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from preflight.checks import migrations_lint
from preflight.model import Finding, Result, Severity, Status
from preflight.plugin import CheckContext
from preflight.targets import DatabaseTarget, MigrationsTarget, Targets, TargetsConfig
from preflight.typed import build
from tests.helpers import CliRun, server_says, validate_report, write_config
from tests.migrations_helpers import golang_migrate_up, write

pytestmark = pytest.mark.usefixtures("own_lint_cache")


@pytest.fixture
def shop(pg_admin: Any) -> Any:
    """orders: 500 rows; empty_log: none; a populated schema and an enum in use."""
    pg_admin.execute("create table orders (id bigint primary key, note text, status text)")
    pg_admin.execute("insert into orders select g, 'n' || g, 'new' from generate_series(1, 500) g")
    pg_admin.execute("create table empty_log (id bigint, at timestamptz)")
    pg_admin.execute("create schema archive")
    pg_admin.execute("create table archive.old_orders as select * from orders")
    pg_admin.execute("create type mood as enum ('ok', 'sad')")
    pg_admin.execute("create table feelings (id int, m mood)")
    pg_admin.execute("insert into feelings values (1, 'ok')")
    pg_admin.execute("analyze")
    return pg_admin


def lint(tmp_path: Path, dsn: str | None, files: Mapping[str, str], *, applied: list[int] | None = None,
         admin: Any = None, **config: Any) -> Result:
    directory = write(tmp_path / "migrations", dict[str, str | bytes](files))
    if applied:
        golang_migrate_up(admin, directory, applied)
    target = MigrationsTarget(source="migrations", tracking="golang-migrate")
    target.base_dir = tmp_path
    targets = Targets(TargetsConfig(database=DatabaseTarget(dsn=dsn) if dsn else None, migrations=target))
    ctx = CheckContext(check_id="migration-safety", targets=targets, deadline=time.monotonic() + 60,
                       options={"no_cache": True})
    try:
        return migrations_lint.run(build(migrations_lint.Config, config), ctx)
    finally:
        targets.close()


def only(result: Result, rule: str, text: str = "") -> Finding:
    found = [f for f in result.findings if f.rule == rule and text in (f.data.get("statement", "") + f.message)]
    assert len(found) == 1, [(f.rule, f.message) for f in result.findings]
    return found[0]


def test_destructive_statements_follow_the_data(tmp_path: Path, pg_dsn: str, shop: Any) -> None:
    result = lint(tmp_path, pg_dsn, {
        "1_create_fresh.up.sql": "CREATE TABLE fresh (id bigint);\n",
        "2_contract.up.sql": ("SET lock_timeout = '2s';\n"
                              "DROP TABLE orders;\n"
                              "DROP TABLE empty_log;\n"
                              "DROP TABLE IF EXISTS ghost;\n"
                              "  DROP TABLE fresh;\n"
                              "DROP TABLE phantom;\n"),
    })
    assert result.status is Status.FAIL
    populated = only(result, "ban-drop-table", "orders")
    assert populated.severity is Severity.FAILURE
    assert populated.data["rows"] == 500 and populated.data["rows_exact"] is True
    assert populated.data["size_bytes"] > 0 and "500 rows" in populated.message
    assert populated.migration == "2_contract"
    assert populated.location is not None
    assert (populated.location.file, populated.location.line, populated.location.column) == (
        "migrations/2_contract.up.sql", 2, 1)
    assert populated.data["statement"] == "DROP TABLE orders"
    assert "expand/contract" in populated.data["alternative"]

    assert only(result, "ban-drop-table", "empty_log").severity is Severity.WARNING
    ghost = only(result, "ban-drop-table", "ghost")
    assert ghost.severity is Severity.INFO and "IF EXISTS" in ghost.message
    fresh = only(result, "ban-drop-table", "fresh")
    assert fresh.severity is Severity.INFO and fresh.data["earlier_migration"] == "1_create_fresh"
    assert (fresh.location.line, fresh.location.column) == (5, 3)  # type: ignore[union-attr]
    phantom = only(result, "ban-drop-table", "phantom")
    assert phantom.severity is Severity.WARNING and "would fail" in phantom.message


def test_schemas_types_columns_and_rows(tmp_path: Path, pg_dsn: str, shop: Any) -> None:
    result = lint(tmp_path, pg_dsn, {
        "1_add_column.up.sql": "ALTER TABLE empty_log ADD COLUMN extra text;\n",
        "2_contract.up.sql": ("DROP SCHEMA archive CASCADE;\n"
                              "DROP TYPE mood CASCADE;\n"
                              "ALTER TABLE orders DROP COLUMN note;\n"
                              "ALTER TABLE empty_log DROP COLUMN extra;\n"
                              "TRUNCATE empty_log;\n"
                              "UPDATE orders SET status = 'old';\n"
                              "DO $$ BEGIN DELETE FROM orders; END $$;\n"
                              "CREATE FUNCTION purge() RETURNS void LANGUAGE plpgsql AS $f$\n"
                              "BEGIN\n  DELETE FROM orders;\nEND $f$;\n"),
    })
    schema = only(result, "ban-drop-schema")
    assert schema.severity is Severity.FAILURE and "1 table in the schema" in schema.message
    assert only(result, "ban-drop-type").severity is Severity.FAILURE
    assert "feelings.m" in only(result, "ban-drop-type").message
    assert only(result, "ban-drop-column", "note").severity is Severity.FAILURE
    added = only(result, "ban-drop-column", "extra")
    assert added.severity is Severity.INFO and added.data["earlier_migration"] == "1_add_column"
    assert only(result, "ban-truncate").severity is Severity.WARNING
    assert only(result, "update-without-where").severity is Severity.FAILURE
    in_do, in_function = sorted((f for f in result.findings if f.rule == "delete-without-where"),
                                key=lambda f: f.location.line if f.location and f.location.line else 0)
    assert in_do.severity is Severity.FAILURE and in_do.location.line == 7  # type: ignore[union-attr]
    assert in_function.severity is Severity.INFO and in_function.location.line == 10  # type: ignore[union-attr]
    assert "function" in in_function.data["context"]


def test_locks_follow_the_size_threshold(tmp_path: Path, pg_dsn: str, shop: Any) -> None:
    files = {
        "1_create_fresh.up.sql": "CREATE TABLE fresh (id bigint);\n",
        "2_index.up.sql": ("SET lock_timeout = '1s';\n"
                           "CREATE INDEX orders_note_idx ON orders (note);\n"
                           "CREATE INDEX fresh_id_idx ON fresh (id);\n"
                           "ALTER TABLE orders ADD COLUMN region text NOT NULL;\n"
                           "ALTER TABLE empty_log ADD COLUMN region text NOT NULL;\n"),
    }
    small = lint(tmp_path, pg_dsn, files)
    assert only(small, "require-concurrent-index-creation", "orders").severity is Severity.WARNING
    assert only(small, "require-concurrent-index-creation", "fresh").severity is Severity.INFO
    required = only(small, "adding-required-field", "orders")
    assert required.severity is Severity.FAILURE and "fails" in required.message
    assert only(small, "adding-required-field", "empty_log").severity is Severity.INFO

    big = lint(tmp_path / "again", pg_dsn, files, thresholds={"lock_size": "8kB"})
    locked = only(big, "require-concurrent-index-creation", "orders")
    assert locked.severity is Severity.FAILURE and "lock_size" in locked.message


def test_set_not_null_backed_by_a_validated_check_in_the_database(tmp_path: Path, pg_dsn: str, shop: Any) -> None:
    shop.execute("alter table orders add constraint note_nn check (note is not null)")
    result = lint(tmp_path, pg_dsn, {"1_nn.up.sql": ("ALTER TABLE orders ALTER COLUMN note SET NOT NULL;\n"
                                                     "ALTER TABLE orders ALTER COLUMN status SET NOT NULL;\n")})
    assert only(result, "adding-not-nullable-field", "note").severity is Severity.INFO
    assert only(result, "adding-not-nullable-field", "status").severity is Severity.WARNING


def test_set_not_null_proven_by_a_check_the_pending_migrations_add_and_validate(tmp_path: Path, pg_dsn: str,
                                                                               shop: Any) -> None:
    shop.execute("alter table orders add column region text")
    shop.execute("alter table orders add constraint status_nn check (status is not null) not valid")
    result = lint(tmp_path, pg_dsn, {
        "1_check.up.sql": "ALTER TABLE orders ADD CONSTRAINT note_nn CHECK (note IS NOT NULL) NOT VALID;\n",
        "2_validate.up.sql": "ALTER TABLE orders VALIDATE CONSTRAINT note_nn;\n",
        "3_set.up.sql": ("ALTER TABLE orders ALTER COLUMN note SET NOT NULL;\n"
                         "ALTER TABLE orders VALIDATE CONSTRAINT status_nn;\n"
                         "ALTER TABLE orders ALTER COLUMN status SET NOT NULL;\n"
                         "ALTER TABLE orders ALTER COLUMN region SET NOT NULL;\n"
                         "ALTER TABLE orders ADD COLUMN later text;\n"
                         "ALTER TABLE orders ALTER COLUMN later SET NOT NULL;\n"
                         "ALTER TABLE orders ADD COLUMN born text NOT NULL DEFAULT 'x';\n"
                         "ALTER TABLE orders ALTER COLUMN born SET NOT NULL;\n"
                         "ALTER TABLE orders ADD COLUMN IF NOT EXISTS maybe text;\n"
                         "ALTER TABLE orders ALTER COLUMN maybe SET NOT NULL;\n"),
    }, rules={"exclude": ["require-lock-timeout", "require-statement-timeout"]})
    by_pending = only(result, "adding-not-nullable-field", "orders.note ")
    assert by_pending.severity is Severity.INFO and "note_nn, added and validated before it" in by_pending.message
    # a NOT VALID check of the database, validated earlier in the migration (pg_get_constraintdef says NOT VALID)
    validated = only(result, "adding-not-nullable-field", "orders.status ")
    assert validated.severity is Severity.INFO and "skips the scan" in validated.message
    nullable = only(result, "adding-not-nullable-field", "orders.region ")
    assert nullable.severity is Severity.WARNING and "condition" not in nullable.data
    assert "region is nullable and no validated CHECK (region IS NOT NULL) proves it" in nullable.message
    # columns the pending SQL adds: nullable (it scans), NOT NULL (it does not); IF NOT EXISTS may be the database's
    new = only(result, "adding-not-nullable-field", "orders.later ")
    assert new.severity is Severity.WARNING and "condition" not in new.data
    born = only(result, "adding-not-nullable-field", "orders.born ")
    assert born.severity is Severity.INFO and "born is NOT NULL already" in born.message
    maybe = only(result, "adding-not-nullable-field", "orders.maybe ")
    assert maybe.data["condition"] == {"unless_not_null": ["maybe"]}
    assert "the column is not in the database yet" in maybe.message


def test_set_not_null_follows_renames_dropped_not_null_and_dropped_checks(tmp_path: Path, pg_dsn: str,
                                                                          shop: Any) -> None:
    shop.execute("alter table orders add column made text not null default 'x', add column kept text not null "
                 "default 'k', add column proven text default 'p', add column gone text default 'g'")
    shop.execute("alter table orders add constraint proven_nn check (proven is not null), "
                 "add constraint gone_nn check (gone is not null)")
    result = lint(tmp_path, pg_dsn, {"1_nn.up.sql": (
        "ALTER TABLE orders RENAME COLUMN made TO created;\n"
        "ALTER TABLE orders ALTER COLUMN created SET NOT NULL;\n"
        "ALTER TABLE orders ALTER COLUMN proven DROP NOT NULL;\n"
        "ALTER TABLE orders ALTER COLUMN proven SET NOT NULL;\n"
        "ALTER TABLE orders DROP CONSTRAINT gone_nn;\n"
        "ALTER TABLE orders ALTER COLUMN gone SET NOT NULL;\n"
        "ALTER TABLE orders ALTER COLUMN kept DROP NOT NULL;\n"
        "ALTER TABLE orders RENAME TO purchases;\n"
        "ALTER TABLE purchases ALTER COLUMN kept SET NOT NULL;\n")},
        rules={"exclude": ["require-lock-timeout", "require-statement-timeout"]})
    # the database's made, renamed: NOT NULL already
    renamed = only(result, "adding-not-nullable-field", "orders.created ")
    assert renamed.severity is Severity.INFO and "created is already NOT NULL" in renamed.message
    # DROP NOT NULL leaves the database's validated CHECK (proven IS NOT NULL) to prove it
    proven = only(result, "adding-not-nullable-field", "orders.proven ")
    assert proven.severity is Severity.INFO and "a validated CHECK (proven IS NOT NULL)" in proven.message
    # the check that proved gone is dropped before: it scans
    gone = only(result, "adding-not-nullable-field", "orders.gone ")
    assert gone.severity is Severity.WARNING and "condition" not in gone.data
    # purchases is orders, whose kept the migration made nullable again: it scans
    kept = only(result, "adding-not-nullable-field", "kept ")
    assert kept.severity is Severity.WARNING and "condition" not in kept.data


def test_a_column_of_a_domain_with_constraints_rewrites_the_table(tmp_path: Path, pg_dsn: str, shop: Any) -> None:
    shop.execute("create domain positive_int as integer check (value > 0)")
    shop.execute("create domain ranked as positive_int")
    shop.execute("create domain plain_int as integer")
    result = lint(tmp_path, pg_dsn, {
        "1_domain.up.sql": "CREATE DOMAIN code AS text NOT NULL DEFAULT 'x';\nCREATE DOMAIN free AS text;\n",
        "2_columns.up.sql": ("ALTER TABLE orders ADD COLUMN a positive_int, ADD COLUMN b ranked, ADD COLUMN c plain_int,"
                             " ADD COLUMN d code, ADD COLUMN e free, ADD COLUMN f text;\n"),
    }, rules={"exclude": ["require-lock-timeout", "require-statement-timeout"]})
    found = sorted(f.message.split(":")[0] + ": " + f.message.split(": ")[1] for f in result.findings
                   if f.rule == "adding-field-with-default")
    assert found == [
        "ADD COLUMN a rewrites orders under an ACCESS EXCLUSIVE lock: its type positive_int is a domain with constraints,"
        " checked on every row",
        "ADD COLUMN b rewrites orders under an ACCESS EXCLUSIVE lock: its type ranked is a domain with constraints, "
        "checked on every row",
        "ADD COLUMN d rewrites orders under an ACCESS EXCLUSIVE lock: its type code is a domain with constraints, "
        "checked on every row",
    ]


def test_a_primary_key_using_an_index_over_nullable_columns_scans(tmp_path: Path, pg_dsn: str, shop: Any) -> None:
    shop.execute("create table loose (id bigint, note text)")
    shop.execute("insert into loose select g, 'n' from generate_series(1, 50) g")
    shop.execute("create unique index loose_id_idx on loose (id)")
    shop.execute("create table tight (id bigint not null, note text)")
    shop.execute("create unique index tight_id_idx on tight (id)")
    result = lint(tmp_path, pg_dsn, {
        "1_pk.up.sql": ("ALTER TABLE loose ADD CONSTRAINT loose_pkey PRIMARY KEY USING INDEX loose_id_idx;\n"
                        "ALTER TABLE tight ADD CONSTRAINT tight_pkey PRIMARY KEY USING INDEX tight_id_idx;\n"),
    }, rules={"exclude": ["require-lock-timeout", "require-statement-timeout"]})
    (found,) = [f for f in result.findings if f.rule == "adding-not-nullable-field"]
    assert found.location.line == 1 and found.severity is Severity.WARNING  # type: ignore[union-attr]
    assert found.message.startswith("ADD PRIMARY KEY USING INDEX loose_id_idx on loose scans the table under an "
                                    "ACCESS EXCLUSIVE lock: it sets id NOT NULL")


def test_only_pending_migrations_are_linted(tmp_path: Path, pg_dsn: str, shop: Any) -> None:
    result = lint(tmp_path, pg_dsn, {"1_old.up.sql": "CREATE TABLE gone (id int);\nDROP TABLE gone;\n",
                                     "2_new.up.sql": "DROP TABLE empty_log;\n"}, applied=[1], admin=shop)
    assert {f.migration for f in result.findings} == {"2_new"}
    assert result.details["migrations"] == 1


def test_a_passing_guard_downgrades_data_loss_to_a_warning(tmp_path: Path, pg_dsn: str, shop: Any) -> None:
    guard = ("DO $$\nBEGIN\n  IF (SELECT count(*) FROM orders) > {limit} THEN\n"
             "    RAISE EXCEPTION 'orders still holds % rows', (SELECT count(*) FROM orders);\n  END IF;\nEND $$;\n")
    files = {"1_guarded.up.sql": guard.format(limit=1000) + "DROP TABLE orders;\n",
             "2_refused.up.sql": guard.format(limit=10) + "DROP TABLE empty_log;\n"
                                                   "ALTER TABLE archive.old_orders DROP COLUMN note;\n"}
    result = lint(tmp_path, pg_dsn, files)
    guarded = only(result, "ban-drop-table", "orders")
    assert guarded.severity is Severity.WARNING
    assert guarded.data["guard"] == "the guard at line 1" and "passes" in guarded.message
    # The second guard would raise: its migration's failure stands.
    assert only(result, "ban-drop-column", "note").severity is Severity.FAILURE
    off = lint(tmp_path / "off", pg_dsn, files, guards=False)
    assert only(off, "ban-drop-table", "orders").severity is Severity.FAILURE


def test_in_file_suppression_acknowledges_visibly(tmp_path: Path, pg_dsn: str, shop: Any) -> None:
    result = lint(tmp_path, pg_dsn, {"1_drop.up.sql": (
        "-- preflight: ignore ban-drop-table orders moved to the billing service in 4.2\n"
        "DROP TABLE orders;\n"
        "-- preflight: ignore ban-drop-column\n"
        "ALTER TABLE archive.old_orders DROP COLUMN note;\n")})
    dropped = only(result, "ban-drop-table")
    assert dropped.severity is Severity.FAILURE
    assert dropped.waived_by == "in-file suppression (line 1): orders moved to the billing service in 4.2"
    assert only(result, "invalid-suppression").severity is Severity.WARNING
    assert only(result, "ban-drop-column").waived_by is None  # no reason: not acknowledged
    assert result.status is Status.FAIL


def test_scope_all_needs_no_database(tmp_path: Path) -> None:
    result = lint(tmp_path, None, {"1_a.up.sql": "DROP TABLE a;\n", "2_b.up.sql": "CREATE INDEX i ON b (x);\n"},
                  scope="all")
    assert only(result, "ban-drop-table").severity is Severity.FAILURE
    assert only(result, "require-concurrent-index-creation").severity is Severity.WARNING
    assert result.details["scope"] == "all"
    with pytest.raises(ValueError, match="unknown rule"):
        build(migrations_lint.Config, {"rules": {"exclude": ["no-such-rule"]}})


def test_scope_all_settles_a_condition_from_the_earlier_migrations(tmp_path: Path) -> None:
    """Without the database, every migration in run order: the type an earlier one gives the column decides."""
    result = lint(tmp_path, None, {"1_a.up.sql": "-- the table\nCREATE TABLE a (name varchar(50));\n",
                                   "2_b.up.sql": "ALTER TABLE a ALTER COLUMN name TYPE varchar(80);\n"}, scope="all")
    change = only(result, "changing-column-type")
    assert change.severity is Severity.INFO and "condition" not in change.data
    assert "migrations/1_a.up.sql line 2 creates it as varchar(50)" in change.message.replace("\\", "/")


def test_narrowed_waiver_end_to_end(cli: CliRun, tmp_path: Path, pg_dsn: str, shop: Any) -> None:
    write(tmp_path / "migrations", {"1_drop_orders.up.sql": "DROP TABLE orders;\n",
                                    "2_purge.up.sql": "DELETE FROM archive.old_orders;\n"})
    config = (f'[targets.database]\ndsn = "{pg_dsn}"\n\n[targets.migrations]\nsource = "migrations"\n'
              'tracking = "golang-migrate"\n\n[[check]]\nid = "migration-safety"\nuses = "migrations.lint"\n\n'
              '[[waiver]]\ncheck = "migration-safety"\nrule = "ban-drop-table"\nmigration = "1_drop_orders"\n'
              'reason = "contract phase of the billing move"\nexpires = 2099-12-31\n')
    write_config(tmp_path, config)
    out = cli("run", "--format", "json", "--no-cache")
    doc = out.json
    validate_report(doc)
    (check,) = [c for c in doc["checks"] if c["id"] == "migration-safety"]
    by_rule = {f["rule"]: f for f in check["findings"]}
    assert by_rule["ban-drop-table"]["waived_by"] == "waiver: contract phase of the billing move"
    assert "waived_by" not in by_rule["delete-without-where"]
    assert check["status"] == "fail" and out.exit_code == 1

    write(tmp_path / "migrations", {"2_purge.up.sql": "DELETE FROM archive.old_orders WHERE id < 0;\n"})
    out = cli("run", "--format", "json", "--no-cache")
    (check,) = [c for c in out.json["checks"] if c["id"] == "migration-safety"]
    # The drop's lock_timeout warning is not waived: the check warns (it is not waived as a whole).
    assert out.exit_code == 0 and check["status"] == "warn" and check["waived"] is False, out.stdout
    assert [f["rule"] for f in check["findings"] if f["severity"] == "warning"] == ["require-lock-timeout"]


def test_narrowed_waiver_leaves_the_open_warnings_counted(cli: CliRun, tmp_path: Path, pg_dsn: str,
                                                          shop: Any) -> None:
    # The waiver acknowledges the one failure; the index on the small, empty table still warns.
    write(tmp_path / "migrations", {"1_drop_orders.up.sql": "DROP TABLE orders;\n",
                                    "2_index.up.sql": "CREATE INDEX empty_log_at ON empty_log (at);\n"})
    write_config(tmp_path, f'[targets.database]\ndsn = "{pg_dsn}"\n\n[targets.migrations]\nsource = "migrations"\n'
                 'tracking = "golang-migrate"\n\n[[check]]\nid = "migration-safety"\nuses = "migrations.lint"\n\n'
                 '[[waiver]]\ncheck = "migration-safety"\nrule = "ban-drop-table"\nmigration = "1_drop_orders"\n'
                 'reason = "contract phase of the billing move"\nexpires = 2099-12-31\n')
    out = cli("run", "--format", "json", "--no-cache")
    validate_report(out.json)
    (check,) = out.json["checks"]
    assert out.exit_code == 0 and check["status"] == "warn" and check["waived"] is False
    assert out.json["summary"]["warnings"] == 1 and out.json["summary"]["waived"] == 0
    assert check["summary"].endswith("(1 failure waived)")
    text = cli("run", "--no-cache").stdout
    assert "WARN   migration-safety" in text
    assert "(ban-drop-table) (waived by waiver: contract phase of the billing move)" in text
    assert cli("run", "--no-cache", "--fail-on", "warn").exit_code == 1


def test_statements_that_fail_on_a_name_are_predicted(tmp_path: Path, pg_dsn: str, shop: Any) -> None:
    files = {
        "1_expand.up.sql": ("ALTER TABLE orders ADD COLUMN extra text;\n"
                            "ALTER TABLE orders ADD CONSTRAINT orders_note_check CHECK (note <> '') NOT VALID;\n"),
        "2_use.up.sql": ("ALTER TABLE orders ADD COLUMN status text;\n"
                         "ALTER TABLE orders ADD COLUMN extra text;\n"
                         "ALTER TABLE orders RENAME COLUMN ghost TO other;\n"
                         "ALTER TABLE orders VALIDATE CONSTRAINT orders_note_check;\n"
                         "ALTER TABLE orders DROP CONSTRAINT IF EXISTS nothing;\n"
                         "DROP TRIGGER ghost_trigger ON orders;\n"
                         "ALTER TYPE mood ADD VALUE 'ok';\n"
                         "DROP FUNCTION ghost_fn(integer);\n"
                         "ALTER TABLE empty_log SET SCHEMA nowhere;\n"
                         "ALTER TABLE orders ALTER COLUMN note SET NOT NULL;\n"
                         "DO $$ BEGIN IF false THEN DROP TRIGGER other_ghost ON orders; END IF; END $$;\n"
                         "ALTER TABLE orders DROP COLUMN also_ghost;\n"),
    }
    result = lint(tmp_path, pg_dsn, files, rules={"exclude": ["require-lock-timeout"]})
    found = {f.location.line: f for f in result.findings  # type: ignore[union-attr]
             if f.rule == "object-existence"}
    # the error PostgreSQL raises: duplicate column, undefined column, object, function, schema
    assert {line: (f.severity, f.data["verdict"], f.data["sqlstate"]) for line, f in found.items()} == {
        1: (Severity.WARNING, "would-fail", "42701"),
        2: (Severity.WARNING, "would-fail", "42701"),
        3: (Severity.WARNING, "would-fail", "42703"),
        6: (Severity.WARNING, "would-fail", "42704"),
        7: (Severity.WARNING, "would-fail", "42710"),
        8: (Severity.WARNING, "would-fail", "42883"),
        9: (Severity.WARNING, "would-fail", "3F000"),
    }
    assert found[1].message == "column status of orders already exists in the database: the statement would fail"
    assert found[2].message == ("column extra of orders already exists when the statement runs: earlier pending "
                                "migration 1_expand creates it: the statement would fail")
    assert "column ghost of orders does not exist in the database" in found[3].message
    assert "trigger ghost_trigger on orders" in found[6].message
    assert "enum label 'ok' of mood" in found[7].message
    assert "function ghost_fn(integer)" in found[8].message
    assert "schema nowhere" in found[9].message
    # line 12 comes after a DO block, whose effects are not followed: the database's answer no longer holds

    static = lint(tmp_path / "static", None, files, scope="all")
    assert not [f for f in static.findings if f.rule == "object-existence"]


def test_a_name_an_earlier_statement_drops_or_renames_fails_there(tmp_path: Path, pg_dsn: str, shop: Any) -> None:
    result = lint(tmp_path, pg_dsn, {
        "1_rename.up.sql": "ALTER TABLE orders RENAME COLUMN note TO remark;\n",
        "2_use.up.sql": ("ALTER TABLE orders DROP COLUMN note;\n"
                         "ALTER TYPE mood RENAME VALUE 'sad' TO 'blue';\n"
                         "ALTER TYPE mood ADD VALUE 'sad';\n"
                         "ALTER TABLE orders RENAME COLUMN status TO remark;\n"),
    })
    found = {f.location.line: f for f in result.findings  # type: ignore[union-attr]
             if f.rule == "object-existence"}
    assert sorted(found) == [1, 4]
    assert found[1].message == ("column note of orders does not exist when the statement runs: earlier pending "
                                "migration 1_rename renames it to remark: the statement would fail")
    assert (found[1].data["sqlstate"], found[4].data["sqlstate"]) == ("42703", "42701")


def test_if_exists_or_a_guard_on_an_absent_object_claims_no_work(tmp_path: Path, pg_dsn: str, shop: Any) -> None:
    result = lint(tmp_path, pg_dsn, {
        "2_tidy.up.sql": ("DROP TABLE IF EXISTS ghost;\n"
                          "ALTER TABLE orders DROP COLUMN IF EXISTS ghost_column;\n"
                          "ALTER TABLE orders DROP COLUMN IF EXISTS ghost_column, DROP COLUMN note;\n"
                          "ALTER TABLE orders DROP COLUMN IF EXISTS ghost_column, DROP COLUMN ghost_too;\n"
                          "DO $$ BEGIN IF false THEN ALTER TABLE orders DROP COLUMN ghost_column; END IF; END $$;\n"),
    }, rules={"include": ["require-statement-timeout"]})
    by_rule = {(f.rule, f.location.line): f for f in result.findings}  # type: ignore[union-attr]
    for rule in ("require-lock-timeout", "require-statement-timeout"):
        ghost = by_rule[(rule, 1)]
        assert (ghost.severity, ghost.data["verdict"]) == (Severity.INFO, "no-op"), ghost.message
        assert "IF EXISTS makes the statement a no-op" in ghost.message
    column = by_rule[("ban-drop-column", 2)]
    assert (column.severity, column.data["verdict"]) == (Severity.INFO, "no-op")
    assert "column ghost_column of orders does not exist in the database" in column.message
    # with another command in the statement, the statement does something: no no-op verdict
    both = [f for f in result.findings if f.rule == "ban-drop-column" and f.location.line == 3]  # type: ignore[union-attr]
    assert [f.data.get("verdict") for f in both] == [None, None]
    assert sorted((f.severity.value, "makes this command a no-op" in f.message) for f in both) == [
        ("failure", False), ("info", True)]
    guarded = by_rule[("ban-drop-column", 5)]
    assert (guarded.severity, guarded.data["verdict"]) == (Severity.INFO, "guarded"), guarded.message
    # the command IF EXISTS does nothing, the other one runs: and fails
    assert [(f.location.line, f.data["sqlstate"]) for f in result.findings  # type: ignore[union-attr]
            if f.rule == "object-existence"] == [(4, "42703")]


def test_names_the_pending_sql_may_have_made_elsewhere_are_not_claimed(tmp_path: Path, pg_dsn: str,
                                                                        shop: Any) -> None:
    shop.execute("create table events (id bigint, at date) partition by range (at)")
    shop.execute("create table events_2025 partition of events for values from ('2025-01-01') to ('2026-01-01')")
    result = lint(tmp_path, pg_dsn, {
        "1_expand.up.sql": ("ALTER TABLE orders ADD COLUMN ref bigint REFERENCES orders (id);\n"
                            "ALTER TABLE events ADD COLUMN kind text;\n"
                            "CREATE TABLE snapshots (id bigint);\n"),
        "2_use.up.sql": ("ALTER TABLE orders DROP CONSTRAINT orders_ref_fkey;\n"  # a name PostgreSQL made up
                         "ALTER TABLE events_2025 ALTER COLUMN kind SET NOT NULL;\n"  # the partition got it
                         "ALTER TABLE empty_log ADD COLUMN snap snapshots;\n"  # the new table's row type
                         "ALTER TABLE orders ADD COLUMN ghost_kind no_such_type;\n"),
    })
    assert [(f.location.line, f.data["sqlstate"]) for f in result.findings  # type: ignore[union-attr]
            if f.rule == "object-existence"] == [(4, "42704")]


def test_partitions_and_extensions(tmp_path: Path, pg_dsn: str, shop: Any) -> None:
    shop.execute("create table events (id bigint, at date) partition by range (at)")
    shop.execute("create table events_2025 partition of events for values from ('2025-01-01') to ('2026-01-01')")
    shop.execute("create table events_loose (id bigint, at date)")
    result = lint(tmp_path, pg_dsn, {
        "1_expand.up.sql": ("CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') "
                            "TO ('2027-01-01');\n"),
        "2_use.up.sql": ("ALTER TABLE events DETACH PARTITION events_2025;\n"
                         "ALTER TABLE events DETACH PARTITION events_2026;\n"
                         "ALTER TABLE events DETACH PARTITION events_loose;\n"
                         "CREATE EXTENSION plpgsql;\n"
                         "CREATE EXTENSION plpgsql;\n"),
    })
    found = {f.location.line: f for f in result.findings  # type: ignore[union-attr]
             if f.rule == "object-existence"}
    assert {line: f.data["sqlstate"] for line, f in found.items()} == {3: "42P01", 4: "42710", 5: "42710"}
    assert "already exists when the statement runs: an earlier statement of this migration creates it" in (
        found[5].message)
    assert found[3].message.startswith("events_loose is not a partition of events in the database")
    assert found[4].message == "extension plpgsql is already installed in the database: the statement would fail"

    for sql, said in (("CREATE EXTENSION IF NOT EXISTS plpgsql;\n", []),
                      ("CREATE EXTENSION IF NOT EXISTS no_such_extension;\n", ["0A000"])):
        other = lint(tmp_path / str(len(said)), pg_dsn, {"2_ext.up.sql": sql})
        assert [f.data["sqlstate"] for f in other.findings if f.rule == "object-existence"] == said

    # After a DO block the replay cannot follow, an extension the server has no files for still fails (no SQL can
    # install it), and one the database has is not judged (the block may have dropped it).
    block = "DO $$ BEGIN PERFORM 1; END $$;\n"
    after = lint(tmp_path / "after-block", pg_dsn, {"2_ext.up.sql": block + (
        "CREATE EXTENSION IF NOT EXISTS no_such_extension;\nCREATE EXTENSION plpgsql;\n")})
    assert [(f.location.line, f.data["sqlstate"]) for f in after.findings  # type: ignore[union-attr]
            if f.rule == "object-existence"] == [(2, "0A000")]
    assert server_says(pg_dsn, block + "CREATE EXTENSION IF NOT EXISTS no_such_extension;\n") == "0A000"


def test_primary_keys(tmp_path: Path, pg_dsn: str, shop: Any) -> None:
    result = lint(tmp_path, pg_dsn, {
        "2_keys.up.sql": ("ALTER TABLE orders ALTER COLUMN id DROP NOT NULL;\n"
                          "ALTER TABLE orders ALTER COLUMN note DROP NOT NULL;\n"
                          "ALTER TABLE orders ADD PRIMARY KEY (note);\n"
                          "ALTER TABLE empty_log ADD PRIMARY KEY (id);\n"
                          # the key added above has a name PostgreSQL makes up: what follows is not known
                          "ALTER TABLE orders DROP CONSTRAINT orders_pkey;\n"
                          "ALTER TABLE orders ADD PRIMARY KEY (note);\n"),
    })
    # Each statement that would fail is reported once: the structure rule (fails-against-live-schema) answers
    # first, object-existence for what it leaves (it stops predicting on orders after line 1 changes it).
    found = {f.location.line: f for f in result.findings  # type: ignore[union-attr]
             if f.data.get("verdict") == "would-fail"}
    assert {line: (f.rule, f.data["sqlstate"]) for line, f in found.items()} == {
        1: ("fails-against-live-schema", "42P16"), 3: ("object-existence", "42P16")}
    assert found[1].message == "DROP NOT NULL on orders.id fails: the column is in primary key orders_pkey (id)"
    assert found[3].message == "orders already has a primary key in the database: the statement would fail"


def test_a_drop_of_the_wrong_kind_of_relation(tmp_path: Path, pg_dsn: str, shop: Any) -> None:
    shop.execute("create view open_orders as select id from orders where status = 'new'")
    result = lint(tmp_path, pg_dsn, {
        "2_drop.up.sql": ("DROP INDEX empty_log;\n"
                          "DROP TABLE IF EXISTS open_orders;\n"
                          "DROP VIEW IF EXISTS open_orders;\n"),
    })
    found = {f.location.line: f for f in result.findings  # type: ignore[union-attr]
             if f.data.get("verdict") == "would-fail"}
    assert {line: (f.rule, f.data["sqlstate"]) for line, f in found.items()} == {
        1: ("fails-against-live-schema", "42809"), 2: ("fails-against-live-schema", "42809")}
    assert found[1].message == "DROP INDEX empty_log fails: empty_log is a table, not an index"
    assert found[2].message == "DROP TABLE open_orders fails: open_orders is a view, not a table"


def test_a_table_named_with_and_without_its_schema_is_not_said_renamed(tmp_path: Path, pg_dsn: str,
                                                                        shop: Any) -> None:
    shop.execute("create function stamp() returns trigger language plpgsql as $$ begin return new; end $$")
    result = lint(tmp_path, pg_dsn, {
        "2_audit.up.sql": ("CREATE TRIGGER orders_stamp BEFORE UPDATE ON public.orders FOR EACH ROW "
                           "EXECUTE FUNCTION stamp();\n"
                           "ALTER TABLE orders DROP COLUMN note;\n"),
    })
    dropped = only(result, "ban-drop-column")
    assert dropped.severity is Severity.FAILURE and "renamed" not in dropped.message
    assert not [f for f in result.findings if f.rule == "object-existence"]


def test_an_index_on_a_type_its_access_method_has_no_default_operator_class_for(tmp_path: Path, pg_dsn: str,
                                                                                  shop: Any) -> None:
    shop.execute("create table docs (id bigint, tags text[], body jsonb, mood mood, price numeric)")
    result = lint(tmp_path, pg_dsn, {
        "2_index.up.sql": ("CREATE INDEX docs_tags ON docs USING gin (tags);\n"
                           "CREATE INDEX docs_body ON docs USING gin (body);\n"
                           "CREATE INDEX docs_mood ON docs USING hash (mood);\n"
                           "CREATE INDEX docs_price_pattern ON docs (price);\n"
                           "CREATE INDEX docs_price ON docs USING gin (price);\n"
                           "CREATE INDEX docs_price_ops ON docs USING gin (price numeric_ops);\n"),
    })
    found = {f.location.line: f for f in result.findings  # type: ignore[union-attr]
             if f.rule == "object-existence"}
    assert sorted(found) == [5]
    assert found[5].message == ("data type numeric has no default operator class for access method gin in the "
                                "database: the statement would fail")


def test_statements_in_do_blocks_are_not_judged_on_names(tmp_path: Path, pg_dsn: str, shop: Any) -> None:
    result = lint(tmp_path, pg_dsn, {
        "2_block.up.sql": ("DO $$\nBEGIN\n  CREATE TABLE made_here (a int);\n"
                           "  ALTER TABLE made_here ADD COLUMN b int;\nEND $$;\n"),
    })
    assert not [f for f in result.findings if f.rule == "object-existence"]
