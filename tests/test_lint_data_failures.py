"""``fails-on-live-data``, run as a user runs it (``preflight run``, ``migrations.lint`` on the pending
migrations) against a real PostgreSQL: a statement whose precondition the live rows violate is predicted to
fail, with the count of violating rows and the SQLSTATE the server raises (checked against the server itself: the
statement is run in a transaction that is rolled back); one whose precondition holds is not reported; one whose
rows are not known says so, as information; and the lint only reads."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.conftest import dsn_for
from tests.helpers import CliRun, lint_pending, server_says, validate_report, write_config
from tests.migrations_helpers import write

RULE = "fails-on-live-data"

SCHEMA = """
create domain positive_int as integer check (value > 0);
create table accounts (id bigint primary key, region text, email text, code varchar(40), flags bit(8),
                       small smallint, label text);
insert into accounts select g, case when g % 7 = 0 then null else 'eu' end, 'same@example.org',
                            'code-' || repeat('x', g % 20), B'10101010', g % 10, 'label ' || g
  from generate_series(1, 250) g;
create table parents (id bigint primary key);
insert into parents select g from generate_series(1, 10) g;
create table orphans (id bigint primary key, parent_id bigint);
insert into orphans select g, 1000 + g from generate_series(1, 40) g;
create table kids (id bigint primary key, parent_id bigint, amount integer);
insert into kids select g, 1 + g % 10, g from generate_series(1, 30) g;
create table readings (id bigint not null, taken date not null) partition by range (taken);
create table readings_2024 partition of readings for values from ('2024-01-01') to ('2025-01-01');
create table readings_stray (like readings including all);
insert into readings_stray select g, date '2030-01-01' from generate_series(1, 20) g;
create table readings_2025 (like readings including all);
insert into readings_2025 select g, date '2025-03-01' from generate_series(1, 20) g;
create table events (id bigint, at date not null) partition by range (at);
create table events_default partition of events default;
insert into events values (1, '2026-05-01'), (2, '2030-01-01');
create table events_2026 (like events including all);
create table shards (id bigint not null, note text) partition by hash (id);
create table shards_0 partition of shards for values with (modulus 2, remainder 0);
create table shards_1 (like shards including all);
insert into shards_1 select g from generate_series(1, 200) g where satisfies_hash_partition('shards'::regclass, 2, 1, g::bigint);
create table shards_mixed (like shards including all);
insert into shards_mixed select g from generate_series(1, 200) g;
"""


pytestmark = pytest.mark.usefixtures("own_lint_cache")


@pytest.fixture
def shop(pg_admin: Any) -> Any:
    pg_admin.execute(SCHEMA)
    pg_admin.execute("analyze")
    return pg_admin


def ours(findings: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The rule's findings by statement."""
    return {f["data"]["statement"]: f for f in findings if f["rule"] == RULE}



FAILING = {
    "ALTER TABLE accounts ALTER COLUMN region SET NOT NULL": ("23502", "35 rows of accounts have NULL in region"),
    "ALTER TABLE accounts ADD CONSTRAINT accounts_email_key UNIQUE (email)": ("23505", "250 rows of accounts have a "
                                                                                "duplicate (email)"),
    "CREATE UNIQUE INDEX accounts_email_idx ON accounts (email)": ("23505", "250 rows of accounts have a duplicate "
                                                                         "(email)"),
    "ALTER TABLE orphans ADD CONSTRAINT orphans_parent_fk FOREIGN KEY (parent_id) REFERENCES parents (id)": (
        "23503", "40 rows of orphans have no row in parents for (parent_id)"),
    "ALTER TABLE kids ADD CONSTRAINT kids_amount_big CHECK (amount > 10)": ("23514", "10 rows of kids fail CHECK "
                                                                                  "(amount > 10)"),
    "ALTER TABLE accounts ALTER COLUMN code TYPE varchar(10)": ("22001", "values of accounts.code do not convert to varchar(10)"),
    "ALTER TABLE accounts ALTER COLUMN flags TYPE bit(16)": ("22026", "250 values of accounts.flags do not convert to bit(16)"),
    "ALTER TABLE accounts ALTER COLUMN label TYPE integer USING label::integer": ("22P02", "of accounts.label do"),
    "ALTER TABLE accounts ALTER COLUMN small TYPE positive_int": ("23514", "a value of accounts.small does not convert to positive_int: value for domain positive_int violates"),
    "ALTER TABLE readings ATTACH PARTITION readings_stray FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')": (
        "23514", "20 rows of readings_stray lie outside the new partition's bounds"),
    "ALTER TABLE events ATTACH PARTITION events_2026 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')": (
        "23514", "1 row of events_2026 outside the new partition's bounds, or of the default partition "
                 "events_default inside them"),
    "ALTER TABLE shards ATTACH PARTITION shards_mixed FOR VALUES WITH (MODULUS 2, REMAINDER 1)": (
        "23514", "rows of shards_mixed lie outside the new partition's bounds"),
    "ALTER TABLE kids ADD COLUMN quantity integer DEFAULT 0 CHECK (quantity > 0)": ("23514", "takes the default 0"),
    "ALTER TABLE kids ADD COLUMN parent2 bigint DEFAULT 999 REFERENCES parents (id)": ("23503",
                                                                                      "has no row in parents"),
    "ALTER TABLE kids ADD COLUMN rank positive_int DEFAULT 0": ("23514", "takes the default 0, which is not a valid "
                                                                         "positive_int"),
}


@pytest.mark.parametrize("statement", list(FAILING))
def test_a_violated_precondition_is_reported_with_the_servers_sqlstate(cli: CliRun, tmp_path: Path, pg_dsn: str,
                                                                       shop: Any, statement: str) -> None:
    sqlstate, said = FAILING[statement]
    assert server_says(pg_dsn, statement) == sqlstate
    out, findings = lint_pending(cli, tmp_path, pg_dsn, {"1_change.up.sql": statement + ";\n"})
    f = ours(findings)[statement]
    assert f["severity"] == "failure" and f["data"]["verdict"] == "would-fail"
    assert f["data"]["sqlstate"] == sqlstate and said in f["message"], f["message"]
    assert f["message"].startswith("would fail: ") and f"SQLSTATE {sqlstate}" in f["message"]
    assert "same@example.org" not in f["message"]  # values are redacted
    assert out.exit_code == 1


def test_a_precondition_that_holds_is_not_reported(cli: CliRun, tmp_path: Path, pg_dsn: str, shop: Any) -> None:
    statements = ["ALTER TABLE accounts ALTER COLUMN id SET NOT NULL",
                  "ALTER TABLE accounts ADD CONSTRAINT accounts_label_key UNIQUE (label)",
                  "ALTER TABLE kids ADD CONSTRAINT kids_parent_fk FOREIGN KEY (parent_id) REFERENCES parents (id)",
                  "ALTER TABLE kids ADD CONSTRAINT kids_amount_positive CHECK (amount > 0)",
                  "ALTER TABLE accounts ALTER COLUMN code TYPE varchar(30)",
                  "ALTER TABLE accounts ALTER COLUMN flags TYPE bit(8)",
                  "ALTER TABLE readings ATTACH PARTITION readings_2025 FOR VALUES FROM ('2025-01-01') TO (MAXVALUE)",
                  "ALTER TABLE kids ADD COLUMN quantity integer DEFAULT 1 CHECK (quantity > 0)",
                  "ALTER TABLE events ATTACH PARTITION events_2026 FOR VALUES FROM ('2027-01-01') TO ('2028-01-01')",
                  "ALTER TABLE kids ADD COLUMN parent2 bigint DEFAULT 3 REFERENCES parents (id)",
                  "ALTER TABLE kids ADD COLUMN rank positive_int DEFAULT 1",
                  "ALTER TABLE shards ATTACH PARTITION shards_1 FOR VALUES WITH (MODULUS 2, REMAINDER 1)"]
    for statement in statements:
        assert server_says(pg_dsn, statement) is None, statement
    files = {f"{n}_change.up.sql": s + ";\n" for n, s in enumerate(statements, start=1)}
    _out, findings = lint_pending(cli, tmp_path, pg_dsn, files)
    assert ours(findings) == {}


def test_rows_an_earlier_pending_statement_writes_are_not_evaluated(cli: CliRun, tmp_path: Path, pg_dsn: str,
                                                                    shop: Any) -> None:
    """The backfill runs first: the live NULLs are not the ones SET NOT NULL meets. Said, not passed, and not
    blocking."""
    out, findings = lint_pending(cli, tmp_path, pg_dsn, {
        "1_backfill.up.sql": "UPDATE accounts SET region = 'eu' WHERE region IS NULL;\n",
        "2_not_null.up.sql": "ALTER TABLE accounts ALTER COLUMN region SET NOT NULL;\n",
    })
    f = ours(findings)["ALTER TABLE accounts ALTER COLUMN region SET NOT NULL"]
    assert f["severity"] == "info" and f["data"]["verdict"] == "not-evaluated" and "sqlstate" not in f["data"]
    assert "not evaluated: an earlier pending statement (migrations/1_backfill.up.sql:1) writes to" in f["message"]
    assert out.exit_code == 0


def test_a_guard_that_only_reads_hides_nothing_and_a_do_block_that_writes_does(cli: CliRun, tmp_path: Path,
                                                                             pg_dsn: str, shop: Any) -> None:
    guard = ("DO $$ BEGIN IF (SELECT count(*) FROM kids) = 0 THEN RAISE EXCEPTION 'no kids'; END IF; END $$;\n")
    _out, findings = lint_pending(cli, tmp_path / "guard", pg_dsn, {
        "1_check.up.sql": guard + "ALTER TABLE kids ADD CONSTRAINT kids_amount_big CHECK (amount > 10);\n"})
    (f,) = ours(findings).values()
    assert f["data"]["verdict"] == "would-fail" and f["data"]["sqlstate"] == "23514"
    _out, findings = lint_pending(cli, tmp_path / "writes", pg_dsn, {
        "1_check.up.sql": "DO $$ BEGIN UPDATE kids SET amount = 11 WHERE amount <= 10; END $$;\n"
                          "ALTER TABLE kids ADD CONSTRAINT kids_amount_big CHECK (amount > 10);\n"})
    (f,) = ours(findings).values()
    assert f["data"]["verdict"] == "not-evaluated" and "an earlier pending DO block" in f["message"]


def test_a_type_an_earlier_pending_statement_changes_is_not_judged_by_the_live_one(cli: CliRun, tmp_path: Path,
                                                                                  pg_dsn: str, shop: Any) -> None:
    """The domain loses its CHECK first: the default 0 then passes, so nothing may be predicted to fail."""
    out, findings = lint_pending(cli, tmp_path, pg_dsn, {
        "1_domain.up.sql": "ALTER DOMAIN positive_int DROP CONSTRAINT positive_int_check;\n",
        "2_rank.up.sql": "ALTER TABLE kids ADD COLUMN rank positive_int DEFAULT 0;\n"})
    (f,) = ours(findings).values()
    assert f["data"]["verdict"] == "not-evaluated" and "makes or changes a type it names" in f["message"]
    assert out.exit_code == 0


def test_a_probe_over_the_scan_budget_is_not_run(cli: CliRun, tmp_path: Path, pg_dsn: str, shop: Any) -> None:
    write(tmp_path / "migrations", {"1_not_null.up.sql": "ALTER TABLE accounts ALTER COLUMN region SET NOT NULL;\n"})
    config = write_config(tmp_path, f'[targets.database]\ndsn = "{pg_dsn}"\n\n[targets.migrations]\n'
                                    'source = "migrations"\ntracking = "golang-migrate"\n\n[[check]]\n'
                                    'id = "migration-safety"\nuses = "migrations.lint"\n'
                                    'thresholds = { max_scan_bytes = "1kB" }\n')
    out = cli("run", "--config", str(config), "--format", "json", "--no-cache")
    validate_report(out.json)
    (check,) = [c for c in out.json["checks"] if c["id"] == "migration-safety"]
    (f,) = ours(check["findings"]).values()
    assert f["severity"] == "info" and f["data"]["verdict"] == "not-evaluated"
    assert "not evaluated: would scan" in f["message"] and "max_scan_bytes" in f["message"]


def test_a_new_table_is_empty_and_a_renamed_one_is_not_known(cli: CliRun, tmp_path: Path, pg_dsn: str,
                                                             shop: Any) -> None:
    _out, findings = lint_pending(cli, tmp_path, pg_dsn, {
        "1_new.up.sql": "CREATE TABLE fresh (id bigint, note text);\nALTER TABLE fresh ALTER COLUMN note SET NOT "
                        "NULL;\n",
        "2_renamed.up.sql": "ALTER TABLE orphans RENAME TO strays;\nALTER TABLE strays ALTER COLUMN parent_id SET "
                            "NOT NULL;\n",
    })
    found = ours(findings)
    assert list(found) == ["ALTER TABLE strays ALTER COLUMN parent_id SET NOT NULL"]
    assert found["ALTER TABLE strays ALTER COLUMN parent_id SET NOT NULL"]["data"]["verdict"] == "not-evaluated"


def test_a_statement_another_rule_says_fails_is_reported_once(cli: CliRun, tmp_path: Path, pg_dsn: str,
                                                              shop: Any) -> None:
    """accounts has a primary key: ADD PRIMARY KEY fails on that (fails-against-live-schema, 42P16) before any row
    is looked at; the NULLs in region (which the probe finds) are not a second failure."""
    statement = "ALTER TABLE accounts ADD PRIMARY KEY (region)"
    assert server_says(pg_dsn, statement) == "42P16"
    _out, findings = lint_pending(cli, tmp_path, pg_dsn, {"1_pk.up.sql": statement + ";\n"})
    said = [f for f in findings if f.get("data", {}).get("verdict") == "would-fail"]
    assert [(f["rule"], f["data"]["sqlstate"]) for f in said] == [("fails-against-live-schema", "42P16")]


def test_statements_that_do_not_reach_the_rows_are_not_predicted_to_fail_on_them(cli: CliRun, tmp_path: Path,
                                                                                pg_dsn: str, shop: Any) -> None:
    """An index that exists under IF NOT EXISTS (a no-op); a type change without USING and without an assignment
    cast (42804 before any row, fails-against-live-schema's); a NOT NULL checked after the same statement
    converted the column (the live NULLs are not what it meets: not evaluated, not "would fail")."""
    statements = {"CREATE UNIQUE INDEX IF NOT EXISTS accounts_pkey ON accounts (email)": None,
                  "ALTER TABLE accounts ALTER COLUMN label TYPE integer": "42804",
                  "ALTER TABLE accounts ALTER COLUMN region TYPE varchar(10) USING coalesce(region, 'eu'), "
                  "ALTER COLUMN region SET NOT NULL": None}
    for statement, sqlstate in statements.items():
        assert server_says(pg_dsn, statement) == sqlstate, statement
    files = {f"{n}_change.up.sql": s + ";\n" for n, s in enumerate(statements, start=1)}
    _out, findings = lint_pending(cli, tmp_path, pg_dsn, files)
    found = ours(findings)
    assert list(found) == ["ALTER TABLE accounts ALTER COLUMN region TYPE varchar(10) USING coalesce(region, 'eu'), "
                           "ALTER COLUMN region SET NOT NULL"]
    (f,) = found.values()
    assert f["data"]["verdict"] == "not-evaluated" and "changes a column's type first" in f["message"]
    said = {f["data"]["statement"]: f["data"].get("sqlstate") for f in findings
            if f.get("data", {}).get("verdict") == "would-fail"}
    assert said == {"ALTER TABLE accounts ALTER COLUMN label TYPE integer": "42804"}


def test_the_lint_only_reads(cli: CliRun, tmp_path: Path, pg_dsn: str, pg_server: str, shop: Any) -> None:
    """As a role that can only read (pg_read_all_data) the probes still answer; and nothing changed."""
    role = f"reader_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_server, autocommit=True) as admin:
        admin.execute(f"create role {role} login in role pg_read_all_data")
    try:
        def state() -> Any:
            return shop.execute("select (select count(*) from accounts where region is null), "
                                "(select count(*) from pg_constraint where conrelid = 'kids'::regclass), "
                                "(select count(*) from pg_inherits)").fetchone()

        before = state()
        reader = dsn_for(pg_dsn, shop.info.dbname, user=role)
        statements = {"1_a.up.sql": "ALTER TABLE accounts ALTER COLUMN region SET NOT NULL;\n",
                      "2_b.up.sql": "ALTER TABLE kids ADD CONSTRAINT kids_amount_big CHECK (amount > 10);\n",
                      "3_c.up.sql": "ALTER TABLE readings ATTACH PARTITION readings_stray FOR VALUES FROM "
                                    "('2026-01-01') TO ('2027-01-01');\n"}
        _out, findings = lint_pending(cli, tmp_path, reader, statements)
        assert [f["data"]["sqlstate"] for f in ours(findings).values()] == ["23502", "23514", "23514"]
        assert state() == before
    finally:
        with psycopg.connect(pg_server, autocommit=True) as admin:
            admin.execute(f"drop role if exists {role}")


def test_without_the_database_the_rule_reports_nothing(cli: CliRun, tmp_path: Path) -> None:
    write(tmp_path / "migrations", {"1_nn.up.sql": "ALTER TABLE accounts ALTER COLUMN region SET NOT NULL;\n"})
    out = cli("lint", "--format", "json", "--tracking", "golang-migrate", str(tmp_path / "migrations"))
    assert RULE not in [f["rule"] for c in out.json["checks"] for f in c.get("findings", ())]


def test_the_lint_and_the_rehearsal_ask_the_live_database_each_question_once(
        cli: CliRun, tmp_path: Path, pg_dsn: str, rehearsal_server: str, shop: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Both checks probe the same pending statements in one run: each probe query reaches the live database once,
    and both report what it answered, a server error included (the value that does not convert)."""
    from preflight.db.target import Database

    asked: list[str] = []
    real = Database.run_untrusted

    def counted(self: Database, sql: str, max_rows: int = 20) -> Any:
        asked.append(sql)
        return real(self, sql, max_rows)

    monkeypatch.setattr(Database, "run_untrusted", counted)
    statements = ["ALTER TABLE accounts ALTER COLUMN region SET NOT NULL",
                  "ALTER TABLE accounts ALTER COLUMN label TYPE integer USING label::integer"]
    write(tmp_path / "migrations", {"1_change.up.sql": ";\n".join(statements) + ";\n"})
    config = write_config(tmp_path, f'[targets.database]\ndsn = "{pg_dsn}"\n\n[targets.migrations]\n'
                                    'source = "migrations"\ntracking = "golang-migrate"\n\n'
                                    f'[targets.rehearsal]\ndsn = "{rehearsal_server}"\n\n'
                                    '[[check]]\nid = "migration-safety"\nuses = "migrations.lint"\n\n'
                                    '[[check]]\nid = "rehearsal"\nuses = "migrations.rehearse"\n')
    out = cli("run", "--config", str(config), "--format", "json", "--no-cache")
    validate_report(out.json)
    assert asked and len(asked) == len(set(asked)), sorted(asked)
    checks = {c["id"]: c for c in out.json["checks"]}
    lint = ours(checks["migration-safety"]["findings"])
    assert lint[statements[0]]["data"]["sqlstate"] == "23502"
    assert lint[statements[1]]["data"]["sqlstate"] == "22P02"
    rehearsed = {p["kind"]: p for p in checks["rehearsal"]["details"]["preconditions"]}
    assert rehearsed["set-not-null"]["outcome"] == "violated", rehearsed
    assert rehearsed["set-not-null"]["violating_rows"] == 35, rehearsed
    assert rehearsed["type-change"]["outcome"] == "violated" and rehearsed["type-change"]["sqlstate"] == "22P02"
