"""Every lint rule, positive and negative; the engine's positions, PL/pgSQL handling, suppressions, cache, the
lean parser loader, lint_files and `python -m preflight.lint`."""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from preflight.lint import analyze_sources, hit_dict, lint_files, rules
from preflight.lint.engine import analyze
from preflight.lint.report import Selection, items
from preflight.model import Severity

# rule -> (transaction mode, SQL that triggers it, SQL that does not). Each negative is the safe form of the
# positive where there is one.
CASES: dict[str, tuple[str, str, str]] = {
    "adding-field-with-default": ("implicit", "ALTER TABLE t ADD COLUMN u uuid DEFAULT gen_random_uuid();",
                                  "ALTER TABLE t ADD COLUMN s text DEFAULT 'new', ADD COLUMN at timestamptz DEFAULT now();"),
    "adding-not-nullable-field": ("implicit", "ALTER TABLE t ALTER COLUMN a SET NOT NULL;",
                                  "ALTER TABLE t ADD CONSTRAINT a_nn CHECK (a IS NOT NULL) NOT VALID;\n"
                                  "ALTER TABLE t VALIDATE CONSTRAINT a_nn;\nALTER TABLE t ALTER COLUMN a SET NOT NULL;"),
    "adding-required-field": ("implicit", "ALTER TABLE t ADD COLUMN r text NOT NULL;",
                              "ALTER TABLE t ADD COLUMN r text NOT NULL DEFAULT '';"),
    "ban-add-column": ("implicit", "ALTER TABLE t ADD COLUMN c text;",
                       "CREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN c text;"),
    "ban-add-composite-attribute": ("implicit", "ALTER TYPE addr ADD ATTRIBUTE zip text;",
                                    "ALTER TYPE addr RENAME ATTRIBUTE zip TO postcode;"),
    "ban-add-enum-value": ("implicit", "ALTER TYPE mood ADD VALUE 'meh' AFTER 'ok';",
                           "ALTER TYPE mood RENAME VALUE 'ok' TO 'fine';"),
    "ban-alter-database-options": ("implicit", "ALTER DATABASE app SET work_mem = '64MB';", "SET work_mem = '64MB';"),
    "ban-alter-domain-with-add-constraint": ("implicit", "ALTER DOMAIN d ADD CONSTRAINT c CHECK (VALUE > 0);",
                                             "ALTER DOMAIN d ADD CONSTRAINT c CHECK (VALUE > 0) NOT VALID;"),
    "ban-alter-extension": ("implicit", "ALTER EXTENSION pg_trgm UPDATE;", "CREATE EXTENSION IF NOT EXISTS pg_trgm;"),
    "ban-alter-function-options": ("implicit", "ALTER FUNCTION f() SECURITY DEFINER;",
                                   "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'select 1';"),
    "ban-alter-generated-expression": ("implicit", "ALTER TABLE t ALTER COLUMN g SET EXPRESSION AS (a * 2);",
                                       "ALTER TABLE t ALTER COLUMN g SET STATISTICS 100;"),
    "ban-alter-identity": ("implicit", "ALTER TABLE t ALTER COLUMN id DROP IDENTITY;",
                           "ALTER TABLE t ALTER COLUMN id SET STATISTICS 100;"),
    "ban-alter-policy-condition": ("implicit", "ALTER POLICY p ON t USING (owner = current_user);",
                                   "ALTER POLICY p ON t RENAME TO q;"),
    "ban-alter-policy-roles": ("implicit", "ALTER POLICY p ON t TO app;", "ALTER POLICY p ON t USING (true);"),
    "ban-alter-role-options": ("implicit", "ALTER ROLE app NOLOGIN;", "CREATE ROLE app2;"),
    "ban-alter-row-level-security": ("implicit", "ALTER TABLE t ENABLE ROW LEVEL SECURITY;",
                                     "CREATE TABLE t (id int);\nALTER TABLE t ENABLE ROW LEVEL SECURITY;"),
    "ban-alter-sequence-values": ("implicit", "ALTER SEQUENCE s RESTART WITH 1;", "ALTER SEQUENCE s OWNED BY t.id;"),
    "ban-alter-system-options": ("none", "ALTER SYSTEM SET work_mem = '64MB';", "SET work_mem = '64MB';"),
    "ban-alter-view-options": ("implicit", "ALTER VIEW v SET (security_barrier = true);",
                               "ALTER TABLE t SET (fillfactor = 90);"),
    "ban-char-field": ("implicit", "CREATE TABLE c (code char(2));", "CREATE TABLE c (code text);"),
    "ban-create-domain-with-constraint": ("implicit", "CREATE DOMAIN d AS int CHECK (VALUE > 0);",
                                          "CREATE DOMAIN d AS int;"),
    "ban-create-policy": ("implicit", "CREATE POLICY p ON t USING (true);", "DROP POLICY IF EXISTS q ON t;"),
    "ban-detach-inheritance": ("implicit", "ALTER TABLE parent NO INHERIT child;",
                               "ALTER TABLE parent INHERIT child;"),
    "ban-disable-trigger": ("implicit", "ALTER TABLE t DISABLE TRIGGER audit;", "ALTER TABLE t ENABLE TRIGGER audit;"),
    "ban-drop-column": ("implicit", "ALTER TABLE t DROP COLUMN legacy;", "ALTER TABLE t ADD COLUMN legacy int;"),
    "ban-drop-constraint": ("implicit", "ALTER TABLE t DROP CONSTRAINT c;",
                            "ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;"),
    "ban-drop-database": ("none", "DROP DATABASE analytics;", "CREATE DATABASE analytics;"),
    "ban-drop-default": ("implicit", "ALTER TABLE t ALTER COLUMN s DROP DEFAULT;",
                         "ALTER TABLE t ALTER COLUMN s SET DEFAULT 'x';"),
    "ban-drop-extension": ("implicit", "DROP EXTENSION pg_trgm;", "CREATE EXTENSION pg_trgm;"),
    "ban-drop-function": ("implicit", "DROP FUNCTION f(int);", "DROP VIEW v;"),
    "ban-drop-generated-expression": ("implicit", "ALTER TABLE t ALTER COLUMN g DROP EXPRESSION;",
                                      "ALTER TABLE t ALTER COLUMN g DROP DEFAULT;"),
    "ban-drop-index": ("none", "DROP INDEX CONCURRENTLY i;", "CREATE INDEX CONCURRENTLY i ON t (a);"),
    "ban-drop-not-null": ("implicit", "ALTER TABLE t ALTER COLUMN a DROP NOT NULL;",
                          "ALTER TABLE t ALTER COLUMN a SET DEFAULT 0;"),
    "ban-drop-policy": ("implicit", "DROP POLICY p ON t;", "CREATE INDEX CONCURRENTLY i ON t (a);"),
    "ban-drop-schema": ("implicit", "DROP SCHEMA reporting CASCADE;", "CREATE SCHEMA reporting;"),
    "ban-drop-sequence": ("implicit", "DROP SEQUENCE s;", "CREATE SEQUENCE s;"),
    "ban-drop-table": ("implicit", "DROP TABLE legacy;", "DROP VIEW legacy_v;"),
    "ban-drop-trigger": ("implicit", "DROP TRIGGER audit ON t;", "DROP FUNCTION audit();"),
    "ban-drop-type": ("implicit", "DROP TYPE mood;", "CREATE TYPE mood AS ENUM ('ok');"),
    "ban-drop-view": ("implicit", "DROP MATERIALIZED VIEW v;", "CREATE VIEW v AS SELECT 1;"),
    "ban-duplicate-column-assignments": ("implicit", "UPDATE t SET a = 1, a = 2 WHERE id = 1;",
                                         "UPDATE t SET a = 1, b = 2 WHERE id = 1;"),
    "ban-new-write-restriction": ("implicit", "ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;",
                                  "CREATE INDEX CONCURRENTLY i ON t (a);"),
    "ban-replace-view-function": ("implicit", "CREATE OR REPLACE VIEW v AS SELECT 1 AS a;",
                                  "CREATE VIEW v AS SELECT 1 AS a;"),
    "ban-replica-identity": ("implicit", "ALTER TABLE t REPLICA IDENTITY FULL;", "ALTER TABLE t OWNER TO app;"),
    "ban-revoke": ("implicit", "REVOKE SELECT ON t FROM app;", "GRANT SELECT ON t TO app;"),
    "ban-set-default": ("implicit", "ALTER TABLE t ALTER COLUMN s SET DEFAULT 'x';",
                        "ALTER TABLE t ALTER COLUMN s DROP DEFAULT;"),
    "ban-set-schema": ("implicit", "ALTER TABLE t SET SCHEMA archive;", "ALTER TABLE t OWNER TO app;"),
    "ban-truncate": ("implicit", "TRUNCATE sessions CASCADE;", "DELETE FROM sessions WHERE expires_at < now();"),
    "ban-uncommitted-transaction": ("none", "BEGIN;\nALTER TABLE t ADD COLUMN c text;",
                                    "BEGIN;\nALTER TABLE t ADD COLUMN c text;\nCOMMIT;"),
    "cannot-run-in-transaction": ("file", "CREATE INDEX CONCURRENTLY i ON t (a);", "CREATE INDEX i ON t (a);"),
    "changing-column-type": ("implicit", "ALTER TABLE t ALTER COLUMN id TYPE bigint;",
                             "CREATE TABLE t (id int);\nALTER TABLE t ALTER COLUMN id TYPE bigint;"),
    "constraint-missing-not-valid": ("implicit",
                                     "ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (u) REFERENCES users (id);",
                                     "ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (u) REFERENCES users (id) NOT VALID;"),
    "create-trigger-on-existing-table": ("implicit",
                                         "CREATE TRIGGER a AFTER UPDATE ON t FOR EACH ROW EXECUTE FUNCTION f();",
                                         "CREATE TABLE t (id int);\n"
                                         "CREATE TRIGGER a AFTER UPDATE ON t FOR EACH ROW EXECUTE FUNCTION f();"),
    "delete-without-where": ("implicit", "DELETE FROM sessions;", "DELETE FROM sessions WHERE id = 1;"),
    "disallowed-unique-constraint": ("implicit", "ALTER TABLE t ADD CONSTRAINT u UNIQUE (email);",
                                     "ALTER TABLE t ADD CONSTRAINT u UNIQUE USING INDEX t_email_idx;"),
    "identifier-too-long": ("implicit", f"CREATE INDEX CONCURRENTLY {'x' * 64} ON t (a);",
                            f"CREATE INDEX CONCURRENTLY {'x' * 63} ON t (a);"),
    "prefer-bigint-over-int": ("implicit", "CREATE TABLE t (n integer);", "CREATE TABLE t (n bigint);"),
    "prefer-bigint-over-smallint": ("implicit", "CREATE TABLE t (n smallint);", "CREATE TABLE t (n bigint);"),
    "prefer-identity": ("implicit", "CREATE TABLE t (id bigserial PRIMARY KEY);",
                        "CREATE TABLE t (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY);"),
    "prefer-repack": ("none", "VACUUM FULL events;", "VACUUM ANALYZE events;"),
    "prefer-robust-stmts": ("none", "SET lock_timeout = '1s';\nCREATE INDEX CONCURRENTLY i ON t (a);",
                            "SET lock_timeout = '1s';\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);"),
    "prefer-text-field": ("implicit", "CREATE TABLE t (email varchar(255));", "CREATE TABLE t (email text);"),
    "prefer-timestamp-tz": ("implicit", "CREATE TABLE t (at timestamp);", "CREATE TABLE t (at timestamptz);"),
    "renaming-column": ("implicit", "ALTER TABLE t RENAME COLUMN a TO b;", "ALTER TABLE t RENAME TO t2;"),
    "renaming-object": ("implicit", "ALTER VIEW v RENAME TO w;", "ALTER TABLE t RENAME COLUMN a TO b;"),
    "renaming-table": ("implicit", "ALTER TABLE t RENAME TO t2;", "ALTER TABLE t RENAME COLUMN a TO b;"),
    "require-concurrent-index-creation": ("implicit", "CREATE INDEX i ON t (a);",
                                          "CREATE INDEX CONCURRENTLY i ON t (a);"),
    "require-concurrent-index-deletion": ("implicit", "DROP INDEX i;", "DROP INDEX CONCURRENTLY i;"),
    "require-concurrent-partition-detach": ("implicit", "ALTER TABLE m DETACH PARTITION m_2019;",
                                            "ALTER TABLE m DETACH PARTITION m_2019 CONCURRENTLY;"),
    "require-concurrent-refresh": ("implicit", "REFRESH MATERIALIZED VIEW daily;",
                                   "REFRESH MATERIALIZED VIEW CONCURRENTLY daily;"),
    "require-concurrent-reindex": ("none", "REINDEX TABLE t;", "REINDEX TABLE CONCURRENTLY t;"),
    "require-enum-value-ordering": ("implicit", "ALTER TYPE mood ADD VALUE 'meh';",
                                    "ALTER TYPE mood ADD VALUE 'meh' BEFORE 'sad';"),
    "require-lock-timeout": ("implicit", "ALTER TABLE t ADD COLUMN c text;",
                             "SET lock_timeout = '2s';\nALTER TABLE t ADD COLUMN c text;"),
    "require-statement-timeout": ("implicit", "ALTER TABLE t ADD COLUMN c text;",
                                  "SET statement_timeout = '5min';\nALTER TABLE t ADD COLUMN c text;"),
    "require-table-schema": ("implicit", "CREATE TABLE t (id bigint);", "CREATE TABLE app.t (id bigint);"),
    "syntax-error": ("implicit", "DO $$ BEGIN RAIS 'x'; END $$;", "DO $$ BEGIN RAISE NOTICE 'x'; END $$;"),
    "transaction-nesting": ("file", "BEGIN;\nALTER TABLE t ADD COLUMN c text;\nCOMMIT;",
                            "ALTER TABLE t ADD COLUMN c text;"),
    "update-without-where": ("implicit", "UPDATE accounts SET plan = 'free';",
                             "UPDATE accounts SET plan = 'free' WHERE plan IS NULL;"),
}
# Rules whose findings the report makes (not the engine), tested below.
REPORT_RULES = {"unused-ignore", "invalid-suppression"}


@pytest.fixture(autouse=True)
def _own_lint_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """The lint cache of these tests stays out of the user's ~/.cache."""
    monkeypatch.setenv("PREFLIGHT_CACHE_DIR", str(tmp_path_factory.mktemp("lint-cache")))


ALL = frozenset(rules.RULES)


def fired(sql: str, mode: str = "implicit") -> set[str]:
    return {h[0] for h in analyze(sql, mode, ALL)["hits"]}


def test_every_rule_has_cases() -> None:
    assert set(CASES) | REPORT_RULES == set(rules.RULES)


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_fires_on_the_dangerous_form(rule_id: str) -> None:
    mode, positive, _ = CASES[rule_id]
    assert rule_id in fired(positive, mode)


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_is_quiet_on_the_safe_form(rule_id: str) -> None:
    mode, _, negative = CASES[rule_id]
    assert rule_id not in fired(negative, mode)


def test_registry_matches_the_modules() -> None:
    names = {p.stem for p in Path(rules.__file__).parent.glob("*.py") if p.stem != "__init__"}
    assert names == set(rules.RULES.values())
    assert rules.build_index() == rules.INDEX  # the static index the engine uses matches the modules
    reg = rules.registry()
    assert list(reg) == sorted(rules.RULES)
    for rule_id, m in reg.items():
        assert rule_id == m.ID
        assert m.KIND in rules.STATIC_SEVERITY
        assert (rule_id in rules.OPT_IN) == getattr(m, "OPT_IN", False), rule_id
        doc = inspect.cleandoc(m.__doc__ or "")
        assert doc and "Example" in doc, rule_id
        assert m.REASON and m.ALTERNATIVE
    squawk_ids = {s for m in reg.values() for s in m.SQUAWK}
    for alias, targets in rules.ALIASES.items():
        assert alias not in rules.RULES
        assert all(alias in reg[t].SQUAWK for t in targets), alias
    # Every squawk id a rule claims resolves to it.
    for rule_id, m in reg.items():
        for s in m.SQUAWK:
            assert rule_id in rules.resolve(s), (s, rule_id)
    assert len(squawk_ids) >= 75  # squawk 2.x's rule list is the floor


def test_squawk_rule_list_is_covered() -> None:
    squawk_2 = {
        "adding-field-with-default", "adding-foreign-key-constraint", "adding-not-nullable-field",
        "adding-required-field", "adding-serial-primary-key-field", "ban-add-column", "ban-add-composite-attribute",
        "ban-add-enum-value", "ban-alter-database-options", "ban-alter-domain-with-add-constraint",
        "ban-alter-extension", "ban-alter-function-options", "ban-alter-generated-expression", "ban-alter-identity",
        "ban-alter-policy-condition", "ban-alter-policy-roles", "ban-alter-role-options",
        "ban-alter-row-level-security", "ban-alter-sequence-values", "ban-alter-system-options",
        "ban-alter-view-options", "ban-char-field", "ban-concurrent-index-creation-in-transaction",
        "ban-create-domain-with-constraint", "ban-create-policy", "ban-detach-inheritance", "ban-disable-trigger",
        "ban-drop-column", "ban-drop-constraint", "ban-drop-database", "ban-drop-default", "ban-drop-domain",
        "ban-drop-extension", "ban-drop-function", "ban-drop-generated-expression", "ban-drop-index",
        "ban-drop-not-null", "ban-drop-policy", "ban-drop-schema", "ban-drop-sequence", "ban-drop-table",
        "ban-drop-trigger", "ban-drop-type", "ban-drop-view", "ban-duplicate-column-assignments",
        "ban-new-write-restriction", "ban-replace-view-function", "ban-replica-identity", "ban-revoke",
        "ban-set-default", "ban-set-schema", "ban-truncate-cascade", "ban-uncommitted-transaction",
        "changing-column-type", "constraint-missing-not-valid", "disallowed-unique-constraint",
        "identifier-too-long", "prefer-bigint-over-int", "prefer-bigint-over-smallint", "prefer-identity",
        "prefer-repack", "prefer-robust-stmts", "prefer-text-field", "prefer-timestamp-tz", "renaming-column",
        "renaming-object", "renaming-table", "require-concurrent-index-creation",
        "require-concurrent-index-deletion", "require-concurrent-partition-detach", "require-concurrent-reindex",
        "require-enum-value-ordering", "require-lock-timeout", "require-statement-timeout", "require-table-schema",
        "require-timeout-settings", "transaction-nesting", "unused-ignore", "syntax-error",
    }
    assert not [s for s in squawk_2 if not rules.resolve(s)]


def test_rule_page_for_explain() -> None:
    page = rules.page("ban-drop-table")
    assert page.startswith("ban-drop-table  (data-loss; failure without the database; data-aware with it)")
    assert "squawk: ban-drop-table" in page and "Safe alternative:" in page
    assert "cannot-run-in-transaction" in rules.page("ban-concurrent-index-creation-in-transaction")
    with pytest.raises(KeyError):
        rules.page("no-such-rule")


# -- the engine ----------------------------------------------------------------------------------------------


def test_positions_are_one_based_after_comments_and_multibyte_text() -> None:
    sql = ("-- héllo wörld\n/* ünïcode */ SELECT 'ü';\n\n   -- lead\n   DROP TABLE a;\n"
           "ALTER TABLE b ADD COLUMN c text, DROP COLUMN d;\n")
    hits = {h["rule"]: h for h in map(hit_dict, analyze(sql)["hits"])}
    assert (hits["ban-drop-table"]["line"], hits["ban-drop-table"]["column"]) == (5, 4)
    assert (hits["ban-drop-column"]["line"], hits["ban-drop-column"]["column"]) == (6, 1)
    assert hits["ban-drop-column"]["statement"] == "ALTER TABLE b ADD COLUMN c text, DROP COLUMN d"


def test_syntax_error_position() -> None:
    result = analyze("SELECT 1;\n\nALTER TABLE t ADD COLUMN c text,;\n")
    assert result["error"]["line"] == 3 and "syntax error" in result["error"]["message"]
    (item,) = items(result, Selection())
    # Nothing in the file could be linted: could not decide (an error), a warning only when that is accepted.
    assert item["rule"] == "syntax-error" and item["severity"] == "error"
    (accepted,) = items(result, Selection(on_unknown="warn"))
    assert accepted["severity"] == "warning"


def test_do_block_statements_run_now_function_bodies_later() -> None:
    sql = ("DO $$\nBEGIN\n  DELETE FROM a;\n  EXECUTE 'CREATE INDEX CONCURRENTLY i ON a (x)';\nEND $$;\n"
           "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $body$\nBEGIN\n"
           "  DELETE FROM b;\n  DROP TABLE c;\n  RETURN NEW;\nEND $body$;\n"
           "CREATE FUNCTION g() RETURNS void LANGUAGE sql AS 'UPDATE d SET x = 1';\n")
    hits = [hit_dict(h) for h in analyze(sql, "none")["hits"]]
    by = {(h["rule"], h["context"], h["line"]) for h in hits}
    assert ("delete-without-where", "do", 3) in by
    assert ("cannot-run-in-transaction", "do", 4) in by  # EXECUTE of a constant string, inside a transaction
    assert ("delete-without-where", "function", 8) in by
    assert ("update-without-where", "function", 12) in by
    assert not any(h["rule"] == "ban-drop-table" for h in hits)  # not run by the migration
    do_delete = next(h for h in hits if h["rule"] == "delete-without-where" and h["context"] == "do")
    assert do_delete["column"] == 3
    levels = {(i["rule"], i["context"]): i["severity"] for i in items({"hits": [tuple(h.values()) for h in hits]}, Selection())}
    assert levels[("delete-without-where", "function")] == "info"
    assert levels[("delete-without-where", "do")] == "failure"


def test_begin_atomic_function_bodies() -> None:
    """SQL-standard bodies: each statement is linted as a function-body statement, at its own position, and an
    in-file suppression inside the body acknowledges the statement after it."""
    sql = ("CREATE FUNCTION purge() RETURNS void LANGUAGE sql\nBEGIN ATOMIC\n  DELETE FROM t; -- all of it\n"
           "  -- preflight: ignore update-without-where a demo\n  UPDATE u SET a = 1;\n"
           "  SELECT CASE WHEN true THEN 1 END;\n  DROP TABLE v;\nEND;\n"
           "CREATE FUNCTION one() RETURNS int LANGUAGE sql RETURN 1;\n"
           'CREATE FUNCTION "é"() RETURNS void LANGUAGE sql BEGIN ATOMIC DELETE FROM "ü"; END;\n')
    result = analyze(sql, "none")
    found = {(h["rule"], h["line"], h["column"], h["statement"], h["context"]) for h in map(hit_dict, result["hits"])}
    assert found == {
        ("delete-without-where", 3, 3, "DELETE FROM t", "function"),
        ("update-without-where", 5, 3, "UPDATE u SET a = 1", "function"),
        ("delete-without-where", 10, 62, 'DELETE FROM "ü"', "function"),
    }
    by_rule = {(i["rule"], i["line"]): i for i in items(result, Selection())}
    assert by_rule[("delete-without-where", 3)]["severity"] == "info"
    assert by_rule[("update-without-where", 5)]["suppression"] == {"line": 4, "reason": "a demo"}
    assert by_rule[("delete-without-where", 3)]["suppression"] is None


def test_a_function_ends_the_guards_lead() -> None:
    guard = "DO $$ BEGIN IF (SELECT count(*) FROM s) > 0 THEN RAISE EXCEPTION 'no'; END IF; END $$;\n"
    assert len(analyze(guard)["guards"]) == 1
    for function in ("CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END;\n",
                     "CREATE FUNCTION f() RETURNS int LANGUAGE sql RETURN 1;\n",
                     "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';\n"):
        assert analyze(function + guard)["guards"] == []


@pytest.mark.parametrize(("mode", "sql", "expected"), [
    ("file", "CREATE INDEX CONCURRENTLY i ON t (a);", True),
    ("implicit", "CREATE INDEX CONCURRENTLY i ON t (a);", False),  # alone in its query: no implicit block
    ("implicit", "SET lock_timeout = '1s';\nCREATE INDEX CONCURRENTLY i ON t (a);", True),
    ("none", "SET lock_timeout = '1s';\nCREATE INDEX CONCURRENTLY i ON t (a);", False),
    ("none", "BEGIN;\nCREATE INDEX CONCURRENTLY i ON t (a);\nCOMMIT;", True),
    ("none", "BEGIN;\nCOMMIT;\nCREATE INDEX CONCURRENTLY i ON t (a);", False),
    ("none", "VACUUM t;", False),
    ("file", "VACUUM t;", True),
])
def test_transaction_modes(mode: str, sql: str, expected: bool) -> None:
    assert ("cannot-run-in-transaction" in fired(sql, mode)) is expected


def test_concurrently_really_fails_in_an_implicit_transaction(pg_admin: Any) -> None:
    """What the implicit mode models: PostgreSQL refuses CONCURRENTLY in a multi-statement simple query (as
    golang-migrate sends a file), and accepts it alone."""
    from psycopg import pq

    pg_admin.execute("create table t (a int)")
    many = pg_admin.pgconn.exec_(b"SELECT 1; CREATE INDEX CONCURRENTLY i ON t (a)")
    assert many.status == pq.ExecStatus.FATAL_ERROR
    assert many.error_field(pq.DiagnosticField.SQLSTATE) == b"25001"  # active_sql_transaction
    alone = pg_admin.pgconn.exec_(b"CREATE INDEX CONCURRENTLY i ON t (a)")
    assert alone.status == pq.ExecStatus.COMMAND_OK


def test_lock_timeout_reported_once_per_file_with_the_count() -> None:
    hits = [h for h in map(hit_dict, analyze("ALTER TABLE a ADD COLUMN x int;\nCREATE INDEX i ON b (x);\nDROP TABLE c;\n")[
        "hits"]) if h["rule"] == "require-lock-timeout"]
    assert len(hits) == 1 and hits[0]["line"] == 1 and "2 more" in hits[0]["message"]
    assert "require-lock-timeout" not in fired("SET lock_timeout TO '2s';\nALTER TABLE a ADD COLUMN x int;")
    assert "require-lock-timeout" not in fired("SELECT set_config('lock_timeout', '2s', false);\n"
                                               "ALTER TABLE a ADD COLUMN x int;")
    assert "require-lock-timeout" in fired("SET lock_timeout = 0;\nALTER TABLE a ADD COLUMN x int;")
    assert "require-lock-timeout" not in fired("CREATE TABLE a (id int);\nALTER TABLE a ADD COLUMN x int;")


def test_validate_in_the_same_transaction_as_not_valid() -> None:
    sql = ("ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT c;\n")
    assert "constraint-missing-not-valid" in fired(sql, "file")
    assert "constraint-missing-not-valid" not in fired(sql, "none")


# -- report: selection and suppressions -------------------------------------------------------------------------


def test_selection_opt_in_exclude_aliases_and_fixed_severity() -> None:
    default = Selection()
    assert "ban-drop-table" in default and "ban-revoke" not in default
    assert "ban-revoke" in Selection(include=["ban-revoke"])
    assert "ban-revoke" in Selection(include=["all"])
    assert "cannot-run-in-transaction" not in Selection(exclude=["ban-concurrent-index-creation-in-transaction"])
    both = Selection(exclude=["require-timeout-settings"])
    assert "require-lock-timeout" not in both and "require-statement-timeout" not in both
    fixed = Selection(severity={"prefer-text-field": "failure"})
    levels = {i["rule"]: i["severity"] for i in items(analyze("CREATE TABLE app.t (e varchar(9));"), fixed)}
    assert levels == {"prefer-text-field": "failure"}
    with pytest.raises(ValueError, match="rules.include: unknown rule 'ban-drop-tables'"):
        Selection(include=["ban-drop-tables"])
    with pytest.raises(ValueError, match="expected one of"):
        Selection(severity={"ban-drop-table": "fatal"})


def test_suppressions_target_the_next_statement() -> None:
    sql = ("-- preflight: ignore ban-drop-table,ban-truncate-cascade emptied in 4.1, see ENG-12\n"
           "-- another comment\n"
           "DROP TABLE a;\n"
           "DROP TABLE b;\n"
           "-- preflight: ignore ban-drop-column\n"
           "ALTER TABLE c DROP COLUMN d;\n"
           "-- preflight: ignore ban-drop-table nothing to drop here\n"
           "ALTER TABLE c ADD COLUMN e text DEFAULT 'x';\n"
           "DO $$\nBEGIN\n  -- preflight: ignore delete-without-where the staging copy only\n"
           "  DELETE FROM staging;\nEND $$;\n"
           "-- preflight: ignore no-such-rule because\n"
           "SELECT 1;\n")
    out = {(i["rule"], i["line"]): i for i in items(analyze(sql, "none"), Selection())}
    assert out[("ban-drop-table", 3)]["suppression"] == {"line": 1, "reason": "emptied in 4.1, see ENG-12"}
    assert out[("ban-drop-table", 4)]["suppression"] is None
    assert out[("ban-drop-column", 6)]["suppression"] is None
    assert "has no reason" in out[("invalid-suppression", 5)]["message"]
    assert "matches no finding" in out[("unused-ignore", 7)]["message"]
    assert out[("delete-without-where", 12)]["suppression"]["reason"] == "the staging copy only"
    assert "no-such-rule" in out[("invalid-suppression", 14)]["message"]


# -- cache, parser loader, lint_files and the lean command ----------------------------------------------------------


def test_cache_returns_the_same_analysis(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from preflight.lint.cache import Cache, key
    from preflight.lint.rules import DEFAULT

    monkeypatch.setenv("PREFLIGHT_CACHE_DIR", str(tmp_path / "cache"))
    sources = [(b"DROP TABLE a;\n", "implicit"), (b"CREATE INDEX i ON t (a);\n", "file")]
    first = analyze_sources(sources, jobs=1)
    (pack,) = (tmp_path / "cache").rglob("*.pack")
    assert len(Cache()._load()) == 2
    # What a cached run returns is what the pack holds: prove it with a doctored entry (the last record wins).
    rules_key = ",".join(sorted(DEFAULT)).encode()
    doctored = dict(first[0], hits=[])
    cache = Cache()
    cache._load()
    cache.put(key(sources[0][0], "implicit", rules_key), doctored)
    cache.flush()
    assert analyze_sources(sources, jobs=1) == [doctored, first[1]]
    assert analyze_sources(sources, use_cache=False) == first
    # A torn last record is ignored; the ones before it still count.
    pack.write_bytes(pack.read_bytes()[:-5])
    assert analyze_sources(sources, jobs=1) == first
    # Another rule selection, or another transaction mode, is another entry.
    assert analyze_sources(sources, jobs=1, enabled=frozenset({"ban-drop-table"}))[1]["hits"] == []
    assert analyze_sources([(sources[1][0], "none")], jobs=1)[0]["hits"] == first[1]["hits"]
    assert len(Cache()._load()) == 5


def test_cache_ignores_a_corrupt_pack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREFLIGHT_CACHE_DIR", str(tmp_path))
    sources = [(b"DROP TABLE a;\n", "implicit")]
    first = analyze_sources(sources, jobs=1)
    (pack,) = tmp_path.rglob("*.pack")
    data = bytearray(pack.read_bytes())
    data[-3] ^= 0xFF  # the crc no longer matches the payload
    pack.write_bytes(bytes(data))
    assert analyze_sources(sources, jobs=1) == first
    (tmp_path / "lint").chmod(0o500)  # read-only: the run still works, the cache is skipped
    try:
        assert analyze_sources([(b"DROP TABLE b;\n", "implicit")], jobs=1)[0]["hits"]
    finally:
        (tmp_path / "lint").chmod(0o700)


def test_cache_appends_every_record_whatever_the_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Entries are appended with vectored writes of at most IOV_MAX pieces (a header and a payload each): more
    entries than one write takes, a write that stops short, and a system without writev all leave every record
    whole in the pack."""
    from preflight.lint import cache as cache_module
    from preflight.lint.cache import Cache, key

    entries = {key(f"DROP TABLE t{n};".encode(), "implicit"): {"hits": [], "statements": n} for n in range(700)}
    real_writev = os.writev
    calls: list[int] = []

    def short_writev(fd: int, buffers: list[bytes]) -> int:  # at most half of what it is given
        calls.append(len(buffers))
        return real_writev(fd, buffers[: max(1, len(buffers) // 2)])

    for case, patch in (("vectored", None), ("short writes", short_writev), ("no writev", False)):
        cache = Cache(str(tmp_path / case))
        if patch is False:
            monkeypatch.setattr(cache_module, "_writev", False)
        elif patch is not None:
            monkeypatch.setattr(os, "writev", patch)
        for k, analysis in entries.items():
            cache.put(k, analysis)
        cache.flush()
        monkeypatch.undo()
        reread = Cache(str(tmp_path / case))
        assert reread.entries() == len(entries), case
        assert all(reread.get(k) == analysis for k, analysis in entries.items()), case
    assert calls and max(calls) <= cache_module._IOV_MAX and len(calls) >= 2  # 1,400 pieces: two writes at least


def test_parallel_analysis_matches_sequential(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sources = [(f"CREATE INDEX i{n} ON t (a);\nDROP TABLE x{n};\n".encode(), "implicit") for n in range(60)]
    sequential = analyze_sources(sources, use_cache=False, jobs=1)
    assert analyze_sources(sources, use_cache=False, jobs=2) == sequential
    # With the cache, each process writes the entries of its own share: all of them land in the pack.
    from preflight.lint.cache import Cache

    monkeypatch.setenv("PREFLIGHT_CACHE_DIR", str(tmp_path))
    assert analyze_sources(sources, jobs=2) == sequential
    assert Cache().entries() == len(sources)
    assert analyze_sources(sources, jobs=2) == sequential  # warm: no second process, same analyses


def test_read_bytes_reads_whole_files_and_pipes(tmp_path: Path) -> None:
    from preflight.lint import read_bytes

    for size in (0, 1, 4096, 300_000):
        f = tmp_path / f"f{size}"
        data = os.urandom(size)
        f.write_bytes(data)
        assert read_bytes(str(f)) == data
    read_fd, write_fd = os.pipe()  # no size to go by: read to the end
    os.write(write_fd, b"DROP TABLE t;\n")
    os.close(write_fd)
    assert read_bytes(f"/dev/fd/{read_fd}") == b"DROP TABLE t;\n"
    os.close(read_fd)
    with pytest.raises(IsADirectoryError):
        read_bytes(str(tmp_path))
    with pytest.raises(FileNotFoundError):
        read_bytes(str(tmp_path / "missing.sql"))


def test_lean_parser_loader_leaves_pglast_whole() -> None:
    code = ("import preflight.pgparser as p, sys\n"
            "assert 'pglast.ast' not in sys.modules\n"
            "import pglast\n"
            "from pglast import parser, enums, ast\n"
            "print(pglast.__version__, type(parser.parse_sql('select 1')[0]).__name__, enums.ObjectType.OBJECT_TABLE.name,"
            " pglast.prettify('select  1'))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    version, node, obj, pretty = out.stdout.split()[:4]
    assert node == "RawStmt" and obj == "OBJECT_TABLE" and pretty == "SELECT"


def test_lint_files(tmp_path: Path) -> None:
    a = tmp_path / "0001_drop.sql"
    a.write_text("DROP TABLE legacy;\n")
    b = tmp_path / "0002_index.up.sql"
    b.write_text("-- fine\nCREATE INDEX CONCURRENTLY i ON t (a);\n")
    findings = lint_files([str(a), str(b)], runner_transaction="file", no_cache=True)
    by = {(f.rule, f.migration): f for f in findings}
    drop = by[("ban-drop-table", "0001_drop")]
    assert drop.severity is Severity.FAILURE and drop.location is not None
    assert (drop.location.file, drop.location.line, drop.location.column) == (str(a), 1, 1)
    assert drop.data["statement"] == "DROP TABLE legacy" and drop.data["alternative"]
    assert by[("cannot-run-in-transaction", "0002_index")].location.line == 2  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="runner_transaction"):
        lint_files([str(a)], runner_transaction="always")
    from preflight.errors import ReaderError

    with pytest.raises(ReaderError, match="cannot read"):
        lint_files([str(tmp_path / "missing.sql")])


def test_lean_command(tmp_path: Path) -> None:
    bad = tmp_path / "1_bad.sql"
    bad.write_text("DROP TABLE legacy;\n")
    good = tmp_path / "2_good.sql"
    good.write_text("-- preflight: ignore ban-drop-table empty since 2023\nDROP TABLE old;\n")
    env = {**os.environ, "PREFLIGHT_CACHE_DIR": str(tmp_path / "cache")}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "preflight.lint", *args], capture_output=True, text=True,
                              env=env)

    out = run(str(bad), str(good))
    assert out.returncode == 1
    assert f"{bad}:1:1: failure ban-drop-table: DROP TABLE legacy" in out.stdout
    assert "[acknowledged: empty since 2023]" in out.stdout
    assert run(str(good)).returncode == 0
    as_json = json.loads(run("--format", "json", "--no-cache", str(bad)).stdout)
    assert as_json[0]["rule"] == "ban-drop-table" and as_json[0]["migration"] == "1_bad"
    assert run("--exclude", "ban-drop-table", str(bad)).returncode == 0
    assert run("--include", "bogus", str(bad)).returncode == 2
    assert run().returncode == 2


def test_lean_command_in_two_processes(tmp_path: Path) -> None:
    """Enough files for a second process: its share is read, analysed, rendered and cached by the worker, and
    the output is the one process's, byte for byte."""
    files = []
    for n in range(50):
        f = tmp_path / f"{n:03d}_m.sql"
        f.write_text(f"-- preflight: ignore ban-drop-table m{n} is empty\nDROP TABLE m{n};\nCREATE INDEX i{n} ON t{n} (a);\n"
                     if n % 2 else f"CREATE TABLE t{n} (id serial, at timestamp);\nALTER TABLE u DROP COLUMN c{n};\n")
        files.append(str(f))
    env = {**os.environ, "PREFLIGHT_CACHE_DIR": str(tmp_path / "cache")}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "preflight.lint", *args], capture_output=True, text=True,
                              env=env)

    for fmt in ("json", "text"):
        one = run("--no-cache", "--jobs", "1", "--format", fmt, *files)
        assert one.returncode == 1 and one.stdout.count("ban-drop-column") == 25
        cold = run("--jobs", "2", "--format", fmt, *files)
        assert (cold.returncode, cold.stdout) == (1, one.stdout)
        warm = run("--jobs", "2", "--format", fmt, *files)
        assert (warm.returncode, warm.stdout) == (1, one.stdout)
        if fmt == "json":
            records = json.loads(one.stdout)
            assert records[0]["file"] == files[0] and records[-1]["file"] == files[-1]
    # A reader that goes away early (`| head`): no traceback, the exit code still says what was found.
    big = [str(tmp_path / f"{n:03d}_big.sql") for n in range(45)]
    for path in big:
        Path(path).write_text("".join(f"DROP TABLE t{i};\n" for i in range(200)))
    # Output of many 64 KiB pieces: whole, and the same from one process as from two.
    from preflight.lint.__main__ import OUTPUT_PIECE

    whole = {jobs: run("--no-cache", "--jobs", jobs, "--format", "json", *big) for jobs in ("1", "2")}
    assert len(whole["1"].stdout) > 10 * OUTPUT_PIECE and whole["2"].stdout == whole["1"].stdout
    assert sum(r["rule"] == "ban-drop-table" for r in json.loads(whole["1"].stdout)) == 45 * 200
    for jobs in ("1", "2"):
        reader = subprocess.Popen([sys.executable, "-m", "preflight.lint", "--no-cache", "--jobs", jobs,
                                   "--format", "json", *big], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  env=env)
        assert reader.stdout is not None and reader.stderr is not None
        assert reader.stdout.read(100).startswith(b'[{"file":')
        reader.stdout.close()
        assert (reader.wait(timeout=60), reader.stderr.read()) == (1, b"")
        reader.stderr.close()
    # An unreadable file in the second process's share: the error names it, and nothing else is printed.
    missing = str(tmp_path / "999_missing.sql")
    out = run("--jobs", "2", "--no-cache", *files, missing)
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.strip() == f"preflight lint: {missing}: cannot read: No such file or directory"


def test_rules_load_imports_every_enabled_rule_before_a_fork() -> None:
    enabled = frozenset({"ban-drop-table", "identifier-too-long"})
    rules.load(enabled)
    refs = [ref for group in rules.dispatch_table(enabled).values() for ref in group] + rules.finishers(enabled)
    assert {ref.id for ref in refs} == enabled and all(ref.module is not None for ref in refs)
