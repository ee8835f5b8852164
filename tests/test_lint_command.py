"""`preflight lint FILE...`: no config, no database; runner-aware with --tracking; the report formats."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.helpers import CliRun, validate_report

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def failures(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if ": failure " in line]


def test_lints_plain_files_without_config_or_database(cli: CliRun, tmp_path: Path) -> None:
    (tmp_path / "001_ok.sql").write_text("CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);\n")
    (tmp_path / "002_drop.sql").write_text("-- cleanup\n\nDROP TABLE legacy;\n")
    ok = cli("lint", "001_ok.sql")
    assert ok.exit_code == 0, ok.stdout + ok.stderr
    assert not failures(ok.stdout)
    bad = cli("lint", "001_ok.sql", "002_drop.sql")
    assert bad.exit_code == 1
    (line,) = failures(bad.stdout)
    assert line.startswith("002_drop.sql:3:1: failure ban-drop-table: ")


def test_suppression_in_the_file_acknowledges_a_failure(cli: CliRun, tmp_path: Path) -> None:
    (tmp_path / "x.sql").write_text("-- preflight: ignore ban-drop-table legacy is empty since 2023 (OPS-1)\n"
                                    "DROP TABLE legacy;\n")
    out = cli("lint", "x.sql")
    assert out.exit_code == 0, out.stdout
    assert "acknowledged" in out.stdout and "OPS-1" in out.stdout


def test_tracking_reads_only_the_up_section_with_the_files_transaction_mode(cli: CliRun) -> None:
    files = sorted(str(p) for p in (EXAMPLES / "goose" / "migrations").glob("*.sql"))
    # As plain SQL, goose files are wrong twice: the Down section's DROP TABLE counts, and CONCURRENTLY looks
    # like it runs inside a transaction.
    plain = cli("lint", *files)
    assert plain.exit_code == 1
    rules = {line.split()[2].rstrip(":") for line in failures(plain.stdout)}
    assert rules == {"ban-drop-table", "ban-drop-column", "cannot-run-in-transaction"}
    # As goose runs them: the up sections only, and NO TRANSACTION honoured.
    goose = cli("lint", "--tracking", "goose", *files)
    assert goose.exit_code == 0, goose.stdout
    assert not failures(goose.stdout)


def test_tracking_reports_the_files_own_line_numbers(cli: CliRun, tmp_path: Path) -> None:
    (tmp_path / "00042_drop_legacy.sql").write_text(
        "-- +goose NO TRANSACTION\n\n-- +goose Up\n-- the contract phase\nDROP TABLE legacy;\n\n"
        "-- +goose Down\nCREATE TABLE legacy (id bigint);\n")
    out = cli("lint", "--tracking", "goose", "00042_drop_legacy.sql")
    assert out.exit_code == 1
    (line,) = failures(out.stdout)
    assert line.startswith("00042_drop_legacy.sql:5:1: failure ban-drop-table: ")


def test_tracking_finds_concurrently_inside_a_runner_transaction(cli: CliRun, tmp_path: Path) -> None:
    (tmp_path / "20240101000000_idx.sql").write_text(
        "-- migrate:up\nCREATE INDEX CONCURRENTLY accounts_plan_idx ON accounts (plan);\n\n"
        "-- migrate:down\nDROP INDEX accounts_plan_idx;\n")
    out = cli("lint", "--tracking", "dbmate", "20240101000000_idx.sql")
    assert out.exit_code == 1
    (line,) = failures(out.stdout)
    assert line.startswith("20240101000000_idx.sql:2:1: failure cannot-run-in-transaction")


def test_tracking_skips_what_the_runner_does_not_run_forward(cli: CliRun, tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES / "golang-migrate" / "db" / "migrations", tmp_path / "m")
    files = sorted(str(p.relative_to(tmp_path)) for p in (tmp_path / "m").iterdir())
    assert any(f.endswith(".down.sql") for f in files)
    out = cli("lint", "--tracking", "golang-migrate", *files)
    assert out.exit_code == 0, out.stdout
    assert ".down.sql" not in out.stdout
    plain = cli("lint", *files)
    assert plain.exit_code == 1  # the down files' DROPs, read as plain SQL


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_report_formats(cli: CliRun, tmp_path: Path, fmt: str) -> None:
    (tmp_path / "002_drop.sql").write_text("DROP TABLE legacy;\n")
    out = cli("lint", "--format", fmt, "002_drop.sql")
    assert out.exit_code == 1
    doc = json.loads(out.stdout)
    if fmt == "json":
        validate_report(doc)
        (check,) = doc["checks"]
        assert check["status"] == "fail"
        (finding,) = [f for f in check["findings"] if f["severity"] == "failure"]
        assert finding["rule"] == "ban-drop-table"
        assert finding["location"] == {"file": "002_drop.sql", "line": 1, "column": 1}
    else:
        results = doc["runs"][0]["results"]
        assert any(r["ruleId"] == "ban-drop-table" for r in results)


def test_bad_input_is_one_line(cli: CliRun, tmp_path: Path) -> None:
    missing = cli("lint", "nope.sql")
    assert missing.exit_code == 2 and missing.stderr == "preflight: error: nope.sql: no such file\n"
    (tmp_path / "x.sql").write_text("select 1;\n")
    unknown = cli("lint", "--exclude", "no-such-rule", "x.sql")
    assert unknown.exit_code == 2
    assert unknown.stderr.count("\n") == 1 and "no-such-rule" in unknown.stderr
    assert cli("lint").exit_code == 2


def plain_ordered(directory: Path) -> None:
    directory.mkdir()
    (directory / "0001-create.sql").write_text("CREATE TABLE accounts (id bigint PRIMARY KEY);\n")
    (directory / "0002-drop.sql").write_text("DROP TABLE legacy;\n")
    (directory / "README.md").write_text("# how we migrate\n")


def test_filename_runner_runs_plain_ordered_files(cli: CliRun, tmp_path: Path) -> None:
    plain_ordered(tmp_path / "m")
    for args in (["m"], ["m/0001-create.sql", "m/0002-drop.sql"]):
        out = cli("lint", "--tracking", "filename", *args)
        assert out.exit_code == 1, out.stderr
        (line,) = failures(out.stdout)
        assert line.startswith("m/0002-drop.sql:1:1: failure ban-drop-table: ")
        assert "skipped" not in out.stderr
    # Beside *.up.sql files, a plain .sql file is not a migration of this runner: said, and not linted.
    (tmp_path / "m" / "0003_index.up.sql").write_text("SELECT 1;\n")
    out = cli("lint", "--tracking", "filename", "m")
    assert out.exit_code == 0 and out.stdout == ""
    assert out.stderr.splitlines()[:2] == [
        f"m/{name}: skipped: filename does not run it: it runs files named NAME.up.sql (103_drop_legacy.up.sql), "
        "or NAME.sql (0001-create.sql) in a directory with no .up.sql file; .down.sql files roll back"
        for name in ("0001-create.sql", "0002-drop.sql")]


def test_a_lint_that_lints_nothing_says_so_and_exits_2(cli: CliRun, tmp_path: Path) -> None:
    plain_ordered(tmp_path / "m")
    out = cli("lint", "--tracking", "golang-migrate", "m/0001-create.sql")
    assert out.exit_code == 2 and out.stdout == ""
    assert out.stderr.splitlines() == [
        "m/0001-create.sql: skipped: golang-migrate does not run it: it runs files named VERSION_TITLE.up.sql "
        "(001_create_users.up.sql; .down.sql files roll back)",
        "preflight: error: nothing linted: golang-migrate runs none of m/0001-create.sql: it runs files named "
        "VERSION_TITLE.up.sql (001_create_users.up.sql; .down.sql files roll back); without --tracking, every "
        "file is linted as plain SQL"]
    whole = cli("lint", "--tracking", "goose", "m")
    assert whole.exit_code == 2 and "nothing linted: goose runs none of the files in m: it runs files named" \
        in whole.stderr
    (tmp_path / "empty").mkdir()
    empty = cli("lint", "empty")
    assert empty.exit_code == 2
    assert empty.stderr == "preflight: error: nothing linted: empty is a directory with no .sql file in it\n"


def test_lint_a_directory(cli: CliRun, tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES / "golang-migrate" / "db" / "migrations", tmp_path / "m")
    ups = sorted(str(p.relative_to(tmp_path)) for p in (tmp_path / "m").glob("*.up.sql"))
    # With the runner: the files it runs, as it runs them, the same as naming them one by one.
    by_dir = cli("lint", "--tracking", "golang-migrate", "--format", "json", "m")
    by_file = cli("lint", "--tracking", "golang-migrate", "--format", "json", *ups)
    assert by_dir.exit_code == by_file.exit_code == 0
    assert by_dir.json["checks"][0]["findings"] == by_file.json["checks"][0]["findings"]
    assert by_dir.json["checks"][0]["summary"] == f"{len(ups)} files lint clean"
    # As plain SQL: every .sql file in it, the down files' DROPs too.
    plain = cli("lint", "m")
    assert plain.exit_code == 1
    failing = {line.split(":")[0] for line in failures(plain.stdout)}
    assert failing and all(f.startswith("m/") and f.endswith(".down.sql") for f in failing)


def test_lint_text_counts_information_per_rule(cli: CliRun, tmp_path: Path) -> None:
    (tmp_path / "x.sql").write_text("CREATE TABLE a (id int);\nDROP TABLE b;\n")
    out = cli("lint", "x.sql")
    assert out.exit_code == 1
    assert [line.split()[2] for line in out.stdout.splitlines()] == ["ban-drop-table:", "require-lock-timeout:"]
    assert out.stderr == ("preflight: 2 info findings not shown (1 prefer-bigint-over-int, "
                          "1 require-statement-timeout; -v shows them)\n")
    verbose = cli("lint", "-v", "x.sql")
    assert [line.split()[1] for line in verbose.stdout.splitlines()] == ["info", "failure", "warning", "info"]
    assert verbose.stderr == ""


def _findings(cli: CliRun, *files: str, env: dict[str, str] | None = None) -> dict[tuple[str, str], dict]:  # type: ignore[type-arg]
    """``preflight lint --format json`` of ``files``: the last file's findings by (rule, column of the message)."""
    outcome = cli("lint", "--format", "json", *files, env=env)
    report = json.loads(outcome.stdout)
    out = {}
    for check in report["checks"]:
        for f in check["findings"]:
            if f["location"]["file"] == files[-1]:
                out[(f["rule"], str(f["location"]["line"]))] = f
    return out


HISTORY = ("CREATE TABLE post (\n  id serial PRIMARY KEY,\n  name varchar(100) NOT NULL,\n  body text,\n"
           "  kind int\n);\n"
           "CREATE TABLE ev (id int, at date) PARTITION BY RANGE (at);\n"
           "CREATE INDEX post_kind ON post (kind);\n"
           "CREATE FUNCTION one() RETURNS int IMMUTABLE LANGUAGE sql AS 'select 1';\n")
NEW = ("ALTER TABLE post ALTER COLUMN name TYPE varchar(200);\n"
       "ALTER TABLE post ALTER COLUMN kind TYPE bigint;\n"
       "ALTER TABLE post ALTER COLUMN name SET NOT NULL;\n"
       "ALTER TABLE post ALTER COLUMN body SET NOT NULL;\n"
       "CREATE INDEX IF NOT EXISTS post_kind ON post (kind);\n"
       "CREATE INDEX ev_at ON ONLY ev (at);\n"
       "ALTER TABLE post ADD COLUMN x int DEFAULT one();\n"
       "DROP TABLE IF EXISTS post;\n")


def test_the_earlier_files_settle_the_conditions_with_their_grounds(cli: CliRun, tmp_path: Path) -> None:
    (tmp_path / "1_create.sql").write_text(HISTORY)
    (tmp_path / "2_change.sql").write_text(NEW)
    found = _findings(cli, "1_create.sql", "2_change.sql")
    widen = found[("changing-column-type", "1")]
    assert widen["severity"] == "info" and "condition" not in widen["data"]
    assert widen["message"].startswith("ALTER COLUMN name TYPE varchar(200) does not rewrite post: ")
    assert "1_create.sql line 1 creates it as varchar(100)" in widen["message"]
    bigger = found[("changing-column-type", "2")]
    assert bigger["severity"] == "warning" and "condition" not in bigger["data"]
    assert "rewrites post and its indexes" in bigger["message"] and "integer to bigint" in bigger["message"]
    proven = found[("adding-not-nullable-field", "3")]
    assert proven["severity"] == "info" and "skips the scan of post" in proven["message"]
    assert "1_create.sql line 1 makes it so" in proven["message"]
    nullable = found[("adding-not-nullable-field", "4")]  # body is nullable: a constraint may still prove it
    assert nullable["data"]["condition"] == {"unless_not_null": ["body"]}
    assert found[("require-concurrent-index-creation", "5")]["severity"] == "info"
    assert "post_kind already exists (1_create.sql line 8 creates it)" in \
        found[("require-concurrent-index-creation", "5")]["message"]
    assert "ON ONLY the partitioned table" in found[("require-concurrent-index-creation", "6")]["message"]
    assert "one() is declared IMMUTABLE" in found[("adding-field-with-default", "7")]["message"]
    drop = found[("ban-drop-table", "8")]
    assert drop["message"].endswith("(post exists: 1_create.sql line 1 creates it)") and "condition" not in drop["data"]


def test_the_grounds_name_the_renames_that_gave_the_names(cli: CliRun, tmp_path: Path) -> None:
    """What the history made under other names: the claim's grounds say how the name came to be the object's."""
    (tmp_path / "1_create.sql").write_text(HISTORY)
    (tmp_path / "2_rename.sql").write_text("ALTER TABLE post RENAME TO article;\n"
                                           "ALTER TABLE article RENAME COLUMN name TO title;\n"
                                           "ALTER FUNCTION one() RENAME TO uno;\n")
    (tmp_path / "3_change.sql").write_text("ALTER TABLE article ALTER COLUMN title TYPE varchar(200);\n"
                                           "ALTER TABLE article ALTER COLUMN title SET NOT NULL;\n"
                                           "ALTER TABLE article ADD COLUMN x int DEFAULT uno();\n"
                                           "DROP TABLE IF EXISTS article;\n")
    found = _findings(cli, "1_create.sql", "2_rename.sql", "3_change.sql")
    widen = found[("changing-column-type", "1")]
    assert widen["severity"] == "info", widen
    assert ("title is varchar(100): 1_create.sql line 1 creates it as varchar(100); 2_rename.sql line 1 renames "
            "post to article; 2_rename.sql line 2 renames column name of article to title") in widen["message"]
    assert ("1_create.sql line 1 makes it so; 2_rename.sql line 1 renames post to article; 2_rename.sql line 2 "
            "renames column name of article to title") in found[("adding-not-nullable-field", "2")]["message"]
    assert "uno() is declared IMMUTABLE (1_create.sql line 9 creates it; 2_rename.sql line 3 renames one to uno)" \
        in found[("adding-field-with-default", "3")]["message"]
    assert found[("ban-drop-table", "4")]["message"].endswith(
        "(article exists: 1_create.sql line 1 creates it; 2_rename.sql line 1 renames post to article)")


def test_only_the_new_file_keeps_every_condition(cli: CliRun, tmp_path: Path) -> None:
    (tmp_path / "2_change.sql").write_text(NEW)
    found = _findings(cli, "2_change.sql")
    assert set(found[("changing-column-type", "1")]["data"]["condition"]) == {"unless_current_type"}
    assert "unless_not_null" in found[("adding-not-nullable-field", "3")]["data"]["condition"]
    assert "if_exists" in found[("ban-drop-table", "8")]["data"]["condition"]
    assert "if_volatile" in found[("adding-field-with-default", "7")]["data"]["condition"]


@pytest.mark.parametrize("between", ["DO $$ BEGIN EXECUTE 'alter table post alter column name type text'; END $$;\n",
                                     "ALTER TABLE post ALTER COLUMN name TYPE;\n"])
def test_what_the_replay_cannot_follow_keeps_the_condition(cli: CliRun, tmp_path: Path, between: str) -> None:
    """A DO block (its dynamic SQL may retype the column) or a file that does not parse, between the history and
    the change: unknown, never a pass."""
    (tmp_path / "1_create.sql").write_text(HISTORY)
    (tmp_path / "2_between.sql").write_text(between)
    (tmp_path / "3_change.sql").write_text(NEW)
    found = _findings(cli, "1_create.sql", "2_between.sql", "3_change.sql")
    assert "unless_current_type" in found[("changing-column-type", "1")]["data"]["condition"]
    assert "unless_not_null" in found[("adding-not-nullable-field", "3")]["data"]["condition"]
    assert "if_exists" in found[("ban-drop-table", "8")]["data"]["condition"]
    assert "unless_exists" in found[("require-concurrent-index-creation", "5")]["data"]["condition"]


def test_a_drop_in_between_leaves_nothing_to_settle_on(cli: CliRun, tmp_path: Path) -> None:
    (tmp_path / "1_create.sql").write_text(HISTORY + "DROP TABLE post;\nCREATE TABLE post (LIKE ev);\n")
    (tmp_path / "2_change.sql").write_text(NEW)
    found = _findings(cli, "1_create.sql", "2_change.sql")
    assert "unless_current_type" in found[("changing-column-type", "1")]["data"]["condition"]
    assert "unless_exists" in found[("require-concurrent-index-creation", "5")]["data"]["condition"]


def test_the_cache_keeps_each_files_own_analysis_apart_from_its_history(cli: CliRun, tmp_path: Path) -> None:
    """The same file, linted with its history and then alone, with the cache on: each answer, never the other's."""
    (tmp_path / "1_create.sql").write_text(HISTORY)
    (tmp_path / "2_change.sql").write_text(NEW)
    env = {"PREFLIGHT_CACHE_DIR": str(tmp_path / "cache")}
    for _ in range(2):  # the second round reads every analysis from the cache
        settled = _findings(cli, "1_create.sql", "2_change.sql", env=env)[("changing-column-type", "1")]
        alone = _findings(cli, "2_change.sql", env=env)[("changing-column-type", "1")]
        assert settled["severity"] == "info" and "condition" not in settled["data"]
        assert alone["severity"] == "warning" and "unless_current_type" in alone["data"]["condition"]
    assert list((tmp_path / "cache" / "lint").glob("analyses-*.sqlite"))
