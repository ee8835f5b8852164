"""The text report (default): one line per check, details for the ones that did not pass, tally and verdict.

Every name from outside is shown with its control characters escaped, and no line can pass for a CI workflow
command (see :mod:`preflight.escaping`): the report's lines are all its own."""

from __future__ import annotations

from preflight.escaping import ci_lines
from preflight.model import Report
from preflight.reports.templating import context, environment


def render(report: Report, *, color: bool = False, verbose: bool = False) -> str:
    env = environment(color)
    return ci_lines(str(env.get_template("text.j2").render(**context(report, verbose))))
