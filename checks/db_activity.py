"""Passes when no session could make the rollout's DDL queue behind it and stall the application.

``ALTER TABLE`` and most DDL need an ``ACCESS EXCLUSIVE`` lock: while it waits behind a long transaction, every
other query on the table queues behind it, and the application stalls. Before DDL runs, this check reads
``pg_stat_activity`` and ``pg_locks`` for the other sessions of the database and flags:

- transactions open longer than ``max_transaction_age``;
- sessions idle in a transaction longer than ``max_idle_in_transaction`` (they hold their locks while idle);
- sessions waiting for a lock longer than ``max_lock_wait``, with the pids blocking them.

With ``[targets.migrations]`` the check knows the tables the pending migrations alter, and singles out the
sessions holding or awaiting locks on them: those fail, the others only warn (they cannot block that DDL).
Without it, every flagged session fails. Sessions of other roles that this role may not see (it lacks
``pg_read_all_stats``) have ages it cannot read: whether they could block the DDL is unknown, an ``error`` ("could
not decide", exit 3) by default, a warning with ``on_unknown = "warn"``. With ``[targets.migrations]``, a hidden
session that locks none of the tables the pending migrations alter only warns, as a visible one would.

Reports show another session's pid, role, application, state, ages, locked tables and at most the first
``query_prefix`` characters of its query, with literals, parameters and comments replaced by ``?``: never
its values, parameters or passwords.

Example::

    [[check]]
    id = "no-blocking-sessions"
    uses = "db.activity"
    max_transaction_age = "5m"
    max_idle_in_transaction = "30s"
    max_lock_wait = "5s"
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from preflight.api import ActivitySession as Session
from preflight.api import (
    CheckContext,
    Duration,
    Finding,
    OnUnknown,
    PendingSchema,
    Result,
    Severity,
    check_session,
    doc,
    human_duration,
    name_matches,
    on_unknown_key,
    pending_schema,
    query_prefix,
    read_sessions,
    unknown_severity,
)

needs = ("database",)


@dataclass
class Config:
    max_transaction_age: Duration = doc("Flag transactions open longer than this.", default=Duration(300))
    max_idle_in_transaction: Duration = doc("Flag sessions idle inside a transaction longer than this.",
                                            default=Duration(30))
    max_lock_wait: Duration = doc("Flag sessions waiting for a lock longer than this.", default=Duration(5))
    query_prefix: int = doc("How many characters of another session's query to show (literals and parameters "
                            "are always replaced by ?); 0 shows none.", default=40)
    on_unknown: OnUnknown = on_unknown_key("sessions of other roles are hidden from this role (it lacks "
                                           "pg_read_all_stats), so their ages cannot be read")

    def __post_init__(self) -> None:
        if not 0 <= self.query_prefix <= 80:
            raise ValueError("query_prefix: must be between 0 and 80")


def run(config: Config, ctx: CheckContext) -> Result:
    # The pending list first: reading it may borrow the run's database connection for the tracking table.
    pending = pending_schema(ctx.targets)
    with check_session(ctx) as cur:
        sessions = read_sessions(cur)
    touched = pending.touched() if pending is not None else {}

    findings: list[Finding] = []
    hidden = [s for s in sessions if s.hidden]
    for s in sessions:
        if s.hidden:
            continue
        reasons = _reasons(config, s)
        if reasons:
            findings.append(_finding(config, s, reasons, pending, touched))
    findings.sort(key=lambda f: (f.severity is not Severity.FAILURE, -f.data["longest_seconds"], f.data["pid"]))
    if hidden:
        # A hidden session's locks are visible (pg_locks), its ages are not: one that locks nothing the pending
        # migrations alter cannot block their DDL; any other might, and that is unknown.
        elsewhere = [s for s in hidden if pending is not None and not _locks_pending(s, touched)]
        unknown = [s for s in hidden if s not in elsewhere]
        for group, severity in ((unknown, unknown_severity(config.on_unknown)), (elsewhere, Severity.WARNING)):
            if not group:
                continue
            pids = ", ".join(str(s.pid) for s in group)
            where = ("none of them locks a table the pending migrations alter" if group is elsewhere else
                     "they lock tables the pending migrations alter" if pending is not None else
                     "without [targets.migrations] any of them could block the DDL")
            prefix = "" if group is elsewhere else "could not decide: "
            findings.append(Finding(
                severity,
                f"{prefix}{len(group)} session(s) of other roles are hidden from this role (pids {pids}): their "
                f"transaction ages cannot be read, and {where}; grant it pg_read_all_stats",
                rule="hidden-sessions", data={"pids": [s.pid for s in group]}))

    details: dict[str, Any] = {
        "sessions": len(sessions),
        "max_transaction_age": human_duration(config.max_transaction_age),
        "max_idle_in_transaction": human_duration(config.max_idle_in_transaction),
        "max_lock_wait": human_duration(config.max_lock_wait),
    }
    if pending is not None:
        details["pending_tables"] = sorted(touched)
        if pending.unparsed:
            details["unparsed_migrations"] = list(pending.unparsed)
    flagged = [f for f in findings if f.rule != "hidden-sessions"]
    blocking = [f for f in flagged if f.severity is Severity.FAILURE]
    if blocking:
        summary = (f"{len(blocking)} session(s) could block the migrations' DDL: " + "; ".join(
            f.data["headline"] for f in blocking[:3]) + (" ..." if len(blocking) > 3 else ""))
    elif flagged:
        summary = (f"{len(flagged)} long-running or waiting session(s), none on the tables the pending migrations "
                   "alter")
    elif findings:
        summary = findings[0].message
    else:
        summary = (f"no long transactions, idle-in-transaction sessions or lock waits among {len(sessions)} other "
                   "session(s)")
    remediation = None
    if flagged:
        remediation = ("wait for these sessions to finish, or end them (pg_terminate_backend) if they are stuck, "
                       "before running the migrations")
    elif any(f.rule == "hidden-sessions" and f.severity is not Severity.WARNING for f in findings):
        remediation = ("grant the role pg_read_all_stats (or pg_monitor) so it can read every session's ages, or set "
                       "on_unknown = \"warn\" to accept not knowing")
    result = Result.from_findings(findings, ok=summary, bad=summary, details=details, remediation=remediation)
    return result


def _locks_pending(s: Session, touched: dict[str, list[str]]) -> bool:
    return any(name_matches(table, rel) for table in s.tables for rel in touched)


def _reasons(config: Config, s: Session) -> list[str]:
    reasons = []
    if s.idle_age is not None and s.idle_age > config.max_idle_in_transaction:
        reasons.append(f"idle in transaction for {human_duration(s.idle_age)}")
    if s.transaction_age is not None and s.transaction_age > config.max_transaction_age:
        reasons.append(f"transaction open for {human_duration(s.transaction_age)}")
    if s.lock_wait is not None and s.lock_wait > config.max_lock_wait:
        by = f" (blocked by pid {', '.join(str(p) for p in s.blocked_by)})" if s.blocked_by else ""
        on = f" on {', '.join(s.waits_for)}" if s.waits_for else ""
        reasons.append(f"waiting for a lock{on} for {human_duration(s.lock_wait)}{by}")
    return reasons


def _finding(config: Config, s: Session, reasons: list[str], pending: PendingSchema | None,
             touched: dict[str, list[str]]) -> Finding:
    hits = sorted({(table, m) for table in s.tables for rel, ms in touched.items() if name_matches(table, rel)
                   for m in ms})
    who = f"pid {s.pid}" + (f" ({s.user}" + (f", {s.application}" if s.application else "") + ")" if s.user else "")
    headline = f"{who}: {', '.join(reasons)}"
    message = headline
    if hits:
        tables = sorted({t for t, _ in hits})
        migrations = sorted({m for _, m in hits})
        message += (f"; it locks {', '.join(tables)}, which pending migration(s) {', '.join(migrations)} "
                    "alter")
    elif s.tables:
        message += f"; it locks {', '.join(s.tables[:5])}" + (" ..." if len(s.tables) > 5 else "")
    prefix = query_prefix(s.query_head, config.query_prefix)
    if prefix:
        message += f"; query: {prefix}"
    severity = Severity.FAILURE if pending is None or hits else Severity.WARNING
    longest = max(x for x in (s.transaction_age, s.idle_age, s.lock_wait, 0.0) if x is not None)
    data: dict[str, Any] = {
        "pid": s.pid,
        "user": s.user,
        "application": s.application,
        "state": s.state,
        "reasons": reasons,
        "transaction_age_seconds": _round(s.transaction_age),
        "idle_seconds": _round(s.idle_age),
        "lock_wait_seconds": _round(s.lock_wait),
        "blocked_by": s.blocked_by,
        "holds_locks_on": s.holds,
        "waits_for_locks_on": s.waits_for,
        "pending_migrations": sorted({m for _, m in hits}),
        "query_prefix": prefix,
        "headline": headline,
        "longest_seconds": _round(longest),
    }
    return Finding(severity, message, rule="session", data=data)


def _round(v: float | None) -> float | None:
    return None if v is None else round(v, 1)
