"""What the lint predicts with the database about statements the server refuses for reasons it can know, run as a
user runs it (``preflight run``, ``migrations.lint`` on pending golang-migrate migrations) against a real server,
each prediction checked against the server itself (the statement run in a transaction that is rolled back):

- ``needs-newer-server``: syntax newer than the server's version fails on an older server (PostgreSQL 15) and is
  not reported on one that has it (PostgreSQL 18); the suite runs on both;
- ``unsafe-new-enum-value``: an enum value used in the transaction that adds it (55P04);
- ``fails-against-live-schema``: partition bounds that overlap an existing partition's (42P17).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.helpers import CliRun, lint_pending, server_says

SCHEMA = """
create table orders (id bigint primary key, total numeric, customer_id bigint);
insert into orders select g, g, g from generate_series(1, 20) g;
create table accounts (id bigint primary key, email text);
insert into accounts select g, 'a' || g || '@x' from generate_series(1, 20) g;
create table notes (id bigint, size integer, doubled integer generated always as (size * 2) stored);
create table sensors (id bigint primary key);
create table measurements (id bigint not null, taken date not null, sensor_id bigint) partition by range (taken);
create table measurements_2024 partition of measurements for values from ('2024-01-01') to ('2025-01-01');
create table measurements_2025 (like measurements including all);
create table readings (id bigint, sensor_id bigint);
create table regions (id bigint, code text not null) partition by list (code);
create table regions_eu partition of regions for values in ('de', 'fr');
create type mood as enum ('ok', 'sad');
create table feelings (id integer, m mood);
insert into feelings values (1, 'ok'), (2, 'sad');
"""

# statement -> (the first PostgreSQL major that runs it, the SQLSTATE an older one raises)
NEWER = {
    "ALTER TABLE orders ADD COLUMN total_double numeric GENERATED ALWAYS AS (total * 2) VIRTUAL": (18, "42601"),
    "ALTER TABLE orders ADD COLUMN total_triple numeric GENERATED ALWAYS AS (total * 3)": (18, "42601"),
    "ALTER TABLE accounts ADD CONSTRAINT accounts_email_nn NOT NULL email": (18, "42601"),
    "ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total > 0) NOT ENFORCED": (18, "42601"),
    "ALTER TABLE orders ADD COLUMN flag integer CHECK (flag > 0) ENFORCED": (18, "42601"),
    "ALTER TABLE measurements ADD CONSTRAINT measurements_sensor_fk FOREIGN KEY (sensor_id) REFERENCES sensors (id) "
    "NOT VALID": (18, "42809"),
    "ALTER TABLE notes ALTER COLUMN doubled SET EXPRESSION AS (size * 3)": (17, "42601"),
    "ALTER TABLE notes ALTER COLUMN size SET STATISTICS DEFAULT": (17, "42601"),
    "MERGE INTO orders o USING accounts a ON o.id = a.id WHEN NOT MATCHED BY SOURCE THEN DELETE": (17, "42601"),
}
# the older forms, which every supported server runs
OLDER = [
    "ALTER TABLE orders ADD COLUMN total_double numeric GENERATED ALWAYS AS (total * 2) STORED",
    "ALTER TABLE accounts ALTER COLUMN email SET NOT NULL",
    "ALTER TABLE readings ADD CONSTRAINT readings_sensor_fk FOREIGN KEY (sensor_id) REFERENCES sensors (id) NOT VALID",
    "ALTER TABLE notes ALTER COLUMN size SET STATISTICS 500",
    "MERGE INTO orders o USING accounts a ON o.id = a.id WHEN NOT MATCHED THEN DO NOTHING",
]


pytestmark = pytest.mark.usefixtures("own_lint_cache")


@pytest.fixture
def shop(pg_admin: Any) -> Any:
    pg_admin.execute(SCHEMA)
    return pg_admin



def major(dsn: str) -> int:
    with psycopg.connect(dsn) as conn:
        row = conn.execute("select current_setting('server_version_num')::int / 10000").fetchone()
        assert row is not None
        return int(row[0])


def findings_of(cli: CliRun, tmp_path: Path, dsn: str, rule: str, files: dict[str, str]) -> list[dict[str, Any]]:
    _out, findings = lint_pending(cli, tmp_path, dsn, files)
    return [f for f in findings if f["rule"] == rule]


@pytest.mark.parametrize("statement", list(NEWER))
def test_syntax_newer_than_the_server_is_predicted_to_fail_only_there(cli: CliRun, tmp_path: Path, pg_dsn: str,
                                                                     shop: Any, statement: str) -> None:
    since, sqlstate = NEWER[statement]
    server = major(pg_dsn)
    found = findings_of(cli, tmp_path, pg_dsn, "needs-newer-server", {"1_new.up.sql": statement + ";\n"})
    if server >= since:
        assert server_says(pg_dsn, statement) is None
        assert found == []
        return
    assert server_says(pg_dsn, statement) == sqlstate
    (f,) = found
    assert f["severity"] == "failure" and f["data"]["verdict"] == "would-fail" and f["data"]["sqlstate"] == sqlstate
    assert f"needs PostgreSQL {since}; the server is {server}." in f["message"]
    assert f["message"].endswith(": the statement fails")


def test_the_older_forms_are_never_reported(cli: CliRun, tmp_path: Path, pg_dsn: str, shop: Any) -> None:
    for statement in OLDER:
        assert server_says(pg_dsn, statement) is None, statement
    files = {f"{n}_old.up.sql": s + ";\n" for n, s in enumerate(OLDER, start=1)}
    assert findings_of(cli, tmp_path, pg_dsn, "needs-newer-server", files) == []


def test_a_partitioned_table_the_pending_migrations_make_is_not_judged(cli: CliRun, tmp_path: Path, pg_dsn: str,
                                                                       shop: Any) -> None:
    """Whether the table is partitioned is asked of the catalogs: one that an earlier pending statement changes
    (here: drops and creates again) is not judged."""
    found = findings_of(cli, tmp_path, pg_dsn, "needs-newer-server", {
        "1_again.up.sql": "DROP TABLE readings;\nCREATE TABLE readings (id bigint, sensor_id bigint, at date) "
                          "PARTITION BY RANGE (at);\n",
        "2_fk.up.sql": "ALTER TABLE readings ADD CONSTRAINT readings_sensor_fk FOREIGN KEY (sensor_id) "
                       "REFERENCES sensors (id) NOT VALID;\n"})
    assert found == []


ENUM_USE = {
    "cast": "ALTER TYPE mood ADD VALUE 'meh';\nSELECT count(*) FROM feelings WHERE m = 'meh'::mood;\n",
    "insert": "ALTER TYPE mood ADD VALUE 'meh';\nINSERT INTO feelings VALUES (3, 'meh');\n",
    "insert-named": "ALTER TYPE mood ADD VALUE 'meh' BEFORE 'sad';\nINSERT INTO feelings (m, id) VALUES ('meh', 3);\n",
    "update": "ALTER TYPE mood ADD VALUE 'meh';\nUPDATE feelings SET m = 'meh' WHERE id = 1;\n",
    "default": "ALTER TYPE mood ADD VALUE 'meh';\nALTER TABLE feelings ADD COLUMN later mood DEFAULT 'meh';\n",
    "compared": "ALTER TYPE mood ADD VALUE 'meh';\nDELETE FROM feelings f WHERE f.id > 0 AND f.m IN ('sad', 'meh');\n",
    # the constant is converted to the column's type when the statement is planned: no row needs to be read
    "insert-select": "ALTER TYPE mood ADD VALUE 'meh';\nINSERT INTO feelings SELECT 3, 'meh';\n",
    "insert-select-named": "ALTER TYPE mood ADD VALUE 'meh';\n"
                           "INSERT INTO feelings (m, id) SELECT 'meh', id FROM orders WHERE false;\n",
    "array-literal": "ALTER TYPE mood ADD VALUE 'meh';\nSELECT '{ok, \"meh\"}'::mood[];\n",
    "array-constructor": "ALTER TYPE mood ADD VALUE 'meh';\nSELECT count(*) FROM feelings WHERE m = ANY "
                         "(ARRAY['sad', 'meh']::mood[]);\n",
}
ENUM_FINE = {
    "other-value": "ALTER TYPE mood ADD VALUE 'meh';\nINSERT INTO feelings VALUES (3, 'ok');\n",
    "already-there": "ALTER TYPE mood ADD VALUE IF NOT EXISTS 'ok';\nINSERT INTO feelings VALUES (3, 'ok');\n",
    "array-other-values": "ALTER TYPE mood ADD VALUE 'meh';\nSELECT '{ok,NULL}'::mood[], '{}'::mood[];\n",
    "insert-select-other-value": "ALTER TYPE mood ADD VALUE 'meh';\nINSERT INTO feelings SELECT 3, 'ok';\n",
    "not-the-enum": "ALTER TYPE mood ADD VALUE 'meh';\nINSERT INTO feelings VALUES (3, NULL);\n"
                    "UPDATE accounts SET email = 'meh';\nSELECT count(*) FROM accounts WHERE email = 'meh';\n",
}


@pytest.mark.parametrize("case", list(ENUM_USE))
def test_a_new_enum_value_used_in_its_transaction_is_predicted_to_fail(cli: CliRun, tmp_path: Path, pg_dsn: str,
                                                                       shop: Any, case: str) -> None:
    sql = ENUM_USE[case]
    assert server_says(pg_dsn, sql) == "55P04"
    (f,) = findings_of(cli, tmp_path, pg_dsn, "unsafe-new-enum-value", {"1_enum.up.sql": sql})
    assert f["location"]["line"] == 2 and f["severity"] == "failure"
    assert f["data"]["verdict"] == "would-fail" and f["data"]["sqlstate"] == "55P04"
    assert f["message"].startswith("'meh' is read as a value of ")
    assert "in the same transaction as ALTER TYPE mood ADD VALUE 'meh' (line 1)" in f["message"]


@pytest.mark.parametrize("case", list(ENUM_FINE))
def test_enum_statements_that_run_are_not_reported(cli: CliRun, tmp_path: Path, pg_dsn: str, shop: Any,
                                                   case: str) -> None:
    sql = ENUM_FINE[case]
    assert server_says(pg_dsn, sql) is None
    assert findings_of(cli, tmp_path, pg_dsn, "unsafe-new-enum-value", {"1_enum.up.sql": sql}) == []


def test_a_value_added_by_an_earlier_migration_is_committed(cli: CliRun, tmp_path: Path, pg_dsn: str,
                                                            shop: Any) -> None:
    assert findings_of(cli, tmp_path, pg_dsn, "unsafe-new-enum-value", {
        "1_add.up.sql": "ALTER TYPE mood ADD VALUE 'meh';\n",
        "2_use.up.sql": "INSERT INTO feelings VALUES (3, 'meh');\n"}) == []


def test_a_value_added_to_an_enum_an_earlier_pending_migration_makes_is_predicted(cli: CliRun, tmp_path: Path,
                                                                                 pg_dsn: str, shop: Any) -> None:
    """The type is not in the catalogs yet: its labels are those of the earlier migration's CREATE TYPE (committed
    in its own transaction), so a value added and used in one transaction fails (55P04, PostgreSQL 15 and 18)."""
    made = "CREATE TYPE priority AS ENUM ('low', 'high');\nALTER TYPE priority ADD VALUE 'mid';\n"
    use = "ALTER TYPE priority ADD VALUE 'urgent';\nSELECT 'urgent'::priority;\n"
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        conn.execute(made.encode())
        try:
            assert server_says(pg_dsn, use) == "55P04"
            assert server_says(pg_dsn, use.replace("SELECT 'urgent'", "SELECT 'mid'")) is None
        finally:
            conn.execute("DROP TYPE priority")
    (f,) = findings_of(cli, tmp_path, pg_dsn, "unsafe-new-enum-value", {"1_made.up.sql": made, "2_use.up.sql": use})
    assert f["location"] == {**f["location"], "line": 2} and f["data"]["sqlstate"] == "55P04"
    assert "priority is made without it by an earlier pending migration" in f["message"]
    # a value the earlier migration gave it: nothing claimed
    assert findings_of(cli, tmp_path / "other", pg_dsn, "unsafe-new-enum-value", {
        "1_made.up.sql": made, "2_use.up.sql": use.replace("SELECT 'urgent'", "SELECT 'mid'")}) == []


def test_a_value_added_to_an_enum_made_in_the_same_transaction_fails_before_postgresql_18(
        cli: CliRun, tmp_path: Path, pg_dsn: str, shop: Any) -> None:
    sql = ("CREATE TYPE priority AS ENUM ('low', 'high');\nALTER TYPE priority ADD VALUE 'mid';\n"
           "SELECT 'mid'::priority;\n")
    refused = major(pg_dsn) < 18
    assert server_says(pg_dsn, sql) == ("55P04" if refused else None)
    found = findings_of(cli, tmp_path, pg_dsn, "unsafe-new-enum-value", {"1_made.up.sql": sql})
    assert [(f["location"]["line"], f["data"]["sqlstate"]) for f in found] == ([(3, "55P04")] if refused else [])
    if refused:
        assert f"priority is created earlier in that transaction, and PostgreSQL {major(pg_dsn)}." in \
            found[0]["message"]
    # the values CREATE TYPE gives it can be used on every server
    fine = sql.replace("SELECT 'mid'", "SELECT 'high'")
    assert server_says(pg_dsn, fine) is None
    assert findings_of(cli, tmp_path / "fine", pg_dsn, "unsafe-new-enum-value", {"1_made.up.sql": fine}) == []


OVERLAPS = {
    "ALTER TABLE measurements ATTACH PARTITION measurements_2025 FOR VALUES FROM ('2024-06-01') TO ('2025-06-01')":
        "ATTACH PARTITION measurements_2025 fails: its bounds overlap those of partition measurements_2024 of "
        "measurements (FOR VALUES FROM ('2024-01-01') TO ('2025-01-01'))",
    "CREATE TABLE measurements_old PARTITION OF measurements FOR VALUES FROM (MINVALUE) TO ('2024-01-02')":
        "CREATE TABLE ... PARTITION OF measurements_old fails: its bounds overlap those of partition "
        "measurements_2024",
    "CREATE TABLE regions_fr PARTITION OF regions FOR VALUES IN ('fr', 'it')":
        "CREATE TABLE ... PARTITION OF regions_fr fails: its bounds overlap those of partition regions_eu",
}
NO_OVERLAP = [
    "ALTER TABLE measurements ATTACH PARTITION measurements_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
    "CREATE TABLE measurements_old PARTITION OF measurements FOR VALUES FROM (MINVALUE) TO ('2024-01-01')",
    "CREATE TABLE regions_it PARTITION OF regions FOR VALUES IN ('it')",
]


@pytest.mark.parametrize("statement", list(OVERLAPS))
def test_overlapping_partition_bounds_are_predicted_to_fail(cli: CliRun, tmp_path: Path, pg_dsn: str, shop: Any,
                                                            statement: str) -> None:
    assert server_says(pg_dsn, statement) == "42P17"
    (f,) = findings_of(cli, tmp_path, pg_dsn, "fails-against-live-schema", {"1_part.up.sql": statement + ";\n"})
    assert f["data"]["sqlstate"] == "42P17" and f["message"].startswith(OVERLAPS[statement]), f["message"]


def test_bounds_that_do_not_overlap_are_not_reported(cli: CliRun, tmp_path: Path, pg_dsn: str, shop: Any) -> None:
    for statement in NO_OVERLAP:
        assert server_says(pg_dsn, statement) is None, statement
    files = {f"{n}_part.up.sql": s + ";\n" for n, s in enumerate(NO_OVERLAP, start=1)}
    assert findings_of(cli, tmp_path, pg_dsn, "fails-against-live-schema", files) == []


def test_a_partition_an_earlier_migration_detaches_no_longer_overlaps(cli: CliRun, tmp_path: Path, pg_dsn: str,
                                                                       shop: Any) -> None:
    assert findings_of(cli, tmp_path, pg_dsn, "fails-against-live-schema", {
        "1_detach.up.sql": "ALTER TABLE measurements DETACH PARTITION measurements_2024;\n",
        "2_attach.up.sql": "ALTER TABLE measurements ATTACH PARTITION measurements_2025 FOR VALUES FROM "
                           "('2024-06-01') TO ('2025-06-01');\n"}) == []


def test_what_the_server_refuses_first_is_the_one_prediction(cli: CliRun, tmp_path: Path, pg_dsn: str,
                                                             shop: Any) -> None:
    """A NOT VALID foreign key on a partitioned table that references no unique key: PostgreSQL 15 refuses the
    NOT VALID first (42809), 18 the missing key (42830). One prediction, the server's."""
    statement = ("ALTER TABLE measurements ADD CONSTRAINT measurements_reading_fk FOREIGN KEY (sensor_id) "
                 "REFERENCES readings (id) NOT VALID")
    _out, findings = lint_pending(cli, tmp_path, pg_dsn, {"1_fk.up.sql": statement + ";\n"})
    failing = [f for f in findings if f["data"].get("verdict") == "would-fail"]
    assert [f["data"]["sqlstate"] for f in failing] == [server_says(pg_dsn, statement)]
    assert failing[0]["rule"] == ("needs-newer-server" if major(pg_dsn) < 18 else "fails-against-live-schema")
