"""Report formats: JSON Schema, determinism, JUnit shape, Markdown, text colour, --output, and redaction."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from tests.helpers import CliRun, report_schema, validate_report, write_config

MIXED = ('[[check]]\nid = "ok"\nuses = "test.outcome"\nsummary = "fine"\n'
         '[[check]]\nid = "bad"\nuses = "test.outcome"\nstatus = "fail"\nsummary = "broken"\n'
         'remediation = "do the thing"\ndetails = { table = "t", rows = 3 }\n'
         'findings = [{ severity = "failure", message = "it broke", file = "db/001.sql", line = 4 }]\n'
         '[[check]]\nid = "err"\nuses = "test.outcome"\nstatus = "error"\nsummary = "no answer"\n'
         '[[check]]\nid = "skp"\nuses = "test.outcome"\nstatus = "skip"\nsummary = "not applicable"\n')


def strip_timing(text: str) -> str:
    return re.sub(r'"duration_ms": \d+', '"duration_ms": 0', text)


def test_json_report_validates_and_is_deterministic(cli: CliRun, tmp_path: Path) -> None:
    write_config(tmp_path, MIXED)
    first = cli("run", "--format", "json")
    second = cli("run", "--format", "json")
    assert first.exit_code == 1
    validate_report(first.json)
    assert strip_timing(first.stdout) == strip_timing(second.stdout)
    assert first.stderr == ""  # stdout carries only the document; nothing else was printed
    assert first.json["schema"] == "preflight.report/v1"
    bad = first.json["checks"][1]
    assert bad["findings"] == [{"severity": "failure", "message": "it broke",
                                "location": {"file": "db/001.sql", "line": 4}}]
    assert bad["remediation"] == "do the thing"


def test_schema_command_prints_the_shipped_schema(cli: CliRun) -> None:
    out = cli("schema")
    assert out.exit_code == 0
    schema = json.loads(out.stdout)
    assert schema == report_schema()
    jsonschema.Draft202012Validator.check_schema(schema)


def test_schema_rejects_a_malformed_report() -> None:
    import pytest

    with pytest.raises(jsonschema.ValidationError):
        validate_report({"schema": "preflight.report/v1", "verdict": "maybe"})


def test_junit_shape(cli: CliRun, tmp_path: Path) -> None:
    write_config(tmp_path, MIXED)
    out = cli("run", "--format", "junit")
    root = ET.fromstring(out.stdout)
    assert root.tag == "testsuites" and root.get("tests") == "4" and root.get("failures") == "1"
    suite = root.find("testsuite")
    assert suite is not None
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    assert list(cases) == ["ok", "bad", "err", "skp"]
    assert cases["ok"].find("failure") is None and cases["ok"].find("error") is None
    failure = cases["bad"].find("failure")
    assert failure is not None and failure.get("message") == "broken" and "db/001.sql:4" in (failure.text or "")
    assert cases["err"].find("error") is not None
    assert cases["skp"].find("skipped") is not None


def test_markdown_summary(cli: CliRun, tmp_path: Path) -> None:
    write_config(tmp_path, MIXED)
    md = cli("run", "--format", "markdown").stdout
    assert md.startswith("## preflight: blocked")
    assert "| ❌ fail | `bad` | `test.outcome` | broken |" in md
    assert "**Fix:** do the thing" in md and "`db/001.sql:4`" in md


def test_text_report_lines_tally_and_verdict(cli: CliRun, tmp_path: Path) -> None:
    write_config(tmp_path, MIXED)
    out = cli("run")
    lines = out.stdout.splitlines()
    assert lines[0] == "PASS   ok  fine"
    assert "FAIL   bad  broken" in lines
    assert "       fix: do the thing" in lines
    assert "4 checks: 1 passed, 0 warnings, 1 failed, 1 errors, 1 skipped, 0 waived" in lines
    assert lines[-1] == "BLOCKED: do not roll out (exit 1)"
    assert "\x1b[" not in out.stdout



DETAILED = ('[[check]]\nid = "found"\nuses = "test.outcome"\nstatus = "fail"\nsummary = "1 failure"\n'
            'details = { read = { tables = 3, rows = 12 }, server = "15.4" }\nremediation = "fix it"\n'
            'findings = [{ severity = "failure", message = "drops t", rule = "drop" }]\n'
            '[[check]]\nid = "bare"\nuses = "test.outcome"\nstatus = "fail"\nsummary = "behind"\n'
            'details = { lag = "2h", max_lag = "1h" }\n')


def test_text_report_shows_a_failing_checks_details_only_where_no_finding_says_what_failed(
        cli: CliRun, tmp_path: Path) -> None:
    write_config(tmp_path, DETAILED)
    lines = cli("run").stdout.splitlines()
    assert lines[:8] == [
        "FAIL   found  1 failure",
        "       - failure: drops t (drop)",
        "       - details not shown (-v shows them; JSON keeps them)",
        "       fix: fix it",
        "FAIL   bare  behind",
        "       lag: 2h",
        "       max_lag: 1h",
        "",
    ]
    verbose = cli("run", "-v").stdout.splitlines()
    assert verbose[2:5] == ["       read.tables: 3", "       read.rows: 12", "       server: 15.4"]
    assert "not shown" not in "\n".join(verbose)
    assert cli("run", "--format", "json").json["checks"][0]["details"] == {"read": {"tables": 3, "rows": 12},
                                                                          "server": "15.4"}

def test_colour_only_when_asked(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from preflight import config as config_mod
    from preflight import engine
    from preflight.reports import render

    write_config(tmp_path, MIXED)
    report = engine.run(config_mod.load(tmp_path / "preflight.toml", env={}))
    assert "\x1b[" in render("text", report, color=True)
    assert "\x1b[" not in render("text", report, color=False)
    from preflight.cli.main import use_color

    monkeypatch.setenv("NO_COLOR", "1")
    assert use_color(False) is False


def test_output_writes_several_formats_from_one_run(cli: CliRun, tmp_path: Path) -> None:
    write_config(tmp_path, MIXED)
    # preflight never creates directories: a missing one is refused before anything runs, in one line.
    missing = cli("run", "--format", "json", "--output", "junit=out/r.xml")
    assert missing.exit_code == 2 and missing.stdout == ""
    assert missing.stderr == ("preflight: error: --output 'junit=out/r.xml': directory 'out' does not exist "
                              "(preflight does not create directories)\n")
    assert not (tmp_path / "out").exists()
    (tmp_path / "out").mkdir()
    out = cli("run", "--format", "json", "--output", "junit=out/r.xml", "--output", "markdown=out/r.md",
              "--output", "text=out/r.txt")
    assert out.exit_code == 1
    assert ET.parse(tmp_path / "out" / "r.xml").getroot().tag == "testsuites"
    assert (tmp_path / "out" / "r.md").read_text().startswith("## preflight")
    assert "BLOCKED" in (tmp_path / "out" / "r.txt").read_text()
    bad = cli("run", "--output", "yaml=x")
    assert bad.exit_code == 2 and "unknown format 'yaml'" in bad.stderr


def test_passwords_never_appear_in_any_format(cli: CliRun, tmp_path: Path) -> None:
    secret = "hunter2-very-secret"
    # A closed port: the connection fails and the error message is reported.
    write_config(tmp_path, f'[targets.database]\ndsn = "postgresql://app:{secret}@127.0.0.1:9/app"\n'
                 'connect_timeout = "2s"\n'
                 '[[check]]\nid = "db"\nuses = "db.connect"\n'
                 f'[[check]]\nid = "leaky"\nuses = "test.outcome"\nstatus = "fail"\nsummary = "saw {secret}"\n'
                 f'details = {{ dsn = "password={secret}" }}\n')
    outputs = []
    from preflight.cli.main import FORMAT_NAMES

    assert set(FORMAT_NAMES) == {"text", "json", "junit", "markdown", "sarif", "github"}
    (tmp_path / "out").mkdir()
    for fmt in FORMAT_NAMES:
        out = cli("run", "--format", fmt, "--debug", "--output", f"{fmt}=out/report.{fmt}")
        assert out.exit_code == 1
        outputs.append(out.stdout + out.stderr)
        outputs.append((tmp_path / "out" / f"report.{fmt}").read_text())
    for text in outputs:
        assert secret not in text
    doc = json.loads(cli("run", "--format", "json").stdout)
    assert doc["targets"]["database"]["dsn"] == "postgresql://app:***@127.0.0.1:9/app"
    assert doc["checks"][0]["status"] == "error" and "cannot connect" in doc["checks"][0]["summary"]
    assert doc["checks"][1]["summary"] == "saw ***"


def test_redact_dsn_forms() -> None:
    from preflight.secrets import redact_dsn

    assert redact_dsn("postgresql://u:p4ss@h:5432/db?sslmode=require") == "postgresql://u:***@h:5432/db?sslmode=require"
    assert redact_dsn("host=h user=u password='p 4ss' dbname=d") == "host=h user=u password=*** dbname=d"
    assert redact_dsn("postgresql://h/db?password=p4ss&user=u") == "postgresql://h/db?password=***&user=u"
    assert redact_dsn("postgresql://u@h/db") == "postgresql://u@h/db"


NOISY = ('[[check]]\nid = "lint"\nuses = "test.outcome"\nstatus = "warn"\nsummary = "1 warning"\n'
         'findings = [\n'
         '  { severity = "info", message = "new table t1", rule = "new-table", file = "m/1.sql", line = 1 },\n'
         '  { severity = "warning", message = "locks t0", rule = "lock", file = "m/1.sql", line = 2 },\n'
         '  { severity = "info", message = "new table t2", rule = "new-table", file = "m/1.sql", line = 3 },\n'
         '  { severity = "info", message = "no timeout", rule = "timeout", file = "m/1.sql", line = 4 },\n]\n'
         '[[check]]\nid = "quiet"\nuses = "test.outcome"\nsummary = "clean (1 note)"\n'
         'findings = [{ severity = "info", message = "a note", rule = "timeout" }]\n')


def test_text_report_counts_information_per_rule_and_verbose_shows_it(cli: CliRun, tmp_path: Path) -> None:
    write_config(tmp_path, NOISY)
    lines = cli("run").stdout.splitlines()
    # A passing check's summary counts its notes: no line more.
    assert lines[:5] == [
        "WARN   lint  1 warning",
        "       - warning: locks t0  [m/1.sql:2] (lock)",
        "       - 3 info findings not shown (2 new-table, 1 timeout; -v shows them)",
        "PASS   quiet  clean (1 note)",
        "",
    ]
    verbose = cli("run", "-v").stdout.splitlines()
    assert verbose[:7] == [
        "WARN   lint  1 warning",
        "       - warning: locks t0  [m/1.sql:2] (lock)",
        "       - info: new table t1  [m/1.sql:1] (new-table)",
        "       - info: new table t2  [m/1.sql:3] (new-table)",
        "       - info: no timeout  [m/1.sql:4] (timeout)",
        "PASS   quiet  clean (1 note)",
        "       - info: a note (timeout)",
    ]
    assert "not shown" not in "\n".join(verbose)
    # --output follows -v too; JSON and SARIF keep every finding either way.
    assert len(cli("run", "--format", "json").json["checks"][0]["findings"]) == 4
    assert len(cli("run", "--format", "sarif").json["runs"][0]["results"]) == 5
    md = cli("run", "--format", "markdown").stdout
    assert "3 info findings not shown: 2 new-table, 1 timeout (`-v` shows them)" in md
    assert "new table t1" not in md and "new table t1" in cli("run", "--format", "markdown", "-v").stdout
    cli("run", "-v", "--output", "text=full.txt")
    assert "new table t2" in (tmp_path / "full.txt").read_text()


def test_information_that_could_not_be_told_is_shown_in_full_not_counted() -> None:
    """An unknown stated as information ("not evaluated", with why) is read where the report is read: listed
    after the warnings, never folded into the count of information."""
    from preflight.model import Finding, Severity
    from preflight.reports.templating import findings_shown

    class Subject:
        findings = [Finding(Severity.INFO, "new table t1", rule="new-table"),
                    Finding(Severity.WARNING, "locks t0", rule="lock"),
                    Finding(Severity.INFO, "not evaluated: the probe would scan 550 MB", rule="fails-on-live-data",
                            data={"verdict": "not-evaluated"})]

        def acknowledged(self, f: Finding) -> None:
            return None

    shown = findings_shown(Subject())
    assert [fi["f"].message for fi in shown["shown"]] == ["locks t0", "not evaluated: the probe would scan 550 MB"]
    assert (shown["info_count"], shown["info_rules"]) == (1, "1 new-table")
    verbose = findings_shown(Subject(), verbose=True)
    assert [fi["f"].message for fi in verbose["infos"]] == ["new table t1"]


def test_compiled_templates_are_kept_between_runs_and_a_cache_that_cannot_be_kept_changes_nothing(
        cli: CliRun, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The text and Markdown templates are compiled once into the user's cache and read back on the next runs
    (the same report); a cache folder that cannot be made, or a cache file that is garbage, is ignored."""
    from preflight.reports.templating import environment

    write_config(tmp_path, MIXED)

    def run(cache: Path) -> str:
        monkeypatch.setenv("PREFLIGHT_CACHE_DIR", str(cache))
        environment.cache_clear()  # as a new process would
        out = cli("run", "--format", "text", env={"NO_COLOR": "1"})
        assert out.exit_code == 1, out.stderr
        return re.sub(r"\d+ ms", "N ms", out.stdout)

    try:
        cache = tmp_path / "cache"
        first = run(cache)
        (kept,) = (cache / "templates").iterdir()
        stamp = kept.stat().st_mtime_ns
        assert run(cache) == first and kept.stat().st_mtime_ns == stamp  # read back, not compiled again
        kept.write_bytes(b"not a compiled template")
        assert run(cache) == first
        not_a_folder = tmp_path / "file"
        not_a_folder.write_text("")
        assert run(not_a_folder) == first
        assert environment(False).bytecode_cache is None
    finally:
        environment.cache_clear()
