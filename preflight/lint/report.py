"""From a file's analysis to findings: rule selection, in-file suppressions, severities.

Severities here are the static ones (what a rule's kind means without the database): data loss and broken
transactions are failures, blocking locks and breaking changes warnings, style information. A file that does not
parse (or cannot be read as SQL at all) could not be linted: an ``error`` ("could not decide"), or a warning with
``on_unknown = "warn"``.
``migrations.lint`` then refines data-loss and lock findings against the live database
(:mod:`preflight.lint.live`). Statements inside function bodies only run when the function is called, so their
findings are information.

In-file suppressions: ``-- preflight: ignore <rule-id>[,<rule-id>...] <reason>`` acknowledges the findings of
those rules on the statement that follows the comment (for a ``DO`` block or function: on any statement inside
it too). The reason is required; the finding stays in the report, marked as acknowledged with the reason. A
suppression without a reason or naming no known rule acknowledges nothing and is reported
(``invalid-suppression``); one that matches no finding is reported as ``unused-ignore``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from preflight.lint import rules as _rules

if TYPE_CHECKING:
    from preflight.model import Finding

SEVERITIES = ("info", "warning", "failure")


class Selection:
    """Which rules run and with what fixed severity: ``rules = { include, exclude, severity }``.

    Every rule runs except the opt-in ones; ``include`` adds opt-in rules (``"all"`` adds every one),
    ``exclude`` removes rules. Rule ids may be squawk's names for them."""

    def __init__(self, include: Iterable[str] = (), exclude: Iterable[str] = (),
                 severity: dict[str, str] | None = None, *, key: str = "rules", on_unknown: str = "error"):
        enabled = set(_rules.default())
        for name in include:
            if name == "all":
                enabled |= set(_rules.registry())
                continue
            enabled.update(self._ids(name, f"{key}.include"))
        for name in exclude:
            enabled.difference_update(self._ids(name, f"{key}.exclude"))
        self.enabled = enabled
        self.unknown = "warning" if on_unknown == "warn" else "error"
        """The severity of a file that could not be linted."""
        self.severity: dict[str, str] = {}
        for name, value in (severity or {}).items():
            if value not in SEVERITIES:
                raise ValueError(f"{key}.severity.{name}: expected one of {', '.join(SEVERITIES)}, got {value!r}")
            for rule_id in self._ids(name, f"{key}.severity"):
                self.severity[rule_id] = value

    @staticmethod
    def _ids(name: str, where: str) -> tuple[str, ...]:
        ids = _rules.resolve(name)
        if not ids:
            close = sorted(r for r in _rules.registry() if name.split("-")[-1] in r)[:3]
            hint = f" (did you mean {', '.join(close)}?)" if close else " (see `preflight explain <rule-id>`)"
            raise ValueError(f"{where}: unknown rule {name!r}{hint}")
        return ids

    def __contains__(self, rule_id: str) -> bool:
        return rule_id in self.enabled

    def to_analyse(self, live: bool) -> frozenset[str]:
        """The rules to run on the SQL: without the database, not those that report only with it (whatever they
        found would be left out)."""
        return frozenset(r for r in self.enabled if live or not _rules.get(r).rule.live)


def static_severity(item: dict[str, Any], selection: Selection) -> str:
    """A finding's severity from the selection, else info inside a function body, else the hit's own, else its
    kind's; "error" (could not decide) is the selection's ``unknown``."""
    chosen = (selection.severity.get(item["rule"]) or ("info" if item.get("context") == "function" else None)
              or item.get("severity") or _rules.STATIC_SEVERITY.get(item.get("kind", ""), "warning"))
    return selection.unknown if chosen == "error" else chosen


def items(analysis: dict[str, Any], selection: Selection, live: bool = False,
          conditions: bool = True) -> list[dict[str, Any]]:
    """The analysis's hits of the selected rules, plus syntax errors and suppression problems, each with its
    static ``severity`` and, when acknowledged in the file, ``suppression`` = ``{"line", "reason"}``. The
    candidates of rules that report only with the database (``Rule.live``), and a rule's hits marked
    ``extra["candidate"]`` (a finding only if the catalogs confirm it), are kept only when ``live`` (the caller
    judges them against the catalogs). Without ``live``, a claim that rests on what only the database knows states
    its condition (:func:`without_database`), unless ``conditions`` is false (the rehearsal, which sets each
    prediction against what it observes)."""
    out: list[dict[str, Any]] = []
    error = analysis.get("error")
    if error:
        why = (f"the file cannot be linted: {error['message']}" if error.get("unparsed")
               else f"the SQL does not parse: {error['message']}")
        out.append({"rule": "syntax-error", "kind": "error", "line": error["line"], "column": error["column"],
                    "statement": "", "message": why,
                    "alternative": "fix the SQL; PostgreSQL rejects it the same way", "target": None,
                    "if_exists": False, "context": "top", "new": False, "severity": None, "extra": {}})
    unjudged: list[tuple[str, int]] = []  # (rule, line) of candidates left out: a suppression may name them
    for hit in analysis.get("hits", ()):
        if hit.rule in selection and (live or not (_rules.get(hit.rule).rule.live or hit.extra.get("candidate"))):
            out.append(without_database(hit._asdict()) if conditions and not live else hit._asdict())
        elif hit.rule in selection:
            unjudged.append((hit.rule, hit.line))
    for item in out:
        item["severity"] = static_severity(item, selection)
        item["suppression"] = None
    _apply_suppressions(analysis, out, selection, live, unjudged)
    out.sort(key=lambda i: (i["line"], i["column"], i["rule"]))
    return out


# Target kinds whose existence the IF EXISTS condition names (relations: what a lock or a data-loss claim is about).
_EXISTING_KINDS = ("table", "index")


def without_database(item: dict[str, Any]) -> dict[str, Any]:
    """What a finding says without the database, where a rule's claim rests on something only the database knows:
    the condition, stated in the message (and in ``condition``, which the JSON finding carries in
    ``data.condition``), instead of a claim that presumes it. A rule gives its own wording in ``extra["nodb"]``
    (``{"message", "data"}``); a statement on a relation named ``IF EXISTS`` (or guarded in its ``DO`` block) does
    what the rule says only if the relation (for ``DROP COLUMN IF EXISTS``: the column) exists."""
    nodb = item["extra"].get("nodb")
    if nodb:
        item["message"] = nodb["message"]
        item.update(nodb["data"])
    target = item.get("target")
    if not target or target[0] not in _EXISTING_KINDS or item.get("context") == "function" or not (
            item.get("if_exists") or item["extra"].get("guarded")):
        return item
    relation = f"{target[1]}.{target[2]}" if target[1] else target[2]
    condition: dict[str, Any] = {"relation": relation}
    what = relation
    if item["rule"] == "ban-drop-column" and item["extra"].get("column"):
        condition["column"] = item["extra"]["column"]
        what = f"column {condition['column']} of {relation}"
    guarded = item["extra"].get("guarded")
    if guarded:
        condition["guarded"] = guarded
    item["message"] += (f" (if {what} exists" + (f" and the statement runs (guarded: {guarded})" if guarded
                                                 else "") + ": without the database the lint cannot tell)")
    item["condition"] = {**item.get("condition", {}), "if_exists": condition}
    return item


def _apply_suppressions(analysis: dict[str, Any], out: list[dict[str, Any]], selection: Selection,
                        live: bool, unjudged: list[tuple[str, int]]) -> None:
    spans = analysis.get("spans") or []
    problems: list[dict[str, Any]] = []
    for line, names, reason in analysis.get("suppressions") or ():
        ids: set[str] = set()
        unknown = [n for n in names if not _rules.resolve(n)]
        for n in names:
            ids.update(_rules.resolve(n))
        if not names or unknown or not reason:
            why = ("names no rule" if not names else f"names unknown rule {', '.join(unknown)}" if unknown
                   else "has no reason")
            problems.append(_problem("invalid-suppression", line,
                                     f"the suppression on line {line} {why}, so it acknowledges nothing",
                                     "write -- preflight: ignore <rule-id> <why this is safe>"))
            continue
        target = next((s for s in spans if s[0] > line), None)
        used = False
        if target is not None:
            first, last = target
            for item in out:
                if item["rule"] in ids and first <= item["line"] <= last and item["suppression"] is None:
                    item["suppression"] = {"line": line, "reason": reason}
                    used = True
            used = used or any(rule in ids and first <= at <= last for rule, at in unjudged)
        # without the database, a rule that reports only with it has nothing to match: not an unused suppression
        judged = {i for i in ids & selection.enabled if live or not _rules.get(i).rule.live}
        if not used and judged:
            problems.append(_problem("unused-ignore", line,
                                     f"the suppression of {', '.join(names)} on line {line} matches no finding on "
                                     "the statement after it", "remove the comment, or fix its rule id"))
    out.extend(p for p in problems if p["rule"] in selection)


def _problem(rule: str, line: int, message: str, alternative: str) -> dict[str, Any]:
    return {"rule": rule, "kind": "compat", "line": line, "column": 1, "statement": "", "message": message,
            "alternative": alternative, "target": None, "if_exists": False, "context": "top", "new": False,
            "severity": "warning", "extra": {}, "suppression": None}


def to_finding(item: dict[str, Any], *, file: str, migration: str | None, line_offset: int = 0) -> Finding:
    """A lint item as a report finding: location, rule, migration, and the statement, reason and safe
    alternative in ``data``."""
    from preflight.model import Finding, Location, Severity

    data: dict[str, Any] = {"reason": item["message"], "alternative": item["alternative"]}
    if item.get("statement"):
        data["statement"] = item["statement"]
    if item.get("context") and item["context"] != "top":
        data["context"] = {"do": "inside a DO block",
                           "function": "inside a function body (runs when the function is called)"}[item["context"]]
    for k in ("rows", "rows_exact", "size", "size_bytes", "relation", "guard", "earlier_migration", "note",
              "verdict", "sqlstate", "condition"):
        if k in item:
            data[k] = item[k]
    if (item.get("extra") or {}).get("unless_not_null"):  # a scan the lint could not settle: its condition
        data["condition"] = {**data.get("condition", {}), "unless_not_null": item["extra"]["unless_not_null"]}
    message = item.get("detail") or item["message"]
    finding = Finding(
        Severity(item["severity"]),
        message,
        location=Location(file, item["line"] + line_offset, item["column"]),
        rule=item["rule"],
        migration=migration,
        data=data,
    )
    if item.get("suppression"):
        s = item["suppression"]
        finding.waived_by = f"in-file suppression (line {s['line'] + line_offset}): {s['reason']}"
        data["suppressed"] = {"line": s["line"] + line_offset, "reason": s["reason"]}
    return finding
