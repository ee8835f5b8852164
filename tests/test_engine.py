"""The engine through the CLI: statuses, exit codes, timeouts, crashes, waivers, selection."""

from __future__ import annotations

import datetime
from pathlib import Path

from tests.helpers import CliRun, validate_report, write_config

PASS = '[[check]]\nid = "ok"\nuses = "test.outcome"\nsummary = "fine"\n'
WARN = '[[check]]\nid = "meh"\nuses = "test.outcome"\nstatus = "warn"\nsummary = "hmm"\n'
FAIL = '[[check]]\nid = "bad"\nuses = "test.outcome"\nstatus = "fail"\nsummary = "broken"\n'
ERROR = '[[check]]\nid = "err"\nuses = "test.outcome"\nstatus = "error"\nsummary = "unknown"\n'


def run_json(cli: CliRun, *args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    out = cli("run", "--format", "json", *args)
    doc = out.json
    validate_report(doc)
    assert doc["exit_code"] == out.exit_code
    return out.exit_code, doc


def test_exit_0_when_everything_passes_or_warns(cli: CliRun, tmp_path: Path) -> None:
    write_config(tmp_path, PASS + WARN)
    code, doc = run_json(cli)
    assert code == 0 and doc["verdict"] == "pass"
    assert doc["summary"] == {"checks": 2, "passed": 1, "warnings": 1, "failed": 0, "errors": 0, "skipped": 0,
                              "waived": 0}


def test_fail_on_warn_blocks(cli: CliRun, tmp_path: Path) -> None:
    write_config(tmp_path, PASS + WARN)
    code, doc = run_json(cli, "--fail-on", "warn")
    assert code == 1 and doc["verdict"] == "fail"
    write_config(tmp_path, '[run]\nfail_on = "warn"\n' + PASS + WARN)
    assert run_json(cli)[0] == 1


def test_exit_1_on_failure_even_with_errors(cli: CliRun, tmp_path: Path) -> None:
    write_config(tmp_path, PASS + FAIL + ERROR)
    code, doc = run_json(cli)
    assert code == 1 and doc["verdict"] == "fail"


def test_exit_3_on_error_without_failure(cli: CliRun, tmp_path: Path) -> None:
    write_config(tmp_path, PASS + ERROR)
    code, doc = run_json(cli)
    assert code == 3 and doc["verdict"] == "error"


def test_exit_2_on_config_error_and_zero_selected(cli: CliRun, tmp_path: Path) -> None:
    write_config(tmp_path, '[[check]]\nid = "x"\nuses = "test.outcome"\nbogus = 1\n')
    out = cli("run")
    assert out.exit_code == 2 and out.stdout == ""
    assert "key 'bogus'" in out.stderr and "Traceback" not in out.stderr
    write_config(tmp_path, "")
    out = cli("run")
    assert out.exit_code == 2 and "no checks selected" in out.stderr
    write_config(tmp_path, PASS)
    out = cli("run", "--skip", "ok")
    assert out.exit_code == 2 and "no checks selected" in out.stderr
    out = cli("run", "--only", "nope")
    assert out.exit_code == 2 and "no check with id 'nope'" in out.stderr


def test_no_config_file_is_exit_2(cli: CliRun) -> None:
    out = cli("run")
    assert out.exit_code == 2 and "no preflight.toml" in out.stderr


def test_severity_warn_turns_a_failure_into_a_warning(cli: CliRun, tmp_path: Path) -> None:
    write_config(tmp_path, FAIL.replace('status = "fail"', 'status = "fail"\nseverity = "warn"'))
    code, doc = run_json(cli)
    assert code == 0 and doc["checks"][0]["status"] == "warn"


def test_only_and_skip_select_by_id_and_glob(cli: CliRun, tmp_path: Path) -> None:
    write_config(tmp_path, PASS + FAIL + ERROR)
    code, doc = run_json(cli, "--only", "ok")
    assert code == 0 and [c["id"] for c in doc["checks"]] == ["ok"]
    code, doc = run_json(cli, "--skip", "bad", "--skip", "e*")
    assert code == 0 and [c["id"] for c in doc["checks"]] == ["ok"]


def test_timeout_turns_into_error(cli: CliRun, tmp_path: Path) -> None:
    write_config(tmp_path, '[[check]]\nid = "slow"\nuses = "test.sleep"\nseconds = 5\ntimeout = "200ms"\n' + PASS)
    code, doc = run_json(cli)
    slow = doc["checks"][0]
    assert code == 3 and slow["status"] == "error" and "timed out after 200ms" in slow["summary"]
    assert doc["checks"][1]["status"] == "pass"
    assert doc["duration_ms"] < 4000


def test_overall_deadline(cli: CliRun, tmp_path: Path) -> None:
    write_config(tmp_path, '[[check]]\nid = "slow"\nuses = "test.sleep"\nseconds = 5\n')
    code, doc = run_json(cli, "--deadline", "300ms")
    assert code == 3 and "deadline" in doc["checks"][0]["summary"]


def test_checks_run_concurrently(cli: CliRun, tmp_path: Path) -> None:
    write_config(tmp_path, "".join(f'[[check]]\nid = "s{i}"\nuses = "test.sleep"\nseconds = 0.6\n' for i in range(4)))
    code, doc = run_json(cli, "--jobs", "4")
    # Serially this takes 2.4 s; together, about 0.6 s.
    assert code == 0 and doc["duration_ms"] < 2000


def test_crashing_check_is_a_one_line_error_and_debug_adds_the_traceback(cli: CliRun, tmp_path: Path) -> None:
    write_config(tmp_path, '[[check]]\nid = "c"\nuses = "test.crash"\n')
    code, doc = run_json(cli)
    check = doc["checks"][0]
    assert code == 3 and check["status"] == "error"
    assert check["summary"] == "RuntimeError: boom: the check crashed second line"
    assert "traceback" not in check
    _, doc = run_json(cli, "--debug")
    assert "Traceback" in doc["checks"][0]["traceback"] and "crash.py" in doc["checks"][0]["traceback"]


def test_active_waiver_waives_a_failure(cli: CliRun, tmp_path: Path) -> None:
    write_config(tmp_path, PASS + FAIL + '[[waiver]]\ncheck = "bad"\nreason = "known, ticket OPS-1"\n'
                 'expires = 2999-01-01\nowner = "platform"\n')
    code, doc = run_json(cli)
    bad = doc["checks"][1]
    assert code == 0 and bad["waived"] is True and bad["status"] == "fail"
    assert bad["waiver"] == {"check": "bad", "reason": "known, ticket OPS-1", "expires": "2999-01-01",
                             "owner": "platform"}
    assert doc["summary"]["waived"] == 1
    text = cli("run").stdout
    assert "WAIVED bad" in text and "known, ticket OPS-1" in text


def test_waiver_also_waives_an_error(cli: CliRun, tmp_path: Path) -> None:
    write_config(tmp_path, ERROR + '[[waiver]]\ncheck = "err"\nreason = "db maintenance"\nexpires = 2999-01-01\n')
    assert run_json(cli)[0] == 0


def test_expired_waiver_is_a_failing_finding(cli: CliRun, tmp_path: Path) -> None:
    yesterday = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
    write_config(tmp_path, FAIL + f'[[waiver]]\ncheck = "bad"\nreason = "temporary"\nexpires = {yesterday}\n')
    code, doc = run_json(cli)
    assert code == 1
    bad, waiver = doc["checks"]
    assert bad["waived"] is False
    assert waiver["type"] == "waiver" and waiver["status"] == "fail" and f"expired on {yesterday}" in waiver["summary"]


def test_waiver_expiring_today_still_holds(cli: CliRun, tmp_path: Path) -> None:
    today = datetime.date.today().isoformat()
    write_config(tmp_path, FAIL + f'[[waiver]]\ncheck = "bad"\nreason = "last day"\nexpires = {today}\n')
    assert run_json(cli)[0] == 0


def test_unused_waiver_warns(cli: CliRun, tmp_path: Path) -> None:
    write_config(tmp_path, PASS + '[[waiver]]\ncheck = "ok"\nreason = "stale"\nexpires = 2999-01-01\n')
    code, doc = run_json(cli)
    assert code == 0
    assert doc["checks"][1]["status"] == "warn" and "matched nothing" in doc["checks"][1]["summary"]


def test_waiver_for_unknown_check_is_a_config_error(cli: CliRun, tmp_path: Path) -> None:
    write_config(tmp_path, PASS + '[[waiver]]\ncheck = "nope"\nreason = "x"\nexpires = 2999-01-01\n')
    out = cli("run")
    assert out.exit_code == 2 and "waiver names check 'nope'" in out.stderr and ":6:" in out.stderr


def test_command_line_waiver_is_printed_prominently(cli: CliRun, tmp_path: Path) -> None:
    write_config(tmp_path, PASS + FAIL)
    out = cli("run", "--waive", "bad", "--reason", "hotfix approved by on-call")
    assert out.exit_code == 0
    first = out.stdout.splitlines()[0]
    assert first == "!! WAIVED FOR THIS RUN ONLY (--waive): bad: hotfix approved by on-call"
    md = cli("run", "--format", "markdown", "--waive", "bad", "--reason", "hotfix").stdout
    assert "Waived for this run only" in md
    code, doc = run_json(cli, "--waive", "bad", "--reason", "hotfix")
    assert doc["run_waivers"][0]["from_command_line"] is True and doc["checks"][1]["waived"] is True
    out = cli("run", "--waive", "bad")
    assert out.exit_code == 2 and "--reason" in out.stderr


NARROW = ('[[check]]\nid = "lint"\nuses = "test.outcome"\nstatus = "fail"\nsummary = "2 unsafe statements"\n'
          'findings = [\n  { severity = "failure", message = "drops a table", rule = "drop-table", '
          'migration = "103_drop_legacy" },\n  { severity = "failure", message = "drops a column", '
          'rule = "drop-column", migration = "104_cleanup" },\n]\n')


def test_narrowed_waiver_waives_only_matching_findings(cli: CliRun, tmp_path: Path) -> None:
    write_config(tmp_path, NARROW + '[[waiver]]\ncheck = "lint"\nrule = "drop-table"\nmigration = "103_*"\n'
                 'reason = "contract phase"\nexpires = 2999-01-01\n')
    code, doc = run_json(cli)
    lint = doc["checks"][0]
    assert code == 1 and lint["waived"] is False
    assert lint["findings"][0]["waived_by"] == "waiver: contract phase"
    assert "waived_by" not in lint["findings"][1]


def test_narrowed_waivers_covering_every_failure_waive_the_check(cli: CliRun, tmp_path: Path) -> None:
    write_config(tmp_path, NARROW + '[[waiver]]\ncheck = "lint"\nrule = "drop-table"\nreason = "a"\n'
                 'expires = 2999-01-01\n[[waiver]]\ncheck = "lint"\nmigration = "104_cleanup"\nreason = "b"\n'
                 'expires = 2999-01-01\n')
    code, doc = run_json(cli)
    assert code == 0 and doc["checks"][0]["waived"] is True


def test_narrowed_waiver_matching_no_finding_warns(cli: CliRun, tmp_path: Path) -> None:
    write_config(tmp_path, NARROW + '[[waiver]]\ncheck = "lint"\nrule = "vacuum-full"\nreason = "a"\n'
                 'expires = 2999-01-01\n')
    code, doc = run_json(cli)
    assert code == 1 and doc["checks"][-1]["status"] == "warn" and "no finding matched" in doc["checks"][-1]["summary"]


LINT = ('[[check]]\nid = "lint"\nuses = "test.outcome"\nstatus = "fail"\nsummary = "1 failure, 1 warning"\n'
        'findings = [\n  { severity = "failure", message = "drops a table", rule = "drop-table", '
        'migration = "103_drop_legacy", file = "m/103.sql", line = 2 },\n'
        '  { severity = "warning", message = "locks a small table", rule = "index-lock", '
        'migration = "104_index", file = "m/104.sql", line = 1 },\n]\n'
        '[[waiver]]\ncheck = "lint"\nrule = "drop-table"\nreason = "contract phase, OPS-7"\nexpires = 2999-01-01\n')


def test_narrowed_waivers_waive_findings_not_the_check(cli: CliRun, tmp_path: Path) -> None:
    write_config(tmp_path, LINT)
    code, doc = run_json(cli)
    lint = doc["checks"][0]
    # The failure is waived, the warning is not: the check warns, and is counted as a warning.
    assert code == 0 and lint["status"] == "warn" and lint["waived"] is False
    assert doc["summary"]["warnings"] == 1 and doc["summary"]["waived"] == 0
    assert lint["summary"] == "1 failure, 1 warning (1 failure waived)"
    assert lint["findings"][0]["waived_by"] == "waiver: contract phase, OPS-7"
    assert "waived_by" not in lint["findings"][1]
    assert run_json(cli, "--fail-on", "warn")[0] == 1

    text = cli("run").stdout.splitlines()
    assert text[0] == "WARN   lint  1 failure, 1 warning (1 failure waived)"
    # The open warning first, then the waived failure with the waiver's reason.
    assert text[1:3] == [
        "       - warning: locks a small table  [m/104.sql:1] (index-lock)",
        "       - failure: drops a table  [m/103.sql:2] (drop-table) (waived by waiver: contract phase, OPS-7)"]
    assert "1 checks: 0 passed, 1 warnings, 0 failed, 0 errors, 0 skipped, 0 waived" in text

    md = cli("run", "--format", "markdown").stdout
    assert "| ⚠️ warn | `lint` |" in md
    assert "- **failure** `drop-table`: drops a table (`m/103.sql:2`) — *waived by* waiver: contract phase, OPS-7" in md
    assert "- **warning** `index-lock`: locks a small table (`m/104.sql:1`)\n" in md

    sarif = cli("run", "--format", "sarif").json["runs"][0]
    failure, warning = sarif["results"]
    assert failure["suppressions"] == [{"kind": "external", "status": "accepted",
                                        "justification": "waiver: contract phase, OPS-7"}]
    assert "suppressions" not in warning and warning["level"] == "warning"
    assert sarif["properties"]["tally"]["warnings"] == 1

    import xml.etree.ElementTree as ET

    case = ET.fromstring(cli("run", "--format", "junit").stdout).find("testsuite/testcase")
    assert case is not None and case.find("failure") is None and case.find("skipped") is None
    out = case.findtext("system-out") or ""
    assert "- failure: drops a table [m/103.sql:2] (waived by waiver: contract phase, OPS-7)" in out
    assert "- warning: locks a small table [m/104.sql:1]\n" in out + "\n"

    github = cli("run", "--format", "github", env={"GITHUB_STEP_SUMMARY": ""}).stdout.splitlines()
    assert ("::notice file=m/103.sql,line=2,title=preflight lint%3A drop-table::(acknowledged: waiver: contract "
            "phase, OPS-7) drops a table") in github
    assert "::warning file=m/104.sql,line=1,title=preflight lint%3A index-lock::locks a small table" in github


def test_narrowed_waivers_leaving_only_information_waive_the_check(cli: CliRun, tmp_path: Path) -> None:
    config = LINT.replace('severity = "warning", message = "locks', 'severity = "info", message = "locks')
    write_config(tmp_path, config)
    code, doc = run_json(cli)
    lint = doc["checks"][0]
    assert code == 0 and lint["waived"] is True and doc["summary"]["waived"] == 1
    # The information the waiver did not match is not shown as acknowledged by it.
    sarif = cli("run", "--format", "sarif").json["runs"][0]
    assert [("suppressions" in r) for r in sarif["results"]] == [True, False]
    github = cli("run", "--format", "github", env={"GITHUB_STEP_SUMMARY": ""}).stdout
    assert "::notice file=m/104.sql,line=1,title=preflight lint%3A index-lock::locks a small table" in github


def test_narrowed_waiver_on_a_severity_warn_check(cli: CliRun, tmp_path: Path) -> None:
    write_config(tmp_path, LINT.replace('uses = "test.outcome"\n', 'uses = "test.outcome"\nseverity = "warn"\n', 1))
    code, doc = run_json(cli)
    assert code == 0 and doc["checks"][0]["status"] == "warn" and doc["checks"][0]["waived"] is False


def test_narrowed_waiver_leaves_a_status_the_findings_do_not_explain(cli: CliRun, tmp_path: Path) -> None:
    # The check fails for a reason of its own (no failing finding): waiving a warning does not change that.
    write_config(tmp_path, LINT.replace('severity = "failure", message = "drops', 'severity = "warning", '
                                        'message = "drops'))
    code, doc = run_json(cli)
    assert code == 1 and doc["checks"][0]["status"] == "fail" and doc["checks"][0]["waived"] is False
