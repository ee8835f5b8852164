"""``preflight migrations``: the pending list for operators, without running any check."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from preflight.cli.main import config_option, handle_errors, load_config, target_options

if TYPE_CHECKING:
    from preflight.migrations.model import Migration, Problem
    from preflight.migrations.plan import MigrationPlan

EXIT_SAFE, EXIT_BLOCKED = 0, 1


@click.command("migrations")
@config_option
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Output format.")
@target_options
@handle_errors
def migrations(config_path: Path | None, fmt: str, dsn: str | None, image: str | None,
               migrations: str | None) -> None:
    """Print the pending migrations, in the order the runner will run them.

    Reads [targets.migrations] and the runner's tracking table in [targets.database] (one read-only query), and
    prints what `migrate up` will run, with every problem migrations.pending fails on. Without a database
    target it prints every migration in run order. With an "image:" source, --image names the image whose
    migrations will run. Exit code: 0, or 1 when the migration state blocks a rollout, 3 when it cannot be read.
    """
    from preflight.errors import ConfigError
    from preflight.migrations.evidence import silently_skipped
    from preflight.migrations.report import describe
    from preflight.targets import Targets

    # The DSN's syntax is checked where the tracking table is read (psycopg is imported there, maybe in another
    # process): a malformed DSN is still a config error, exit 2.
    cfg = load_config(config_path, dsn, image, migrations, defer_dsn_check=True)
    if cfg.targets.migrations is None:
        raise ConfigError("no [targets.migrations] in the config: add source and tracking to list migrations",
                          file=cfg.file)
    targets = Targets(cfg.targets)
    try:
        if cfg.targets.database is None:
            _emit_without_database(targets.migrations, fmt)
            return
        from preflight.migrations import load_plan

        plan = load_plan(cfg.targets.migrations, targets)
        problems = [*plan.problems, *silently_skipped(plan, targets.database)]
        doc = describe(plan, problems)
        database = targets.describe()["database"]["dsn"] or "(PG* environment)"
    finally:
        targets.close()
    if fmt == "json":
        click.echo(json.dumps({**doc, "database": database}, indent=2, sort_keys=True))
    else:
        click.echo(_text(plan, problems, database), nl=False)
    blocked = any(p["severity"] == "failure" for p in doc["problems"])
    raise SystemExit(EXIT_BLOCKED if blocked else EXIT_SAFE)


def _emit_without_database(plan: MigrationPlan, fmt: str) -> None:
    source_problems = plan.source_problems
    if fmt == "json":
        doc: dict[str, Any] = {
            "runner": plan.runner,
            "source": plan.source,
            "database": None,
            "migrations": [m.to_dict() for m in plan.migrations],
            "problems": [p.to_dict() for p in source_problems],
            "unmatched_files": list(plan.unmatched),
            "notes": list(plan.notes),
        }
        click.echo(json.dumps(doc, indent=2, sort_keys=True))
    else:
        lines = [f"{plan.runner} migrations in {plan.source}",
                 f"no database target (pass --dsn): all {len(plan.migrations)} migrations, in run order:"]
        lines += _migration_lines(plan.migrations, plan.default_transaction)
        lines += _problem_lines(source_problems, plan)
        click.echo(_shown(lines), nl=False)
    if any(p.severity == "failure" for p in source_problems):
        raise SystemExit(EXIT_BLOCKED)


def _migration_lines(migs: list[Migration], default_transaction: str) -> list[str]:
    if not migs:
        return []
    # The version column only where it says something the name does not (`filename`: they are the same).
    width = max(len(m.version) for m in migs) if any(m.version != m.name for m in migs) else -2
    name_width = max(len(m.name) for m in migs)
    out = []
    for i, m in enumerate(migs, start=1):
        tx = "" if m.transaction == default_transaction else f"  [transaction: {m.transaction}]"
        lines = f"{m.line_count} line{'' if m.line_count == 1 else 's'}"
        version = m.version.ljust(width) + "  " if width >= 0 else ""
        out.append(f"  {i:>{len(str(len(migs)))}}. {version}{m.name.ljust(name_width)}  "
                   f"{m.file}  {lines}  sha256:{m.sha256[:12]}{tx}")
    return out


def _problem_lines(problems: list[Problem], plan: MigrationPlan) -> list[str]:
    out = []
    for p in problems:
        tag = "FAIL" if p.severity == "failure" else "INFO"
        out.append(f"{tag}  {p.message}")
        out.append(f"      fix: {p.remediation}")
    for shown in plan.unmatched:
        out.append(f"WARN  {shown} matches no {plan.runner} naming rule: the runner ignores it")
    for note in plan.notes:
        out.append(f"NOTE  {note}")
    return out


def _text(plan: MigrationPlan, problems: list[Problem], database: str) -> str:
    state = plan.state
    lines = [f"{plan.runner} migrations in {plan.source}, tracking table {state.table} in {database}"]
    if not state.table_exists:
        lines.append("applied: none (no tracking table: a fresh database)")
    else:
        last = state.last_applied
        last_text = f", last: {last.label}" if last is not None else ""
        lines.append(f"applied: {len(state.applied)}{last_text}")
    if state.pending:
        lines.append(f"pending: {len(state.pending)}, in run order:")
        lines += _migration_lines(state.pending, plan.default_transaction)
    else:
        lines.append("pending: none")
    lines += _problem_lines(problems, plan)
    return _shown(lines)


def _shown(lines: list[str]) -> str:
    """The lines as printed: file and migration names are the outside world's, so no line may hold a line break
    or escape sequence of its own, or pass for a CI workflow command (see :mod:`preflight.escaping`)."""
    from preflight.escaping import ci_lines, control

    return ci_lines("\n".join(control(line) for line in lines)) + "\n"
