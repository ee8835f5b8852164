"""migrations.rehearse against real servers: the live database on the test server, the rehearsal on the same
server (its own database) or on an embedded one. Migrations that fail on a missing object and on data (each
precondition kind), that rewrite, that take only a brief lock; the lint contradicted by the observation; a schema
with extensions, types, partitions, views and functions; the live database left untouched; the rehearsal
database dropped, also on an error."""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from pathlib import Path
from typing import Any

import psycopg
import pytest

from preflight.model import Severity, Status
from preflight.rehearsal import server as server_module
from tests.helpers import CliRun, validate_report, write_config
from tests.rehearse_helpers import (
    findings,
    golang_migrate_at,
    probe,
    rehearsal_databases,
    rehearse,
    statements,
)

pytestmark = pytest.mark.usefixtures("own_lint_cache")


@pytest.fixture
def created(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the rehearsal databases created during the test."""
    names: list[str] = []
    original = server_module.RehearsalServer.create_database

    def record(self: server_module.RehearsalServer, shape: Any) -> str:
        name = original(self, shape)
        names.append(name)
        return name

    monkeypatch.setattr(server_module.RehearsalServer, "create_database", record)
    return names


def exists(server_dsn: str, dbname: str) -> bool:
    with psycopg.connect(server_dsn, autocommit=True) as conn:
        return conn.execute("select 1 from pg_database where datname = %s", (dbname,)).fetchone() is not None


def server_major(dsn: str) -> int:
    with psycopg.connect(dsn) as conn:
        row = conn.execute("show server_version_num").fetchone()
        assert row is not None
        return int(row[0]) // 10000


ACCOUNTS = """
create table accounts (id bigint primary key, email text, plan text, team_id int, score int, note varchar(100));
insert into accounts select g, 'user' || (g % 40) || '@example.com', case when g % 3 = 0 then null else 'pro' end,
       g % 7, g, 'n' from generate_series(1, 200) g;
create table teams (id int primary key, name text not null);
insert into teams select g, 'team ' || g from generate_series(1, 5) g;
analyze;
"""


@pytest.fixture
def live(pg_admin: psycopg.Connection[Any]) -> psycopg.Connection[Any]:
    """A live database at version 1 of golang-migrate: 200 accounts (some emails duplicated, a third of the plans
    NULL, team ids 0..6 of which only 1..5 exist) and 5 teams."""
    pg_admin.execute(ACCOUNTS)
    golang_migrate_at(pg_admin, 1)
    return pg_admin


# -- what fails -------------------------------------------------------------------------------------------------


def test_a_migration_that_fails_on_a_missing_object(tmp_path: Path, pg_dsn: str, rehearsal_server: str, live: Any,
                                                     created: list[str]) -> None:
    result = rehearse(tmp_path, pg_dsn, {
        "2_add_index.up.sql": "create index accounts_plan_idx on accounts (plan);\n\n"
                              "insert into accounts_archive select * from accounts;\n",
        "3_later.up.sql": "alter table accounts add column later int;\n",
    }, rehearsal_dsn=rehearsal_server)
    assert result.status is Status.FAIL
    (fails,) = findings(result, "migration-fails")
    assert fails.migration == "2_add_index"
    assert fails.data["sqlstate"] == "42P01"
    # The error's own position: line 3, the table name after "insert into ".
    assert fails.location is not None and (fails.location.line, fails.location.column) == (3, 13)
    assert "golang-migrate records version 2 as dirty" in fails.message
    first, second = statements(result, "2_add_index")
    assert first["outcome"] == "ok" and second["outcome"] == "error"
    assert second["error"]["sqlstate"] == "42P01" and 'relation "accounts_archive" does not exist' in \
        second["error"]["message"]
    # The runner stops: the next migration never runs.
    (later,) = [m for m in result.details["migrations"] if m["name"] == "3_later"]
    assert later["outcome"] == "not-run" and "stops at the failure of 2_add_index" in later["note"]
    assert result.details["outcome"] == "fails"
    # The rehearsal database is gone.
    assert created and not exists(rehearsal_server, created[0])


def test_nothing_pending_is_a_pass_without_a_rehearsal(tmp_path: Path, pg_dsn: str, rehearsal_server: str, live: Any,
                                                        created: list[str]) -> None:
    result = rehearse(tmp_path, pg_dsn, {"1_init.up.sql": "select 1;\n"}, rehearsal_dsn=rehearsal_server)
    assert result.status is Status.PASS and result.summary == "no pending migrations: nothing to rehearse"
    assert created == []


# -- data preconditions -------------------------------------------------------------------------------------------


def test_set_not_null_over_nulls_fails_with_the_count_and_sample_keys(tmp_path: Path, pg_dsn: str, rehearsal_server: str,
                                                                      live: Any) -> None:
    result = rehearse(tmp_path, pg_dsn, {"2_plan_required.up.sql": "alter table accounts alter column plan "
                                                                   "set not null;\n"},
                      rehearsal_dsn=rehearsal_server, small_table_rows=10)
    # On the copy accounts is empty (200 rows > 10): the statement applies there; the probe finds the NULLs.
    (st,) = statements(result, "2_plan_required")
    assert st["outcome"] == "ok"
    assert st["empty_on_copy"] == ["accounts (200 rows live)"]
    p = probe(result, "set-not-null")
    assert p["outcome"] == "violated" and p["violating_rows"] == 66
    assert p["sample_keys"] == ["id=3", "id=6", "id=9"]
    (f,) = findings(result, "precondition-violated")
    assert f.severity is Severity.FAILURE and "66 rows violate it" in f.message and "id=3" in f.message
    assert result.status is Status.FAIL
    assert "1 data precondition violated on the live data" in result.summary


def test_set_not_null_that_holds_passes(tmp_path: Path, pg_dsn: str, rehearsal_server: str, live: Any) -> None:
    result = rehearse(tmp_path, pg_dsn, {"2_email_required.up.sql": "alter table accounts alter column email "
                                                                    "set not null;\n"},
                      rehearsal_dsn=rehearsal_server, small_table_rows=10)
    assert probe(result, "set-not-null")["outcome"] == "holds"
    assert result.status in (Status.PASS, Status.WARN), result.summary


def test_unique_index_over_duplicates_redacts_the_values(tmp_path: Path, pg_dsn: str, rehearsal_server: str,
                                                         live: Any) -> None:
    files = {"2_unique_email.up.sql": "create unique index accounts_email_key on accounts (lower(email)) "
                                      "where plan is not null;\n"}
    result = rehearse(tmp_path, pg_dsn, files, rehearsal_dsn=rehearsal_server, small_table_rows=10)
    p = probe(result, "unique")
    # 40 distinct emails over 200 rows, only the rows with a plan (134) count: every one of them is duplicated.
    assert p["outcome"] == "violated" and p["violating_rows"] == 134
    assert len(p["sample_keys"]) == 3
    assert all(re.fullmatch(r"id=\d+, value=<redacted>", k) for k in p["sample_keys"]), p["sample_keys"]
    shown = rehearse(tmp_path, pg_dsn, files, rehearsal_dsn=rehearsal_server, small_table_rows=10, show_values=True)
    assert any("value=user" in k for k in probe(shown, "unique")["sample_keys"])


def test_primary_key_over_duplicates_and_unique_nulls_not_distinct(tmp_path: Path, pg_dsn: str, rehearsal_server: str,
                                                                   live: Any) -> None:
    live.execute("create table events (kind text, at int)")
    live.execute("insert into events values ('a', 1), ('a', 1), ('b', null), ('b', null), ('c', 2)")
    result = rehearse(tmp_path, pg_dsn, {"2_keys.up.sql": "alter table events add primary key (kind, at);\n"},
                      rehearsal_dsn=rehearsal_server, small_table_rows=0)
    p = probe(result, "primary-key")
    assert p["outcome"] == "violated" and p["violating_rows"] == 2 and "NULL key column" in p["reason"]
    # With the NULLs gone, the duplicate key is what fails.
    live.execute("delete from events where at is null")
    result = rehearse(tmp_path, pg_dsn, {"2_keys.up.sql": "alter table events add primary key (kind, at);\n"},
                      rehearsal_dsn=rehearsal_server, small_table_rows=0)
    p = probe(result, "primary-key")
    assert p["outcome"] == "violated" and p["violating_rows"] == 2 and p["sample_keys"][0].startswith("ctid=")
    # NULLS NOT DISTINCT: two NULLs of one kind collide.
    live.execute("delete from events; insert into events values ('b', null), ('b', null)")
    result = rehearse(tmp_path, pg_dsn, {"2_keys.up.sql": "alter table events add unique nulls not distinct "
                                                          "(kind, at);\n"},
                      rehearsal_dsn=rehearsal_server, small_table_rows=0)
    assert probe(result, "unique")["violating_rows"] == 2
    result = rehearse(tmp_path, pg_dsn, {"2_keys.up.sql": "alter table events add unique (kind, at);\n"},
                      rehearsal_dsn=rehearsal_server, small_table_rows=0)
    assert probe(result, "unique")["outcome"] == "holds"


def test_foreign_key_without_not_valid_counts_the_orphans(tmp_path: Path, pg_dsn: str, rehearsal_server: str,
                                                          live: Any) -> None:
    fk = "alter table accounts add constraint accounts_team_fk foreign key (team_id) references teams"
    result = rehearse(tmp_path, pg_dsn, {"2_fk.up.sql": fk + ";\n"}, rehearsal_dsn=rehearsal_server, small_table_rows=10)
    p = probe(result, "foreign-key")
    # team_id = g % 7: 0 and 6 have no team (28 + 28 of the 200 accounts).
    assert p["outcome"] == "violated" and p["violating_rows"] == 56
    assert p["sample_keys"] == ["id=6, value=<redacted>", "id=7, value=<redacted>", "id=13, value=<redacted>"]
    # NOT VALID skips the check, and so does the probe; VALIDATE later checks the rows, through the definition
    # the earlier pending migration gives.
    result = rehearse(tmp_path, pg_dsn, {"2_fk.up.sql": fk + " not valid;\n",
                                         "3_validate.up.sql": "alter table accounts validate constraint "
                                                              "accounts_team_fk;\n"},
                      rehearsal_dsn=rehearsal_server, small_table_rows=10)
    (p,) = result.details["preconditions"]
    assert p["kind"] == "validate" and p["migration"] == "3_validate"
    assert p["outcome"] == "violated" and p["violating_rows"] == 56


def test_check_and_validate_of_a_live_constraint(tmp_path: Path, pg_dsn: str, rehearsal_server: str, live: Any) -> None:
    result = rehearse(tmp_path, pg_dsn, {"2_check.up.sql": "alter table accounts add constraint score_small "
                                                           "check (score < 190);\n"},
                      rehearsal_dsn=rehearsal_server, small_table_rows=10)
    p = probe(result, "check")
    assert p["outcome"] == "violated" and p["violating_rows"] == 11 and p["sample_keys"][0] == "id=190"
    live.execute("alter table accounts add constraint score_tiny check (score < 100) not valid")
    result = rehearse(tmp_path / "b", pg_dsn, {"2_validate.up.sql": "alter table accounts validate constraint "
                                                                    "score_tiny;\n"},
                      rehearsal_dsn=rehearsal_server, small_table_rows=10)
    p = probe(result, "validate")
    assert p["outcome"] == "violated" and p["violating_rows"] == 101


def test_type_change_with_values_that_do_not_convert(tmp_path: Path, pg_dsn: str, rehearsal_server: str,
                                                     live: Any) -> None:
    live.execute("create table codes (id int primary key, code text)")
    live.execute("insert into codes values (1, '10'), (2, '20'), (3, 'x30'), (4, null)")
    result = rehearse(tmp_path, pg_dsn, {"2_codes.up.sql": "alter table codes alter column code type integer "
                                                           "using code::integer;\n"},
                      rehearsal_dsn=rehearsal_server, small_table_rows=0)
    p = probe(result, "type-change")
    assert p["outcome"] == "violated"
    if server_major(pg_dsn) >= 16:
        # Counted with pg_input_is_valid, with its key.
        assert p["violating_rows"] == 1 and p["sample_keys"] == ["id=3, value=<redacted>"]
    else:
        # Found by converting every value: PostgreSQL stops at the first that fails.
        assert p["violating_rows"] == 1 and p.get("violating_rows_at_least") is True
        assert '"<redacted>"' in p["reason"] and "x30" not in p["reason"]
    # An expression that converts every value holds; a shorter varchar counts the values too long for it.
    result = rehearse(tmp_path, pg_dsn, {"2_codes.up.sql": "alter table codes alter column code type integer "
                                                           "using nullif(regexp_replace(code, '[^0-9]', '', 'g'), "
                                                           "'')::integer;\n"},
                      rehearsal_dsn=rehearsal_server, small_table_rows=0)
    assert probe(result, "type-change")["outcome"] == "holds"
    result = rehearse(tmp_path, pg_dsn, {"2_codes.up.sql": "alter table codes alter column code type varchar(2) "
                                                           "using code || '';\n"},
                      rehearsal_dsn=rehearsal_server, small_table_rows=0)
    p = probe(result, "type-change")
    assert p["outcome"] == "violated" and p["violating_rows"] == 1 and "longer than the new type" in p["reason"]


def test_a_not_null_column_without_default_on_a_table_with_rows(tmp_path: Path, pg_dsn: str, rehearsal_server: str,
                                                                live: Any) -> None:
    result = rehearse(tmp_path, pg_dsn, {"2_col.up.sql": "alter table accounts add column region text not null;\n"},
                      rehearsal_dsn=rehearsal_server, small_table_rows=10)
    p = probe(result, "not-null-column")
    assert p["outcome"] == "violated" and "holds rows" in p["reason"]
    # SET NOT NULL on a column a pending statement adds: its live values are the column's default.
    result = rehearse(tmp_path, pg_dsn, {"2_col.up.sql": "alter table accounts add column tier int default 1;\n"
                                                         "alter table accounts alter column tier set not null;\n"},
                      rehearsal_dsn=rehearsal_server, small_table_rows=10)
    assert probe(result, "set-not-null")["outcome"] == "holds"


def test_a_probe_over_budget_is_not_evaluated_and_blocks_unless_warned(tmp_path: Path, pg_dsn: str,
                                                                       rehearsal_server: str, live: Any) -> None:
    files = {"2_plan_required.up.sql": "alter table accounts alter column plan set not null;\n"}
    result = rehearse(tmp_path, pg_dsn, files, rehearsal_dsn=rehearsal_server, small_table_rows=10, max_scan_bytes="1kB")
    p = probe(result, "set-not-null")
    assert p["outcome"] == "not-evaluated"
    assert re.search(r"would scan \d+\.\d kB \(accounts\), more than max_scan_bytes", p["reason"]), p["reason"]
    assert result.status is Status.ERROR
    (f,) = findings(result, "precondition-not-evaluated")
    assert f.severity is Severity.ERROR and "not evaluated: would scan" in f.message
    warned = rehearse(tmp_path, pg_dsn, files, rehearsal_dsn=rehearsal_server, small_table_rows=10, max_scan_bytes="1kB",
                      on_unknown="warn")
    assert warned.status is Status.WARN
    # An index that answers the probe keeps it within budget: it reads the index, not the table.
    live.execute("create table big (id int primary key, plan text)")
    live.execute("insert into big select g, case when g % 5000 = 0 then null else 'pro' end "
                 "from generate_series(1, 20000) g")
    files = {"2_plan_required.up.sql": "alter table big alter column plan set not null;\n"}
    result = rehearse(tmp_path / "big", pg_dsn, files, rehearsal_dsn=rehearsal_server, small_table_rows=10,
                      max_scan_bytes="64kB")
    assert probe(result, "set-not-null")["outcome"] == "not-evaluated"
    live.execute("create index big_plan_null on big (id) where plan is null")
    live.execute("analyze big")
    indexed = rehearse(tmp_path / "big", pg_dsn, files, rehearsal_dsn=rehearsal_server, small_table_rows=10,
                       max_scan_bytes="64kB")
    p = probe(indexed, "set-not-null")
    assert p["outcome"] == "violated" and p["violating_rows"] == 4 and p["scan_bytes"] < 64 * 1024


def test_an_earlier_write_makes_the_live_rows_not_the_ones_met(tmp_path: Path, pg_dsn: str, rehearsal_server: str,
                                                               live: Any) -> None:
    files = {"2_backfill.up.sql": "update accounts set plan = 'free' where plan is null;\n"
                                  "alter table accounts alter column plan set not null;\n"}
    result = rehearse(tmp_path, pg_dsn, files, rehearsal_dsn=rehearsal_server, small_table_rows=10)
    p = probe(result, "set-not-null")
    assert p["outcome"] == "not-evaluated" and "writes to accounts first" in p["reason"]
    # When the copy holds every row, the rehearsal itself ran the backfill and the SET NOT NULL on them.
    result = rehearse(tmp_path, pg_dsn, files, rehearsal_dsn=rehearsal_server, small_table_rows=1000)
    p = probe(result, "set-not-null")
    assert p["outcome"] == "covered" and "the copy holds all 200" in p["reason"]
    assert result.status is Status.PASS, result.summary


# -- locks and rewrites, scaled by the live tables -----------------------------------------------------------------


def test_a_rewrite_of_a_big_table_fails_and_of_an_empty_one_informs(tmp_path: Path, pg_dsn: str, rehearsal_server: str,
                                                                    live: Any) -> None:
    live.execute("create table empty_accounts (like accounts)")
    files = {"2_bigint.up.sql": "alter table accounts alter column score type bigint;\n"
                                "alter table empty_accounts alter column score type bigint;\n"}
    result = rehearse(tmp_path, pg_dsn, files, rehearsal_dsn=rehearsal_server, small_table_rows=10, lock_size="8kB")
    first, second = statements(result, "2_bigint")
    assert {"relation": "accounts", "what": "rewritten"} in first["rewrites"]
    assert {"relation": "accounts_pkey", "what": "rebuilt"} in first["rewrites"]
    lock = next(lk for lk in first["locks"] if lk["relation"] == "accounts")
    assert lock["mode"] == "ACCESS EXCLUSIVE" and first["locks_held_until"] == "end of transaction"
    assert lock["live"]["rows"] == 200 and lock["verdict"] == "failure"
    (f,) = findings(result, "lock-on-live-table")
    assert f.severity is Severity.FAILURE and f.location is not None and f.location.line == 1
    assert "ACCESS EXCLUSIVE on accounts (200 rows" in f.message
    assert "held to the end of 2_bigint's transaction" in f.message and "accounts rewritten" in f.message
    # The empty table's lock is information, and it is held while the other table is rewritten... after it.
    empty_lock = next(lk for lk in second["locks"] if lk["relation"] == "empty_accounts")
    assert empty_lock["verdict"] == "empty table"
    assert result.status is Status.FAIL


def test_a_brief_lock_is_information(tmp_path: Path, pg_dsn: str, rehearsal_server: str, live: Any) -> None:
    result = rehearse(tmp_path, pg_dsn, {"2_col.up.sql": "alter table accounts add column nickname text;\n"},
                      rehearsal_dsn=rehearsal_server, small_table_rows=10, lock_size="8kB")
    (st,) = statements(result, "2_col")
    (lock,) = [lk for lk in st["locks"] if lk["relation"] == "accounts"]
    assert lock["mode"] == "ACCESS EXCLUSIVE" and lock["verdict"] == "brief"
    assert st["rewrites"] == [] and st["scans"] == []
    assert not findings(result, "lock-on-live-table")
    assert result.status is Status.PASS, result.summary


def test_a_lock_held_while_a_later_statement_scans_counts_that_work(tmp_path: Path, pg_dsn: str, rehearsal_server: str,
                                                                    live: Any) -> None:
    """The brief lock of the first statement lasts as long as the whole transaction: here, an index build."""
    files = {"2_two.up.sql": "alter table teams add column motto text;\n"
                             "create index accounts_email_idx on accounts (email);\n"}
    result = rehearse(tmp_path, pg_dsn, files, rehearsal_dsn=rehearsal_server, small_table_rows=0, lock_size="8kB")
    first, second = statements(result, "2_two")
    assert second["scans"] == ["accounts"]
    assert next(lk for lk in second["locks"] if lk["relation"] == "accounts")["mode"] == "SHARE"
    teams = next(lk for lk in first["locks"] if lk["relation"] == "teams")
    assert teams["verdict"] == "failure"
    messages = [f.message for f in findings(result, "lock-on-live-table")]
    assert any(m.startswith("ACCESS EXCLUSIVE on teams") and "while accounts scanned" in m for m in messages)


def test_the_observation_wins_over_the_lints_prediction(tmp_path: Path, pg_dsn: str, rehearsal_server: str,
                                                        live: Any) -> None:
    """varchar(100) to varchar(200) is metadata only: the lint predicts a rewrite, PostgreSQL does none."""
    result = rehearse(tmp_path, pg_dsn, {"2_wider.up.sql": "alter table accounts alter column note "
                                                           "type varchar(200);\n"},
                      rehearsal_dsn=rehearsal_server, small_table_rows=10, lock_size="8kB")
    (st,) = statements(result, "2_wider")
    assert st["rewrites"] == [] and st["scans"] == []
    assert st["lint"] == [{"rule": "changing-column-type", "predicted": st["lint"][0]["predicted"],
                           "observed": "no rewrite, no scan", "winner": "observation"}]
    (f,) = findings(result, "lint-disagrees")
    assert "the observation wins" in f.message and "changing-column-type" in f.message
    assert not findings(result, "lock-on-live-table")
    assert "1 lint prediction contradicted by the observation" in result.summary
    # And a rewrite the lint does not predict is reported as such.
    result = rehearse(tmp_path, pg_dsn, {"2_unlogged.up.sql": "alter table accounts set unlogged;\n"},
                      rehearsal_dsn=rehearsal_server, small_table_rows=10, lock_size="8kB")
    (f,) = findings(result, "lock-on-live-table")
    assert f.severity is Severity.FAILURE and "migrations.lint did not predict it" in f.message


# -- how the runner runs them ------------------------------------------------------------------------------------


def test_goose_no_transaction_and_a_transaction(tmp_path: Path, pg_dsn: str, rehearsal_server: str, live: Any) -> None:
    live.execute("create table goose_db_version (id serial primary key, version_id bigint not null, "
                 "is_applied boolean not null, tstamp timestamp default now())")
    live.execute("insert into goose_db_version (version_id, is_applied) values (0, true), (1, true)")
    body = ("create table step_one (id int);\ncreate index concurrently step_one_idx on step_one (id);\n"
            "insert into missing_table values (1);\n")
    no_tx = rehearse(tmp_path / "a", pg_dsn, {"00002_steps.sql": "-- +goose NO TRANSACTION\n-- +goose Up\n" + body},
                     rehearsal_dsn=rehearsal_server, tracking="goose")
    one, two, three = statements(no_tx, "00002_steps")
    assert (one["outcome"], two["outcome"], three["outcome"]) == ("ok", "ok", "error")
    # Each statement commits on its own; CREATE INDEX CONCURRENTLY runs outside any block, its locks unobserved.
    assert one["locks"] and one["locks_held_until"] == "end of statement"
    assert two.get("locks_observed") is False
    (f,) = findings(no_tx, "migration-fails")
    assert "the 2 statements before it stay applied (no transaction)" in f.message
    with_tx = rehearse(tmp_path / "b", pg_dsn, {"00002_steps.sql": "-- +goose Up\n" + body},
                       rehearsal_dsn=rehearsal_server, tracking="goose")
    one, two, three = statements(with_tx, "00002_steps")
    # In goose's transaction CREATE INDEX CONCURRENTLY fails, and the whole migration rolls back.
    assert one["outcome"] == "ok" and two["outcome"] == "error" and two["error"]["sqlstate"] == "25001"
    assert three["outcome"] == "not-run"
    (f,) = findings(with_tx, "migration-fails")
    assert "its transaction rolls back" in f.message


@pytest.mark.parametrize("transaction", [None, "file", "none"])
def test_the_filename_runner_as_configured(transaction: str | None, tmp_path: Path, pg_dsn: str,
                                           rehearsal_server: str, live: Any) -> None:
    """The home-grown runner sends each file as one query by default (an implicit transaction), or, configured,
    wraps it in BEGIN/COMMIT or splits it: a failure keeps the earlier statements only without a transaction."""
    live.execute("drop table schema_migrations; create table schema_migrations (version text primary key); "
                 "insert into schema_migrations values ('001_init')")
    files = {"001_init.up.sql": "select 1;\n",
             "002_steps.up.sql": "create table step_one (id int);\ninsert into missing_table values (1);\n",
             "003_later.up.sql": "create table later (id int);\n"}
    result = rehearse(tmp_path, pg_dsn, files, rehearsal_dsn=rehearsal_server, tracking="filename",
                      transaction=transaction)
    steps, later = result.details["migrations"]
    assert steps["executed"] == (transaction or "implicit")
    one, two = steps["statements"]
    assert one["outcome"] == "ok" and two["error"]["sqlstate"] == "42P01"
    assert later["outcome"] == "not-run"
    (f,) = findings(result, "migration-fails")
    if transaction == "none":
        assert "the 1 statement before it stays applied (no transaction)" in f.message, f.message
    else:
        assert "stay applied" not in f.message and "stays applied" not in f.message


def test_migrations_without_sql_are_inconclusive_never_a_pass(cli: CliRun, tmp_path: Path, pg_dsn: str,
                                                              rehearsal_server: str, live: Any) -> None:
    """A goose Go migration, a Flyway Java migration, and a Rails migration without sql_command: preflight has no
    SQL to run, so the rehearsal says so and stops there; could not decide is an error (a warning with
    on_unknown = "warn"), never a pass. With sql_command, the Rails migration's SQL is rehearsed."""
    live.execute("create table goose_db_version (id serial primary key, version_id bigint not null, "
                 "is_applied boolean not null, tstamp timestamp default now())")
    live.execute("insert into goose_db_version (version_id, is_applied) values (0, true), (1, true)")
    goose = {"00002_backfill.go": "package migrations\n", "00003_index.sql": "-- +goose Up\nselect 1;\n"}
    result = rehearse(tmp_path / "goose", pg_dsn, goose, rehearsal_dsn=rehearsal_server, tracking="goose")
    assert result.status is Status.ERROR and result.details["outcome"] == "incomplete"
    (f,) = findings(result, "rehearsal-inconclusive")
    assert f.severity is Severity.ERROR and f.migration == "00002_backfill"
    assert "not rehearsed, a Go migration" in f.message and "the 1 migration after it were not run" in f.message
    go, after = result.details["migrations"]
    assert go["outcome"] == "not-rehearsed" and after["outcome"] == "not-run"
    assert "not every migration could be rehearsed" in result.summary

    live.execute("""
        create table flyway_schema_history (installed_rank int not null primary key, version varchar(50),
          description varchar(200) not null, type varchar(20) not null, script varchar(1000) not null,
          checksum int, installed_by varchar(100) not null, installed_on timestamp not null default now(),
          execution_time int not null, success boolean not null);
        insert into flyway_schema_history values (1, '1', 'init', 'SQL', 'V1__init.sql', null, 'me', now(), 1, true);
    """)
    flyway = {"V1__init.sql": "select 1;\n", "V2__Backfill.java": "public class V2__Backfill {}\n"}
    warned = rehearse(tmp_path / "flyway", pg_dsn, flyway, rehearsal_dsn=rehearsal_server, tracking="flyway",
                      on_unknown="warn")
    assert warned.status is Status.WARN
    (f,) = findings(warned, "rehearsal-inconclusive")
    assert f.severity is Severity.WARNING and "a Java migration" in f.message

    live.execute("drop table schema_migrations; create table schema_migrations (version varchar primary key); "
                 "insert into schema_migrations values ('20240101000000')")
    rails = {"db/migrate/20240101000000_init.rb": "class Init < ActiveRecord::Migration[7.1]; end\n",
             "db/migrate/20240102000000_add_plan_check.rb": "class AddPlanCheck < ActiveRecord::Migration[7.1]\nend\n",
             "sql/20240102000000.sql": "alter table accounts alter column plan set not null;\n"}
    without = rehearse(tmp_path / "rails", pg_dsn, rails, rehearsal_dsn=rehearsal_server, tracking="rails")
    assert without.status is Status.ERROR
    (f,) = findings(without, "rehearsal-inconclusive")
    assert "a Ruby migration" in f.message and "sql_command" in f.message
    with_sql = rehearse(tmp_path / "rails-sql", pg_dsn, rails, rehearsal_dsn=rehearsal_server, tracking="rails",
                        sql_command="cat migrations/sql/{version}.sql")
    assert not findings(with_sql, "rehearsal-inconclusive")
    # Its SQL ran on the copy (which holds the 200 accounts, NULL plans included) and was probed live.
    (st,) = statements(with_sql, "20240102000000_add_plan_check")
    assert st["outcome"] == "error" and st["error"]["sqlstate"] == "23502"
    assert probe(with_sql, "set-not-null")["violating_rows"] == 66 and with_sql.status is Status.FAIL

    # The table of `preflight rehearse` says it, and the exit code is "could not decide".
    (tmp_path / "cli" / "migrations").mkdir(parents=True)
    for name, text in goose.items():
        (tmp_path / "cli" / "migrations" / name).write_text(text)
    write_config(tmp_path / "cli", f'[targets.database]\ndsn = "{pg_dsn}"\n[targets.migrations]\n'
                                   f'source = "migrations"\ntracking = "goose"\n[targets.rehearsal]\n'
                                   f'dsn = "{rehearsal_server}"\n')
    table = cli("rehearse", "--config", str(tmp_path / "cli" / "preflight.toml"))
    assert table.exit_code == 3, table.stdout + table.stderr
    assert re.search(r"00002_backfill +\[NOT REHEARSED\]", table.stdout), table.stdout
    assert "inconclusive: not rehearsed, a Go migration" in table.stdout


def test_a_rewrite_outside_a_transaction_block_under_an_unseen_lock_is_inconclusive(
        tmp_path: Path, pg_dsn: str, rehearsal_server: str, live: Any) -> None:
    """A DO block in goose's NO TRANSACTION runs bare: its locks end with it, unseen. When it rewrote a live table
    of at least lock_size, how long it blocked is unknown: inconclusive, never a pass. A CONCURRENTLY form's lock
    is known (writes go on): no finding."""
    live.execute("create table goose_db_version (id serial primary key, version_id bigint not null, "
                 "is_applied boolean not null, tstamp timestamp default now())")
    live.execute("insert into goose_db_version (version_id, is_applied) values (0, true), (1, true)")
    do = ("-- +goose NO TRANSACTION\n-- +goose Up\n"
          "do $$ begin execute 'alter table accounts alter column score type bigint'; end $$;\n")
    result = rehearse(tmp_path / "do", pg_dsn, {"00002_widen.sql": do}, rehearsal_dsn=rehearsal_server,
                      tracking="goose", small_table_rows=10, lock_size="16kB")
    (st,) = statements(result, "00002_widen")
    assert st["locks_observed"] is False and {"relation": "accounts", "what": "rewritten"} in st["rewrites"]
    (f,) = findings(result, "rehearsal-inconclusive")
    assert f.severity is Severity.ERROR and result.status is Status.ERROR
    assert re.search(r"line 3 ran outside a transaction block, where its locks cannot be observed, while accounts "
                     r"rewritten \(\d+\.\d kB live\)", f.message), f.message
    bigger = rehearse(tmp_path / "do-big", pg_dsn, {"00002_widen.sql": do}, rehearsal_dsn=rehearsal_server,
                      tracking="goose", small_table_rows=10, lock_size="1GB")
    assert not findings(bigger, "rehearsal-inconclusive") and bigger.status is Status.PASS
    reindex = ("-- +goose NO TRANSACTION\n-- +goose Up\nreindex index concurrently accounts_pkey;\n")
    result = rehearse(tmp_path / "reindex", pg_dsn, {"00002_reindex.sql": reindex}, rehearsal_dsn=rehearsal_server,
                      tracking="goose", small_table_rows=10, lock_size="16kB")
    assert not findings(result, "rehearsal-inconclusive") and result.status is Status.PASS, result.findings


def test_implicit_transaction_of_golang_migrate_and_dbmates_transaction_false(tmp_path: Path, pg_dsn: str,
                                                                               rehearsal_server: str, live: Any) -> None:
    # One multi-statement query: CREATE INDEX CONCURRENTLY cannot run in it...
    two = {"2_idx.up.sql": "create table t2 (id int);\ncreate index concurrently t2_idx on t2 (id);\n"}
    result = rehearse(tmp_path / "a", pg_dsn, two, rehearsal_dsn=rehearsal_server)
    assert statements(result, "2_idx")[1]["error"]["sqlstate"] == "25001"
    # ... but alone in its file it is not a block at all.
    alone = {"2_idx.up.sql": "create index concurrently accounts_email_idx on accounts (email);\n"}
    result = rehearse(tmp_path / "b", pg_dsn, alone, rehearsal_dsn=rehearsal_server)
    assert result.details["outcome"] == "applies"
    # dbmate's transaction:false up block is still one Exec: the same implicit transaction.
    live.execute("drop table schema_migrations; create table schema_migrations (version varchar primary key)")
    dbmate = {"20240101000000_idx.sql": "-- migrate:up transaction:false\n"
                                        "create table t3 (id int);\ncreate index concurrently t3_idx on t3 (id);\n"
                                        "-- migrate:down\n"}
    result = rehearse(tmp_path / "c", pg_dsn, dbmate, rehearsal_dsn=rehearsal_server, tracking="dbmate")
    (m,) = result.details["migrations"]
    assert m["transaction"] == "none" and m["executed"] == "implicit"
    assert m["statements"][1]["error"]["sqlstate"] == "25001"


def test_a_commit_in_an_implicit_transaction_keeps_what_came_before(tmp_path: Path, pg_dsn: str, rehearsal_server: str,
                                                                    live: Any) -> None:
    files = {"2_two_parts.up.sql": "create table part_one (id int);\ncommit;\ncreate table part_two (id int);\n"
                                   "insert into part_one values (1);\n",
             "3_after.up.sql": "select * from part_one;\n"}
    result = rehearse(tmp_path, pg_dsn, files, rehearsal_dsn=rehearsal_server)
    assert [s["outcome"] for s in statements(result, "2_two_parts")] == ["ok", "ok", "ok", "ok"]
    assert result.details["outcome"] == "applies"
    # A SAVEPOINT in an implicit block is refused by PostgreSQL: the file goes as one query, as the runner sends it.
    result = rehearse(tmp_path / "sp", pg_dsn, {"2_sp.up.sql": "create table sp (id int);\nsavepoint a;\n"},
                      rehearsal_dsn=rehearsal_server)
    (st,) = statements(result, "2_sp")
    assert "sent as one query" in st["note"] and st["error"]["sqlstate"] == "25P01"


# -- the copy ----------------------------------------------------------------------------------------------------


SCHEMA = """
create extension if not exists citext;
create type mood as enum ('happy', 'sad');
create domain positive as int check (value > 0);
create table people (id int generated always as identity primary key, name citext not null, mood mood,
                     age positive, age_months int generated always as (age * 12) stored);
create table measurements (id bigint, at date not null, v numeric) partition by range (at);
create table measurements_2024 partition of measurements for values from ('2024-01-01') to ('2025-01-01');
create table measurements_2025 partition of measurements for values from ('2025-01-01') to ('2026-01-01');
create view happy_people as select id, name from people where mood = 'happy';
create materialized view moods as select mood, count(*) as n from people group by mood;
create function people_named(n text) returns setof people language sql stable as $$
  select * from people where name = n $$;
create function stamp() returns trigger language plpgsql as $$ begin new.name := new.name; return new; end $$;
create trigger people_stamp before insert on people for each row execute function stamp();
insert into people (name, mood, age) values ('Ada', 'happy', 36), ('Bob', 'sad', 41);
insert into measurements values (1, '2024-05-01', 1.5), (2, '2025-05-01', 2.5);
create sequence invoice_numbers start 1000;
select nextval('invoice_numbers'), nextval('invoice_numbers');
"""


def test_a_schema_with_extensions_types_partitions_views_and_functions(tmp_path: Path, pg_dsn: str,
                                                                       rehearsal_server: str, live: Any) -> None:
    live.execute(SCHEMA)
    files = {"2_more.up.sql": """
alter type mood add value 'meh';
insert into people (name, mood, age) values ('Cy', 'happy', 28);
select count(*) from people_named('ADA');
create table measurements_2026 partition of measurements for values from ('2026-01-01') to ('2027-01-01');
create or replace view happy_people as select id, name, age from people where mood = 'happy';
refresh materialized view moods;
insert into measurements values (3, '2026-02-01', 3.5);
do $$ begin if nextval('invoice_numbers') <> 1002 then raise exception 'sequence not copied'; end if; end $$;
do $$ begin if (select count(*) from people) <> 3 then raise exception 'rows not copied'; end if; end $$;
"""}
    result = rehearse(tmp_path, pg_dsn, files, rehearsal_dsn=rehearsal_server)
    assert result.details["outcome"] == "applies", [s for s in statements(result, "2_more")
                                                    if s["outcome"] != "ok"]
    copy = result.details["copy"]
    assert copy["missing_relations"] == [] and copy["missing_extensions"] == []
    copied = {t["table"]: t["rows"] for t in copy["tables_copied"]}
    assert copied["people"] == 2 and copied["measurements_2024"] == 1 and copied["schema_migrations"] == 1
    # The partition gets a rewrite-free brief lock; the new partition is new.
    assert not findings(result, "migration-fails")


def test_extensions_the_rehearsal_server_lacks(pg_dsn: str, pg_admin: Any) -> None:
    """On a real server: CREATE EXTENSION of an extension it does not have is skipped as a finding, and the
    objects that need it are missing from the copy, never a crash."""
    from preflight.rehearsal import restore
    from preflight.rehearsal.dump import LiveCopy

    restored = restore.Restored()
    script = ("SET transaction_timeout = 0;\n"
              "CREATE EXTENSION IF NOT EXISTS preflight_no_such_extension WITH SCHEMA public;\n"
              "COMMENT ON EXTENSION preflight_no_such_extension IS 'x';\n"
              "CREATE TABLE public.shapes (id int, g preflight_geometry);\n"
              "CREATE TABLE public.kept (id int);\n"
              "ALTER TABLE public.kept OWNER TO preflight_no_such_role;\n"
              "ALTER TABLE ONLY public.kept ALTER COLUMN id SET (preflight_option = 1);\n")
    restore.run_script(pg_admin, script, restored)
    assert [(p.kind, p.sqlstate) for p in restored.problems] == [
        ("extension", restored.problems[0].sqlstate), ("object", "42704"), ("role", "42704"), ("option", "22023")]
    live = LiveCopy(extensions={"preflight_no_such_extension": "1.0", "plpgsql": "1.0"},
                    relations={("public", "shapes", "r"), ("public", "kept", "r")})
    restore.compare(pg_admin, live, restored)
    assert restored.missing_extensions == ["preflight_no_such_extension"]
    assert restored.missing_relations == ["public.shapes"]
    assert restored.incomplete


def test_a_rehearsal_server_of_another_major_version_says_so_everywhere(tmp_path: Path, pg_dsn: str, live: Any,
                                                                        created: list[str]) -> None:
    """The default rehearsal server is an embedded PostgreSQL 18 started for the run: against the machine's
    PostgreSQL 15 (CI's second run) every result names both versions."""
    live_major = server_major(pg_dsn)
    if live_major < 17:
        # adminpack left PostgreSQL in 17: the rehearsal server cannot create it.
        live.execute("create extension adminpack")
    result = rehearse(tmp_path, pg_dsn, {"2_drop.up.sql": "drop table nothing_here;\n"}, rehearsal_dsn=None)
    assert result.details["rehearsal_server"]["kind"] == "embedded"
    assert result.details["rehearsal_server"]["major"] == 18
    assert result.details["live_server"]["major"] == live_major
    assert result.details["major_versions_differ"] is (live_major != 18)
    (fails,) = findings(result, "migration-fails")
    (m,) = result.details["migrations"]
    assert m["rehearsed_on"].startswith("PostgreSQL 18")
    if live_major != 18:
        assert "another major version" in m["rehearsed_on"]
        assert findings(result, "rehearsal-version")
        assert fails.message.endswith(f"[rehearsed on PostgreSQL {result.details['rehearsal_server']['version']}; "
                                      f"live is {result.details['live_server']['version']}]")
        assert f"(embedded; live {result.details['live_server']['version']})" in result.summary
    else:
        assert not findings(result, "rehearsal-version") and "rehearsed on" not in fails.message
    if live_major < 17:
        (missing,) = findings(result, "extension-missing")
        assert "adminpack" in missing.message and result.details["copy"]["missing_extensions"] == ["adminpack"]
    # The embedded server's database is its own; the server is gone with it.
    assert created == ["postgres"]


# -- safety ------------------------------------------------------------------------------------------------------


def test_the_live_database_is_only_read(tmp_path: Path, pg_dsn: str, rehearsal_server: str, live: Any) -> None:
    def state() -> Any:
        return live.execute("select (select count(*) from accounts), (select version from schema_migrations), "
                            "(select count(*) from information_schema.columns where table_name = 'accounts'), "
                            "(select sum(n_tup_ins + n_tup_upd + n_tup_del) from pg_stat_user_tables)").fetchone()

    live.execute("select pg_stat_force_next_flush()") if server_major(pg_dsn) >= 15 else None
    before = state()
    result = rehearse(tmp_path, pg_dsn, {"2_changes.up.sql": "alter table accounts add column extra int;\n"
                                                             "update accounts set extra = 1;\n"
                                                             "delete from teams;\n"},
                      rehearsal_dsn=rehearsal_server, small_table_rows=1000)
    assert result.details["outcome"] == "applies"
    assert state() == before


def test_the_rehearsal_needs_only_a_role_that_reads(tmp_path: Path, pg_dsn: str, pg_server: str,
                                                    rehearsal_server: str, live: Any) -> None:
    """The live side of a rehearsal (pg_dump, the small tables' rows, the probes, the sizes) as a role that can
    only read (pg_read_all_data, no write privilege on anything): it works, so it never needed to write."""
    import uuid

    from tests.conftest import dsn_for

    role = f"reader_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_server, autocommit=True) as admin:
        admin.execute(f"create role {role} login in role pg_read_all_data")
    try:
        reader = dsn_for(pg_dsn, live.info.dbname, user=role)
        with psycopg.connect(reader, autocommit=True) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("insert into teams values (99, 'x')")
        result = rehearse(tmp_path, reader,
                          {"2_plan.up.sql": "alter table accounts alter column plan set not null;\n"},
                          rehearsal_dsn=rehearsal_server, small_table_rows=10)
        assert probe(result, "set-not-null")["violating_rows"] == 66
        (st,) = statements(result, "2_plan")
        assert st["outcome"] == "ok" and st["scans"] == ["accounts"]
    finally:
        with psycopg.connect(pg_server, autocommit=True) as admin:
            admin.execute(f"drop role if exists {role}")


@pytest.mark.parametrize("where", ["the live database", "another database of the live cluster"])
def test_a_rehearsal_dsn_that_reaches_the_live_cluster_is_refused(where: str, cli: CliRun, tmp_path: Path,
                                                                  pg_dsn: str, pg_server: str, live: Any) -> None:
    """The rehearsal creates a database and roles on its server: pointed at production's own cluster, it would
    create them there. Refused with one line, before anything is created, in `preflight run` and `rehearse`."""
    from preflight.errors import ConfigError
    from tests.conftest import dsn_for

    target = pg_dsn if where == "the live database" else dsn_for(pg_server, "postgres")
    before = rehearsal_databases(pg_server)

    def roles() -> set[str]:
        with psycopg.connect(pg_server) as conn:
            return {r[0] for r in conn.execute("select rolname from pg_roles").fetchall()}

    roles_before = roles()
    assert "reporting_reader" not in roles_before
    (tmp_path / "grants").mkdir()
    with pytest.raises(ConfigError, match=r"is the live database's own cluster, or a physical copy or replica of it "
                                          r"\(system identifier \d+\)"):
        rehearse(tmp_path / "grants", pg_dsn, {"2_grant.up.sql": "grant select on accounts to reporting_reader;\n"},
                 rehearsal_dsn=target)
    write_config(tmp_path, f'[targets.database]\ndsn = "{pg_dsn}"\n[targets.migrations]\nsource = "migrations"\n'
                           f'tracking = "golang-migrate"\n[targets.rehearsal]\ndsn = "{target}"\n'
                           '[[check]]\nid = "rehearsal"\nuses = "migrations.rehearse"\n')
    (tmp_path / "migrations").mkdir()
    (tmp_path / "migrations" / "2_x.up.sql").write_text("alter table accounts add column x int;\n")
    table = cli("rehearse")
    assert table.exit_code == 2 and table.stdout == "", table.stdout + table.stderr
    (line,) = table.stderr.splitlines()
    assert line.startswith("preflight: error: [targets.rehearsal] dsn: ") and "own cluster" in line
    run = cli("run", "--format", "json")
    assert run.exit_code == 3, run.stdout + run.stderr
    (check,) = run.json["checks"]
    assert check["status"] == "error" and "own cluster" in check["summary"]
    assert rehearsal_databases(pg_server) == before
    # The role the migration grants to was not created (other tests, on the other worker, may create theirs).
    assert "reporting_reader" not in roles() - roles_before


def test_the_rehearsal_database_is_dropped_after_an_error(tmp_path: Path, pg_dsn: str, rehearsal_server: str, live: Any,
                                                          created: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from preflight.errors import ReaderError
    from preflight.rehearsal import session

    def broken(*args: Any, **kwargs: Any) -> None:
        raise ReaderError("the rehearsal broke down")

    monkeypatch.setattr(session, "_run_migrations", broken)
    with pytest.raises(ReaderError):
        rehearse(tmp_path, pg_dsn, {"2_x.up.sql": "select 1;\n"}, rehearsal_dsn=rehearsal_server)
    assert created and not exists(rehearsal_server, created[0])


def test_a_statement_past_the_rehearsals_statement_timeout_is_inconclusive(tmp_path: Path, pg_dsn: str,
                                                                            rehearsal_server: str, live: Any) -> None:
    """The rehearsal's own statement_timeout cuts a runaway statement: the copy could not tell, which is never a
    pass."""
    result = rehearse(tmp_path, pg_dsn, {"2_slow.up.sql": "select pg_sleep(30);\n"}, rehearsal_dsn=rehearsal_server,
                      statement_timeout=1)
    assert result.status == Status.ERROR, result.summary
    (finding,) = [f for f in result.findings if "statement_timeout" in f.message]
    assert "2_slow" in finding.message or finding.file == "2_slow.up.sql", finding


def test_a_statement_cut_by_the_checks_deadline_is_the_checks_timeout(tmp_path: Path, pg_dsn: str,
                                                                     rehearsal_server: str, live: Any) -> None:
    """When what is left of the check's time is shorter than the rehearsal's statement_timeout, the session is
    bounded by it; a statement it cuts means the check timed out, the same report as when the engine notices
    first (not a failure of the migration, nor an inconclusive one)."""
    from preflight.deadline import DeadlinePassed

    started = time.monotonic()
    with pytest.raises(DeadlinePassed, match="rehearsing 2_slow: stopped at the check's timeout"):
        rehearse(tmp_path, pg_dsn, {"2_slow.up.sql": "select pg_sleep(60);\n"}, rehearsal_dsn=rehearsal_server,
                 seconds=8)
    assert time.monotonic() - started < 30


def test_a_statement_cut_by_the_migrations_own_statement_timeout_is_not_the_checks_timeout(
        tmp_path: Path, pg_dsn: str, rehearsal_server: str, live: Any) -> None:
    """A migration that sets its own statement_timeout, cut by it long before the check's time is up: what the
    rehearsal saw is reported (never a pass), not a timeout of the check."""
    result = rehearse(tmp_path, pg_dsn, {"2_slow.up.sql": "SET statement_timeout = '1s';\nselect pg_sleep(30);\n"},
                      rehearsal_dsn=rehearsal_server, seconds=60)
    assert result.status in (Status.ERROR, Status.FAIL), result.summary
    assert "57014" in result.summary or any("statement_timeout" in f.message for f in result.findings), result


def _processes_naming(text: str) -> list[str]:
    """Command lines of the running processes that name ``text`` (a server's data directory)."""
    out = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if text in cmdline:
                out.append(cmdline)
    return out


@pytest.mark.parametrize("command", ["rehearse", "run"])
@pytest.mark.parametrize("signum", ["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("where", ["dsn", "embedded"])
def test_interrupted_rehearsal_leaves_nothing_behind(command: str, signum: str, where: str, tmp_path: Path,
                                                     pg_dsn: str, rehearsal_server: str, live: Any) -> None:
    """Ctrl-C or SIGTERM (a cancelled CI job) while a migration runs on the copy, in `preflight rehearse` or in
    the check's thread of `preflight run`: the command exits 130 or 143, and the rehearsal database (on the
    user's rehearsal server) or the embedded server started for the run (its processes, its directory) is gone."""
    import signal
    import subprocess
    import sys
    import tempfile
    import time
    import uuid

    token = uuid.uuid4().hex  # this test's own slow statement, not another test's
    (tmp_path / "migrations").mkdir()
    (tmp_path / "migrations" / "2_slow.up.sql").write_text(f"select pg_sleep(60), '{token}';\n")
    rehearsal_dsn = rehearsal_server if where == "dsn" else ""
    write_config(tmp_path, f'[targets.database]\ndsn = "{pg_dsn}"\n[targets.migrations]\nsource = "migrations"\n'
                           f'tracking = "golang-migrate"\n[targets.rehearsal]\ndsn = "{rehearsal_dsn}"\n'
                           '[[check]]\nid = "rehearsal"\nuses = "migrations.rehearse"\n')
    # A temporary directory of the run's own, to find the embedded server by its data directory. Under root the
    # server runs as an unprivileged user, who must be able to reach it.
    private = Path(tempfile.mkdtemp(prefix="rehearse-interrupted-"))
    private.chmod(0o755)
    proc = subprocess.Popen([sys.executable, "-m", "preflight", command], cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env={**os.environ, "TMPDIR": str(private)})
    try:
        server = rehearsal_server
        if where == "embedded":
            deadline = time.monotonic() + 60
            port = None
            while time.monotonic() < deadline and port is None:
                port = next((m.group(1) for c in _processes_naming(str(private))
                             if (m := re.search(r"postgres .*-p (\d+)", c))), None)
                time.sleep(0.1)
            assert port is not None, "the embedded rehearsal server never started"
            server = f"postgresql://postgres@127.0.0.1:{port}/postgres"
        found: list[str] = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not found:
            try:
                with psycopg.connect(server, autocommit=True) as conn:
                    found = [r[0] for r in conn.execute(
                        "select datname from pg_stat_activity where query like %s",
                        (f"select pg_sleep(60), '{token}'%",)).fetchall()]
            except psycopg.OperationalError:
                pass  # the embedded server is still starting
            time.sleep(0.1)
        assert found, "the rehearsal never reached the slow migration"
        proc.send_signal(getattr(signal, signum))
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 128 + getattr(signal, signum), err
        assert err.decode().splitlines()[-1] == f"preflight: interrupted ({signum})", err
        if where == "dsn":
            assert found[0].startswith("preflight_rehearsal_")
            assert not exists(rehearsal_server, found[0])
        else:
            assert found[0] == "postgres"
            assert _processes_naming(str(private)) == []
            assert not [p.name for p in private.iterdir() if p.name.startswith("preflight-pg-")]
        assert list(private.iterdir()) == [], "temporary files left behind"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        shutil.rmtree(private, ignore_errors=True)


@pytest.mark.parametrize("where", ["dsn", "embedded"])
def test_a_rehearsal_abandoned_at_its_timeout_leaves_nothing_behind(where: str, tmp_path: Path, pg_dsn: str,
                                                                    rehearsal_server: str, live: Any) -> None:
    """`preflight run` reports a check that outlives its timeout as an error and moves on; the rehearsal still
    running in its thread is removed when preflight exits: its database (the slow statement ended with it) or
    its embedded server."""
    import subprocess
    import sys
    import tempfile
    import uuid

    token = uuid.uuid4().hex
    (tmp_path / "migrations").mkdir()
    (tmp_path / "migrations" / "2_slow.up.sql").write_text(f"select pg_sleep(120), '{token}';\n")
    rehearsal_dsn = rehearsal_server if where == "dsn" else ""
    write_config(tmp_path, f'[targets.database]\ndsn = "{pg_dsn}"\n[targets.migrations]\nsource = "migrations"\n'
                           f'tracking = "golang-migrate"\n[targets.rehearsal]\ndsn = "{rehearsal_dsn}"\n'
                           '[[check]]\nid = "rehearsal"\nuses = "migrations.rehearse"\ntimeout = "15s"\n')
    private = Path(tempfile.mkdtemp(prefix="rehearse-abandoned-"))
    private.chmod(0o755)
    try:
        before = rehearsal_databases(rehearsal_server)
        done = subprocess.run([sys.executable, "-m", "preflight", "run", "--format", "json"], cwd=tmp_path,
                              capture_output=True, text=True, timeout=120, env={**os.environ, "TMPDIR": str(private)})
        assert done.returncode == 3, done.stdout + done.stderr
        (check,) = json.loads(done.stdout)["checks"]
        assert check["status"] == "error" and "15s" in check["summary"], check["summary"]
        # The server may still be finishing the DROP that preflight issued on its way out.
        for _ in range(50):
            if rehearsal_databases(rehearsal_server) == before:
                break
            time.sleep(0.2)
        assert rehearsal_databases(rehearsal_server) == before
        with psycopg.connect(rehearsal_server) as conn:
            assert conn.execute("select count(*) from pg_stat_activity where query like %s",
                                (f"select pg_sleep(120), '{token}'%",)).fetchone() == (0,)
        assert _processes_naming(str(private)) == [] and list(private.iterdir()) == []
    finally:
        shutil.rmtree(private, ignore_errors=True)



_CLOSE_IN_A_THREAD_THEN_EXIT = """
import sys, threading, time
from preflight.rehearsal.server import DatabaseShape, RehearsalServer
from preflight.rehearsal.target import RehearsalTarget

server = RehearsalServer(RehearsalTarget(dsn=sys.argv[1])).start()
print(server.create_database(DatabaseShape()), flush=True)
drop = RehearsalServer._drop

def slow_drop(self, conn, database):
    time.sleep(1)  # the abandoned check's thread is still on its way to the DROP when the run ends
    drop(self, conn, database)

RehearsalServer._drop = slow_drop
threading.Thread(target=server.close, daemon=True).start()
time.sleep(0.2)
sys.exit(3)
"""


def test_a_close_under_way_in_a_check_thread_finishes_before_preflight_exits(rehearsal_server: str) -> None:
    """A check abandoned at its timeout closes its rehearsal in its own thread, while the run reports and exits:
    the exit waits for that close rather than end the interpreter before the DROP is sent."""
    import subprocess
    import sys

    before = rehearsal_databases(rehearsal_server)
    done = subprocess.run([sys.executable, "-c", _CLOSE_IN_A_THREAD_THEN_EXIT, rehearsal_server],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 3, done.stderr
    name = done.stdout.strip()
    assert name.startswith(server_module.DATABASE_PREFIX), done.stdout
    assert not exists(rehearsal_server, name)
    assert rehearsal_databases(rehearsal_server) == before

def test_the_password_goes_through_the_environment() -> None:
    from preflight.rehearsal.dump import _connection_string
    from preflight.targets import DatabaseTarget

    class Db:
        dsn = "postgresql://app:s3cr3t-pw@db.internal:5432/app?sslmode=require"
        target = DatabaseTarget(dsn=dsn)

    text = _connection_string(Db(), "-c default_transaction_read_only=on")  # type: ignore[arg-type]
    assert "s3cr3t" not in text and "host=db.internal" in text and "sslmode=require" in text
    assert "default_transaction_read_only=on" in text


# -- reports -----------------------------------------------------------------------------------------------------


def test_preflight_run_json_is_deterministic_and_preflight_rehearse_prints_the_table(
        cli: CliRun, tmp_path: Path, pg_dsn: str, rehearsal_server: str, live: Any) -> None:
    (tmp_path / "migrations").mkdir()
    (tmp_path / "migrations" / "2_plan.up.sql").write_text(
        "alter table accounts add column nickname text;\nalter table accounts alter column plan set not null;\n")
    write_config(tmp_path, f'[targets.database]\ndsn = "{pg_dsn}"\n[targets.migrations]\nsource = "migrations"\n'
                           f'tracking = "golang-migrate"\n[targets.rehearsal]\ndsn = "{rehearsal_server}"\n'
                           '[[check]]\nid = "rehearsal"\nuses = "migrations.rehearse"\nsmall_table_rows = 10\n')
    first = cli("run", "--format", "json")
    second = cli("run", "--format", "json")
    assert first.exit_code == 1, first.stdout + first.stderr
    validate_report(first.json)

    def strip(text: str) -> str:
        return re.sub(r'"duration_ms": \d+', '"duration_ms": 0', text)

    assert strip(first.stdout) == strip(second.stdout)
    (check,) = first.json["checks"]
    assert check["details"]["migrations"][0]["statements"][1]["statement"] == \
        "alter table accounts alter column plan set not null"
    text_a, text_b = cli("run"), cli("run")
    assert text_a.stdout == text_b.stdout and "FAIL" in text_a.stdout

    table = cli("rehearse")
    assert table.exit_code == 1, table.stdout + table.stderr
    out = table.stdout
    assert "2_plan  [APPLIES]  as one multi-statement query: one implicit transaction" in out
    assert re.search(r"1:1 +alter table accounts add column nickname te… +ok +\* ACCESS EXCLUSIVE accounts ", out)
    assert re.search(r"2:1 +alter table accounts alter column plan set … +ok +\* ACCESS EXCLUSIVE accounts \(held\) "
                     r"+accounts scanned", out)
    assert re.search(r"VIOLATED +2_plan:2 +no NULL in accounts.plan: 66 rows violate it; sample keys: id=3", out)
    assert re.search(r"\d+\.\d ms", out)
    as_json = cli("rehearse", "--format", "json")
    doc = json.loads(as_json.stdout)
    assert doc["status"] == "fail" and doc["details"]["preconditions"][0]["violating_rows"] == 66


def test_a_rehearsal_server_without_superuser_powers(tmp_path: Path, pg_dsn: str, rehearsal_server: str, live: Any,
                                                     created: list[str]) -> None:
    """A rehearsal role that may create databases but not roles or untrusted extensions: the placeholders and the
    extension are findings, and a migration that fails on what the copy lacks is inconclusive, not a failure."""
    import uuid

    from tests.conftest import dsn_for

    role = f"rehearser_{uuid.uuid4().hex[:8]}"
    owner = f"app_owner_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(rehearsal_server, autocommit=True) as admin:
        admin.execute(f"create role {role} login createdb")
        admin.execute(f"create role {owner} nologin")
    live.execute(f"create role {owner} nologin")
    try:
        live.execute("create extension pageinspect")
        live.execute(f"alter table teams owner to {owner}")
        server = dsn_for(rehearsal_server, "postgres", user=role)
        result = rehearse(tmp_path, pg_dsn, {"2_inspect.up.sql": "select page_header(get_raw_page('teams', 0));\n"},
                          rehearsal_dsn=server)
        (missing,) = findings(result, "extension-missing")
        assert "pageinspect" in missing.message
        (roles,) = findings(result, "roles-missing")
        # The owner exists on the rehearsal server too, but the rehearsal role may not act as it.
        assert re.search(r"\d+ ownership or privilege statements skipped", roles.message), roles.message
        (inconclusive,) = findings(result, "rehearsal-inconclusive")
        assert inconclusive.severity is Severity.ERROR and "42883" in inconclusive.message
        assert not findings(result, "migration-fails")
        assert result.status is Status.ERROR
        assert created and not exists(rehearsal_server, created[0])
    finally:
        with psycopg.connect(rehearsal_server, autocommit=True) as admin:
            admin.execute(f"drop role if exists {role}")
            live.execute("alter table teams owner to current_user")
            live.execute(f"drop role if exists {owner}")
            admin.execute(f"drop role if exists {owner}")


def test_an_embedded_server_without_the_live_locale_says_so() -> None:
    from preflight.rehearsal.server import DatabaseShape, RehearsalServer

    server = RehearsalServer(None)
    try:
        server.start(DatabaseShape("UTF8", "xx_NOWHERE.UTF-8", "xx_NOWHERE.UTF-8"))
        assert server.major >= 17
        (note,) = server.notes
        assert "cannot use the live database's locale 'xx_NOWHERE.UTF-8'" in note
        assert server.create_database(DatabaseShape()) == "postgres"
    finally:
        server.close()
    assert server.embedded is None


def test_pg_dump_must_be_at_least_as_new_as_the_live_server(tmp_path: Path, pg_dsn: str, rehearsal_server: str,
                                                            live: Any, cli: CliRun) -> None:
    """The machine's pg_dump 15 dumps a live 15 and refuses a live 18: the check says which client to use."""
    import shutil

    from preflight.errors import ReaderError
    from preflight.rehearsal.dump import find_tools

    system = shutil.which("pg_dump", path="/usr/bin")
    assert system, "the machine's PostgreSQL client is part of the test environment"
    tools = find_tools(system)
    files = {"2_col.up.sql": "alter table accounts add column extra int;\n"}
    if tools.major >= server_major(pg_dsn):
        result = rehearse(tmp_path, pg_dsn, files, rehearsal_dsn=rehearsal_server, pg_dump=system)
        assert result.details["copy"]["pg_dump"] == tools.label and result.details["outcome"] == "applies"
    else:
        with pytest.raises(ReaderError, match=rf"is version {tools.major}, older than the live server"):
            rehearse(tmp_path, pg_dsn, files, rehearsal_dsn=rehearsal_server, pg_dump=system)
    # A pg_dump that is not there: one line, exit 3 (could not decide).
    (tmp_path / "cli" / "migrations").mkdir(parents=True)
    (tmp_path / "cli" / "migrations" / "2_col.up.sql").write_text(files["2_col.up.sql"])
    write_config(tmp_path / "cli", f'[targets.database]\ndsn = "{pg_dsn}"\n[targets.migrations]\n'
                                   'source = "migrations"\ntracking = "golang-migrate"\n[targets.rehearsal]\n'
                                   'pg_dump = "/nonexistent/pg_dump"\n')
    out = cli("rehearse", "--config", str(tmp_path / "cli" / "preflight.toml"))
    assert out.exit_code == 3
    assert out.stderr == "preflight: error: [targets.rehearsal] pg_dump: no such file: /nonexistent/pg_dump\n"


def test_flyway_on_a_partitioned_table(tmp_path: Path, pg_dsn: str, rehearsal_server: str, live: Any) -> None:
    """Flyway runs a file of CREATE INDEX CONCURRENTLY without a transaction; SET NOT NULL on a partitioned table
    scans its partitions under the parent's lock: one finding for the parent, sized by its partitions, and the
    lint's prediction (a scan of orders) holds, through its partitions."""
    live.execute("""
        create table orders (id bigint, placed_at date not null, total numeric) partition by range (placed_at);
        create table orders_2024 partition of orders for values from ('2024-01-01') to ('2025-01-01');
        create table orders_2025 partition of orders for values from ('2025-01-01') to ('2026-01-01');
        insert into orders select g, date '2024-01-01' + (g % 600), case when g % 50 = 0 then null else g end
          from generate_series(1, 3000) g;
        analyze;
        create table flyway_schema_history (installed_rank int not null primary key, version varchar(50),
          description varchar(200) not null, type varchar(20) not null, script varchar(1000) not null,
          checksum int, installed_by varchar(100) not null, installed_on timestamp not null default now(),
          execution_time int not null, success boolean not null);
        insert into flyway_schema_history values (1, '1', 'init', 'SQL', 'V1__init.sql', null, 'me', now(), 1, true);
    """)
    files = {"V1__init.sql": "select 1;\n",
             "V2__idx.sql": "create index concurrently if not exists orders_2024_total on orders_2024 (total);\n",
             "V3__notnull.sql": "alter table orders alter column total set not null;\n"}
    result = rehearse(tmp_path, pg_dsn, files, rehearsal_dsn=rehearsal_server, tracking="flyway", small_table_rows=10,
                      lock_size="16kB")
    (idx,) = statements(result, "V2__idx")
    assert idx["outcome"] == "ok" and idx["locks_observed"] is False
    (m2,) = [m for m in result.details["migrations"] if m["name"] == "V2__idx"]
    assert m2["transaction"] == "none"
    (st,) = statements(result, "V3__notnull")
    assert st["scans"] == ["orders_2024", "orders_2025"]
    (f,) = findings(result, "lock-on-live-table")
    assert f.message.startswith("ACCESS EXCLUSIVE on orders (3,000 rows")
    assert "orders_2024 scanned" in f.message and "orders_2025 scanned" in f.message
    assert not findings(result, "lint-disagrees")
    p = probe(result, "set-not-null")
    assert p["violating_rows"] == 60
    assert all(re.fullmatch(r"partition=orders_202[45], ctid=\(\d+,\d+\)", k) for k in p["sample_keys"])


def test_a_failure_on_copied_rows_does_not_show_their_values(tmp_path: Path, pg_dsn: str, rehearsal_server: str,
                                                             live: Any) -> None:
    """The copy holds the small tables' live rows: a data error quotes the value it failed on, redacted."""
    live.execute("create table codes (id int primary key, code text)")
    live.execute("insert into codes values (1, '10'), (2, 'x30')")
    files = {"2_codes.up.sql": "alter table codes alter column code type integer using code::integer;\n"}
    result = rehearse(tmp_path, pg_dsn, files, rehearsal_dsn=rehearsal_server)
    (fails,) = findings(result, "migration-fails")
    assert fails.data["sqlstate"] == "22P02"
    assert '"<redacted>"' in fails.message and "x30" not in fails.message + result.summary
    assert "x30" not in json.dumps(result.details)
    shown = rehearse(tmp_path, pg_dsn, files, rehearsal_dsn=rehearsal_server, show_values=True)
    assert '"x30"' in findings(shown, "migration-fails")[0].message
