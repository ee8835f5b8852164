"""The result model: what a check returns and what a report is made of.

A check's ``run`` returns a :class:`Result`. The engine wraps it in a :class:`CheckReport` with the check's id,
type, waiver and timing, and the reports render a :class:`Report`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Status(enum.StrEnum):
    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    ERROR = "error"
    SKIP = "skip"


class Severity(enum.StrEnum):
    INFO = "info"
    WARNING = "warning"
    FAILURE = "failure"
    ERROR = "error"


@dataclass(frozen=True)
class Location:
    """A place in a file: 1-based line and column."""

    file: str
    line: int | None = None
    column: int | None = None


@dataclass
class Finding:
    """One thing a check found: a missing path, a lint hit, an expired waiver."""

    severity: Severity
    message: str
    location: Location | None = None
    rule: str | None = None
    """A stable rule id (lint rules), used by waivers narrowed to findings and by SARIF."""
    migration: str | None = None
    """The migration a finding is about, used by waivers narrowed to findings."""
    data: dict[str, Any] = field(default_factory=dict)
    waived_by: str | None = None
    """Set by the engine: the waiver (or in-file suppression) that acknowledged this finding."""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"severity": str(self.severity), "message": self.message}
        if self.location is not None:
            loc: dict[str, Any] = {"file": self.location.file}
            if self.location.line is not None:
                loc["line"] = self.location.line
            if self.location.column is not None:
                loc["column"] = self.location.column
            out["location"] = loc
        if self.rule is not None:
            out["rule"] = self.rule
        if self.migration is not None:
            out["migration"] = self.migration
        if self.data:
            out["data"] = self.data
        if self.waived_by is not None:
            out["waived_by"] = self.waived_by
        return out


@dataclass
class Result:
    """What a check's ``run`` returns."""

    status: Status
    summary: str
    details: dict[str, Any] = field(default_factory=dict)
    remediation: str | None = None
    findings: list[Finding] = field(default_factory=list)

    @classmethod
    def passed(cls, summary: str, **kw: Any) -> Result:
        return cls(Status.PASS, summary, **kw)

    @classmethod
    def warned(cls, summary: str, **kw: Any) -> Result:
        return cls(Status.WARN, summary, **kw)

    @classmethod
    def failed(cls, summary: str, **kw: Any) -> Result:
        return cls(Status.FAIL, summary, **kw)

    @classmethod
    def errored(cls, summary: str, **kw: Any) -> Result:
        return cls(Status.ERROR, summary, **kw)

    @classmethod
    def skipped(cls, summary: str, **kw: Any) -> Result:
        return cls(Status.SKIP, summary, **kw)

    @classmethod
    def from_findings(cls, findings: list[Finding], *, ok: str, bad: str, **kw: Any) -> Result:
        """Status from the worst finding: any failure fails, any warning warns, else pass."""
        severities = {f.severity for f in findings if f.waived_by is None}
        if Severity.ERROR in severities:
            status = Status.ERROR
        elif Severity.FAILURE in severities:
            status = Status.FAIL
        elif Severity.WARNING in severities:
            status = Status.WARN
        else:
            status = Status.PASS
        return cls(status, ok if status is Status.PASS else bad, findings=findings, **kw)


@dataclass
class CheckReport:
    """A check's result as the engine reports it."""

    id: str
    type: str
    status: Status
    summary: str
    details: dict[str, Any] = field(default_factory=dict)
    remediation: str | None = None
    findings: list[Finding] = field(default_factory=list)
    waived: bool = False
    waiver: dict[str, Any] | None = None
    severity: str = "fail"
    duration_ms: int = 0
    traceback: str | None = None
    members: list[MemberReport] | None = None
    """In a fleet run, a check that reads the database: its result on each member, sorted by name (the check's
    own status is the worst of them, see :mod:`preflight.fleet.outcome`)."""

    @property
    def blocks(self) -> bool:
        return not self.waived and self.status in (Status.FAIL, Status.ERROR)

    def acknowledged(self, f: Finding) -> str | None:
        """What acknowledged finding ``f``: a waiver narrowed to it or an in-file suppression, or a waiver of the
        whole check; None when it is open. A check waived by narrowed waivers leaves its other findings open."""
        if f.waived_by is not None:
            return f.waived_by
        if self.waived and self.waiver is not None and not ({"rule", "migration"} & self.waiver.keys()):
            return f"waiver: {self.waiver.get('reason', '')}"
        return None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "type": self.type,
            "status": str(self.status),
            "waived": self.waived,
            "summary": self.summary,
            "details": self.details,
            "findings": [f.to_dict() for f in self.findings],
            "duration_ms": self.duration_ms,
        }
        if self.remediation:
            out["remediation"] = self.remediation
        if self.waiver is not None:
            out["waiver"] = self.waiver
        if self.traceback:
            out["traceback"] = self.traceback
        if self.members is not None:
            from preflight.fleet.outcome import member_tally

            out["members"] = [m.to_dict() for m in self.members]
            out["member_tally"] = member_tally(self.members)
        return out


@dataclass
class MemberReport(CheckReport):
    """A check's result on one member of a fleet."""

    member: str = ""
    unreachable: bool = False
    """The member could not be reached: its checks are errors (allowed ones do not block, see ``allowed``)."""
    allowed: bool = False
    """Unreachable, and within ``max_unreachable``: reported, but does not block."""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "member": self.member,
            "status": str(self.status),
            "waived": self.waived,
            "summary": self.summary,
            "details": self.details,
            "findings": [f.to_dict() for f in self.findings],
            "duration_ms": self.duration_ms,
        }
        if self.remediation:
            out["remediation"] = self.remediation
        if self.waiver is not None:
            out["waiver"] = self.waiver
        if self.traceback:
            out["traceback"] = self.traceback
        if self.unreachable:
            out["unreachable"] = True
            out["allowed"] = self.allowed
        return out


@dataclass
class Tally:
    checks: int = 0
    passed: int = 0
    warnings: int = 0
    failed: int = 0
    errors: int = 0
    skipped: int = 0
    waived: int = 0

    def to_dict(self) -> dict[str, int]:
        return dict(self.__dict__)

    def line(self) -> str:
        return (
            f"{self.checks} checks: {self.passed} passed, {self.warnings} warnings, {self.failed} failed, "
            f"{self.errors} errors, {self.skipped} skipped, {self.waived} waived"
        )


class Verdict(enum.StrEnum):
    PASS = "pass"
    FAIL = "fail"
    ERROR = "error"


EXIT_SAFE = 0
EXIT_BLOCKED = 1
EXIT_USAGE = 2
EXIT_UNDECIDED = 3


@dataclass
class Report:
    checks: list[CheckReport]
    targets: dict[str, Any]
    config_file: str | None = None
    fail_on_warn: bool = False
    run_waivers: list[dict[str, Any]] = field(default_factory=list)
    """Waivers given on the command line for this run only: reports print them prominently."""
    duration_ms: int = 0
    fleet: Any = None
    """A :class:`preflight.fleet.outcome.Fleet` when the database target is a fleet, else None."""

    @property
    def tally(self) -> Tally:
        t = Tally(checks=len(self.checks))
        for c in self.checks:
            if c.waived:
                t.waived += 1
            elif c.status is Status.PASS:
                t.passed += 1
            elif c.status is Status.WARN:
                t.warnings += 1
            elif c.status is Status.FAIL:
                t.failed += 1
            elif c.status is Status.ERROR:
                t.errors += 1
            else:
                t.skipped += 1
        return t

    @property
    def verdict(self) -> Verdict:
        t = self.tally
        if t.failed or (self.fail_on_warn and t.warnings):
            return Verdict.FAIL
        if t.errors:
            return Verdict.ERROR
        return Verdict.PASS

    @property
    def exit_code(self) -> int:
        return {Verdict.PASS: EXIT_SAFE, Verdict.FAIL: EXIT_BLOCKED, Verdict.ERROR: EXIT_UNDECIDED}[self.verdict]
