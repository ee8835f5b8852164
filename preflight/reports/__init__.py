"""Report formats. Each is a module with ``render(report, *, color=False, verbose=False) -> str``; templates live in
``templates/`` and are shipped with the package."""

from __future__ import annotations

import importlib
from typing import Protocol

from preflight.model import Report

FORMATS: dict[str, str] = {
    "text": "preflight.reports.text",
    "json": "preflight.reports.json_report",
    "junit": "preflight.reports.junit",
    "markdown": "preflight.reports.markdown",
    "sarif": "preflight.reports.sarif",
    "github": "preflight.reports.github",
}


class Renderer(Protocol):
    def __call__(self, report: Report, *, color: bool = False, verbose: bool = False) -> str: ...


def renderer(name: str) -> Renderer:
    module = importlib.import_module(FORMATS[name])
    return module.render  # type: ignore[no-any-return]


def render(name: str, report: Report, *, color: bool = False, verbose: bool = False) -> str:
    """``verbose``: the text and Markdown reports show every finding in full (by default, information is counted
    per rule); the other formats always hold every finding."""
    return renderer(name)(report, color=color, verbose=verbose)
