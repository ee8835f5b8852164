"""--format sarif (validated against the vendored SARIF 2.1.0 schema) and --format github."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from preflight.model import CheckReport, Finding, Location, Report, Severity, Status
from preflight.reports import github, sarif
from tests.helpers import CliRun, write_config
from tests.migrations_helpers import write

SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"


pytestmark = pytest.mark.usefixtures("own_lint_cache")


@cache
def validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())


def validate(doc: dict[str, Any]) -> None:
    errors = sorted(validator().iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


def sample_report() -> Report:
    lint = CheckReport(
        id="migration-safety", type="migrations.lint", status=Status.FAIL, summary="1 pending migration: 1 failure",
        findings=[
            Finding(Severity.FAILURE, "DROP TABLE orders destroys the table and every row in it: orders holds 500 "
                    "rows, 64.0 kB", location=Location("db/migrations/103_drop orders.up.sql", 4, 3),
                    rule="ban-drop-table", migration="103_drop orders",
                    data={"statement": "DROP TABLE orders", "alternative": "rename it first", "rows": 500}),
            Finding(Severity.FAILURE, "TRUNCATE sessions removes every row", location=Location("db/m/104.sql", 2, 1),
                    rule="ban-truncate", migration="104", data={"statement": "TRUNCATE sessions"},
                    waived_by="in-file suppression (line 1): sessions are rebuilt at start-up"),
            Finding(Severity.INFO, "t.id is serial", location=Location("image:/app/m/1_init.sql", 3, 1),
                    rule="prefer-identity", migration="1_init"),
        ])
    files = CheckReport(id="files", type="image.files", status=Status.WARN, summary="1 warning",
                        findings=[Finding(Severity.WARNING, "/app/config.yml is missing, 100% sure: check it")])
    down = CheckReport(id="db", type="db.connect", status=Status.ERROR, summary="cannot connect to the database")
    fine = CheckReport(id="fine", type="db.connect", status=Status.PASS, summary="PostgreSQL 16 answers")
    waived = CheckReport(id="guards", type="migrations.guards", status=Status.FAIL, summary="1 guard raises",
                         waived=True, waiver={"check": "guards", "reason": "known, fixing in 4.3", "expires": "2099-12-31"},
                         findings=[Finding(Severity.FAILURE, "guard raises: not yet", rule="guard-raises",
                                           location=Location("db/m/105.sql", 1, 1), migration="105")])
    return Report(checks=[lint, files, down, fine, waived], targets={})


def test_sarif_validates_against_the_schema() -> None:
    doc = sarif.sarif(sample_report())
    validate(doc)
    (run,) = doc["runs"]
    results = run["results"]
    assert len(results) == 3 + 1 + 1 + 1  # every finding, plus the errored check without findings
    drop = results[0]
    assert drop["ruleId"] == "ban-drop-table" and drop["level"] == "error"
    assert drop["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "db/migrations/103_drop%20orders.up.sql"
    assert drop["locations"][0]["physicalLocation"]["region"] == {"startLine": 4, "startColumn": 3}
    assert "Safe alternative: rename it first" in drop["message"]["text"]
    assert drop["properties"]["migration"] == "103_drop orders" and drop["properties"]["rows"] == 500
    rules = run["tool"]["driver"]["rules"]
    descriptor = rules[drop["ruleIndex"]]
    assert descriptor["id"] == "ban-drop-table" and "ban-drop-table" in descriptor["properties"]["squawk"]
    assert descriptor["help"]["text"].startswith("Safe alternative:")
    suppressed = results[1]
    assert suppressed["suppressions"] == [{"kind": "inSource", "status": "accepted",
                                           "justification": "in-file suppression (line 1): sessions are rebuilt at start-up"}]
    assert results[2]["level"] == "note"
    assert results[3]["ruleId"] == "image.files" and "locations" not in results[3]
    assert results[4]["ruleId"] == "db.connect" and results[4]["level"] == "error"
    assert results[5]["suppressions"][0]["kind"] == "external"
    assert run["properties"]["verdict"] == "fail"
    # Deterministic: the same report renders byte for byte the same.
    assert sarif.render(sample_report()) == sarif.render(sample_report())


def test_sarif_of_a_real_run(cli: CliRun, tmp_path: Path, pg_dsn: str, pg_admin: Any) -> None:
    pg_admin.execute("create table orders (id int)")
    pg_admin.execute("insert into orders values (1)")
    write(tmp_path / "migrations", {"1_drop.up.sql": "SET lock_timeout = '1s';\n\nDROP TABLE orders;\n"})
    write_config(tmp_path, f'[targets.database]\ndsn = "{pg_dsn}"\n\n[targets.migrations]\nsource = "migrations"\n'
                           'tracking = "golang-migrate"\n\n[[check]]\nid = "lint"\nuses = "migrations.lint"\n\n'
                           '[[check]]\nid = "db"\nuses = "db.connect"\n')
    out = cli("run", "--format", "sarif")
    assert out.exit_code == 1
    doc = json.loads(out.stdout)
    validate(doc)
    drop = next(r for r in doc["runs"][0]["results"] if r["ruleId"] == "ban-drop-table")
    assert drop["locations"][0]["physicalLocation"]["region"] == {"startLine": 3, "startColumn": 1}
    assert drop["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "migrations/1_drop.up.sql"
    assert pg_dsn.split("@")[0] not in out.stdout or "password" not in pg_dsn


def test_sarif_validation_catches_a_broken_document() -> None:
    doc = sarif.sarif(sample_report())
    doc["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(AssertionError):
        validate(doc)


def test_github_workflow_commands(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    out = github.render(sample_report())
    lines = out.splitlines()
    assert lines[0].startswith("::error file=db/migrations/103_drop orders.up.sql,line=4,col=3,"
                               "title=preflight migration-safety%3A ban-drop-table::DROP TABLE orders")
    assert "%0ASafe alternative: rename it first%0AStatement: DROP TABLE orders" in lines[0]
    assert lines[1].startswith("::notice file=db/m/104.sql,line=2,col=1,")
    assert "(acknowledged: in-file suppression (line 1)" in lines[1]
    assert lines[2].startswith("::notice file=image%3A/app/m/1_init.sql,line=3,col=1,")
    assert lines[3] == "::warning title=preflight files::/app/config.yml is missing, 100%25 sure: check it"
    assert lines[4].startswith("::error title=preflight db::cannot connect to the database")
    assert lines[5].startswith("::notice file=db/m/105.sql")  # the check is waived
    assert "::group::preflight summary" in lines and "::endgroup::" in lines
    assert lines[-1].startswith("preflight: fail")


def test_github_summary_goes_to_the_step_summary(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    out = github.render(sample_report())
    assert "::group::" not in out
    written = summary.read_text()
    assert written.startswith("earlier step\n") and "migration-safety" in written
