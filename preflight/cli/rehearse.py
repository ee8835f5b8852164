"""``preflight rehearse``: the pending migrations rehearsed on a copy of the live schema, as a table.

It uses the config's targets and the settings of its first ``migrations.rehearse`` check (``--check ID`` picks
another; without one, that check type's defaults), runs one rehearsal and prints, per migration and per
statement, the outcome, the locks held when it ended, the rewrites and scans, and the time on the copy; then
the data preconditions probed on the live data and the findings. ``--format json`` prints what the check
reports in ``preflight run``'s JSON (its summary, details and findings). Exit codes are ``preflight run``'s:
0 it applies, 1 it would fail (or blocks), 2 a usage error, 3 preflight could not decide.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import click

from preflight.cli.main import config_option, handle_errors, load_config, target_options


@click.command("rehearse")
@config_option
@target_options
@click.option("--rehearsal-dsn", metavar="DSN", help="Override [targets.rehearsal] dsn (empty: an embedded server).")
@click.option("--check", "check_id", metavar="ID", help="Use the settings of this migrations.rehearse check.")
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--show-values", is_flag=True, help="Show offending values in the report (default: redacted).")
@click.option("--debug", is_flag=True, help="Add tracebacks to errors.")
@handle_errors
def rehearse(config_path: Path | None, dsn: str | None, image: str | None, migrations: str | None,
             rehearsal_dsn: str | None, check_id: str | None, fmt: str, show_values: bool, debug: bool) -> None:
    """Rehearse the pending migrations on a copy of the live schema: per statement, its outcome, locks,
    rewrites and time; the data preconditions probed on the live data."""
    from preflight.checks.migrations_rehearse import Config
    from preflight.errors import ConfigError
    from preflight.model import EXIT_BLOCKED, EXIT_SAFE, EXIT_UNDECIDED, Status
    from preflight.plugin import CheckContext
    from preflight.rehearsal.judge import judge
    from preflight.rehearsal.session import rehearse_context
    from preflight.rehearsal.table import durations_of, render
    from preflight.rehearsal.target import RehearsalTarget
    from preflight.secrets import scrub, scrub_value
    from preflight.targets import Targets

    cfg = load_config(config_path, dsn, image, migrations)
    if cfg.targets.database is None or cfg.targets.migrations is None:
        raise ConfigError("preflight rehearse needs [targets.database] and [targets.migrations] (or --dsn and a "
                          "migrations target)", file=cfg.file)
    specs = [c for c in cfg.checks if c.uses == "migrations.rehearse"]
    if check_id is not None:
        specs = [c for c in specs if c.id == check_id]
        if not specs:
            raise ConfigError(f"--check {check_id!r}: no migrations.rehearse check with that id", file=cfg.file)
    spec = specs[0] if specs else None
    config: Any = spec.config if spec is not None else Config()
    if show_values:
        config.show_values = True
    if rehearsal_dsn is not None:
        cfg.targets.rehearsal = cfg.targets.rehearsal or RehearsalTarget()
        cfg.targets.rehearsal.dsn = rehearsal_dsn
    timeout = float(spec.timeout if spec is not None and spec.timeout is not None else cfg.run.timeout)
    targets = Targets(cfg.targets)
    # Ctrl-C and SIGTERM (handle_errors) unwind through here: the rehearsal's database and server are removed.
    try:
        ctx = CheckContext(check_id=spec.id if spec else "rehearse", targets=targets,
                           deadline=time.monotonic() + timeout, debug=debug)
        pending = targets.migrations.pending
        if not pending:
            click.echo("preflight rehearse: no pending migrations: nothing to rehearse")
            return
        rehearsal, settings = rehearse_context(ctx, config)
        result = judge(rehearsal, settings)
    finally:
        targets.close()
    if fmt == "json":
        doc = {"status": str(result.status), "summary": scrub(result.summary), "details": scrub_value(result.details),
               "findings": [scrub_value(f.to_dict()) for f in result.findings]}
        if result.remediation:
            doc["remediation"] = scrub(result.remediation)
        click.echo(json.dumps(doc, indent=2, ensure_ascii=False))
    else:
        click.echo(scrub(render(result, durations=durations_of(rehearsal))), nl=False)
    code = {Status.PASS: EXIT_SAFE, Status.WARN: EXIT_SAFE, Status.FAIL: EXIT_BLOCKED}.get(result.status,
                                                                                          EXIT_UNDECIDED)
    if code:
        sys.exit(code)

