"""Lists the migrations the rollout will run, in the runner's order, and fails on a broken migration state.

Reads ``[targets.migrations]`` (the files the release ships, from a directory or from the image) and the
runner's tracking table (one query, read-only), and judges them the way the runner will when the rollout runs
``migrate up``. The details show how many migrations are applied, the last one, and the pending list in run
order, each with version, name, file, sha256 and line count. Pending migrations are information, not a failure.

The check fails when:

- a previous run broke off: golang-migrate's ``dirty`` flag, a Flyway row with ``success = false``;
- the database is ahead of the release: it has applied migrations this release does not have (an older image
  rolling out against a newer schema);
- the runner will not run a pending migration: golang-migrate skips a migration below its recorded version
  without a word (it keeps no history; preflight can tell when that migration creates a table, view, index or
  sequence that does not exist, with one more query, to the catalog), goose refuses older-than-current
  migrations, Flyway refuses them unless ``outOfOrder``;
- a migration changed after it was applied, where the runner records checksums (Flyway), or its description
  changed (Flyway);
- two files share a version where the runner's versions must be unique, or the runner cannot parse a file;
- more than ``max_pending`` migrations are pending.

A database without the tracking table is a fresh install: everything is pending, and that is not an error.
Files that match no naming rule of the runner are warnings (the runner ignores them). Each finding names the
migration and says what to do.

Example::

    [targets.migrations]
    source = "image:/app/migrations"
    tracking = "golang-migrate"

    [[check]]
    id = "migration-state"
    uses = "migrations.pending"
    max_pending = 20
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from preflight.api import CheckContext, Finding, Location, Result, Severity, doc, silently_skipped
from preflight.api import describe_plan as describe
from preflight.api import plan_summary as summary

if TYPE_CHECKING:
    from preflight.api import MigrationPlan, Problem

needs = ("database", "migrations")


@dataclass
class Config:
    max_pending: int | None = doc("More pending migrations than this is a failure (a release that has not been "
                                  "rolled out for too long).", default=None)

    def __post_init__(self) -> None:
        if self.max_pending is not None and self.max_pending < 0:
            raise ValueError("max_pending: must be 0 or more")


def run(config: Config, ctx: CheckContext) -> Result:
    plan = ctx.migrations
    state = plan.state
    problems = list(plan.problems)
    problems += silently_skipped(plan, ctx.database)

    findings: list[Finding] = []
    for p in problems:
        findings.append(_finding(p))
    for shown in plan.unmatched:
        findings.append(Finding(
            Severity.WARNING,
            f"{shown} matches no {plan.runner} naming rule: the runner ignores it",
            location=Location(shown), rule="unmatched-file",
            data={"remediation": "rename it to the runner's naming scheme, or move it out of the migrations "
                                 "directory"}))
    for note in plan.notes:
        findings.append(Finding(Severity.INFO, note, rule="presumption"))
    pending = state.pending
    if config.max_pending is not None and len(pending) > config.max_pending:
        findings.append(Finding(
            Severity.FAILURE,
            f"{len(pending)} migrations are pending, more than max_pending = {config.max_pending}",
            rule="too-many-pending", migration=pending[0].name,
            data={"remediation": "roll out the releases in between first, or raise max_pending"}))

    details = describe(plan, problems)
    del details["problems"], details["unmatched_files"], details["notes"]
    failures = [f for f in findings if f.severity is Severity.FAILURE]
    remediation = None
    if failures:
        remediation = "; ".join(dict.fromkeys(str(f.data.get("remediation")) for f in failures
                                              if f.data.get("remediation")))
    return Result.from_findings(findings, ok=summary(plan), bad=_bad_summary(failures, findings, plan),
                                details=details, remediation=remediation or None)


def _bad_summary(failures: list[Finding], findings: list[Finding], plan: MigrationPlan) -> str:
    if failures:
        head = failures[0].message
        return head if len(failures) == 1 else f"{head} (and {len(failures) - 1} more)"
    warnings = [f for f in findings if f.severity is Severity.WARNING]
    return f"{summary(plan)}; {len(warnings)} warning{'s' if len(warnings) != 1 else ''}"


def _finding(p: Problem) -> Finding:
    return Finding(
        Severity.FAILURE if p.severity == "failure" else Severity.INFO,
        p.message,
        location=Location(p.file, p.line) if p.file else None,
        rule=p.kind,
        migration=p.migration,
        data={"remediation": p.remediation},
    )
