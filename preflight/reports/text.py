"""The text report (default): one line per check, details for the ones that did not pass, tally and verdict."""

from __future__ import annotations

from preflight.model import Report
from preflight.reports.templating import context, environment


def render(report: Report, *, color: bool = False) -> str:
    env = environment(color)
    return str(env.get_template("text.j2").render(**context(report)))
