"""The bundled basic example runs db.connect against a real server, and its report renders in every format."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from tests.helpers import CliRun, validate_report

EXAMPLE = Path(__file__).parent.parent / "examples" / "basic" / "preflight.toml"


def test_basic_example_in_every_format(cli: CliRun, pg_dsn: str) -> None:
    from preflight.cli.main import FORMAT_NAMES
    from preflight.reports import FORMATS

    for fmt in FORMAT_NAMES:
        if fmt not in FORMATS:
            continue
        out = cli("run", "--config", str(EXAMPLE), "--dsn", pg_dsn, "--format", fmt)
        assert out.exit_code == 0, out.stdout + out.stderr
        if fmt == "json":
            validate_report(out.json)
            assert out.json["checks"][0]["id"] == "database-reachable"
        elif fmt == "junit":
            assert ET.fromstring(out.stdout).get("tests") == "1"
        elif fmt == "sarif":
            assert json.loads(out.stdout)["version"] == "2.1.0"
        elif fmt == "text":
            assert out.stdout.startswith("PASS   database-reachable  PostgreSQL")
        assert out.stdout.strip()


def test_basic_example_uses_the_environment(cli: CliRun, pg_dsn: str) -> None:
    out = cli("run", "--config", str(EXAMPLE), "--format", "json", env={"DATABASE_URL": pg_dsn})
    assert out.exit_code == 0
