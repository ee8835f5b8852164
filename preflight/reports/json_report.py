"""The JSON report (``--format json``): schema ``preflight.report/v1``.

Byte-identical for identical inputs apart from the timing fields (``duration_ms``): keys are sorted, checks keep
the config's order, and no wall-clock time is included. Names from outside are kept exactly (JSON escapes what
needs it); ``##[`` in a string is written ``##\u005b`` so a CI log does not read it as a command.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from preflight import __version__
from preflight.model import Report

SCHEMA_ID = "preflight.report/v1"


def to_dict(report: Report) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "schema": SCHEMA_ID,
        "preflight_version": __version__,
        "verdict": str(report.verdict),
        "exit_code": report.exit_code,
        "summary": report.tally.to_dict(),
        "targets": report.targets,
        "config_file": report.config_file,
        "fail_on": "warn" if report.fail_on_warn else "fail",
        "run_waivers": report.run_waivers,
        "checks": [c.to_dict() for c in report.checks],
        "duration_ms": report.duration_ms,
    }
    if report.fleet is not None:
        doc["fleet"] = report.fleet.to_dict(report.checks)
    return doc


def render(report: Report, *, color: bool = False, verbose: bool = False) -> str:
    from preflight.escaping import json_lines

    return json_lines(json.dumps(to_dict(report), indent=2, sort_keys=True, ensure_ascii=False, default=str)) + "\n"


@cache
def schema() -> dict[str, Any]:
    text = resources.files("preflight").joinpath("schemas/report.schema.json").read_text(encoding="utf-8")
    return json.loads(text)  # type: ignore[no-any-return]
