"""SARIF 2.1.0: one result per finding, for code-scanning tools (GitHub code scanning, Azure DevOps, IDEs).

Each finding becomes a ``result`` with its rule (a lint rule id such as ``ban-drop-table``, else the finding's own
rule or the check type), level (failure and error -> ``error``, warning -> ``warning``, info -> ``note``), message,
and, when the finding has a place, the file with a region (1-based line and column). Rules are described in
``tool.driver.rules`` (a lint rule's documentation, its safe alternative and the squawk rules it covers). A
finding acknowledged by an in-file suppression or a waiver carries a SARIF ``suppression`` with the reason. A
check that fails, warns or errors without findings is one result without a location. Output is deterministic:
no timestamps, results in report order. Message texts show control characters escaped
(:func:`preflight.escaping.control`): viewers print them as lines of their own.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any
from urllib.parse import quote

from preflight import __version__
from preflight.escaping import control
from preflight.fleet.outcome import subjects
from preflight.model import CheckReport, Finding, MemberReport, Report, Status

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"failure": "error", "error": "error", "warning": "warning", "info": "note"}
STATUS_LEVELS = {Status.FAIL: "error", Status.ERROR: "error", Status.WARN: "warning"}
LINT_TYPES = ("migrations.lint",)


def _uri(path: str) -> str:
    return quote(path, safe="/:@+=&$,;~!*'()")


def _rule_id(check: CheckReport, finding: Finding | None) -> str:
    if finding is not None and finding.rule:
        return finding.rule if check.type in LINT_TYPES else f"{check.type}/{finding.rule}"
    return check.type


def _descriptor(rule_id: str, check: CheckReport, level: str) -> dict[str, Any]:
    out: dict[str, Any] = {"id": rule_id, "defaultConfiguration": {"level": level}}
    if check.type in LINT_TYPES:
        from preflight.lint import rules

        if rule_id in rules.registry():
            r = rules.get(rule_id)
            out["name"] = "".join(p.capitalize() for p in rule_id.split("-"))
            out["shortDescription"] = {"text": r.doc.splitlines()[0] if r.doc else r.rule.reason}
            out["fullDescription"] = {"text": r.doc}
            out["help"] = {"text": f"Safe alternative: {r.rule.alternative}"}
            out["properties"] = {"kind": r.rule.kind, "squawk": list(r.rule.squawk),
                                 "tags": ["migration", r.rule.kind]}
            return out
    from preflight import plugin

    ct = plugin.get(check.type)
    summary = ct.summary if ct is not None and ct.module is not None else check.type
    out["shortDescription"] = {"text": summary or check.type}
    out["properties"] = {"check_type": check.type}
    return out


def _result(check: CheckReport, finding: Finding | None, rule_index: int, rule_id: str,
            subject: CheckReport | None = None, member: str | None = None) -> dict[str, Any]:
    """One result: a finding of ``check``, or its status when it has none. In a fleet, ``subject`` is the check's
    result on ``member``, whose findings and status it reports."""
    subject = subject or check
    if finding is None:
        level = STATUS_LEVELS.get(subject.status, "note")
        if isinstance(subject, MemberReport) and subject.allowed:
            level = "warning"
        message = subject.summary
    else:
        level = LEVELS.get(str(finding.severity), "warning")
        message = finding.message
        alternative = finding.data.get("alternative")
        if alternative:
            message = f"{message}. Safe alternative: {alternative}"
    if member is not None:
        message = f"[{control(member)}] {message}"
    result: dict[str, Any] = {"ruleId": rule_id, "ruleIndex": rule_index, "level": level,
                              "message": {"text": control(message)}}
    props: dict[str, Any] = {"check": check.id, "check_type": check.type}
    if member is not None:
        props["member"] = member
    if finding is not None:
        props["severity"] = str(finding.severity)
        if finding.migration:
            props["migration"] = finding.migration
        for key in ("statement", "rows", "size", "relation", "guard"):
            if key in finding.data:
                props[key] = finding.data[key]
        loc = finding.location
        if loc is not None and loc.file:
            physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(loc.file)}}
            if loc.line is not None:
                region: dict[str, Any] = {"startLine": max(1, loc.line)}
                if loc.column is not None:
                    region["startColumn"] = max(1, loc.column)
                physical["region"] = region
            result["locations"] = [{"physicalLocation": physical}]
        parts = [check.id, rule_id, finding.migration, loc.file if loc else "",
                 finding.data.get("statement", finding.message)]
        if member is not None:
            parts.append(member)
        fingerprint = "\0".join(str(x) for x in parts)
        result["partialFingerprints"] = {"preflight/v1": hashlib.sha256(fingerprint.encode()).hexdigest()[:32]}
    acknowledged = subject.acknowledged(finding) if finding is not None else None
    if acknowledged is not None:
        kind = "inSource" if acknowledged.startswith("in-file suppression") else "external"
        result["suppressions"] = [{"kind": kind, "status": "accepted", "justification": control(acknowledged)}]
    elif finding is None and subject.waived and subject.waiver:
        result["suppressions"] = [{"kind": "external", "status": "accepted",
                                   "justification": control(f"waiver: {subject.waiver.get('reason', '')}")}]
    result["properties"] = props
    return result


def sarif(report: Report) -> dict[str, Any]:
    rules: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    results: list[dict[str, Any]] = []
    for check in report.checks:
        for subject, member in subjects(check):
            entries: list[Finding | None] = list(subject.findings)
            if not entries and subject.status in STATUS_LEVELS:
                entries = [None]
            for finding in entries:
                rule_id = _rule_id(check, finding)
                if rule_id not in index:
                    level = (LEVELS.get(str(finding.severity), "warning") if finding is not None
                             else STATUS_LEVELS.get(subject.status, "note"))
                    index[rule_id] = len(rules)
                    rules.append(_descriptor(rule_id, check, level))
                results.append(_result(check, finding, index[rule_id], rule_id, subject, member))
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "preflight", "version": __version__, "semanticVersion": __version__,
                            "rules": rules}},
        "results": results,
        "columnKind": "unicodeCodePoints",
        "invocations": [{"executionSuccessful": report.verdict.value != "error", "exitCode": report.exit_code}],
        "properties": {"verdict": report.verdict.value, "tally": report.tally.to_dict()},
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def render(report: Report, *, color: bool = False, verbose: bool = False) -> str:
    from preflight.escaping import json_lines

    return json_lines(json.dumps(sarif(report), indent=2, ensure_ascii=False)) + "\n"
