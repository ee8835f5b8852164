"""Returns the outcome its config describes (tests only).

Lets the tests drive every status, finding and detail through the real engine and reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from preflight.api import CheckContext, Finding, Location, Result, Severity, Status, doc


@dataclass
class FindingSpec:
    severity: str = "failure"
    message: str = "something is wrong"
    file: str | None = None
    line: int | None = None
    rule: str | None = None
    migration: str | None = None


@dataclass
class Config:
    status: str = doc("Status to return.", default="pass")
    summary: str = doc("Summary line.", default="as configured")
    details: dict[str, Any] = doc("Details to return.", default_factory=dict)
    findings: list[FindingSpec] = field(default_factory=list)
    remediation: str | None = None
    count: int = doc("An integer key, for type tests.", default=0)


def run(config: Config, ctx: CheckContext) -> Result:
    findings = [Finding(Severity(f.severity), f.message,
                        Location(f.file, f.line) if f.file else None, rule=f.rule, migration=f.migration)
                for f in config.findings]
    return Result(Status(config.status), config.summary, details=config.details, findings=findings,
                  remediation=config.remediation)
