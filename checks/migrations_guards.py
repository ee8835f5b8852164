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
  by the read-only transaction) cannot be evaluated read-only: a warning, and it is not run.
- A guard sees the database as it will be when its migration runs. For the first pending migration that is the
  database now; for a later one only if no earlier pending migration creates, alters or drops a relation the
  guard reads. Otherwise the guard is "not evaluable yet": information naming the earlier migration (on a fresh
  install, guards that read tables created by earlier migrations must not fail).
- A guard that passes is information; ``migrations.lint`` uses it to turn the same migration's data-loss failures
  into warnings that name the guard.
- A guard cut short by ``statement_timeout`` or ``lock_timeout`` is an error (nothing was verified).

Example::

    [[check]]
    id = "migration-guards"
    uses = "migrations.guards"
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from preflight.api import CheckContext, Finding, Location, Result, Severity

if TYPE_CHECKING:
    from preflight.migrations import Migration

needs = ("database", "migrations")


def run(config: None, ctx: CheckContext) -> Result:
    from preflight.lint import analyze_sources

    pending: list[Migration] = ctx.migrations.with_sql(ctx.migrations.pending)
    analyses = analyze_sources([(m.sql.encode("utf-8"), m.transaction) for m in pending],
                               use_cache=not ctx.options.get("no_cache"))
    findings: list[Finding] = []
    outcomes: list[dict[str, Any]] = []
    for index, (m, analysis) in enumerate(zip(pending, analyses, strict=True)):
        for g in analysis.get("guards", ()):
            line = g["line"] + m.sql_line - 1
            where = Location(m.file, line, g["column"])
            record: dict[str, Any] = {"migration": m.name, "file": m.file, "line": line}
            data: dict[str, Any] = {"statement": g["statement"], "reads": g["reads"]}
            severity, status, message = _judge(ctx, g, index, pending, f"guard at {m.file}:{line}", data)
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
    return result


def _judge(ctx: CheckContext, g: dict[str, Any], index: int, pending: list[Migration], label: str,
           data: dict[str, Any]) -> tuple[Severity, str, str]:
    """(severity, status, message) for one guard; evaluates it when it can be."""
    from preflight.lint.guards import evaluability
    from preflight.lint.live import evaluate_guard

    if g["writes"]:
        data["writes"] = g["writes"]
        return (Severity.WARNING, "not-evaluable",
                f"{label} is not evaluable read-only: it writes ({'; '.join(g['writes'][:3])}), so it was not run")
    why = evaluability(g, index, pending)
    if why is not None:
        return Severity.INFO, "not-evaluable-yet", f"{label} is not evaluable yet: {why}"
    outcome = evaluate_guard(ctx, g["sql"])
    if outcome.status == "pass":
        return Severity.INFO, "passes", f"{label} passes against the live database"
    if outcome.status == "raise":
        data["error"] = outcome.message
        detail = f" ({outcome.detail})" if outcome.detail else ""
        return Severity.FAILURE, "raises", f"{label} raises: {outcome.message}{detail}"
    if outcome.status == "write":
        return (Severity.WARNING, "not-evaluable",
                f"{label} is not evaluable read-only: it tried to write ({outcome.message})")
    if outcome.status == "timeout":
        return Severity.ERROR, "timeout", f"{label} could not finish: {outcome.message}"
    data["error"] = outcome.message
    return Severity.FAILURE, "errors", f"{label} fails: {outcome.message}"
