"""The jinja2 environment shared by the template-based formats."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

STATUS_COLORS = {"pass": "green", "warn": "yellow", "fail": "red", "error": "magenta", "skip": "bright_black",
                 "waived": "cyan"}


def flatten(value: Any, prefix: str = "", limit: int = 60) -> list[tuple[str, str]]:
    """Details as ``key: value`` lines (nested keys dotted, lists indexed), at most ``limit`` lines. Timing fields
    (``duration_ms``) are left out, so that the same inputs give the same text."""
    out: list[tuple[str, str]] = []

    def walk(v: Any, key: str) -> None:
        if len(out) >= limit:
            return
        if not key and isinstance(v, dict | list) and not v:
            return  # no details at all: nothing to print (not a stray ": {}" line)
        if isinstance(v, dict) and v:
            for k, x in v.items():
                if k != "duration_ms":
                    walk(x, f"{key}.{k}" if key else str(k))
        elif isinstance(v, list) and v and any(isinstance(x, dict | list) for x in v):
            for i, x in enumerate(v):
                walk(x, f"{key}[{i}]")
        else:
            if isinstance(v, list):
                text = ", ".join(str(x) for x in v)
            elif isinstance(v, bool):
                text = "true" if v else "false"
            elif v is None:
                text = "-"
            elif isinstance(v, dict):
                text = "{}"
            else:
                text = str(v)
            out.append((key, text))

    if value == {} and not prefix:  # no details at all: no line (not a line ": {}")
        return out
    walk(value, prefix)
    return out


@cache
def environment(color: bool, flavor: str = "text") -> Any:
    """The jinja2 environment of a format: ``flavor`` "text" or "markdown" decides how every value is shown.

    Every ``{{ value }}`` goes through the flavor's escaping (:mod:`preflight.escaping`), so a name from an
    image, a migration, a database or the config cannot add a line, a workflow command or Markdown of its own;
    filters that build output themselves (``paint``, ``code``, ``md``) return text marked as shown already."""
    import click
    import jinja2

    from preflight.escaping import Shown, code_span, control, markdown

    def finalize(value: Any) -> str:
        if isinstance(value, Shown):
            return value
        text = "" if value is None else str(value)
        return markdown(text) if flavor == "markdown" else control(text)

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("preflight", "reports/templates"),
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        finalize=finalize,
        bytecode_cache=_compiled_templates(jinja2),
    )

    def paint(text: str, status: str, bold: bool = False) -> str:
        shown = control(str(text))
        if not color:
            return Shown(shown)
        return Shown(click.style(shown, fg=STATUS_COLORS.get(status), bold=bold))

    def lines(text: str) -> str:
        """Multi-line text of preflight's own (a traceback): each line escaped, the line breaks kept."""
        return Shown("\n".join(control(line) for line in str(text).split("\n")))

    env.filters["paint"] = paint
    env.filters["flatten"] = flatten
    env.filters["md"] = markdown
    env.filters["code"] = code_span
    env.filters["lines"] = lines
    env.filters["tojson"] = lambda v: json.dumps(v, sort_keys=True, default=str)
    return env


def _compiled_templates(jinja2: Any) -> Any:
    """jinja2's cache of compiled templates in the user's cache (:mod:`preflight.user_cache`): compiling the
    report's template costs more than rendering it, on every run. Keyed by the template's source and jinja2's and
    Python's versions; a folder that cannot be written keeps nothing."""
    import os

    from preflight.user_cache import directory

    class CompiledTemplates(jinja2.FileSystemBytecodeCache):  # type: ignore[misc]
        def dump_bytecode(self, bucket: Any) -> None:
            try:
                super().dump_bytecode(bucket)
            except OSError:
                pass

    path = directory("templates")
    try:
        os.makedirs(path, exist_ok=True)
    except OSError:
        return None
    return CompiledTemplates(path)


def location_text(f: Any) -> str:
    loc = f.location
    if loc is None:
        return ""
    text = loc.file
    if loc.line:
        text += f":{loc.line}"
        if loc.column:
            text += f":{loc.column}"
    return text


def findings_shown(subject: Any, verbose: bool = False) -> dict[str, Any]:
    """A check's (or a member's) findings as the text and Markdown reports show them: the open failures, errors
    and warnings first, then the acknowledged ones (each with what acknowledged it), then the information that
    says what could not be told (``data.verdict`` "not-evaluated"), in full; the other information as a count per
    rule, or in full too when ``verbose``. JSON and SARIF keep every finding."""

    def entry(f: Any) -> dict[str, Any]:
        return {"f": f, "where": location_text(f)}

    serious = [f for f in subject.findings if str(f.severity) != "info"]
    # Information that says what could not be told ("not evaluated", with why) is shown like a warning: an unknown
    # is read where the report is read, never folded into a count.
    undecided = [f for f in subject.findings if str(f.severity) == "info"
                 and (f.data or {}).get("verdict") == "not-evaluated"]
    infos = [f for f in subject.findings if str(f.severity) == "info" and not any(f is u for u in undecided)]
    shown = ([entry(f) for f in serious if subject.acknowledged(f) is None]
             + [entry(f) for f in serious if subject.acknowledged(f) is not None] + [entry(f) for f in undecided])
    counts: dict[str, int] = {}
    for f in infos:
        counts[f.rule or "other"] = counts.get(f.rule or "other", 0) + 1
    per_rule = ", ".join(f"{n} {rule}" for rule, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    return {"shown": shown, "infos": [entry(f) for f in infos] if verbose else [],
            "info_count": 0 if verbose else len(infos), "info_rules": per_rule}


def context(report: Any, verbose: bool = False) -> dict[str, Any]:
    checks = []
    for c in report.checks:
        label = "waived" if c.waived else str(c.status)
        # A check's findings say what failed; its details (what it read, for pipelines) would bury them.
        details_shown = verbose or not c.findings
        checks.append({"c": c, "label": label, "details_shown": details_shown, **findings_shown(c, verbose),
                       "groups": fleet_groups(c, verbose) if c.members is not None else None})
    return {"report": report, "checks": checks, "tally": report.tally, "verdict": str(report.verdict),
            "exit_code": report.exit_code,
            "fleet_line": report.fleet.line(report.checks) if report.fleet is not None else None,
            "unreachable": unreachable_causes(report)}


def unreachable_causes(report: Any) -> list[tuple[str, str]]:
    """(member, why) for each unreachable member of a fleet report, once (its checks all say the same)."""
    causes: dict[str, str] = {}
    for c in report.checks:
        for m in c.members or ():
            if m.unreachable and m.member not in causes:
                causes[m.member] = m.summary.removeprefix("unreachable: ")
    return sorted(causes.items())


NOTHING_SHOWN: dict[str, Any] = {"shown": [], "infos": [], "info_count": 0, "info_rules": ""}


def fleet_groups(check: Any, verbose: bool = False) -> list[dict[str, Any]]:
    """A fleet check's members grouped by outcome (see :func:`preflight.fleet.outcome.groups`), as the templates
    show them: passing and skipped members on one line, every other member named, with its outcome in full."""
    from preflight.fleet.outcome import abbreviate, groups

    out = []
    for g in groups(check):
        m = g.example
        quiet = g.state in ("pass", "skip")
        label = "waived" if g.state == "waived" else ("error" if g.state == "unreachable" else g.state)
        out.append({
            "state": g.state, "label": label, "count": len(g.members),
            "names": abbreviate(g.members) if quiet else ", ".join(g.members),
            "quiet": quiet, "m": m, "allowed": m.allowed,
            **(NOTHING_SHOWN if quiet else findings_shown(m, verbose)),
            # Details differ from member to member: shown only for a group of one.
            "details": m.details if not quiet and len(g.members) == 1 else {},
        })
    return out
