"""The JUnit XML report: one testcase per check (failure, error or skipped), for CI test-report viewers; in a
fleet, one per member of each check that ran per member (named "CHECK @ MEMBER").

Text from outside is shown with its control characters escaped (:func:`preflight.escaping.control`): they would
forge lines in a viewer, and most of them are not even allowed in XML 1.0."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from preflight.escaping import ci_lines, control
from preflight.fleet.outcome import subjects
from preflight.model import CheckReport, MemberReport, Report, Status
from preflight.reports.templating import flatten, location_text


def render(report: Report, *, color: bool = False, verbose: bool = False) -> str:
    t = report.tally
    tests, failed, errors, skipped = t.checks, t.failed, t.errors, t.skipped
    if report.fleet is not None:
        # One test case per member of a check that ran per member: count the cases.
        cases = [(c, s) for c in report.checks for s, _ in subjects(c)]
        tests = len(cases)
        failed = sum(1 for _, s in cases if s.status is Status.FAIL and not s.waived)
        errors = sum(1 for _, s in cases if s.status is Status.ERROR and not s.waived and not _allowed(s))
        skipped = sum(1 for _, s in cases if s.status is Status.SKIP and not s.waived)
    suites = ET.Element("testsuites", name="preflight", tests=str(tests), failures=str(failed),
                        errors=str(errors), skipped=str(skipped), time=f"{report.duration_ms / 1000:.3f}")
    suite = ET.SubElement(suites, "testsuite", name="preflight", tests=str(tests), failures=str(failed),
                          errors=str(errors), skipped=str(skipped), time=f"{report.duration_ms / 1000:.3f}")
    for check in report.checks:
        for c, member in subjects(check):
            _case(suite, check, c, member)
    ET.indent(suites)
    return ci_lines('<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n")


def _allowed(c: CheckReport) -> bool:
    return isinstance(c, MemberReport) and c.allowed


def _case(suite: ET.Element, check: CheckReport, c: CheckReport, member: str | None) -> None:
    """One test case: a check, or (``member``) a check on one fleet member."""
    name = control(check.id if member is None else f"{check.id} @ {member}")
    case = ET.SubElement(suite, "testcase", classname=control(check.type), name=name,
                         time=f"{c.duration_ms / 1000:.3f}")
    body_lines = [f"- {f.severity}: {control(f.message)}" + (f" [{control(location_text(f))}]" if f.location else "")
                  + (f" (waived by {control(f.waived_by)})" if f.waived_by else "")
                  for f in c.findings]
    body_lines += [f"{control(k)}: {control(v)}" for k, v in flatten(c.details)]
    if c.remediation:
        body_lines.append(f"fix: {control(c.remediation)}")
    body = "\n".join(body_lines)
    summary = control(c.summary)
    if c.waived:
        assert c.waiver is not None
        el = ET.SubElement(case, "skipped", message=f"waived: {control(c.waiver['reason'])} ({summary})")
        el.text = body or None
    elif _allowed(c):
        ET.SubElement(case, "skipped", message=f"allowed by max_unreachable: {summary}")
    elif c.status is Status.FAIL:
        el = ET.SubElement(case, "failure", message=summary, type="fail")
        el.text = body
    elif c.status is Status.ERROR:
        el = ET.SubElement(case, "error", message=summary, type="error")
        el.text = body
    elif c.status is Status.SKIP:
        ET.SubElement(case, "skipped", message=summary)
    else:
        out = ET.SubElement(case, "system-out")
        out.text = f"{c.status}: {summary}" + (f"\n{body}" if body else "")
