"""The engine: runs the selected checks concurrently with timeouts, applies waivers, and builds the report.

It knows no check by name: every check type comes from the plugin registry. A check that raises, times out or
cannot reach its target ends as ``error`` with a one-line cause (fail closed). Checks run in daemon threads from a
bounded pool, so a check stuck past its timeout is abandoned without holding up the report; the database reader's
statement timeout ends its query on the server side. When the database target is a fleet, the checks that read
the database run once per member (see :mod:`preflight.fleet.runner`) and their results are folded into one.
"""

from __future__ import annotations

import datetime
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING, Any

from preflight import plugin
from preflight.config import CheckSpec, Config, Waiver
from preflight.deadline import DeadlinePassed, until
from preflight.errors import PreflightError, UsageError
from preflight.model import CheckReport, Finding, Report, Result, Severity, Status
from preflight.secrets import scrub, scrub_value
from preflight.targets import Targets

if TYPE_CHECKING:
    from preflight.fleet.shard import Shard


@dataclass
class RunOptions:
    only: list[str] = field(default_factory=list)
    skip: list[str] = field(default_factory=list)
    deadline: float | None = None
    """Seconds for the whole run (overrides the config's [run] deadline)."""
    jobs: int | None = None
    debug: bool = False
    fail_on_warn: bool | None = None
    run_waivers: list[Waiver] = field(default_factory=list)
    today: datetime.date | None = None
    options: dict[str, Any] = field(default_factory=dict)
    progress: Callable[[str, str, CheckReport | None], None] | None = None
    """Called with (event, check id, report): event is "start" or "done". In a fleet run, a check on a member
    is named ``check@member``, and a first event "total" gives the number of checks to come as its id."""
    members: list[str] = field(default_factory=list)
    """``--member`` globs: the fleet members to check (default: all)."""
    shard: Shard | None = None
    """``--shard I/N``: the slice of the fleet (after ``members``) to check."""


def select(config: Config, only: list[str], skip: list[str]) -> list[CheckSpec]:
    ids = {c.id for c in config.checks}
    for wanted in [*only, *skip]:
        if not any(fnmatchcase(i, wanted) for i in ids):
            raise PreflightError(f"no check with id {wanted!r} in the config (ids: {', '.join(sorted(ids))})")
    chosen = [c for c in config.checks if not only or any(fnmatchcase(c.id, p) for p in only)]
    return [c for c in chosen if not any(fnmatchcase(c.id, p) for p in skip)]


def _one_line(e: BaseException) -> str:
    text = " ".join(str(e).split()) or type(e).__name__
    if not isinstance(e, PreflightError):
        text = f"{type(e).__name__}: {text}"
    return scrub(text)


class _Slot:
    """The outcome of one check running in its own thread."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.result: Result | None = None
        self.error: BaseException | None = None
        self.tb: str | None = None
        self.started = 0.0
        self.finished = 0.0


def run(config: Config, opts: RunOptions | None = None) -> Report:
    opts = opts or RunOptions()
    specs = select(config, opts.only, opts.skip)
    if not specs:
        raise PreflightError("no checks selected: the config defines none, or --only/--skip left none")
    database = config.targets.database
    if (opts.members or opts.shard is not None) and (database is None or database.fleet is None):
        raise UsageError("--member and --shard choose members of a fleet: the config has no "
                         "[targets.database.fleet] (or --dsn replaced it with one database)")
    targets = Targets(config.targets)
    run_deadline_s = opts.deadline if opts.deadline is not None else float(config.run.deadline)
    start = time.monotonic()
    deadline = start + run_deadline_s
    jobs = opts.jobs or config.run.jobs
    fleet = None
    try:
        if database is not None and database.fleet is not None:
            from preflight.fleet.runner import run_fleet

            reports, fleet = run_fleet(config, specs, targets, opts, deadline, jobs)
        else:
            reports = run_checks(specs, targets, opts, deadline, jobs, float(config.run.timeout))
    finally:
        targets.close()

    ordered = [reports[s.id] for s in specs]
    today = opts.today or datetime.date.today()
    all_waivers = [*config.waivers, *opts.run_waivers]
    ordered = apply_waivers(ordered, all_waivers, today)
    if fleet is not None:
        fleet.settle(ordered)
    fail_on_warn = opts.fail_on_warn if opts.fail_on_warn is not None else config.run.fail_on == "warn"
    return Report(
        checks=ordered,
        targets=targets.describe(),
        config_file=config.file,
        fail_on_warn=fail_on_warn,
        run_waivers=[w.to_dict() for w in opts.run_waivers],
        duration_ms=round((time.monotonic() - start) * 1000),
        fleet=fleet,
    )


def run_checks(specs: list[CheckSpec], targets: Targets, opts: RunOptions, deadline: float, jobs: int,
               default_timeout: float, label: str = "") -> dict[str, CheckReport]:
    """Run ``specs`` against ``targets``, ``jobs`` at a time, each within its timeout and the run's ``deadline``;
    a report per check id. ``label`` (a fleet member's name) prefixes the ids given to the progress callback."""
    pool = threading.BoundedSemaphore(jobs)
    reports: dict[str, CheckReport] = {}

    def progress(event: str, check_id: str, report: CheckReport | None) -> None:
        if opts.progress:
            opts.progress(event, f"{check_id}@{label}" if label else check_id, report)

    # when_pending: decided up front, from the one shared pending list.
    runnable: list[CheckSpec] = []
    for spec in specs:
        gated = _gate(spec, targets)
        if gated is None:
            runnable.append(spec)
        else:
            reports[spec.id] = gated
            progress("done", spec.id, gated)

    def worker(spec: CheckSpec, slot: _Slot, timeout: float) -> None:
        with pool:
            slot.started = time.monotonic()
            progress("start", spec.id, None)
            # The check's own timeout counts from when it got a place in the pool, as below.
            check_deadline = min(deadline, slot.started + timeout)
            ctx = plugin.CheckContext(check_id=spec.id, targets=targets, deadline=check_deadline,
                                      debug=opts.debug, options=opts.options)
            try:
                ctype = plugin.require(spec.uses)
                # Readers that stream (image layers) stop at the deadline instead of running on after the check
                # has been reported as timed out.
                with until(check_deadline):
                    slot.result = ctype.run(spec.config, ctx)
                if not isinstance(slot.result, Result):
                    raise TypeError(f"check type {spec.uses!r} returned {type(slot.result).__name__}, "
                                    "not a Result")
            except BaseException as e:  # noqa: BLE001 - any failure of a check is its error, not ours
                slot.error = e
                slot.tb = traceback.format_exc()
            finally:
                slot.finished = time.monotonic()
                slot.done.set()

    threads = []
    for spec in runnable:
        slot = _Slot()
        timeout = float(spec.timeout if spec.timeout is not None else default_timeout)
        t = threading.Thread(target=worker, args=(spec, slot, timeout),
                             name=f"check:{spec.id}", daemon=True)
        threads.append((spec, slot, t, timeout))
        t.start()

    for spec, slot, _t, timeout in threads:
        # A check's own timeout counts from when it got a place in the pool.
        while not slot.done.is_set():
            now = time.monotonic()
            if now >= deadline:
                break
            if slot.started and now >= slot.started + timeout:
                break
            slot.done.wait(0.05)
        reports[spec.id] = _report(spec, slot, timeout, deadline, opts.debug)
        progress("done", spec.id, reports[spec.id])
    return reports


def _gate(spec: CheckSpec, targets: Targets) -> CheckReport | None:
    """A report for a check that does not run because no pattern of its ``when_pending`` is pending."""
    if spec.when_pending is None:
        return None
    try:
        pending = targets.pending_migration_names()
    except KeyboardInterrupt:
        raise  # Ctrl-C or SIGTERM: the run ends, it is not this check's error
    except BaseException as e:  # noqa: BLE001 - cannot tell whether it applies: fail closed
        return CheckReport(id=spec.id, type=spec.uses, status=Status.ERROR, severity=spec.severity,
                           summary=f"cannot tell whether the check applies (when_pending): {_one_line(e)}")
    if spec.applies_to(pending):
        return None
    pats = ", ".join(spec.when_pending)
    return CheckReport(id=spec.id, type=spec.uses, status=Status.SKIP, severity=spec.severity,
                       summary=f"not applicable: no pending migration matches when_pending ({pats})",
                       details={"when_pending": list(spec.when_pending)})


def _report(spec: CheckSpec, slot: _Slot, timeout: float, deadline: float, debug: bool) -> CheckReport:
    base = CheckReport(id=spec.id, type=spec.uses, status=Status.ERROR, summary="", severity=spec.severity)
    if not slot.done.is_set():
        base.duration_ms = round((time.monotonic() - slot.started) * 1000) if slot.started else 0
        if slot.started and time.monotonic() < deadline:
            base.summary = f"timed out after {_secs(timeout)} (timeout)"
        else:
            base.summary = "did not finish before the run's deadline (--deadline)"
        return base
    base.duration_ms = round((slot.finished - slot.started) * 1000)
    if isinstance(slot.error, DeadlinePassed):
        # A reader stopped at the check's deadline a moment before the loop above noticed it: the same words
        # either way, so that the same inputs give the same report.
        if slot.started + timeout < deadline:
            base.summary = f"timed out after {_secs(timeout)} (timeout)"
        else:
            base.summary = "did not finish before the run's deadline (--deadline)"
        return base
    if slot.error is not None:
        base.summary = _one_line(slot.error)
        if debug and slot.tb:
            base.traceback = scrub(slot.tb)
        return base
    result = slot.result
    assert result is not None
    base.status = result.status
    base.summary = scrub(result.summary)
    base.details = scrub_value(result.details)
    base.remediation = scrub(result.remediation) if result.remediation else None
    for f in result.findings:
        f.message = scrub(f.message)
        f.data = scrub_value(f.data)
    base.findings = list(result.findings)
    if spec.severity == "warn" and base.status is Status.FAIL:
        base.status = Status.WARN
        base.summary = f"{base.summary} (severity = \"warn\")"
    return base


def _secs(s: float) -> str:
    from preflight.typed import human_duration

    return human_duration(s)


def apply_waivers(reports: list[CheckReport], waivers: list[Waiver], today: datetime.date) -> list[CheckReport]:
    """Waive what the waivers acknowledge; an expired waiver fails; an unused waiver warns.

    A check-wide waiver waives a failing or erroring check. A waiver narrowed with ``rule`` / ``migration`` waives
    only the matching findings, each marked with the waiver's reason: the check's status becomes the worst finding
    still open (a check whose failures are all waived still warns about its open warnings), and the check is
    waived when no finding that warns or worse is left open. In a fleet, a waiver applies to each member's result
    of the check (with ``member``, only to the members whose name matches the glob).
    """
    used: set[int] = set()
    by_id = {r.id: r for r in reports}
    for i, w in enumerate(waivers):
        if w.expires < today:
            continue
        r = by_id.get(w.check)
        if r is None:
            continue
        if r.members is not None:
            subjects: list[CheckReport] = [m for m in r.members
                                           if w.member is None or fnmatchcase(m.member, w.member)]
        else:
            subjects = [r] if w.member is None else []
        for subject in subjects:
            if _waive(subject, w):
                used.add(i)
    for r in reports:
        for subject in r.members if r.members is not None else [r]:
            _note_waived(subject)

    extra: list[CheckReport] = []
    for i, w in enumerate(waivers):
        where = "command line" if w.from_command_line else (f"line {w.line}" if w.line else "config")
        if w.expires < today:
            extra.append(CheckReport(
                id=f"waiver:{w.label()}", type="waiver", status=Status.FAIL,
                summary=f"waiver for {w.label()!r} expired on {w.expires.isoformat()} ({where})",
                details=w.to_dict(),
                remediation="fix the underlying failure, or renew the waiver with a new expiry date and reason",
                findings=[Finding(Severity.FAILURE, f"expired waiver: {w.reason}")]))
        elif i not in used:
            target = by_id.get(w.check)
            if target is None:
                continue  # the check was not selected (--only/--skip): nothing to say about its waiver
            why = f"the check's status is {target.status}"
            if w.member is not None and not any(fnmatchcase(m.member, w.member) for m in target.members or ()):
                why = "no member of this run matched"
            elif w.narrowed:
                why = "no finding matched"
            extra.append(CheckReport(
                id=f"waiver:{w.label()}", type="waiver", status=Status.WARN,
                summary=f"waiver for {w.label()!r} matched nothing ({why}; {where}): remove it if it is stale",
                details=w.to_dict()))
    return reports + extra


def _waive(r: CheckReport, w: Waiver) -> bool:
    """Apply ``w`` to one check's (or one member's) result; True when it waived something."""
    if w.narrowed:
        before = _worst_open(r.findings)
        hit = False
        for f in r.findings:
            if f.waived_by is not None:
                continue
            if w.rule is not None and f.rule != w.rule:
                continue
            if w.migration is not None and not (f.migration and fnmatchcase(f.migration, w.migration)):
                continue
            f.waived_by = f"waiver: {w.reason}"
            hit = True
        if hit and not r.waived and _RANK.get(r.status, 0) <= _RANK[before]:
            # The status came from the findings: it is now the worst finding still open. When none is left
            # that warns or worse, the check is waived (as a check-wide waiver would leave it).
            after = _worst_open(r.findings)
            if _RANK[after] < _RANK[r.status]:
                if after is Status.PASS:
                    r.waived = True
                    r.waiver = w.to_dict()
                else:
                    r.status = after
        return hit
    if r.status in (Status.FAIL, Status.ERROR) and not r.waived:
        r.waived = True
        r.waiver = w.to_dict()
        return True
    return False


_RANK = {Status.PASS: 0, Status.WARN: 1, Status.FAIL: 2, Status.ERROR: 3}
_BY_SEVERITY = {Severity.INFO: Status.PASS, Severity.WARNING: Status.WARN, Severity.FAILURE: Status.FAIL,
                Severity.ERROR: Status.ERROR}


def _worst_open(findings: list[Finding]) -> Status:
    """The status the findings not waived (by a waiver or in the file) would give a check."""
    return max((_BY_SEVERITY[f.severity] for f in findings if f.waived_by is None), key=_RANK.__getitem__,
               default=Status.PASS)


def _note_waived(r: CheckReport) -> None:
    """Say in the summary how many findings waivers acknowledged: the check's own words count them as open."""
    counts: dict[str, int] = {}
    for f in r.findings:
        if f.waived_by is not None and f.waived_by.startswith("waiver: "):
            counts[str(f.severity)] = counts.get(str(f.severity), 0) + 1
    if counts:
        worst_first = sorted(counts.items(), key=lambda kv: -_RANK[_BY_SEVERITY[Severity(kv[0])]])
        parts = [f"{n} {s}{'s' if n != 1 and s != 'info' else ''}" for s, n in worst_first]
        r.summary = f"{r.summary} ({', '.join(parts)} waived)"
