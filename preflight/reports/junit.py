"""The JUnit XML report: one testcase per check (failure, error or skipped), for CI test-report viewers.

Text from outside is shown with its control characters escaped (:func:`preflight.escaping.control`): they would
forge lines in a viewer, and most of them are not even allowed in XML 1.0."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from preflight.escaping import ci_lines, control
from preflight.model import Report, Status
from preflight.reports.templating import flatten, location_text


def render(report: Report, *, color: bool = False) -> str:
    t = report.tally
    suites = ET.Element("testsuites", name="preflight", tests=str(t.checks), failures=str(t.failed),
                        errors=str(t.errors), skipped=str(t.skipped), time=f"{report.duration_ms / 1000:.3f}")
    suite = ET.SubElement(suites, "testsuite", name="preflight", tests=str(t.checks), failures=str(t.failed),
                          errors=str(t.errors), skipped=str(t.skipped), time=f"{report.duration_ms / 1000:.3f}")
    for c in report.checks:
        case = ET.SubElement(suite, "testcase", classname=control(c.type), name=control(c.id),
                             time=f"{c.duration_ms / 1000:.3f}")
        body_lines = [f"- {f.severity}: {control(f.message)}" + (f" [{control(location_text(f))}]" if f.location else "")
                      for f in c.findings]
        body_lines += [f"{control(k)}: {control(v)}" for k, v in flatten(c.details)]
        if c.remediation:
            body_lines.append(f"fix: {control(c.remediation)}")
        body = "\n".join(body_lines)
        summary = control(c.summary)
        if c.waived:
            assert c.waiver is not None
            ET.SubElement(case, "skipped", message=f"waived: {control(c.waiver['reason'])} ({summary})")
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
    ET.indent(suites)
    return ci_lines('<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n")
