"""The report ``preflight rehearse`` prints: per migration, per statement, what happened on the copy.

It is drawn from the ``migrations.rehearse`` check's result (its details and findings), so the table and the
check's JSON never disagree. Names that come from migrations or the database are shown with control characters
escaped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from preflight.model import Result

WIDTHS = {"line": 7, "statement": 44, "outcome": 30, "locks": 44, "rewrite": 22}


def _clean(text: str) -> str:
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def _cut(text: str, width: int) -> str:
    text = _clean(" ".join(str(text).split()))
    return text if len(text) <= width else text[: width - 1] + "…"


def _time(ms: float | int) -> str:
    return f"{ms:.1f} ms" if isinstance(ms, float) else f"{ms} ms"


def render(result: Result, *, durations: dict[tuple[int, int], float] | None = None) -> str:
    """The table; ``durations`` (migration, statement) -> milliseconds gives finer times than the details' whole
    milliseconds."""
    d = result.details
    out: list[str] = []
    live, server = d.get("live_server", {}), d.get("rehearsal_server", {})
    out.append(f"preflight rehearse: {_clean(result.summary)}")
    out.append("")
    if server:
        where = "an embedded PostgreSQL started for this run" if server.get("kind") == "embedded" else "[targets.rehearsal] dsn"
        out.append(f"live: PostgreSQL {live.get('version', '?')}; rehearsal: PostgreSQL {server.get('version')} on "
                   f"{where}")
    if d.get("major_versions_differ"):
        out.append(f"!! the major versions differ: every result below comes from PostgreSQL {server.get('major')}, "
                   f"not {live.get('major')}")
    copy = d.get("copy")
    if copy:
        tables = copy.get("tables_copied", [])
        listed = ", ".join(f"{_clean(t['table'])} ({t['rows']:,})" for t in tables[:8])
        more = f" and {len(tables) - 8} more" if len(tables) > 8 else ""
        out.append(f"copy: the schema ({copy.get('relations', 0):,} relations, {copy.get('pg_dump', '')}); rows of "
                   f"{len(tables)} table{'s' if len(tables) != 1 else ''}{': ' + listed + more if tables else ''}; "
                   f"{copy.get('tables_left_empty', 0):,} bigger table{'s' if copy.get('tables_left_empty') != 1 else ''}"
                   " left empty")
    marker = False
    for mi, m in enumerate(d.get("migrations", [])):
        out.append("")
        outcome = {"applied": "APPLIES", "failed": "FAILS", "not-run": "NOT RUN",
                   "not-rehearsed": "NOT REHEARSED"}.get(m["outcome"], m["outcome"].upper())
        out.append(f"{_clean(m['name'])}  [{outcome}]  {m['how']}"
                   + (f"; on {m['rehearsed_on']}" if d.get("major_versions_differ") else ""))
        if m.get("note"):
            out.append(f"  {_clean(m['note'])}")
        if not m.get("statements"):
            continue
        header = (f"  {'LINE'.ljust(WIDTHS['line'])} {'STATEMENT'.ljust(WIDTHS['statement'])} "
                  f"{'OUTCOME'.ljust(WIDTHS['outcome'])} {'LOCKS'.ljust(WIDTHS['locks'])} "
                  f"{'REWRITE'.ljust(WIDTHS['rewrite'])} TIME")
        out.append(header)
        for si, s in enumerate(m["statements"]):
            if s["outcome"] == "error":
                e = s["error"]
                outcome_text = f"ERROR {e['sqlstate']}: {e['message']}"
            else:
                outcome_text = {"ok": "ok", "not-run": "not run"}.get(s["outcome"], s["outcome"])
            locks = "; ".join(f"{lk['mode']} {lk['relation']}" + (" (held)" if lk.get("taken_earlier") else "")
                              for lk in s.get("locks", []))
            if not locks:
                locks = "not observed" if s.get("locks_observed") is False else "-"
            if s.get("empty_on_copy"):
                locks = "* " + locks
                marker = True
            rewrites = "; ".join(f"{r['relation']} {r['what']}" for r in s.get("rewrites", []))
            scans = "; ".join(f"{t} scanned" for t in s.get("scans", []))
            change = "; ".join(x for x in (rewrites, scans) if x) or "-"
            ms: float | int = s.get("duration_ms", 0)
            if durations is not None and (mi, si) in durations:
                ms = durations[(mi, si)]
            time_text = _time(ms) if s["outcome"] != "not-run" else "-"
            out.append(f"  {str(s['line']) + ':' + str(s['column']):<{WIDTHS['line']}} "
                       f"{_cut(s['statement'], WIDTHS['statement']):<{WIDTHS['statement']}} "
                       f"{_cut(outcome_text, WIDTHS['outcome']):<{WIDTHS['outcome']}} "
                       f"{_cut(locks, WIDTHS['locks']):<{WIDTHS['locks']}} "
                       f"{_cut(change, WIDTHS['rewrite']):<{WIDTHS['rewrite']}} {time_text}")
    if marker:
        out.append("")
        out.append("* ran on an empty copy of a table that holds rows live: its success says nothing about those rows "
                   "beyond the probed preconditions")
    probes = d.get("preconditions", [])
    if probes:
        out.append("")
        out.append("data preconditions, probed read-only on the live data:")
        for p in probes:
            label = {"holds": "holds", "violated": "VIOLATED", "not-evaluated": "NOT EVALUATED",
                     "covered": "covered", "not-applicable": "n/a"}.get(p["outcome"], p["outcome"])
            line = f"  {label:<13} {_clean(p['migration'])}:{p['line']}  {_clean(p['precondition'])}"
            if p.get("reason"):
                line += f": {_clean(p['reason'])}"
            if p.get("sample_keys"):
                line += f"; sample keys: {_clean('; '.join(p['sample_keys']))}"
            out.append(line)
    shown = [f for f in result.findings if f.severity.value != "info"]
    if shown:
        out.append("")
        out.append("findings:")
        for f in shown:
            where = f" [{f.location.file}:{f.location.line}]" if f.location and f.location.line else ""
            out.append(f"  - {f.severity.value}: {_clean(f.message)}{where}")
    infos = [f for f in result.findings if f.severity.value == "info" and f.rule in ("lint-disagrees",
                                                                                    "rehearsal-version")]
    for f in infos:
        out.append(f"  - note: {_clean(f.message)}")
    if result.remediation and shown:
        out.append("")
        out.append(f"fix: {_clean(result.remediation)}")
    return "\n".join(out) + "\n"


def durations_of(rehearsal: Any) -> dict[tuple[int, int], float]:
    """Fractional milliseconds per statement, for the table."""
    return {(mi, si): s.duration_ms for mi, m in enumerate(rehearsal.migrations)
            for si, s in enumerate(m.statements)}
