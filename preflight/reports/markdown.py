"""The Markdown report: for a CI step summary or a pull-request comment."""

from __future__ import annotations

from preflight.model import Report
from preflight.reports.templating import context, environment


def render(report: Report, *, color: bool = False) -> str:
    return str(environment(False).get_template("markdown.j2").render(**context(report)))
