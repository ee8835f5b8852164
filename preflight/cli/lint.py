"""``preflight lint FILE...``: the migration lint with no config and no database (the rules of ``migrations.lint``
with ``scope = "all"``), for editors, pre-commit hooks and review bots.

Files are plain SQL by default, run as one multi-statement query. ``--tracking RUNNER`` reads each file the way
that runner does: only goose's and dbmate's up sections, each file's own transaction mode (goose ``NO
TRANSACTION``, dbmate ``transaction:false``), and only the files the runner would run forward (golang-migrate's
``.down.sql`` files are skipped). Without a database the data-aware severities cannot apply: a destructive
statement is a failure whatever the table holds; ``preflight run`` judges the pending migrations against the
live database.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from preflight.cli.main import FORMAT_NAMES, handle_errors, use_color

if TYPE_CHECKING:
    from preflight.model import Finding, Report

RUNNERS = ("golang-migrate", "goose", "dbmate", "flyway", "filename")
CHECK_ID = "lint"


@dataclass
class Unit:
    """What gets linted for one file: the SQL the runner executes, where it starts, and how it runs."""

    path: str
    migration: str
    sql: bytes
    line_offset: int
    transaction: str


def _runner_units(paths: list[str], tracking: str, transaction: str | None) -> tuple[list[Unit], list[str],
                                                                                     list[Finding]]:
    """Each file read by the runner's own rules: (units, files the runner does not run, problems)."""
    from preflight.errors import ReaderError
    from preflight.migrations.runners import runner_class
    from preflight.migrations.source import Source, SourceFile, entry_problem, refuse_unreadable
    from preflight.migrations.target import MigrationsTarget
    from preflight.model import Finding, Location, Severity

    target = MigrationsTarget(source=".", tracking=tracking)  # type: ignore[arg-type]
    target.transaction = transaction  # type: ignore[assignment]
    runner = runner_class(tracking)(target)
    units: list[Unit] = []
    skipped: list[str] = []
    problems: list[Finding] = []
    for p in paths:
        def load(p: str = p) -> bytes:
            try:
                return Path(p).read_bytes()
            except OSError as e:
                raise ReaderError(f"{p}: cannot read: {e.strerror or e}") from None

        source = Source(p, p, [SourceFile(Path(p).name, p, str(Path(p).absolute()), load,
                                          problem=entry_problem(p))])
        scan = runner.scan(source)
        skipped += refuse_unreadable(source, scan.unmatched)
        for prob in scan.problems:
            problems.append(Finding(Severity.FAILURE, prob.message, location=Location(prob.file or p, prob.line),
                                    rule=prob.kind, migration=prob.migration, data={"alternative": prob.remediation}))
        for m in scan.migrations:
            units.append(Unit(p, m.name, m.sql.encode("utf-8"), m.sql_line - 1, m.transaction))
    return units, skipped, problems


def lint_units(units: list[Unit], include: tuple[str, ...], exclude: tuple[str, ...],
               no_cache: bool, on_unknown: str = "error") -> list[Finding]:
    from preflight.lint import analyze_sources
    from preflight.lint.report import Selection, items, to_finding

    selection = Selection(include, exclude, on_unknown=on_unknown)
    analyses = analyze_sources([(u.sql, u.transaction) for u in units], use_cache=not no_cache,
                               enabled=frozenset(selection.enabled))
    findings: list[Finding] = []
    for u, analysis in zip(units, analyses, strict=True):
        for item in items(analysis, selection):
            findings.append(to_finding(item, file=u.path, migration=u.migration, line_offset=u.line_offset))
    return findings


def as_report(findings: list[Finding], files: int) -> Report:
    """The findings as a one-check report, for the structured formats (json, sarif, github, junit...), and for
    the exit code: a failure blocks (1), else a file that could not be linted (3, could not decide)."""
    from preflight.model import CheckReport, Report, Result, Status

    failures = sum(1 for f in findings if f.severity == "failure" and f.waived_by is None)
    warnings = sum(1 for f in findings if f.severity == "warning" and f.waived_by is None)
    errors = sum(1 for f in findings if f.severity == "error" and f.waived_by is None)
    what = f"{files} file{'s' if files != 1 else ''}"
    bad = f"{what}: {failures} failures, {warnings} warnings" + (f", {errors} could not be linted" if errors else "")
    result = Result.from_findings(findings, ok=f"{what} lint clean", bad=bad)
    status = Status.FAIL if failures else result.status  # a known failure says more than an unknown
    check = CheckReport(id=CHECK_ID, type="migrations.lint", status=status, summary=result.summary,
                        details={"scope": "all", "files": files}, findings=findings)
    return Report(checks=[check], targets={})


def line(f: Finding) -> str:
    """``file:line:column: severity rule: message``, as compilers print it (editors and pre-commit read it); file
    names and messages show their control characters escaped, so a finding is always one line."""
    from preflight.escaping import ci_lines, control

    loc = f.location
    where = f"{loc.file}:{loc.line or 1}:{loc.column or 1}" if loc is not None else "-"
    note = f" [acknowledged: {f.waived_by}]" if f.waived_by else ""
    return ci_lines(control(f"{where}: {f.severity} {f.rule}: {f.message}{note}"))


@click.command("lint")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=str, readable=False))
@click.option("--tracking", type=click.Choice(RUNNERS), metavar="RUNNER",
              help="Read the files as this runner does (up sections, per-file transaction mode): "
                   + ", ".join(RUNNERS) + ". Default: plain SQL files.")
@click.option("--transaction", type=click.Choice(["file", "implicit", "none"]),
              help='How the files run: "file" (in a transaction the runner opens), "implicit" (one multi-statement '
                   'query; the default for plain files), "none". Default with --tracking: the runner\'s.')
@click.option("--include", multiple=True, metavar="RULE", help='Turn on an opt-in rule ("all": every rule).')
@click.option("--exclude", multiple=True, metavar="RULE", help="Turn a rule off (repeatable).")
@click.option("--format", "-f", "fmt", type=click.Choice(FORMAT_NAMES), default="text", show_default=True,
              help="text: one line per finding; the others render a report, as `preflight run` does.")
@click.option("--on-unknown", type=click.Choice(["error", "warn"]), default="error", show_default=True,
              help='A file that does not parse could not be linted: "error" (exit 3) or "warn" (a warning).')
@click.option("--no-cache", is_flag=True, help="Do not use the parse cache.")
@click.option("--no-color", is_flag=True, help="No colour (also: the NO_COLOR environment variable).")
@handle_errors
def lint(files: tuple[str, ...], tracking: str | None, transaction: str | None, include: tuple[str, ...],
         exclude: tuple[str, ...], on_unknown: str, fmt: str, no_cache: bool, no_color: bool) -> None:
    """Lint migration files: no config, no database.

    Every lint rule of migrations.lint, on every statement of each FILE (DO blocks and function bodies
    included). Exit code 1 when a finding is a failure not acknowledged in the file
    (`-- preflight: ignore <rule> <reason>`); else 3 when a file could not be linted (it does not parse, or
    cannot be read: a dangling or looping symlink, a directory, a NUL byte); else 0. 2: a FILE that does not
    exist, or bad usage.
    """
    from preflight.errors import UsageError
    from preflight.lint import lint_files

    paths = list(files)
    for p in paths:
        if not os.path.lexists(p):
            raise UsageError(f"{p}: no such file")
    if tracking is None:
        # Every file named is a migration to lint: one that cannot be read must not vanish from the lint (with
        # --tracking, the runner's naming rules decide, and an entry they match that cannot be read is refused).
        from preflight.errors import ReaderError
        from preflight.migrations.source import DIRECTORY, entry_problem

        for p in paths:
            problem = entry_problem(p, streams=True)
            if problem == DIRECTORY and not p.endswith(".sql"):
                raise UsageError(f"{p}: a directory: name the migration files in it, e.g. {p}/*.sql")
            if problem is not None:
                raise ReaderError(f"{p}: cannot read: {problem}")
    problems: list[Finding] = []
    skipped: list[str] = []
    try:
        if tracking is not None:
            units, skipped, problems = _runner_units(paths, tracking, transaction)
            findings = problems + lint_units(units, include, exclude, no_cache, on_unknown)
        else:
            findings = lint_files(paths, runner_transaction=transaction or "implicit", no_cache=no_cache,
                                  include=include, exclude=exclude, on_unknown=on_unknown)
    except ValueError as e:  # an unknown rule id
        raise UsageError(str(e).removeprefix("rules.")) from None
    order = {p: i for i, p in enumerate(paths)}
    findings.sort(key=lambda f: (order.get(f.location.file, 0), f.location.line or 0) if f.location else (0, 0))
    report = as_report(findings, len(paths))
    for s in skipped:
        from preflight.escaping import ci_lines, control

        click.echo(ci_lines(control(f"{s}: skipped: {tracking} does not run it forward")), err=True)
    if fmt == "text":
        if findings:
            click.echo("\n".join(line(f) for f in findings))
    else:
        from preflight.reports import render

        click.echo(render(fmt, report, color=use_color(no_color)), nl=False)
    sys.exit(report.exit_code)

