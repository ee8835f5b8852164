"""migrations.lint follows objects through the pending migrations, run as a user runs it (``preflight run``),
against a real PostgreSQL: renames, ``SET SCHEMA``, creates and drops of tables, types, domains, schemas,
sequences, views, functions and extensions, in run order; statements guarded inside ``DO`` blocks.

Each verdict that names a table's rows comes from the database; the examples are issue 17's."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import CliRun, Outcome, lint_pending

WOULD_FAIL = "the statement would fail"


pytestmark = pytest.mark.usefixtures("own_lint_cache")


@pytest.fixture
def notes(pg_admin: Any) -> Any:
    """legacy_notes: 20,000 rows; an enum in use by a populated table; a schema with a populated table."""
    pg_admin.execute("create table legacy_notes (id bigint primary key, body text, author text)")
    pg_admin.execute("insert into legacy_notes select g, 'b' || g, 'a' || g from generate_series(1, 20000) g")
    pg_admin.execute("create type build_reason as enum ('initiator', 'autostart')")
    pg_admin.execute("create table builds (id int, reason build_reason not null default 'initiator')")
    pg_admin.execute("insert into builds select g, 'initiator' from generate_series(1, 300) g")
    pg_admin.execute("create schema ledger")
    pg_admin.execute("create table ledger.entries (id int)")
    pg_admin.execute("insert into ledger.entries select generate_series(1, 50)")
    pg_admin.execute("analyze")
    return pg_admin


def run(cli: CliRun, tmp_path: Path, dsn: str, files: Mapping[str, str]) -> tuple[Outcome, list[dict[str, Any]]]:
    return lint_pending(cli, tmp_path, dsn, files)


def finding(findings: list[dict[str, Any]], rule: str, text: str = "") -> dict[str, Any]:
    found = [f for f in findings if f["rule"] == rule and text in f["data"].get("statement", "") + f["message"]]
    assert len(found) == 1, [(f["rule"], f["message"]) for f in findings]
    return found[0]


def test_a_drop_after_a_rename_blocks_like_the_drop_itself(cli: CliRun, tmp_path: Path, pg_dsn: str,
                                                          notes: Any) -> None:
    # The first example: in one migration, then split over two.
    out, findings = run(cli, tmp_path, pg_dsn, {"1_notes.up.sql": "ALTER TABLE legacy_notes RENAME TO notes;\n"
                                                                  "ALTER TABLE notes DROP COLUMN body;\n"})
    dropped = finding(findings, "ban-drop-column")
    assert dropped["severity"] == "failure" and out.exit_code == 1 and out.json["verdict"] == "fail"
    assert dropped["data"]["rows"] == 20000 and dropped["data"]["relation"] == "legacy_notes"
    assert "notes is legacy_notes in the database, renamed by an earlier statement of this migration" \
        in dropped["message"]
    assert not [f for f in findings if WOULD_FAIL in f["message"]]

    out, findings = run(cli, tmp_path / "split", pg_dsn, {
        "1_rename.up.sql": "ALTER TABLE legacy_notes RENAME TO notes;\n",
        "2_move.up.sql": "ALTER TABLE notes SET SCHEMA ledger;\n",
        "3_drop.up.sql": "ALTER TABLE ledger.notes DROP COLUMN body;\nDROP TABLE ledger.notes;\n"})
    column = finding(findings, "ban-drop-column")
    assert column["severity"] == "failure" and column["data"]["rows"] == 20000
    assert "renamed by earlier pending migration 2_move" in column["message"]
    table = finding(findings, "ban-drop-table")
    assert table["severity"] == "failure" and table["data"]["rows"] == 20000 and out.exit_code == 1


def test_a_name_renamed_or_dropped_away_would_fail(cli: CliRun, tmp_path: Path, pg_dsn: str, notes: Any) -> None:
    _, findings = run(cli, tmp_path, pg_dsn, {
        "1_move.up.sql": "ALTER TABLE legacy_notes SET SCHEMA ledger;\n",
        "2_old_name.up.sql": "ALTER TABLE legacy_notes DROP COLUMN author;\n",
        "3_schema.up.sql": "ALTER SCHEMA ledger RENAME TO books;\nDELETE FROM ledger.entries;\n"
                           "TRUNCATE books.entries;\n"})
    old = finding(findings, "ban-drop-column")
    assert old["severity"] == "warning"
    assert ("legacy_notes does not exist when the statement runs: earlier pending migration 1_move renames it to "
            "ledger.legacy_notes: the statement would fail") in old["message"]
    gone = finding(findings, "delete-without-where")
    assert gone["severity"] == "warning"
    assert "renames its schema ledger to books: the statement would fail" in gone["message"]
    # ... and under its new schema's name, the table is the database's, rows and all.
    moved = finding(findings, "ban-truncate")
    assert moved["severity"] == "failure" and moved["data"]["rows"] == 50


def test_objects_created_by_earlier_pending_sql_are_new(cli: CliRun, tmp_path: Path, pg_dsn: str,
                                                       notes: Any) -> None:
    # The second example, and the other kinds it names.
    out, findings = run(cli, tmp_path, pg_dsn, {
        "1_create.up.sql": ("CREATE TYPE mood AS ENUM ('ok', 'sad');\n"
                            "CREATE DOMAIN short_text AS text CHECK (length(VALUE) < 10);\n"
                            "CREATE SCHEMA staging;\n"
                            "CREATE SEQUENCE ticket_numbers;\n"
                            "CREATE VIEW recent_notes AS SELECT id FROM legacy_notes;\n"
                            "CREATE FUNCTION note_count() RETURNS bigint LANGUAGE sql AS 'select 1';\n"
                            "CREATE EXTENSION IF NOT EXISTS pg_trgm;\n"),
        "2_drop.up.sql": ("SET lock_timeout = '2s';\n"
                          "DROP TYPE mood;\nDROP DOMAIN short_text;\nDROP SCHEMA staging;\n"
                          "DROP SEQUENCE ticket_numbers;\nDROP VIEW recent_notes;\nDROP FUNCTION note_count();\n"
                          "DROP EXTENSION pg_trgm;\n"),
        "3_again.up.sql": "CREATE TYPE mood AS ENUM ('ok');\nDROP TYPE mood;\nDROP TYPE mood;\n",
    })
    assert not [f for f in findings if WOULD_FAIL in f["message"] and f["migration"] != "3_again"], findings
    mood = finding(findings, "ban-drop-type", "DROP TYPE mood fails while columns use it, and breaks code that "
                                              "uses the type: it does not exist yet")
    assert mood["severity"] == "info" and mood["migration"] == "2_drop"
    assert mood["data"]["earlier_migration"] == "1_create"
    assert finding(findings, "ban-drop-schema")["severity"] == "info"
    assert finding(findings, "ban-drop-type", "short_text")["severity"] == "info"
    # In one migration: created, dropped, then dropped again, which fails.
    again = [f for f in findings if f["rule"] == "ban-drop-type" and f["migration"] == "3_again"]
    assert [f["severity"] for f in again] == ["info", "warning"]
    assert "created earlier in this migration" in again[0]["message"]
    assert ("mood does not exist when the statement runs: an earlier statement of this migration drops it: "
            f"{WOULD_FAIL}") in again[1]["message"]
    assert out.exit_code == 0


def test_statements_guarded_in_a_do_block_are_not_failures(cli: CliRun, tmp_path: Path, pg_dsn: str,
                                                          notes: Any) -> None:
    # The third example, and a handler that catches the error.
    out, findings = run(cli, tmp_path, pg_dsn, {
        "1_guarded.up.sql": ("DO $$\nBEGIN\n  IF EXISTS (SELECT 1 FROM pg_views WHERE viewname = 'v') THEN\n"
                             "    DROP VIEW v;\n  END IF;\nEND $$;\n"),
        "2_caught.up.sql": ("DO $$\nBEGIN\n  DROP TABLE ghost_table;\nEXCEPTION WHEN undefined_table THEN\n"
                            "  RAISE NOTICE 'nothing to drop';\nEND $$;\n"),
        "3_unguarded.up.sql": "DO $$\nBEGIN\n  DROP TABLE ghost_table;\nEND $$;\n",
    })
    guarded = finding(findings, "require-lock-timeout", "DROP VIEW v")
    assert guarded["severity"] == "info" and WOULD_FAIL not in guarded["message"]
    assert "the statement is guarded: it runs only when an IF condition of its DO block holds" in guarded["message"]
    caught = [f for f in findings if f["rule"] == "ban-drop-table" and f["migration"] == "2_caught"][0]
    assert caught["severity"] == "info"
    assert "guarded: an EXCEPTION handler of its DO block catches its errors" in caught["message"]
    unguarded = [f for f in findings if f["rule"] == "ban-drop-table" and f["migration"] == "3_unguarded"][0]
    assert unguarded["severity"] == "warning" and WOULD_FAIL in unguarded["message"]
    assert out.exit_code == 0


def test_replacing_an_enum_drops_a_type_no_column_uses(cli: CliRun, tmp_path: Path, pg_dsn: str,
                                                      notes: Any) -> None:
    swap = ("ALTER TYPE build_reason RENAME TO build_reason_old;\n"
            "CREATE TYPE build_reason AS ENUM ('initiator', 'autostart', 'dormancy');\n"
            "ALTER TABLE builds ALTER COLUMN reason DROP DEFAULT;\n"
            "ALTER TABLE builds ALTER COLUMN reason TYPE build_reason USING (reason::text::build_reason);\n"
            "DROP TYPE build_reason_old;\n")
    _, findings = run(cli, tmp_path, pg_dsn, {"1_swap.up.sql": swap})
    dropped = finding(findings, "ban-drop-type")
    assert dropped["severity"] == "warning"
    assert ("no column uses build_reason_old any more when the statement runs: an earlier statement of this "
            "migration changes the type of builds.reason") in dropped["message"]
    # Without the column's change, the old type is still in use by 300 rows: the drop blocks.
    _, findings = run(cli, tmp_path / "kept", pg_dsn, {"1_swap.up.sql": swap.replace(
        "ALTER TABLE builds ALTER COLUMN reason TYPE build_reason USING (reason::text::build_reason);\n", "")})
    kept = finding(findings, "ban-drop-type")
    assert kept["severity"] == "failure" and "used by builds.reason" in kept["message"]
    assert "build_reason_old is build_reason in the database" in kept["message"]
