"""``preflight lint FILE|DIR...``: the migration lint with no config and no database (the rules of
``migrations.lint`` with ``scope = "all"``), for editors, pre-commit hooks and review bots.

Files are plain SQL by default, run as one multi-statement query; a directory stands for its ``.sql`` files.
``--tracking RUNNER`` reads each file (and each directory, as the runner reads its source) the way that runner
does: only goose's and dbmate's up sections, each file's own transaction mode (goose ``NO TRANSACTION``, dbmate
``transaction:false``), and only the files the runner would run forward (golang-migrate's ``.down.sql`` files are
skipped; a file named on the command line that the runner does not run is said so, with the naming it expects).
A lint that linted nothing says so and exits 2: it is never a pass. Without a database the data-aware severities cannot apply: a destructive
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
from preflight.errors import UsageError

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
    """Each FILE, and each DIR as the runner reads its source directory, by the runner's own rules: (units,
    "path: skipped: why" lines, problems). A file named on the command line that the runner does not run is
    said to be skipped; in a directory, only the ``.sql`` files it does not run are (a README is no news)."""
    from preflight.errors import ReaderError
    from preflight.migrations.runners import runner_class
    from preflight.migrations.source import (
        DIRECTORY,
        Source,
        SourceFile,
        directory_source,
        entry_problem,
        refuse_unreadable,
    )
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

        directory = entry_problem(p) == DIRECTORY and not _named_like_a_file(p)
        if directory:
            source = directory_source(p, Path(p), Path.cwd(), runner.recursive)
        else:
            source = Source(p, p, [SourceFile(Path(p).name, p, str(Path(p).absolute()), load,
                                              problem=entry_problem(p))])
        scan = runner.scan(source)
        unmatched = refuse_unreadable(source, scan.unmatched)
        for prob in scan.problems:
            problems.append(Finding(Severity.FAILURE, prob.message, location=Location(prob.file or p, prob.line),
                                    rule=prob.kind, migration=prob.migration, data={"alternative": prob.remediation}))
        for m in scan.migrations:
            units.append(Unit(m.file, m.name, m.sql.encode("utf-8"), m.sql_line - 1, m.transaction))
        linted = {m.file for m in scan.migrations}
        for f in source.files:
            if f.display in linted or (directory and not f.name.endswith(".sql")):
                continue
            if f.display in unmatched:
                skipped.append(f"{f.display}: skipped: {tracking} does not run it: it runs files named {runner.naming}")
            elif not directory:
                skipped.append(f"{f.display}: skipped: {tracking} does not run it forward")
    return units, skipped, problems


def _nothing_linted(paths: list[str], tracking: str) -> str:
    """Why ``preflight lint --tracking`` linted nothing, and what would be linted."""
    from preflight.migrations.runners import runner_class
    from preflight.migrations.source import DIRECTORY, entry_problem

    given = [f"the files in {p}" if entry_problem(p) == DIRECTORY else p for p in paths[:3]]
    more = f" and {len(paths) - 3} more" if len(paths) > 3 else ""
    return (f"nothing linted: {tracking} runs none of {', '.join(given)}{more}: it runs files named "
            f"{runner_class(tracking).naming}; without --tracking, every file is linted as plain SQL")


def _named_like_a_file(path: str) -> bool:
    """A directory named like a migration file (``2_drop.up.sql``) is a migration that cannot be read, not a
    directory of migrations to lint."""
    return path.rstrip("/").endswith(".sql")


def _plain_files(paths: list[str]) -> list[str]:
    """The files to lint as plain SQL: each FILE, and the ``.sql`` files of each DIR (not its subdirectories).
    Every one of them is a migration to lint: one that cannot be read must not vanish from the lint."""
    from preflight.errors import ReaderError
    from preflight.migrations.source import DIRECTORY, directory_source, entry_problem

    files: list[str] = []
    for p in paths:
        problem = entry_problem(p, streams=True)
        if problem == DIRECTORY and not _named_like_a_file(p):
            found = [f for f in directory_source(p, Path(p), Path.cwd(), False).files if f.name.endswith(".sql")]
            for f in found:
                if f.problem is not None:
                    raise ReaderError(f"{f.display}: cannot read: {f.problem}")
            if not found:
                raise UsageError(f"nothing linted: {p} is a directory with no .sql file in it")
            files += [f.display for f in found]
        elif problem is not None:
            raise ReaderError(f"{p}: cannot read: {problem}")
        else:
            files.append(p)
    return files


def lint_units(units: list[Unit], include: tuple[str, ...], exclude: tuple[str, ...],
               no_cache: bool, on_unknown: str = "error") -> list[Finding]:
    from preflight.lint import analyze_sources
    from preflight.lint.history import settle
    from preflight.lint.report import Selection, items, to_finding

    selection = Selection(include, exclude, on_unknown=on_unknown)
    analyses = analyze_sources([(u.sql, u.transaction) for u in units], use_cache=not no_cache,
                               enabled=frozenset(selection.enabled))
    per_unit = [items(analysis, selection) for analysis in analyses]
    # the units in run order: what the earlier ones do settles conditions (after the cached analyses)
    settle([(u.path, analysis) for u, analysis in zip(units, analyses, strict=True)], per_unit,
           fixed=set(selection.severity), offsets={u.path: u.line_offset for u in units})
    findings: list[Finding] = []
    for u, its in zip(units, per_unit, strict=True):
        for item in its:
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
              help="Read the files as this runner does (its file naming, up sections, per-file transaction mode): "
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
@click.option("--verbose", "-v", is_flag=True,
              help="Text (and Markdown): print the info findings too (by default counted per rule on stderr).")
@click.option("--no-cache", is_flag=True, help="Do not use the parse cache.")
@click.option("--no-color", is_flag=True, help="No colour (also: the NO_COLOR environment variable).")
@handle_errors
def lint(files: tuple[str, ...], tracking: str | None, transaction: str | None, include: tuple[str, ...],
         exclude: tuple[str, ...], on_unknown: str, fmt: str, verbose: bool, no_cache: bool, no_color: bool) -> None:
    """Lint migration files: no config, no database.

    Every lint rule of migrations.lint, on every statement of each FILE (DO blocks and function bodies
    included); a DIR stands for its .sql files, or with --tracking for the files the runner runs from it. Exit
    code 1 when a finding is a failure not acknowledged in the file (`-- preflight: ignore <rule> <reason>`);
    else 3 when a file could not be linted (it does not parse, or cannot be read: a dangling or looping symlink,
    a NUL byte); else 0. 2: a FILE that does not exist, nothing to lint (no .sql file in a DIR, or no file the
    --tracking runner runs), or bad usage.
    """
    from preflight.escaping import ci_lines, control
    from preflight.lint import lint_files

    paths = list(files)
    for p in paths:
        if not os.path.lexists(p):
            raise UsageError(f"{p}: no such file")
    skipped: list[str] = []
    try:
        if tracking is not None:
            units, skipped, problems = _runner_units(paths, tracking, transaction)
            if not units and not problems:
                for s in skipped:
                    click.echo(ci_lines(control(s)), err=True)
                raise UsageError(_nothing_linted(paths, tracking))
            findings = problems + lint_units(units, include, exclude, no_cache, on_unknown)
            linted = [u.path for u in units]
        else:
            linted = _plain_files(paths)
            findings = lint_files(linted, runner_transaction=transaction or "implicit", no_cache=no_cache,
                                  include=include, exclude=exclude, on_unknown=on_unknown)
    except ValueError as e:  # an unknown rule id
        raise UsageError(str(e).removeprefix("rules.")) from None
    order = {p: i for i, p in enumerate(linted)}
    findings.sort(key=lambda f: (order.get(f.location.file, -1), f.location.line or 0) if f.location else (-1, 0))
    report = as_report(findings, len(linted))
    for s in skipped:
        click.echo(ci_lines(control(s)), err=True)
    if fmt == "text":
        shown = [f for f in findings if verbose or f.severity != "info"]
        if shown:
            click.echo("\n".join(line(f) for f in shown))
        hidden = len(findings) - len(shown)
        if hidden:
            from preflight.reports.templating import findings_shown

            rules = findings_shown(report.checks[0])["info_rules"]
            click.echo(f"preflight: {hidden} info finding{'s' if hidden != 1 else ''} not shown ({rules}; -v shows "
                       "them)", err=True)
    else:
        from preflight.reports import render

        click.echo(render(fmt, report, color=use_color(no_color), verbose=verbose), nl=False)
    sys.exit(report.exit_code)
