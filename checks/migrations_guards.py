"""Runs the pending migrations' guards against the live database, read-only, before the rollout.

A guard is a ``DO`` block at the top of a migration (after any ``SET`` statements) that checks a precondition and
``RAISE``\\ s ``EXCEPTION`` (or fails an ``ASSERT``) when it does not hold, for example::

    DO $$
    BEGIN
      IF (SELECT max(day) FROM rollup_watermark) < current_date - 1 THEN
        RAISE EXCEPTION 'backfill has not caught up: refusing to drop the legacy rollups';
      END IF;
    END $$;
    DROP TABLE legacy_rollups;

preflight finds the guards of every pending migration and runs each one - only the guard block, never the rest
of the migration - in a ``READ ONLY`` transaction with the session's statement and lock timeouts, then rolls back.

- A guard that raises is a failure carrying the guard's own message, the migration and the line: the rollout
  would stop there, so it is better to know now.
- A guard that needs to write (an ``INSERT``/``UPDATE``/DDL in it, found without running it; or a write refused
  by the read-only transaction) cannot be evaluated read-only, and it is not run: preflight could not decide
  whether it holds, an ``error`` (exit 3) by default, a warning with ``on_unknown = "warn"``.
- A guard that would write or lock by another route (a function that writes, ``dblink_exec``,
  ``pg_advisory_lock``, ``LOCK``, ``EXECUTE`` of a computed string...), found by preflight's untrusted-SQL gate
  before it runs (README, "Safe on production"), is refused: an error naming the route, and it is not run.
- A guard sees the database as it will be when its migration runs. For the first pending migration that is the
  database now; for a later one only if no earlier pending migration creates, alters or drops a relation the
  guard reads. Otherwise the guard is "not evaluable yet", naming the earlier migration: could not decide
  either (``on_unknown``), except on a fresh install (the runner's tracking table does not exist: nothing has
  been applied, so there is no data yet for the guard to protect), where it is information.
- A guard that passes is information; ``migrations.lint`` uses it to turn the same migration's data-loss failures
  into warnings that name the guard.
- A guard cut short by ``statement_timeout`` or ``lock_timeout`` is an error (nothing was verified).
- A pending migration that does not parse: whether it holds a guard is unknown, could not decide
  (``on_unknown``).

Example::

    [[check]]
    id = "migration-guards"
    uses = "migrations.guards"
    on_unknown = "error"    # the default: a guard that cannot be run blocks the rollout
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from preflight.api import (
    CheckContext,
    Finding,
    Location,
    OnUnknown,
    Result,
    Severity,
    on_unknown_key,
    unknown_severity,
)

if TYPE_CHECKING:
    from preflight.api import Migration

needs = ("database", "migrations")


@dataclass
class Config:
    on_unknown: OnUnknown = on_unknown_key("a guard cannot be evaluated (it writes, or an earlier pending "
                                           "migration changes what it reads), or a pending migration does not "
                                           "parse")


def run(config: Config, ctx: CheckContext) -> Result:
    plan = ctx.migrations
    pending: list[Migration] = plan.with_sql(plan.pending)
    # Not evaluable yet on a fresh install (no tracking table): nothing applied, no data for a guard to protect.
    unknown = Severity.INFO if not plan.state.table_exists else unknown_severity(config.on_unknown)
    analyses = plan.analyses(pending, use_cache=not ctx.options.get("no_cache"))
    findings: list[Finding] = []
    outcomes: list[dict[str, Any]] = []
    for index, (m, analysis) in enumerate(zip(pending, analyses, strict=True)):
        error = analysis.get("error")
        if error:
            # A migration that does not parse: whether it has guards, and what they say, is unknown.
            line = error["line"] + m.sql_line - 1
            findings.append(Finding(
                unknown_severity(config.on_unknown),
                f"could not decide: {m.file} does not parse ({error['message']}), so its guards could not be found",
                location=Location(m.file, line, error["column"]), rule="guard-not-found", migration=m.name))
            outcomes.append({"migration": m.name, "file": m.file, "line": line, "status": "not-parsed"})
            continue
        for g in analysis.get("guards", ()):
            line = g["line"] + m.sql_line - 1
            where = Location(m.file, line, g["column"])
            record: dict[str, Any] = {"migration": m.name, "file": m.file, "line": line}
            data: dict[str, Any] = {"statement": g["statement"], "reads": g["reads"]}
            severity, status, message = _judge(ctx, g, index, pending, f"guard at {m.file}:{line}", data,
                                               config.on_unknown, unknown)
            record["status"] = status
            findings.append(Finding(severity, message, location=where, rule=f"guard-{status}", migration=m.name,
                                    data=data))
            outcomes.append(record)
    if not outcomes:
        return Result.passed(f"no guards in {len(pending)} pending migration{'s' if len(pending) != 1 else ''}",
                             details={"guards": []})
    counts: dict[str, int] = {}
    for o in outcomes:
        counts[o["status"]] = counts.get(o["status"], 0) + 1
    summary = ", ".join(f"{n} {status.replace('-', ' ')}" for status, n in sorted(counts.items()))
    result = Result.from_findings(findings, ok=f"{len(outcomes)} guard{'s' if len(outcomes) != 1 else ''}: "
                                  f"{summary}", bad=f"{len(outcomes)} guards: {summary}",
                                  details={"guards": outcomes})
    if any(f.severity is Severity.FAILURE for f in findings):
        result.remediation = ("a guard that raises will stop its migration at rollout: make its precondition hold "
                              "(finish the backfill, move the data) before rolling out")
    elif any(f.rule in ("guard-not-evaluable", "guard-not-evaluable-yet", "guard-not-found")
             and f.severity is not Severity.INFO
             for f in findings):
        result.remediation = ("preflight could not tell whether these guards hold: make a guard read-only (a "
                              "SELECT and RAISE), roll out the earlier migrations first, or fix the migration that "
                              "does not parse; set on_unknown = \"warn\" to accept not knowing")
    return result


def _judge(ctx: CheckContext, g: dict[str, Any], index: int, pending: list[Migration], label: str,
           data: dict[str, Any], on_unknown: OnUnknown, unknown: Severity) -> tuple[Severity, str, str]:
    """(severity, status, message) for one guard; evaluates it when it can be. ``unknown``: the severity of a
    guard that cannot be evaluated yet; a guard that writes is as ``on_unknown`` says."""
    from preflight.api import evaluate_guard
    from preflight.api import guard_evaluability as evaluability

    cannot = unknown_severity(on_unknown)
    if g["writes"]:
        data["writes"] = g["writes"]
        return (cannot, "not-evaluable",
                f"could not decide: {label} is not evaluable read-only: it writes "
                f"({'; '.join(g['writes'][:3])}), so it was not run")
    why = evaluability(g, index, pending)
    if why is not None:
        prefix = "could not decide: " if unknown is not Severity.INFO else ""
        return unknown, "not-evaluable-yet", f"{prefix}{label} is not evaluable yet: {why}"
    outcome = evaluate_guard(ctx, g["sql"])
    if outcome.status == "pass":
        return Severity.INFO, "passes", f"{label} passes against the live database"
    if outcome.status == "raise":
        data["error"] = outcome.message
        detail = f" ({outcome.detail})" if outcome.detail else ""
        return Severity.FAILURE, "raises", f"{label} raises: {outcome.message}{detail}"
    if outcome.status == "refused":
        data["refused"] = outcome.message
        return Severity.ERROR, "refused", f"{label} was not run: refused: {outcome.message}"
    if outcome.status == "write":
        return (cannot, "not-evaluable",
                f"could not decide: {label} is not evaluable read-only: it tried to write ({outcome.message})")
    if outcome.status == "timeout":
        return Severity.ERROR, "timeout", f"{label} could not finish: {outcome.message}"
    data["error"] = outcome.message
    return Severity.FAILURE, "errors", f"{label} fails: {outcome.message}"
