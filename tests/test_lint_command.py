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
