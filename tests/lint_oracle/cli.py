"""preflight as a user drives it: the CLI, in-process, and its JSON report. Nothing else of preflight is used."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

from tests.helpers import run_cli, validate_report

RUN_CHECK = "oracle-lint"


class CliFailed(AssertionError):
    """preflight did not produce a usable report: the oracle cannot judge anything."""


def _report(outcome: Any, what: str) -> dict[str, Any]:
    try:
        report = json.loads(outcome.stdout)
    except json.JSONDecodeError:
        raise CliFailed(f"{what}: exit {outcome.exit_code}, no JSON report:\n{outcome.stdout[-2000:]}\n"
                        f"{outcome.stderr[-2000:]}") from None
    validate_report(report)
    return report  # type: ignore[no-any-return]


def lint_files(cwd: Path, files: list[str], tracking: str | None = None, cache: Path | None = None) -> dict[str, Any]:
    """``preflight lint --format json --include all FILES`` from ``cwd`` (no database): every rule, opt-in too.
    With ``cache``, the lint's cache lives there (else it is off)."""
    args = ["lint", "--format", "json", "--include", "all"] + ([] if cache else ["--no-cache"])
    if tracking:
        args += ["--tracking", tracking]
    env = {"NO_COLOR": "1", **({"PREFLIGHT_CACHE_DIR": str(cache)} if cache else {})}
    with contextlib.chdir(cwd):
        outcome = run_cli([*args, *files], env=env)
    if outcome.exit_code not in (0, 1, 3):
        raise CliFailed(f"preflight lint exited {outcome.exit_code}: {outcome.stderr.strip()[-2000:]}")
    return _report(outcome, "preflight lint")


def config_text(dsn: str, source: Path, tracking: str, *, lock_size: str = "0", extra: str = "") -> str:
    """A preflight.toml: the database, the migrations, and ``migrations.lint`` on the pending ones, every rule
    on, and ``lock_size = "0"`` so that every blocking lock on an existing table is reported as big."""
    q = json.dumps  # a JSON string is a valid TOML basic string
    return (f"[targets.database]\ndsn = {q(dsn)}\n\n"
            f"[targets.migrations]\nsource = {q(str(source))}\ntracking = {q(tracking)}\n{extra}\n"
            f"[[check]]\nid = {q(RUN_CHECK)}\nuses = \"migrations.lint\"\nscope = \"pending\"\n"
            f"rules = {{ include = [\"all\"] }}\nthresholds = {{ lock_size = {q(lock_size)} }}\n")


def run_pending(workdir: Path, config: str) -> dict[str, Any]:
    """``preflight run --format json`` with ``config``; the lint check's entry of the report."""
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / "preflight.toml"
    path.write_text(config, encoding="utf-8")
    with contextlib.chdir(workdir):
        outcome = run_cli(["run", "--format", "json", "-q", "--no-cache", "-c", str(path)], env={"NO_COLOR": "1"})
    report = _report(outcome, "preflight run")
    (check,) = [c for c in report["checks"] if c["id"] == RUN_CHECK]
    if check["status"] == "error" and not check.get("findings"):
        raise CliFailed(f"the lint check could not run: {check.get('summary')}")
    return report
