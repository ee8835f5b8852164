"""Running the checks on a fleet: the engine's hook for ``[targets.database.fleet]``.

Checks that read the database (the check type says so, see :meth:`preflight.plugin.CheckType.reads_database`,
or ``when_pending`` makes its applicability depend on each member's pending list) run once per member, on
``[run] fleet_jobs`` members at a time; the other checks run once, beside them. Each member gets its own
:class:`~preflight.targets.Targets` (:meth:`~preflight.targets.Targets.for_member`): its own read-only sessions with
the target's timeouts, the run's one image, and the run's one reading of the migration files, judged against
the member's own tracking table. A member is first connected to; one that cannot be reached has every one of
its checks end as an ``error`` saying so, and is never left out of the report.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import threading
import time
from collections import deque
from typing import TYPE_CHECKING, Any

from preflight import __version__, plugin
from preflight.errors import PreflightError
from preflight.fleet.members import Member, load_members
from preflight.fleet.outcome import Fleet, FleetMember, fold
from preflight.fleet.shard import select
from preflight.model import CheckReport, MemberReport, Status
from preflight.secrets import scrub

if TYPE_CHECKING:
    from preflight.config import CheckSpec, Config
    from preflight.engine import RunOptions
    from preflight.targets import Targets


def per_member(spec: CheckSpec) -> bool:
    """Whether ``spec`` runs once per member (else once for the whole fleet)."""
    return spec.when_pending is not None or plugin.require(spec.uses).reads_database(spec.config)


def run_fleet(config: Config, specs: list[CheckSpec], targets: Targets, opts: RunOptions, deadline: float,
              jobs: int) -> tuple[dict[str, CheckReport], Fleet]:
    from preflight.engine import run_checks

    database = config.targets.database
    assert database is not None and database.fleet is not None
    everyone = load_members(database)
    chosen: list[Member] = select(everyone, (m.name for m in everyone), opts.members, opts.shard)
    each = [s for s in specs if per_member(s)]
    once = [s for s in specs if not per_member(s)]
    fleet = Fleet(size=len(everyone), source=database.fleet.source,
                  members=[FleetMember(m.name, m.display_dsn) for m in chosen],
                  fingerprint=fingerprint(config, specs, everyone, opts),
                  max_unreachable=database.fleet.max_unreachable, patterns=list(opts.members), shard=opts.shard)
    if opts.progress:
        opts.progress("total", str(len(once) + len(each) * len(chosen)), None)
    timeout = float(config.run.timeout)

    once_reports: dict[str, CheckReport] = {}

    def run_once() -> None:
        once_reports.update(run_checks(once, targets, opts, deadline, jobs, timeout))

    once_thread = threading.Thread(target=run_once, name="fleet:once", daemon=True)
    if once:
        once_thread.start()

    queue = deque(chosen)
    lock = threading.Lock()
    results: dict[str, dict[str, MemberReport]] = {}
    unreachable: set[str] = set()

    def worker() -> None:
        while True:
            with lock:
                if not queue:
                    return
                member = queue.popleft()
            reports, down = _check_member(member, each, targets, opts, deadline, jobs, timeout)
            with lock:
                results[member.name] = reports
                if down:
                    unreachable.add(member.name)

    workers = [threading.Thread(target=worker, name=f"fleet:{i}", daemon=True)
               for i in range(min(config.run.fleet_jobs, len(chosen)) if each else 0)]
    for t in workers:
        t.start()
    for t in workers:
        # Each member's checks end by the deadline; the grace covers a connect_timeout begun just before it.
        t.join(max(0.0, deadline - time.monotonic()) + float(database.connect_timeout) + 1)
    if once:
        once_thread.join(max(0.0, deadline - time.monotonic()) + 1)

    out: dict[str, CheckReport] = {}
    with lock:
        for spec in each:
            members = []
            for m in chosen:
                r = results.get(m.name, {}).get(spec.id)
                if r is None:
                    r = _member_error(spec, m.name, "did not finish before the run's deadline (--deadline)")
                members.append(r)
            check = CheckReport(id=spec.id, type=spec.uses, status=Status.SKIP, summary="", severity=spec.severity,
                                members=members)
            fold(check)
            out[spec.id] = check
        for fm in fleet.members:
            fm.unreachable = fm.name in unreachable
    for spec in once:
        out[spec.id] = once_reports.get(spec.id) or CheckReport(
            id=spec.id, type=spec.uses, status=Status.ERROR, severity=spec.severity,
            summary="did not finish before the run's deadline (--deadline)")
    return out, fleet


def _check_member(member: Member, specs: list[CheckSpec], targets: Targets, opts: RunOptions, deadline: float,
                  jobs: int, timeout: float) -> tuple[dict[str, MemberReport], bool]:
    """One member's results, and whether it was unreachable."""
    from preflight.engine import run_checks

    if time.monotonic() >= deadline:
        return {s.id: _member_error(s, member.name, "not started before the run's deadline (--deadline)")
                for s in specs}, False
    mt = targets.for_member(member.dsn)
    try:
        try:
            with mt.database.connection():
                pass
        except Exception as e:  # noqa: BLE001 - whatever stops a session from opening: the member is unreachable
            cause = e.message if isinstance(e, PreflightError) else f"{type(e).__name__}: {e}"
            reports = {}
            for s in specs:
                r = _member_error(s, member.name, f"unreachable: {scrub(' '.join(cause.split()))}")
                r.unreachable = True
                r.remediation = ("make the member reachable from where preflight runs, remove it from the fleet, "
                                 "or allow a few with max_unreachable")
                reports[s.id] = r
            return reports, True
        checked = run_checks(specs, mt, opts, deadline, jobs, timeout, label=member.name)
    finally:
        mt.close()
    return {cid: _as_member(r, member.name) for cid, r in checked.items()}, False


def _member_error(spec: CheckSpec, name: str, summary: str) -> MemberReport:
    return MemberReport(id=spec.id, type=spec.uses, status=Status.ERROR, summary=summary, severity=spec.severity,
                        member=name)


def _as_member(r: CheckReport, name: str) -> MemberReport:
    return MemberReport(id=r.id, type=r.type, status=r.status, summary=r.summary, details=r.details,
                        remediation=r.remediation, findings=r.findings, severity=r.severity,
                        duration_ms=r.duration_ms, traceback=r.traceback, member=name)


def fingerprint(config: Config, specs: list[CheckSpec], members: list[Member], opts: RunOptions) -> str:
    """A digest of what a shard's verdict depends on besides its members' databases: the checks selected and
    their settings, the waivers, the targets and the whole fleet (names and DSNs without passwords). Shards of one
    rollout agree on it; ``preflight merge`` refuses reports that do not."""
    from preflight.secrets import redact_dsn

    t = config.targets

    def plain(obj: Any, *drop: str) -> Any:
        if obj is None:
            return None
        d = dataclasses.asdict(obj)
        for key in drop:
            d.pop(key, None)
        return d

    doc = {
        "preflight": __version__,
        "checks": [{"id": s.id, "uses": s.uses, "severity": s.severity, "timeout": s.timeout,
                    "when_pending": s.when_pending, "config": plain(s.config) if s.config is not None else None}
                   for s in specs],
        "waivers": [w.to_dict() for w in config.waivers],
        "run_waivers": [{"check": w.check, "reason": w.reason} for w in opts.run_waivers],
        "fail_on": opts.fail_on_warn if opts.fail_on_warn is not None else config.run.fail_on == "warn",
        "targets": {"database": plain(t.database, "dsn", "fleet"), "image": plain(t.image), "migrations": plain(t.migrations)},
        "fleet": {"members": [[m.name, redact_dsn(m.dsn)] for m in members],
                  "patterns": list(opts.members),
                  "max_unreachable": t.database.fleet.max_unreachable if t.database and t.database.fleet else 0},
    }
    text = json.dumps(doc, sort_keys=True, default=str, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()
