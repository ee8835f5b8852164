"""GitHub Actions: workflow commands that annotate the files, plus the Markdown summary.

Each finding becomes one workflow command - ``::error`` for failures and errors, ``::warning`` for warnings,
``::notice`` for information and for acknowledged findings - with ``file``, ``line`` and ``col`` when the finding
has a place, and a title naming the check and rule; a check that fails, warns or errors without findings is one
command without a place. The Markdown report follows: appended to ``$GITHUB_STEP_SUMMARY`` when the job defines it
(so it shows on the run's summary page), else printed inside a collapsed ``::group::``.

Every piece of text from outside is shown with its control characters escaped first
(:func:`preflight.escaping.control`), then encoded as the runner decodes it: ``%``, ``\r`` and ``\n`` in a
command's data, and also ``:`` and ``,`` in its properties (``file``, ``title``). So a name cannot end a command
early or start one of its own; the Markdown summary is escaped as the Markdown report is, and none of its lines
can pass for a command.
"""

from __future__ import annotations

import os

from preflight.escaping import ci_lines, control
from preflight.fleet.outcome import subjects
from preflight.model import CheckReport, Finding, MemberReport, Report, Status

COMMANDS = {"failure": "error", "error": "error", "warning": "warning", "info": "notice"}
STATUS_COMMANDS = {Status.FAIL: "error", Status.ERROR: "error", Status.WARN: "warning"}


def _data(text: str) -> str:
    """A command's data as the runner decodes it (``escapeData`` of GitHub's toolkit). ``##[`` (the runner's
    older command form, which it looks for anywhere in a line) is shown escaped, as in the other formats."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A").replace("##[", "##\\x5b")


def _prop(text: str) -> str:
    """A command's property value (``escapeProperty``): outside text, so control characters are escaped first."""
    return _data(control(text)).replace(":", "%3A").replace(",", "%2C")


def _command(kind: str, message: str, title: str, file: str | None = None, line: int | None = None,
             col: int | None = None) -> str:
    props = []
    if file:
        props.append(f"file={_prop(file)}")
        if line is not None:
            props.append(f"line={line}")
            if col is not None:
                props.append(f"col={col}")
    props.append(f"title={_prop(title)}")
    return f"::{kind} {','.join(props)}::{_data(message)}"


def _finding_command(check: CheckReport, f: Finding, subject: CheckReport | None = None,
                     member: str | None = None) -> str:
    kind = COMMANDS.get(str(f.severity), "warning")
    # The line breaks are the command's own: each piece is escaped before they join it.
    message = control(f.message)
    alternative = f.data.get("alternative")
    if alternative:
        message += f"\nSafe alternative: {control(str(alternative))}"
    statement = f.data.get("statement")
    if statement:
        message += f"\nStatement: {control(str(statement))}"
    subject = subject or check
    waived = subject.acknowledged(f)
    if waived:
        kind = "notice"
        message = f"(acknowledged: {control(waived)}) {message}"
    title = f"preflight {check.id}" + (f" [{control(member)}]" if member else "") + (f": {f.rule}" if f.rule else "")
    loc = f.location
    if loc is None:
        return _command(kind, message, title)
    return _command(kind, message, title, loc.file, loc.line, loc.column)


def commands(report: Report) -> list[str]:
    out: list[str] = []
    for check in report.checks:
        for subject, member in subjects(check):
            if subject.findings:
                out.extend(_finding_command(check, f, subject, member) for f in subject.findings)
            elif subject.status in STATUS_COMMANDS:
                allowed = isinstance(subject, MemberReport) and subject.allowed
                kind = "notice" if subject.waived else ("warning" if allowed else STATUS_COMMANDS[subject.status])
                text = control(subject.summary) + (f"\n{control(subject.remediation)}" if subject.remediation else "")
                out.append(_command(kind, text, f"preflight {check.id}" + (f" [{control(member)}]" if member else "")))
    return out


def render(report: Report, *, color: bool = False, verbose: bool = False) -> str:
    from preflight.reports import markdown

    lines = commands(report)
    summary = markdown.render(report, verbose=verbose)
    step_summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if step_summary:
        try:
            with open(step_summary, "a", encoding="utf-8") as f:
                f.write(summary.rstrip("\n") + "\n")
            summary = ""
        except OSError:
            pass
    if summary:
        lines += ["::group::preflight summary", ci_lines(summary.rstrip("\n")), "::endgroup::"]
    lines.append(f"preflight: {report.verdict.value} ({report.tally.line()})")
    return "\n".join(lines) + "\n"
