"""The Markdown report: for a CI step summary or a pull-request comment.

Names from outside (image members, migrations, database and config values) are shown literally: control
characters escaped, Markdown punctuation backslash-escaped, code spans fenced to fit (see
:mod:`preflight.escaping`)."""

from __future__ import annotations

from preflight.escaping import ci_lines
from preflight.model import Report
from preflight.reports.templating import context, environment


def render(report: Report, *, color: bool = False, verbose: bool = False) -> str:
    return ci_lines(str(environment(False, "markdown").get_template("markdown.j2").render(**context(report, verbose))))
