"""The jinja2 environment shared by the template-based formats."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

STATUS_COLORS = {"pass": "green", "warn": "yellow", "fail": "red", "error": "magenta", "skip": "bright_black",
                 "waived": "cyan"}


def flatten(value: Any, prefix: str = "", limit: int = 60) -> list[tuple[str, str]]:
    """Details as ``key: value`` lines (nested keys dotted, lists indexed), at most ``limit`` lines. Timing fields
    (``duration_ms``) are left out, so that the same inputs give the same text."""
    out: list[tuple[str, str]] = []

    def walk(v: Any, key: str) -> None:
        if len(out) >= limit:
            return
        if isinstance(v, dict) and v:
            for k, x in v.items():
                if k != "duration_ms":
                    walk(x, f"{key}.{k}" if key else str(k))
        elif isinstance(v, list) and v and any(isinstance(x, dict | list) for x in v):
            for i, x in enumerate(v):
                walk(x, f"{key}[{i}]")
        else:
            if isinstance(v, list):
                text = ", ".join(str(x) for x in v)
            elif isinstance(v, bool):
                text = "true" if v else "false"
            elif v is None:
                text = "-"
            elif isinstance(v, dict):
                text = "{}"
            else:
                text = str(v)
            out.append((key, text))

    walk(value, prefix)
    return out


@cache
def environment(color: bool) -> Any:
    import click
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("preflight", "reports/templates"),
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )

    def paint(text: str, status: str, bold: bool = False) -> str:
        if not color:
            return text
        return click.style(text, fg=STATUS_COLORS.get(status), bold=bold)

    def md_escape(text: Any) -> str:
        return str(text).replace("|", "\\|").replace("\n", " ")

    env.filters["paint"] = paint
    env.filters["flatten"] = flatten
    env.filters["md"] = md_escape
    env.filters["tojson"] = lambda v: json.dumps(v, sort_keys=True, default=str)
    return env


def location_text(f: Any) -> str:
    loc = f.location
    if loc is None:
        return ""
    text = loc.file
    if loc.line:
        text += f":{loc.line}"
        if loc.column:
            text += f":{loc.column}"
    return text


def context(report: Any) -> dict[str, Any]:
    checks = []
    for c in report.checks:
        label = "waived" if c.waived else str(c.status)
        checks.append({"c": c, "label": label,
                       "findings": [{"f": f, "where": location_text(f)} for f in c.findings]})
    return {"report": report, "checks": checks, "tally": report.tally, "verdict": str(report.verdict),
            "exit_code": report.exit_code}
