"""ALTER COLUMN TYPE, SET NOT NULL and ADD COLUMN DEFAULT judged as PostgreSQL does them: the rules of
:mod:`preflight.lint.type_changes` and :mod:`preflight.lint.locks`, and ``preflight run`` on a table above
``lock_size`` (issue 17, item 4). Every rule here is also checked against real servers by the lint oracle
(``tests/lint_oracle/statements``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from preflight.lint.locks import statement_lock
from preflight.lint.type_changes import ColumnType, decide
from preflight.sql import parse as pgparser
from tests.helpers import CliRun, validate_report, write_config
from tests.migrations_helpers import write

V15, V11 = 150000, 110000


def t(name: str, *mods: int, **kw: Any) -> ColumnType:
    return ColumnType(name, tuple(mods), **kw)


@pytest.mark.parametrize(("old", "new", "rewrites"), [
    (t("varchar", 50), t("varchar", 255), False),
    (t("varchar", 50), t("varchar"), False),
    (t("varchar", 50), t("varchar", 20), True),
    (t("varchar", 50), t("text"), False),
    (t("text"), t("varchar"), False),
    (t("text"), t("varchar", 100), True),
    (t("varchar", 10), t("bpchar", 10), True),
    (t("bpchar", 10), t("bpchar", 20), True),
    (t("numeric", 10, 2), t("numeric", 12, 2), False),
    (t("numeric", 10, 2), t("numeric", 8, 2), True),
    (t("numeric", 10, 2), t("numeric", 12, 4), True),
    (t("numeric", 10, 2), t("numeric"), False),
    (t("numeric"), t("numeric", 12, 2), True),
    (t("varbit", 8), t("varbit", 16), False),
    (t("bit", 8), t("varbit"), False),
    (t("cidr"), t("inet"), False),
    (t("inet"), t("cidr"), True),
    (t("time", 3), t("time", 6), False),
    (t("timestamptz"), t("timestamptz", 3), True),
    (t("int4"), t("int8"), True),
    (t("json"), t("jsonb"), True),
    (t("text"), t("text", domain="plain_text"), False),
    (t("int4"), t("int4", domain="positive_int", domain_checks=True), True),
    (t("varchar", 50), t("text", domain="plain_text"), False),
    (t("varchar", 50), t("varchar", 255, domain="wide_varchar"), False),
    (t("varchar", 50), t("varchar", 20, domain="short_varchar"), True),
    (t("text"), t("varchar", 20, domain="short_varchar"), True),
    (t("int4"), t("text", domain="plain_text"), True),
    (t("varchar", 50, collation="default"), t("varchar", 50, collation="C"), False),
])
def test_type_change_rules(old: ColumnType, new: ColumnType, rewrites: bool) -> None:
    assert decide(old, new, server_version=V15).rewrite is rewrites


def test_timestamp_to_timestamptz_depends_on_version_and_time_zone() -> None:
    ts, tstz = t("timestamp"), t("timestamptz")
    assert decide(ts, tstz, server_version=V15, timezone="UTC").rewrite is False
    assert decide(tstz, ts, server_version=V15, timezone="Etc/UTC").rewrite is False
    assert decide(ts, tstz, server_version=V15, timezone="Europe/Paris").rewrite is True
    assert decide(ts, tstz, server_version=V11, timezone="UTC").rewrite is True
    unknown = decide(ts, tstz, server_version=None, timezone="UTC")
    assert unknown.rewrite is True and "unknown" in unknown.why


def test_a_using_expression_rewrites_and_a_collation_change_rebuilds_the_index() -> None:
    assert decide(t("varchar", 50), t("varchar", 255), using="expression").rewrite is True
    collated = decide(t("text", collation="default"), t("text", collation="C"))
    assert collated.rewrite is False and collated.index_rebuild is True
    assert decide(t("varchar", 50), t("text")).index_rebuild is False


@pytest.mark.parametrize(("sql", "mode"), [
    ("CREATE INDEX i ON t (a)", "SHARE"),
    ("CREATE TRIGGER g AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()", "SHARE ROW EXCLUSIVE"),
    ("ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES u (id)", "SHARE ROW EXCLUSIVE"),
    ("ALTER TABLE t VALIDATE CONSTRAINT c", "SHARE UPDATE EXCLUSIVE"),
    ("ALTER TABLE t SET (fillfactor = 70)", "SHARE UPDATE EXCLUSIVE"),
    ("ALTER TABLE t SET (fillfactor = 70), ADD COLUMN b int", "ACCESS EXCLUSIVE"),
    ("ALTER TABLE t ALTER COLUMN a SET NOT NULL", "ACCESS EXCLUSIVE"),
    ("ALTER TABLE t DISABLE TRIGGER ALL", "SHARE ROW EXCLUSIVE"),
    ("LOCK TABLE t IN SHARE MODE", "SHARE"),
    ("ALTER INDEX i RENAME TO j", "SHARE UPDATE EXCLUSIVE"),
    ("REFRESH MATERIALIZED VIEW CONCURRENTLY m", "EXCLUSIVE"),
])
def test_lock_levels(sql: str, mode: str) -> None:
    (stmt,) = pgparser.statements(sql)
    cmds = [c["AlterTableCmd"] for c in stmt.node.get("cmds", ())]
    assert statement_lock(stmt.kind, stmt.node, cmds) == mode


@pytest.fixture
def profiles(pg_admin: Any) -> Any:
    """profiles: 3,000 rows (well above an 8 kB lock_size)."""
    pg_admin.execute("create table profiles (id bigint primary key, handle varchar(50), seen timestamp, "
                     "price numeric(10,2))")
    pg_admin.execute("insert into profiles select g, 'user' || g, timestamp '2024-01-01' + g * interval '1 hour', "
                     "g / 3.0 from generate_series(1, 3000) g")
    pg_admin.execute("analyze profiles")
    return pg_admin


def run(cli: CliRun, tmp_path: Path, dsn: str, migration: str, fmt: str = "json") -> Any:
    write(tmp_path / "migrations", {"1_change.up.sql": "SET lock_timeout = '2s';\nSET statement_timeout = '1min';\n"
                                                       + migration})
    write_config(tmp_path, f'[targets.database]\ndsn = "{dsn}"\n\n[targets.migrations]\nsource = "migrations"\n'
                           'tracking = "golang-migrate"\n\n[[check]]\nid = "migration-safety"\n'
                           'uses = "migrations.lint"\nthresholds = { lock_size = "8kB" }\n')
    return cli("run", "--format", fmt, "--no-cache")


def finding(out: Any, rule: str) -> dict[str, Any]:
    validate_report(out.json)
    (check,) = [c for c in out.json["checks"] if c["id"] == "migration-safety"]
    (found,) = [f for f in check["findings"] if f["rule"] == rule]
    return found


def test_a_longer_varchar_on_a_big_table_no_longer_blocks_the_rollout(cli: CliRun, tmp_path: Path, pg_dsn: str,
                                                                       profiles: Any) -> None:
    out = run(cli, tmp_path, pg_dsn, "ALTER TABLE profiles ALTER COLUMN handle TYPE varchar(255);\n")
    f = finding(out, "changing-column-type")
    assert f["severity"] == "info" and out.exit_code == 0, out.stdout
    assert "does not rewrite profiles" in f["message"] and "varchar(50)" in f["message"]
    text = run(cli, tmp_path, pg_dsn, "ALTER TABLE profiles ALTER COLUMN handle TYPE varchar(255);\n", "text")
    assert text.exit_code == 0 and "FAIL" not in text.stdout


@pytest.mark.parametrize(("migration", "severity", "words"), [
    ("ALTER TABLE profiles ALTER COLUMN handle TYPE varchar(20);\n", "failure", "checks the length"),
    ("ALTER TABLE profiles ALTER COLUMN handle TYPE text;\n", "info", "binary-coercible"),
    ("ALTER TABLE profiles ALTER COLUMN price TYPE numeric(12,2);\n", "info", "same scale"),
    ("ALTER TABLE profiles ALTER COLUMN price TYPE numeric(12,4);\n", "failure", "rounds every value"),
    ("SET TimeZone = 'UTC';\nALTER TABLE profiles ALTER COLUMN seen TYPE timestamptz;\n", "info", "in place"),
    ("SET TimeZone = 'Europe/Paris';\nALTER TABLE profiles ALTER COLUMN seen TYPE timestamptz;\n", "failure",
     "Europe/Paris"),
    ("ALTER TABLE profiles ALTER COLUMN handle TYPE varchar(255) USING lower(handle);\n", "failure", "USING"),
])
def test_type_changes_through_preflight_run(cli: CliRun, tmp_path: Path, pg_dsn: str, profiles: Any,
                                            migration: str, severity: str, words: str) -> None:
    f = finding(run(cli, tmp_path, pg_dsn, migration), "changing-column-type")
    assert f["severity"] == severity and words in f["message"], f


def test_without_the_database_the_rewrite_is_conditional_on_the_current_type(cli: CliRun, tmp_path: Path) -> None:
    write(tmp_path / "migrations", {"1_change.up.sql": "ALTER TABLE profiles ALTER COLUMN handle TYPE varchar(255);\n"})
    out = cli("lint", "--format", "json", "--no-cache", "migrations/1_change.up.sql")
    (found,) = [f for c in out.json["checks"] for f in c["findings"] if f["rule"] == "changing-column-type"]
    assert found["severity"] == "warning"
    assert found["message"] == (
        "ALTER COLUMN handle TYPE varchar(255) rewrites profiles and its indexes under an ACCESS EXCLUSIVE lock "
        "unless its current type is varchar(n) with n <= 255 (a metadata-only change, which rewrites nothing and "
        "rebuilds at most the indexes on handle); without the database the lint cannot tell")
    assert found["data"]["condition"] == {"unless_current_type": {"handle": [
        {"type": "varchar", "array": False, "length_at_most": 255}]}}


@pytest.mark.parametrize(("sql", "words", "condition"), [
    ("ALTER TABLE p ALTER COLUMN a TYPE text, ALTER COLUMN b TYPE bigint;",
     "unless its current type is text, varchar of any length or xml and the current type of b is bigint "
     "(metadata-only changes", {"a", "b"}),
    ("SET TimeZone = 'UTC';\nALTER TABLE p ALTER COLUMN a TYPE timestamptz;",
     "unless its current type is timestamptz of any precision or timestamp of any precision on PostgreSQL 12 or "
     "later (", {"a"}),
    ("ALTER TABLE p ALTER COLUMN a TYPE timestamptz;",
     "or timestamp of any precision on PostgreSQL 12 or later with the session's TimeZone UTC (", {"a"}),
    ("ALTER TABLE p ALTER COLUMN a TYPE plain_text;",
     "unless its current type is plain_text or plain_text is a domain without constraints over a type it changes "
     "to without a rewrite (", {"a"}),
    ("ALTER TABLE p ALTER COLUMN a TYPE numeric(12,2);", "unless its current type is numeric(p,2) with p <= 12 (",
     {"a"}),
])
def test_without_the_database_the_condition_names_every_changed_column(cli: CliRun, tmp_path: Path, sql: str,
                                                                      words: str, condition: set[str]) -> None:
    (tmp_path / "m.sql").write_text(sql + "\n")
    out = cli("lint", "--format", "json", "--no-cache", "m.sql")
    found = [f for c in out.json["checks"] for f in c["findings"] if f["rule"] == "changing-column-type"]
    assert words in found[0]["message"] and found[0]["message"].endswith("without the database the lint cannot tell")
    assert set(found[0]["data"]["condition"]["unless_current_type"]) == condition


@pytest.mark.parametrize(("sql", "words"), [
    ("ALTER TABLE p ALTER COLUMN a TYPE varchar(255) USING lower(a);", ": the USING expression is computed for every row"),
    ("ALTER TABLE p ALTER COLUMN a TYPE text, SET UNLOGGED;", ": another command of the same statement rewrites it"),
    ("ALTER TABLE p ALTER COLUMN a TYPE text, ALTER COLUMN b TYPE int USING b::int + 1;",
     ": ALTER COLUMN b of the same statement rewrites it with its USING expression"),
])
def test_without_the_database_a_certain_rewrite_is_unconditional(cli: CliRun, tmp_path: Path, sql: str,
                                                                 words: str) -> None:
    (tmp_path / "m.sql").write_text(sql + "\n")
    out = cli("lint", "--format", "json", "--no-cache", "m.sql")
    found = [f for c in out.json["checks"] for f in c["findings"] if f["rule"] == "changing-column-type"]
    assert found[0]["message"].endswith(words) and "condition" not in found[0]["data"]


OLD_TYPES = [t("varchar", 50), t("varchar", 300), t("varchar"), t("text"), t("xml"), t("bpchar", 10),
             t("numeric", 10, 2), t("numeric", 14, 2), t("numeric", 10), t("numeric"), t("varbit", 8), t("bit", 8),
             t("cidr"), t("inet"), t("time", 3), t("time"), t("timestamp"), t("timestamp", 3), t("timestamptz"),
             t("int4"), t("int8"), t("interval"), t("varchar", 50, array=True)]
NEW_TYPES = [(["pg_catalog", "varchar"], [255]), (["pg_catalog", "varchar"], []), (["text"], []),
             (["pg_catalog", "numeric"], [12, 2]), (["pg_catalog", "numeric"], []), (["pg_catalog", "varbit"], [16]),
             (["pg_catalog", "time"], [6]), (["pg_catalog", "time"], [3]), (["pg_catalog", "timestamptz"], []),
             (["pg_catalog", "timestamptz"], [3]), (["pg_catalog", "timestamp"], []), (["inet"], []),
             (["pg_catalog", "int8"], []), (["pg_catalog", "bpchar"], [10]), (["pg_catalog", "interval"], [])]


@pytest.mark.parametrize("zone", [None, "UTC", "Europe/Paris"])
@pytest.mark.parametrize(("names", "mods"), NEW_TYPES)
def test_the_stated_current_types_are_exactly_those_decide_keeps_in_place(names: list[str], mods: list[int],
                                                                          zone: str | None) -> None:
    """Without the database the finding names the current types from which the change is metadata-only; as the
    lint oracle reads them (against the catalogs: a server of version 15, the session's TimeZone UTC unless the
    file sets one), they are exactly the types :func:`decide` does not rewrite from."""
    from preflight.lint.type_changes import metadata_only_from
    from tests.lint_oracle.claims import _type_is
    from tests.lint_oracle.observe import Truth

    alternatives = metadata_only_from(names, mods, False, timezone=zone)
    truth = Truth(mode="transaction", server_version=V15, timezone="UTC")
    new = t(names[-1], *mods)
    for old in OLD_TYPES:
        catalog = {"type": old.name, "mods": list(old.mods), "array": old.array}
        stated = any(_type_is(a, catalog, truth) for a in alternatives)
        kept = not decide(old, new, server_version=V15, timezone=zone or "UTC").rewrite
        assert stated == kept, (old, new, zone, alternatives)


def test_set_not_null_on_a_column_already_not_null_reads_nothing(cli: CliRun, tmp_path: Path, pg_dsn: str,
                                                                 profiles: Any) -> None:
    f = finding(run(cli, tmp_path, pg_dsn, "ALTER TABLE profiles ALTER COLUMN id SET NOT NULL;\n"),
                "adding-not-nullable-field")
    assert f["severity"] == "info" and "already NOT NULL" in f["message"]


def test_a_default_of_an_immutable_function_is_computed_once(cli: CliRun, tmp_path: Path, pg_dsn: str,
                                                             profiles: Any) -> None:
    profiles.execute("create function default_tier() returns text language sql immutable as $$ select 'free' $$")
    f = finding(run(cli, tmp_path, pg_dsn, "ALTER TABLE profiles ADD COLUMN tier text DEFAULT default_tier();\n"),
                "adding-field-with-default")
    assert f["severity"] == "info" and "default_tier() immutable" in f["message"]
    volatile = finding(run(cli, tmp_path, pg_dsn, "ALTER TABLE profiles ADD COLUMN r float8 DEFAULT random();\n"),
                       "adding-field-with-default")
    assert volatile["severity"] == "failure"


def test_a_type_change_is_judged_against_the_type_the_earlier_pending_statements_give(
        cli: CliRun, tmp_path: Path, pg_dsn: str, profiles: Any) -> None:
    out = run(cli, tmp_path, pg_dsn, "ALTER TABLE profiles ALTER COLUMN handle TYPE varchar(10);\n"
                                     "ALTER TABLE profiles ALTER COLUMN handle TYPE varchar(30);\n"
                                     "ALTER TABLE profiles ADD COLUMN IF NOT EXISTS bio varchar(16);\n"
                                     "ALTER TABLE profiles ALTER COLUMN bio TYPE varchar(64);\n"
                                     "CREATE DOMAIN short_text AS varchar(40);\n"
                                     "ALTER TABLE profiles ADD COLUMN motto short_text;\n"
                                     "ALTER TABLE profiles ALTER COLUMN motto TYPE varchar(80);\n")
    validate_report(out.json)
    (check,) = [c for c in out.json["checks"] if c["id"] == "migration-safety"]
    by_line = {f["location"]["line"]: f for f in check["findings"] if f["rule"] == "changing-column-type"}
    # varchar(50) in the database, varchar(10) when the second change runs: varchar(30) accepts it unchanged
    assert "checks the length of every varchar(50) value" in by_line[3]["message"]
    assert by_line[4]["severity"] == "info" and "every varchar(10) value unchanged" in by_line[4]["message"]
    assert by_line[6]["severity"] == "info" and "every varchar(16) value unchanged" in by_line[6]["message"]
    # the domain is made by the pending SQL: the type is not in the database, so the answer stays unknown
    assert by_line[9]["severity"] == "failure" and "type when the statement runs is unknown" in by_line[9]["message"]


def _lint_history(tmp_path: Path, files: dict[str, str]) -> list[Any]:
    """``preflight lint`` of ``files`` in their order (no database): the last file's findings."""
    from preflight.lint import lint_files

    paths = []
    for name, text in files.items():
        (tmp_path / name).write_text(text)
        paths.append(str(tmp_path / name))
    return [f for f in lint_files(paths, no_cache=True) if f.location.file == paths[-1]]


def test_an_earlier_file_settles_each_column_of_a_statement(tmp_path: Path) -> None:
    """Two columns changed in one statement: metadata-only when each earlier type allows it; when one column's
    earlier type rewrites, the statement rewrites, and each finding says which column does."""
    history = "CREATE TABLE t (a varchar(10), b varchar(20), c int, d numeric(8,2));\n"
    wide = _lint_history(tmp_path, {"1.sql": history, "2.sql": "ALTER TABLE t ALTER COLUMN a TYPE varchar(30), "
                                    "ALTER COLUMN d TYPE numeric(12,2);\n"})
    changes = [f for f in wide if f.rule == "changing-column-type"]
    assert len(changes) == 2 and all(f.severity.value == "info" and "does not rewrite t" in f.message
                                     and "condition" not in f.data for f in changes)
    mixed = _lint_history(tmp_path, {"1.sql": history, "2.sql": "ALTER TABLE t ALTER COLUMN a TYPE varchar(30), "
                                     "ALTER COLUMN c TYPE bigint;\n"})
    by_column = {f.message.split()[2]: f for f in mixed if f.rule == "changing-column-type"}
    assert by_column["c"].severity.value == "warning" and "integer to bigint converts every value" in by_column["c"].message
    assert "ALTER COLUMN c of the same statement rewrites it" in by_column["a"].message
    assert by_column["a"].severity.value == "warning" and "condition" not in by_column["a"].data


def test_a_retype_or_a_rename_in_between_is_followed(tmp_path: Path) -> None:
    found = _lint_history(tmp_path, {
        "1.sql": "CREATE TABLE t (a varchar(10));\n",
        "2.sql": "ALTER TABLE t ALTER COLUMN a TYPE text;\nALTER TABLE t RENAME TO u;\nALTER TABLE u RENAME a TO b;\n",
        "3.sql": "ALTER TABLE u ALTER COLUMN b TYPE varchar(30);\n"})
    (change,) = [f for f in found if f.rule == "changing-column-type"]
    assert change.severity.value == "warning" and "text to varchar(30) checks the length" in change.message
    assert "2.sql line 1 changes it to text" in change.message.replace(str(tmp_path) + "/", "")


@pytest.mark.parametrize("kept", [
    "CREATE TABLE t (a timestamp);\n",  # timestamp to timestamptz: the server's version and TimeZone decide
    "CREATE TABLE t (a mytype);\n",  # not a built-in type: a domain perhaps
    "CREATE TABLE IF NOT EXISTS t (a varchar(10));\n",  # the database may have had t already
    "CREATE TABLE t (a varchar(10) COLLATE \"C\");\n",  # a collation change rebuilds the indexes on a
])
def test_what_only_the_database_can_answer_stays_conditional(tmp_path: Path, kept: str) -> None:
    new = "timestamptz" if "timestamp" in kept else "varchar(30)"
    found = _lint_history(tmp_path, {"1.sql": kept, "2.sql": f"ALTER TABLE t ALTER COLUMN a TYPE {new};\n"})
    (change,) = [f for f in found if f.rule == "changing-column-type"]
    assert "unless_current_type" in change.data["condition"] and change.severity.value == "warning"


def test_an_index_dropped_with_its_column_or_by_a_cascade_is_not_taken_to_exist(tmp_path: Path) -> None:
    for between in ("ALTER TABLE t DROP COLUMN a;\nALTER TABLE t ADD COLUMN a int;\n",
                    "DROP FUNCTION IF EXISTS f CASCADE;\n"):  # its expression indexes go with it
        history = {"1.sql": "CREATE TABLE t (a int);\nCREATE INDEX t_a ON t (a);\n", "2.sql": between}
        found = _lint_history(tmp_path, {**history, "3.sql": "CREATE INDEX IF NOT EXISTS t_a ON t (a);\n"})
        build = next(f for f in found if f.rule == "require-concurrent-index-creation")
        assert "unless_exists" in build.data["condition"], between
        found = _lint_history(tmp_path, {**history, "4.sql": "DROP INDEX IF EXISTS t_a;\n"})
        drop = next(f for f in found if f.rule == "require-concurrent-index-deletion")
        assert "if_exists" in drop.data["condition"], between
    found = _lint_history(tmp_path, {"1.sql": "CREATE TABLE t (a int);\nCREATE INDEX t_a ON t (a);\n",
                                     "4.sql": "DROP INDEX IF EXISTS t_a;\n"})
    drop = next(f for f in found if f.rule == "require-concurrent-index-deletion")
    assert "condition" not in drop.data and "(t_a exists: " in drop.message


def test_a_validated_check_of_an_earlier_file_proves_set_not_null(tmp_path: Path) -> None:
    found = _lint_history(tmp_path, {
        "1.sql": "CREATE TABLE t (a int);\nALTER TABLE t ADD CONSTRAINT t_a_nn CHECK (a IS NOT NULL) NOT VALID;\n",
        "2.sql": "ALTER TABLE t VALIDATE CONSTRAINT t_a_nn;\n",
        "3.sql": "ALTER TABLE t ALTER COLUMN a SET NOT NULL;\n"})
    (scan,) = [f for f in found if f.rule == "adding-not-nullable-field"]
    assert scan.severity.value == "info" and "skips the scan of t" in scan.message and "t_a_nn" in scan.message
    unvalidated = _lint_history(tmp_path, {
        "1.sql": "CREATE TABLE t (a int);\nALTER TABLE t ADD CONSTRAINT t_a_nn CHECK (a IS NOT NULL) NOT VALID;\n",
        "3.sql": "ALTER TABLE t ALTER COLUMN a SET NOT NULL;\n"})
    (kept,) = [f for f in unvalidated if f.rule == "adding-not-nullable-field"]
    assert kept.data["condition"] == {"unless_not_null": ["a"]}

DOMAIN_BASES = [("text", []), ("varchar", [255]), ("varchar", [20]), ("varchar", []), ("numeric", [12, 2]),
                ("int8", []), ("timestamptz", [])]


@pytest.mark.parametrize(("base", "mods"), DOMAIN_BASES)
def test_without_the_database_a_domain_is_stated_with_every_type_its_base_keeps_in_place(base: str,
                                                                                        mods: list[int]) -> None:
    """A change to a name that may be a domain without constraints is metadata-only from every type a change to
    the domain's base type (with its length) is: the oracle, knowing the domain's base from the catalogs, finds
    the condition to hold for exactly the types :func:`decide` does not rewrite from (``varchar(50)`` to a domain
    over ``text`` included)."""
    from preflight.lint.type_changes import metadata_only_from
    from tests.lint_oracle.claims import _type_is
    from tests.lint_oracle.observe import Truth

    alternatives = metadata_only_from(["some_domain"], [], False, timezone=None)
    assert {"domain_base_of": "some_domain"} in alternatives
    truth = Truth(mode="transaction", server_version=V15, timezone="UTC")
    truth.domains["public.some_domain"] = {"type": base, "mods": mods, "array": False}
    new = t(base, *mods, domain="some_domain")
    for old in OLD_TYPES:
        catalog = {"type": old.name, "mods": list(old.mods), "array": old.array}
        stated = any(_type_is(a, catalog, truth) for a in alternatives)
        kept = not decide(old, new, server_version=V15, timezone="UTC").rewrite
        assert stated == kept, (old, base, mods)
    truth.checked_domains = ["public.some_domain"]
    assert not any(_type_is(a, {"type": base, "mods": mods, "array": False}, truth) for a in alternatives)
