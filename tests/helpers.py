"""Helpers shared by the tests."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from click.testing import CliRunner


@dataclass
class Outcome:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def json(self) -> Any:
        return json.loads(self.stdout)


class CliRun(Protocol):
    def __call__(self, *args: str, input: str | None = None, env: dict[str, str] | None = None) -> Outcome: ...


def run_cli(args: list[str], input: str | None = None, env: dict[str, str] | None = None) -> Outcome:
    from preflight.cli.main import main

    runner = CliRunner()
    result = runner.invoke(main, args, input=input, env=env, catch_exceptions=False)
    return Outcome(result.exit_code, result.stdout, result.stderr)


def write_config(directory: Path, text: str) -> Path:
    path = directory / "preflight.toml"
    path.write_text(text, encoding="utf-8")
    return path


@cache
def report_schema() -> dict[str, Any]:
    from preflight.reports.json_report import schema

    return schema()


def validate_report(doc: dict[str, Any]) -> None:
    """Every JSON report in the tests is validated against the shipped JSON Schema."""
    import jsonschema

    jsonschema.validate(doc, report_schema())


def lint_pending(cli: CliRun, tmp_path: Path, dsn: str, files: Mapping[str, str]) -> tuple[Outcome, list[dict[str, Any]]]:
    """``preflight run --format json`` of a ``migrations.lint`` check with ``files`` as the pending golang-migrate
    migrations: the outcome and the lint's findings."""
    from tests.migrations_helpers import write

    tmp_path.mkdir(parents=True, exist_ok=True)
    write(tmp_path / "migrations", dict[str, str | bytes](files))
    config = write_config(tmp_path, f'[targets.database]\ndsn = "{dsn}"\n\n[targets.migrations]\nsource = "migrations"\n'
                           'tracking = "golang-migrate"\n\n[[check]]\nid = "migration-safety"\n'
                           'uses = "migrations.lint"\n')
    out = cli("run", "--config", str(config), "--format", "json", "--no-cache")
    validate_report(out.json)
    (check,) = [c for c in out.json["checks"] if c["id"] == "migration-safety"]
    return out, check["findings"]


def server_says(dsn: str, sql: str) -> str | None:
    """The SQLSTATE the server raises for ``sql`` (one or more statements, in one transaction rolled back; a
    ``CONCURRENTLY`` statement as the runner sends it, alone), None if it runs: what a lint's claim is held to."""
    import psycopg

    with psycopg.connect(dsn, autocommit="CONCURRENTLY" in sql) as conn:
        try:
            conn.execute(sql.encode())
        except psycopg.Error as e:
            return e.sqlstate
        finally:
            conn.rollback()
    return None
