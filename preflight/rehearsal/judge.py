"""From what the rehearsal observed to findings: failures on the copy, locks scaled by the live tables, probes.

A lock is judged by the live table it lands on and by what happens while it is held. A mode that blocks writes
(``SHARE`` and stronger; ``ACCESS EXCLUSIVE`` blocks reads too) held while the statement, or a later statement
of the same transaction, rewrites or scans a live table takes as long on production as that work: with at least
``lock_size`` of live table to get through it is a failure. With less, or without a rewrite or scan (a brief
lock), or on a live table that is empty, or on a table the migrations create, it is information in the
statement's row (``verdict``): the lint's warnings already name such locks.

Where the lint predicted a rewrite or a scan (``changing-column-type``, ``constraint-missing-not-valid``,
``require-concurrent-index-creation``...) and the rehearsal saw none, the observation wins: the finding says so.
A failure the lint did not predict says that too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from preflight.db_catalog import human_count, human_size
from preflight.model import Finding, Location, Result, Severity
from preflight.rehearsal.observe import BLOCKS_READS, BLOCKS_WRITES, mode_name, strength

if TYPE_CHECKING:
    from preflight.lint.live import Facts
    from preflight.migrations import Migration
    from preflight.rehearsal.execute import MigrationResult, StatementResult
    from preflight.rehearsal.session import Rehearsal, Settings

PREDICTS_WORK = frozenset({
    "adding-field-with-default", "changing-column-type", "constraint-missing-not-valid",
    "disallowed-unique-constraint", "prefer-repack", "require-concurrent-index-creation",
    "require-concurrent-refresh", "require-concurrent-reindex", "adding-not-nullable-field",
})
"""Lint rules whose finding says the statement rewrites or scans the table under its lock."""
_NOT_YET = {"42703", "42883", "42P01", "42704", "3F000"}
_BLOCKING = frozenset(mode_name(m) for m in BLOCKS_WRITES)


def display(table: tuple[str, str]) -> str:
    schema, name = table
    return name if schema == "public" else f"{schema}.{name}"


def _rows(f: Facts) -> str:
    if f.rows is None:
        return "an unknown number of rows"
    n = round(f.rows)
    text = f"{human_count(n)} row{'s' if n != 1 else ''}"
    return text if f.exact else f"about {text}"


def judge(r: Rehearsal, settings: Settings) -> Result:
    unknown = Severity.ERROR if settings.on_unknown == "error" else Severity.WARNING
    versions = (f" [rehearsed on PostgreSQL {r.server_version}; live is {r.live.version if r.live else '?'}]"
                if r.majors_differ else "")
    findings: list[Finding] = []
    migrations: list[dict[str, Any]] = []
    counts = {"failed": 0, "heavy_locks": 0, "disagreements": 0, "inconclusive": 0}
    for mi, mr in enumerate(r.migrations):
        lint = r.lint[mi] if mi < len(r.lint) else []
        migrations.append(_migration(r, mr, lint, settings, unknown, versions, findings, counts))
    preconditions = []
    for p in r.probes:
        preconditions.append(p.to_dict())
        where = Location(p.file, p.line, p.column)
        data = p.to_dict()
        samples = f"; sample keys: {'; '.join(p.samples)}" if p.samples else ""
        if p.outcome == "violated":
            count = (f"at least {p.count:,}" if p.at_least else f"{p.count:,}") if p.count is not None else "some"
            findings.append(Finding(
                Severity.FAILURE, f"{p.migration} {p.statement}: the live data violates its precondition "
                f"({p.what}): {p.reason or count + ' rows'}{samples}: the migration would fail mid-rollout"
                f"{' and leave ' + r.runner + ' dirty' if r.runner == 'golang-migrate' else ''}",
                location=where, rule="precondition-violated", migration=p.migration, data=data))
        elif p.outcome == "not-evaluated":
            findings.append(Finding(unknown, f"{p.migration} {p.statement}: precondition {p.what} {p.reason}",
                                    location=where, rule="precondition-not-evaluated", migration=p.migration,
                                    data=data))
        elif p.outcome in ("holds", "covered"):
            why = f": {p.reason}" if p.reason else ""
            verb = "holds on the live data" if p.outcome == "holds" else "is covered by the rehearsal"
            findings.append(Finding(Severity.INFO, f"{p.migration}: precondition {p.what} {verb}{why}",
                                    location=where, rule=f"precondition-{p.outcome}", migration=p.migration,
                                    data=data))
    findings = _environment(r, unknown) + findings
    details = _details(r, migrations, preconditions)
    summary, remediation = _summary(r, counts, findings, versions)
    result = Result.from_findings(findings, ok=summary, bad=summary, details=details)
    result.remediation = remediation if result.status.value in ("fail", "error", "warn") else None
    return result


def _environment(r: Rehearsal, unknown: Severity) -> list[Finding]:
    out: list[Finding] = []
    if r.majors_differ and r.live is not None:
        out.append(Finding(Severity.INFO, f"the rehearsal server runs PostgreSQL {r.server_version} and the live "
                           f"database {r.live.version}: every result comes from major version {r.server_major}, "
                           f"not {r.live.major}; point [targets.rehearsal] dsn at a server of version "
                           f"{r.live.major} for an exact rehearsal", rule="rehearsal-version",
                           data={"live": r.live.version, "rehearsal": r.server_version}))
    restored = r.restored
    if restored is not None:
        for name in restored.missing_extensions:
            out.append(Finding(Severity.WARNING, f"extension {name} is not available on the rehearsal server: it "
                               "was skipped, and the objects that need it are missing from the copy",
                               rule="extension-missing", data={"extension": name}))
        for name, (live_v, copy_v) in sorted(restored.extension_versions.items()):
            out.append(Finding(Severity.INFO, f"extension {name} is version {copy_v} on the copy, {live_v} live",
                               rule="extension-version", data={"extension": name, "live": live_v, "copy": copy_v}))
        problems = [p for p in restored.problems if p.kind in ("object", "data")]
        if problems or restored.missing_relations:
            missing = restored.missing_relations
            listed = ", ".join(missing[:10]) + (f" and {len(missing) - 10} more" if len(missing) > 10 else "")
            first = "; ".join(f"{p.statement}: {p.message}" for p in problems[:3])
            out.append(Finding(Severity.WARNING, "the copy is incomplete: "
                               + (f"{len(missing)} live relation{'s' if len(missing) != 1 else ''} missing "
                                  f"({listed})" if missing else "every relation is there")
                               + (f"; {len(problems)} statement{'s' if len(problems) != 1 else ''} of the schema "
                                  f"failed to restore ({first})" if problems else "")
                               + ": a migration that fails on a missing object is inconclusive",
                               rule="copy-incomplete", data={"missing_relations": missing,
                                                            "problems": [p.to_dict() for p in problems]}))
        roles = [p for p in restored.problems if p.kind == "role"]
        if r.missing_roles or roles:
            out.append(Finding(Severity.INFO, f"{len(r.missing_roles)} role{'s' if len(r.missing_roles) != 1 else ''}"
                               f" the schema names could not be created as placeholders on the rehearsal server "
                               f"({', '.join(r.missing_roles[:10])}): {len(roles)} ownership and privilege "
                               "statements were skipped; the rehearsal runs as the server's superuser",
                               rule="roles-missing", data={"roles": r.missing_roles}))
        if restored.user_mappings:
            out.append(Finding(Severity.INFO, f"{restored.user_mappings} user mapping"
                               f"{'s' if restored.user_mappings != 1 else ''} of foreign servers were not copied "
                               "(they hold credentials): statements that reach a foreign table fail on the copy",
                               rule="user-mappings-skipped"))
    for note in r.notes:
        out.append(Finding(Severity.INFO, note, rule="rehearsal-note"))
    return out


def _heavy(r: Rehearsal, res: StatementResult) -> dict[tuple[str, str], str]:
    """Live tables a statement rewrote, rebuilt an index of, or scanned (a truncation is instant)."""
    out: dict[tuple[str, str], str] = {}
    for oid, what in res.rewritten.items():
        table = r.live_table(oid)
        if table is not None and what != "truncated":
            out[table] = "rewritten" if what == "rewritten" else "index rebuilt"
    for oid in res.scanned:
        table = r.live_table(oid)
        if table is not None:
            out.setdefault(table, "scanned")
    return out


def _migration(r: Rehearsal, mr: MigrationResult, lint: list[dict[str, Any]], settings: Settings,
               unknown: Severity, versions: str, findings: list[Finding], counts: dict[str, int]) -> dict[str, Any]:
    m = mr.migration
    heavy = [_heavy(r, res) for res in mr.statements]
    statements = []
    lines = [res.line for res in mr.statements]
    for i, res in enumerate(mr.statements):
        end_line = lines[i + 1] if i + 1 < len(lines) else 10 ** 9
        predicted = [item for item in lint if item["kind"] == "lock" and item.get("context") != "function"
                     and res.line <= item["line"] + m.sql_line - 1 < end_line]
        entry = _statement_entry(r, res)
        statements.append(entry)
        where = Location(m.file, res.line, res.column)
        if res.outcome == "error" and res.error is not None:
            _error_finding(r, mr, res, where, unknown, versions, findings, counts, settings)
            continue
        if res.outcome != "ok":
            continue
        if res.held_until == "transaction":
            scope = [j for j, other in enumerate(mr.statements)
                     if j >= i and other.transaction == res.transaction and other.outcome == "ok"]
        else:
            scope = [i]
        work: dict[tuple[str, str], str] = {}
        for j in scope:
            for table, what in heavy[j].items():
                work.setdefault(table, what)
        work_bytes = sum(r.facts[t].size for t in work if t in r.facts and r.facts[t].exists and r.facts[t].populated)
        per_table: dict[tuple[str, str], str] = {}
        for oid, mode in res.locks.items():
            table = r.live_table(oid)
            if table is not None and strength(mode) > strength(per_table.get(table, "")):
                per_table[table] = mode
        verdicts: dict[tuple[str, str], str] = {}
        for table, mode in sorted(per_table.items()):
            if mode not in BLOCKS_WRITES:
                continue
            f = r.facts.get(table)
            if f is None or not f.exists:
                verdicts[table] = "new table"
            elif not f.populated:
                verdicts[table] = "empty table"
            elif work_bytes == 0:
                verdicts[table] = "brief"
            elif work_bytes < settings.lock_size:
                verdicts[table] = "below lock_size"
            else:
                verdicts[table] = "failure"
                counts["heavy_locks"] += 1
                foreseen = any(item["rule"] in PREDICTS_WORK for item in predicted)
                findings.append(_lock_finding(r, m, res, table, mode, f, work, work_bytes, foreseen, settings,
                                              where, entry["statement"], versions))
        for lock in entry["locks"]:
            table = lock.pop("_table", None)
            if lock["mode"] in _BLOCKING:
                lock["verdict"] = verdicts.get(table, "new table") if table is not None else "new table"
        observed_work = {t for t in heavy[i]}
        for item in predicted:
            if item["rule"] not in PREDICTS_WORK or not item.get("target"):
                continue
            _, schema, name = item["target"]
            target = next((t for t in [*per_table, *observed_work] if t[1] == name and (not schema or t[0] == schema)),
                          None)
            if target is None or target in observed_work:
                continue
            counts["disagreements"] += 1
            modes = ", ".join(sorted({lk["mode"] for lk in entry["locks"]})) or "no lock"
            entry.setdefault("lint", []).append({"rule": item["rule"], "predicted": item["message"],
                                                 "observed": "no rewrite, no scan", "winner": "observation"})
            findings.append(Finding(
                Severity.INFO, f"migrations.lint ({item['rule']}) predicts: {item['message']}; the rehearsal observed "
                f"{modes} on {display(target)} with no rewrite and no scan of it: the observation wins, the lock is "
                f"brief{versions}", location=where, rule="lint-disagrees", migration=m.name,
                data={"lint_rule": item["rule"], "predicted": item["message"], "observed_locks": modes}))
    return {"name": m.name, "file": m.file, "transaction": m.transaction, "executed": mr.mode, "how": mr.how,
            "outcome": mr.outcome, **({"note": mr.note} if mr.note else {}), "statements": statements,
            "duration_ms": round(mr.duration_ms)}


def _lock_finding(r: Rehearsal, m: Migration, res: StatementResult, table: tuple[str, str], mode: str, f: Facts,
                  work: dict[tuple[str, str], str], work_bytes: int, predicted: bool, settings: Settings,
                  where: Location, statement: str, versions: str) -> Finding:
    held = "the end of the statement" if res.held_until == "statement" else f"the end of {m.name}'s transaction"
    doing = ", ".join(f"{display(t)} {w}" + (f" ({human_size(r.facts[t].size)} live)" if t in r.facts else "")
                      for t, w in sorted(work.items()))
    waits = " (reads and writes wait)" if mode in BLOCKS_READS else " (writes wait)"
    unpredicted = "" if predicted else "; migrations.lint did not predict it"
    return Finding(
        Severity.FAILURE, f"{mode_name(mode)} on {display(table)} ({_rows(f)}, {human_size(f.size)} live) held to "
        f"{held}{waits}, while {doing}: {human_size(work_bytes)} of live table to get through, at or above "
        f"lock_size ({human_size(settings.lock_size)}){unpredicted}{versions}", location=where,
        rule="lock-on-live-table", migration=m.name,
        data={"statement": statement, "mode": mode_name(mode), "table": display(table), "held_until": res.held_until,
              "work_bytes": work_bytes, "lint_predicted": predicted})


def _statement_entry(r: Rehearsal, res: StatementResult) -> dict[str, Any]:
    from preflight.rehearsal.restore import one_line

    entry: dict[str, Any] = {"line": res.line, "column": res.column, "statement": one_line(res.text, 160),
                             "outcome": res.outcome}
    if res.error is not None:
        entry["error"] = {"sqlstate": res.error.sqlstate, "message": res.error.message,
                          "line": res.error.line, "column": res.error.column}
    locks = []
    # The locks it took, and those it works under: a scan or rewrite of a relation an earlier statement of the
    # transaction locked already.
    shown = dict(res.locks)
    for oid in [*res.rewritten, *res.scanned]:
        if oid not in shown and oid in res.held:
            shown[oid] = res.held[oid]
    for oid, mode in shown.items():
        rel = r.relation(oid)
        if rel is None:
            continue
        table = r.live_table(oid)
        lock: dict[str, Any] = {"relation": display(rel.qualified), "mode": mode_name(mode),
                                "held_until": res.held_until, "_table": table}
        if oid not in res.locks:
            lock["taken_earlier"] = True
        if table is not None and table in r.facts and r.facts[table].exists:
            f = r.facts[table]
            lock["live"] = {"table": display(table), "rows": round(f.rows) if f.rows is not None else None,
                            "rows_exact": f.exact, "size_bytes": f.size}
        locks.append(lock)
    locks.sort(key=lambda x: (x["relation"], x["mode"]))
    entry["locks"] = locks
    entry["rewrites"] = sorted(({"relation": display(rel.qualified), "what": what}
                                for oid, what in res.rewritten.items() if (rel := r.relation(oid)) is not None),
                               key=lambda x: x["relation"])
    entry["scans"] = sorted(display(rel.qualified) for oid in res.scanned if (rel := r.relation(oid)) is not None)
    empty = sorted({display(t) for oid in shown if (t := r.live_table(oid)) is not None
                    and t not in (r.restored.copied if r.restored else {})
                    and t in r.facts and r.facts[t].populated})
    if empty:
        entry["empty_on_copy"] = [f"{t} ({_rows(r.facts[_key(t)])} live)" for t in empty]
    if res.outcome == "ok" and not res.locks_observed:
        entry["locks_observed"] = False
    if res.note:
        entry["note"] = res.note
    entry["duration_ms"] = round(res.duration_ms)
    return entry


def _key(shown: str) -> tuple[str, str]:
    schema, _, name = shown.rpartition(".")
    return (schema or "public", name)


def _error_finding(r: Rehearsal, mr: MigrationResult, res: StatementResult, where: Location, unknown: Severity,
                   versions: str, findings: list[Finding], counts: dict[str, int], settings: Settings) -> None:
    from preflight.rehearsal.restore import one_line

    m = mr.migration
    e = res.error
    assert e is not None
    at = Location(m.file, e.line, e.column)
    detail = ""
    if e.detail:
        detail = f" ({e.detail})" if settings.show_values else " (detail withheld: show_values = true shows it)"
    text = f"ERROR {e.sqlstate}: {e.message}{detail}"
    data = {"statement": one_line(res.text, 160), "sqlstate": e.sqlstate, "error": e.message}
    if e.timeout:
        counts["inconclusive"] += 1
        findings.append(Finding(unknown, f"{m.name}: {one_line(res.text, 80)} did not finish on the copy ({text}): "
                                "the rehearsal cannot tell whether it applies", location=at,
                                rule="rehearsal-inconclusive", migration=m.name, data=data))
        return
    if e.sqlstate in _NOT_YET and r.restored is not None and r.restored.incomplete:
        counts["inconclusive"] += 1
        findings.append(Finding(unknown, f"{m.name} fails on the copy ({text}), but the copy lacks objects that "
                                "did not restore (see copy-incomplete): inconclusive", location=at,
                                rule="rehearsal-inconclusive", migration=m.name, data=data))
        return
    counts["failed"] += 1
    findings.append(Finding(Severity.FAILURE, f"{m.name} fails at {m.file}:{e.line}:{e.column}: {text}; "
                            f"{_consequence(r, mr, res)}{versions}", location=at, rule="migration-fails",
                            migration=m.name, data=data))


def _consequence(r: Rehearsal, mr: MigrationResult, res: StatementResult) -> str:
    applied = [s for s in mr.statements if s.outcome == "ok" and s.index < res.index]
    if mr.mode == "none" and applied:
        kept = f"the {len(applied)} statement{'s' if len(applied) != 1 else ''} before it stay applied (no transaction)"
    elif mr.mode == "none":
        kept = "nothing of it is applied"
    else:
        kept = "its transaction rolls back"
    if r.runner == "golang-migrate":
        return (f"{kept}, and golang-migrate records version {mr.migration.version} as dirty: every later "
                "`migrate up` refuses to run until someone fixes the database and forces the version")
    return f"{kept}, and {r.runner} stops there: the migrations after it do not run"


def _details(r: Rehearsal, migrations: list[dict[str, Any]], preconditions: list[dict[str, Any]]) -> dict[str, Any]:
    live = r.live
    restored = r.restored
    outcome = "applies"
    if any(mr.outcome == "failed" for mr in r.migrations):
        outcome = "fails"
    elif any(mr.outcome == "not-rehearsed" for mr in r.migrations):
        outcome = "incomplete"
    details: dict[str, Any] = {
        "outcome": outcome,
        "live_server": {"version": live.version if live else "", "major": live.major if live else 0},
        "rehearsal_server": {"version": r.server_version, "major": r.server_major, "kind": r.server_kind},
        "major_versions_differ": r.majors_differ,
        "runner": r.runner,
        "migrations": migrations,
        "preconditions": preconditions,
    }
    if live is not None and restored is not None:
        details["copy"] = {
            "pg_dump": r.tools.label if r.tools else "",
            "relations": len(live.relations),
            "tables_copied": [{"table": display((t.schema, t.name)), "rows": t.rows, "why": t.why}
                              for t in sorted(live.tables, key=lambda t: (t.schema, t.name))
                              if t.qualified in restored.copied],
            "tables_left_empty": len(live.not_copied),
            "missing_relations": restored.missing_relations,
            "missing_extensions": restored.missing_extensions,
            "restore_problems": [p.to_dict() for p in restored.problems],
        }
    return details


def _summary(r: Rehearsal, counts: dict[str, int], findings: list[Finding], versions: str) -> tuple[str, str]:
    n = len(r.pending)
    where = f"PostgreSQL {r.server_version} ({'embedded' if r.server_kind == 'embedded' else 'rehearsal dsn'}"
    where += f"; live {r.live.version})" if r.majors_differ and r.live else ")"
    failed = next((mr for mr in r.migrations if mr.outcome == "failed"), None)
    parts = []
    if failed is not None:
        res = next((s for s in failed.statements if s.outcome == "error"), None)
        e = res.error if res else None
        what = f"{failed.migration.name} fails" + (f" at line {e.line} ({e.sqlstate} {e.message})" if e else "")
        parts.append(what)
    elif any(mr.outcome == "not-rehearsed" for mr in r.migrations):
        parts.append("not every migration could be rehearsed")
    else:
        parts.append(f"all {n} apply on the copy" if n > 1 else "it applies on the copy")
    violated = sum(1 for p in r.probes if p.outcome == "violated")
    unevaluated = sum(1 for p in r.probes if p.outcome == "not-evaluated")
    if violated:
        parts.append(f"{violated} data precondition{'s' if violated != 1 else ''} violated on the live data")
    if unevaluated:
        parts.append(f"{unevaluated} precondition{'s' if unevaluated != 1 else ''} not evaluated")
    if counts["heavy_locks"]:
        parts.append(f"{counts['heavy_locks']} blocking lock{'s' if counts['heavy_locks'] != 1 else ''} over "
                     "large live tables")
    if counts["inconclusive"]:
        parts.append(f"{counts['inconclusive']} inconclusive")
    if counts["disagreements"]:
        parts.append(f"{counts['disagreements']} lint prediction{'s' if counts['disagreements'] != 1 else ''} "
                     "contradicted by the observation")
    summary = f"{n} pending migration{'s' if n != 1 else ''} rehearsed on {where}: " + ", ".join(parts)
    remediation = ("fix what fails before rolling out: each finding names the statement, its line and why; a "
                   "violated precondition needs the data fixed first (or the constraint added NOT VALID and "
                   "validated later), a long lock needs the change split (expand/contract, CONCURRENTLY, NOT VALID)")
    if any(f.rule in ("precondition-not-evaluated", "rehearsal-inconclusive") for f in findings):
        remediation += ("; a precondition preflight could not evaluate blocks by default: index what it reads, raise "
                        "max_scan_bytes, or set on_unknown = \"warn\" to accept it")
    return summary, remediation
