"""From what the rehearsal observed to the check's result: failures on the copy, locks scaled by the live
tables, data preconditions, and where the lint was wrong.

A lock is judged by the live table it lands on and by what happens while it is held. A mode that blocks writes
(``SHARE`` and stronger; ``ACCESS EXCLUSIVE`` blocks reads too) held while the statement, or a later statement
of the same transaction, rewrites or scans a live table lasts on production as long as that work: with at least
``lock_size`` of live table to get through it is a failure. Anything less is information in the statement's row
(its ``verdict``): "below lock_size", "brief" (no rewrite, no scan), "empty table" or "new table"; the lint's
warnings already name such locks.

Where the lint predicted a rewrite or a scan (``changing-column-type``, ``constraint-missing-not-valid``,
``require-concurrent-index-creation``...) and the rehearsal saw none, the observation wins and a finding says
so; a failure the lint did not predict says that too.

A statement that fails on the copy is a failure, with the runner's consequence (golang-migrate is left dirty; a
migration without a transaction keeps the statements before the failure). It is inconclusive instead (an error
unless ``on_unknown = "warn"``) when it did not finish within the rehearsal's statement_timeout, or when it fails
on a missing object and the copy is incomplete; and so is a migration preflight has no SQL for (goose's Go,
Flyway's Java, a migration in code without ``sql_command``): the rehearsal stops there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from preflight.db.catalog import human_count, human_size
from preflight.model import Finding, Location, Result, Severity
from preflight.rehearsal.observe import BLOCKS_READS, BLOCKS_WRITES, mode_name, strength
from preflight.rehearsal.restore import one_line

if TYPE_CHECKING:
    from preflight.db.probes import Probe
    from preflight.lint.live import Facts
    from preflight.rehearsal.execute import MigrationResult, StatementResult
    from preflight.rehearsal.session import Rehearsal, Settings

PREDICTS_WORK = frozenset({
    "adding-field-with-default", "adding-not-nullable-field", "changing-column-type",
    "constraint-missing-not-valid", "disallowed-unique-constraint", "prefer-repack",
    "require-concurrent-index-creation", "require-concurrent-refresh", "require-concurrent-reindex",
})
"""Lint rules whose finding says that the statement rewrites or scans the table under its lock."""
_NOT_YET = frozenset({"42703", "42883", "42P01", "42704", "3F000"})
"""Undefined column, function, table, object, schema."""
_BLOCKING = frozenset(mode_name(m) for m in BLOCKS_WRITES)
Table = tuple[str, str]


def display(table: Table) -> str:
    schema, name = table
    return name if schema == "public" else f"{schema}.{name}"


def _rows(f: Facts) -> str:
    if f.rows is None:
        return "an unknown number of rows"
    n = round(f.rows)
    text = f"{human_count(n)} row{'s' if n != 1 else ''}"
    return text if f.exact else f"about {text}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def judge(r: Rehearsal, settings: Settings) -> Result:
    return _Judge(r, settings).result()


class _Judge:
    def __init__(self, r: Rehearsal, settings: Settings):
        self.r = r
        self.settings = settings
        self.unknown = Severity.ERROR if settings.on_unknown == "error" else Severity.WARNING
        self.versions = (f" [rehearsed on PostgreSQL {r.server_version}; live is {r.live.version}]"
                         if r.majors_differ and r.live else "")
        self.findings: list[Finding] = []
        self.heavy_locks = 0
        self.disagreements = 0
        self.inconclusive = 0

    def result(self) -> Result:
        migrations = [self.migration(mi, mr) for mi, mr in enumerate(self.r.migrations)]
        for p in self.r.probes:
            self.precondition(p)
        findings = self.environment() + self.findings
        details = self.details(migrations)
        summary = self.summary()
        result = Result.from_findings(findings, ok=summary, bad=summary, details=details)
        if result.status.value != "pass":
            result.remediation = self.remediation(findings)
        return result

    # -- per migration and statement ------------------------------------------------------------------------

    def migration(self, mi: int, mr: MigrationResult) -> dict[str, Any]:
        m = mr.migration
        lint = self.r.lint[mi] if mi < len(self.r.lint) else []
        heavy = [self._heavy(res) for res in mr.statements]
        statements = []
        for i, res in enumerate(mr.statements):
            end = mr.statements[i + 1].line if i + 1 < len(mr.statements) else 10 ** 9
            predicted = [item for item in lint if item["kind"] == "lock" and item.get("context") != "function"
                         and res.line <= item["line"] + m.sql_line - 1 < end]
            entry = self._entry(res)
            statements.append(entry)
            if res.outcome == "error":
                self._error(mr, res)
            elif res.outcome == "ok":
                # The work done while this statement's locks are held: to the end of its transaction.
                scope = [j for j, other in enumerate(mr.statements) if j >= i and other.outcome == "ok"
                         and other.transaction == res.transaction] if res.held_until == "transaction" else [i]
                work: dict[Table, str] = {}
                for j in scope:
                    for table, what in heavy[j].items():
                        work.setdefault(table, what)
                self._locks(mr, res, entry, work, predicted)
                self._lint(mr, res, entry, heavy[i], predicted)
                if not res.locks_observed and not res.concurrently:
                    self._unobserved(mr, res, entry, heavy[i])
            for lock in entry["locks"]:
                lock.pop("_table", None)
        out: dict[str, Any] = {"name": m.name, "file": m.file, "transaction": m.transaction, "executed": mr.mode,
                               "how": mr.how, "outcome": mr.outcome,
                               "rehearsed_on": f"PostgreSQL {self.r.server_version}"}
        if self.r.majors_differ and self.r.live is not None:
            out["rehearsed_on"] += f" (live: {self.r.live.version}, another major version)"
        if mr.note:
            out["note"] = mr.note
        if mr.outcome == "not-rehearsed":
            self._not_rehearsed(mr)
        out["statements"] = statements
        out["duration_ms"] = round(mr.duration_ms)
        return out

    def _heavy(self, res: StatementResult) -> dict[Table, str]:
        """Live tables a statement rewrote, rebuilt an index of, or scanned (a truncation is instant). The work
        on a partition is work on the partitioned tables above it too: ``work`` below counts live sizes of the
        tables themselves only (a partitioned table has no storage of its own)."""
        out: dict[Table, str] = {}
        for oid, what in res.rewritten.items():
            table = self.r.live_table(oid)
            if table is not None and what != "truncated" and out.get(table) != "rewritten":
                # A table rewritten rebuilds its indexes too: "rewritten" says it all.
                out[table] = "rewritten" if what == "rewritten" else "index rebuilt"
        for oid in res.scanned:
            table = self.r.live_table(oid)
            if table is not None:
                out.setdefault(table, "scanned")
        return out

    def _with_ancestors(self, tables: dict[Table, str]) -> set[Table]:
        out = set(tables)
        for table in tables:
            out.update(self.r.ancestors(table))
        return out

    def _entry(self, res: StatementResult) -> dict[str, Any]:
        r = self.r
        entry: dict[str, Any] = {"line": res.line, "column": res.column, "statement": one_line(res.text, 160),
                                 "outcome": res.outcome}
        if res.error is not None:
            entry["error"] = {"sqlstate": res.error.sqlstate, "message": self._message(res.error.sqlstate,
                                                                                       res.error.message),
                              "line": res.error.line, "column": res.error.column}
        if res.held_until:
            entry["locks_held_until"] = f"end of {res.held_until}"
        # The locks it took, and those it works under: a relation an earlier statement of the transaction locked.
        shown = dict(res.locks)
        for oid in [*res.rewritten, *res.scanned]:
            if oid not in shown and oid in res.held:
                shown[oid] = res.held[oid]
        locks = []
        for oid, mode in shown.items():
            rel = r.relation(oid)
            if rel is None:
                continue
            table = r.live_table(oid)
            lock: dict[str, Any] = {"relation": display(rel.qualified), "mode": mode_name(mode), "_table": table}
            if oid not in res.locks:
                lock["taken_earlier"] = True
            f = r.facts.get(table) if table is not None else None
            if table is not None and f is not None and f.exists:
                lock["live"] = {"table": display(table), "rows": round(f.rows) if f.rows is not None else None,
                                "rows_exact": f.exact, "size_bytes": f.size}
            locks.append(lock)
        entry["locks"] = sorted(locks, key=lambda x: (x["relation"], x["mode"]))
        if res.outcome == "ok" and not res.locks_observed:
            entry["locks_observed"] = False
        entry["rewrites"] = sorted(({"relation": display(rel.qualified), "what": what}
                                    for oid, what in res.rewritten.items() if (rel := r.relation(oid)) is not None),
                                   key=lambda x: x["relation"])
        entry["scans"] = sorted(display(rel.qualified) for oid in res.scanned if (rel := r.relation(oid)) is not None)
        copied = r.restored.copied if r.restored else {}
        empty = sorted({t for oid in shown if (t := r.live_table(oid)) is not None and t not in copied
                        and t in r.facts and r.facts[t].populated})
        if empty:
            entry["empty_on_copy"] = [f"{display(t)} ({_rows(r.facts[t])} live)" for t in empty]
        if res.note:
            entry["note"] = res.note
        entry["duration_ms"] = round(res.duration_ms)
        return entry

    def _locks(self, mr: MigrationResult, res: StatementResult, entry: dict[str, Any], work: dict[Table, str],
               predicted: list[dict[str, Any]]) -> None:
        """Each live table the statement locked, judged; a finding for those at or above lock_size."""
        r = self.r
        work_bytes = sum(f.size for t in work if (f := r.facts.get(t)) is not None and f.exists and f.populated
                         and r.origin_kind(t) != "p")
        strongest: dict[Table, str] = {}
        for oid, mode in res.locks.items():
            table = r.live_table(oid)
            if table is not None and strength(mode) > strength(strongest.get(table, "")):
                strongest[table] = mode
        # A partition locked with its partitioned table: one finding, the partitioned table's.
        for table in list(strongest):
            if any(strength(strongest.get(a, "")) >= strength(strongest[table]) for a in r.ancestors(table)):
                del strongest[table]
        verdicts: dict[Table, str] = {}
        for table, mode in sorted(strongest.items()):
            f = r.facts.get(table)
            if mode not in BLOCKS_WRITES:
                continue
            if f is None or not f.exists:
                verdicts[table] = "new table"
            elif not f.populated:
                verdicts[table] = "empty table"
            elif work_bytes == 0:
                verdicts[table] = "brief"
            elif work_bytes < self.settings.lock_size:
                verdicts[table] = "below lock_size"
            else:
                verdicts[table] = "failure"
                self.heavy_locks += 1
                self.findings.append(self._lock_finding(mr, res, table, mode, f, work, work_bytes, entry,
                                                        any(i["rule"] in PREDICTS_WORK for i in predicted)))
        for lock in entry["locks"]:
            if lock["mode"] in _BLOCKING and not lock.get("taken_earlier"):
                table = lock["_table"]
                lock["verdict"] = verdicts.get(table, "new table") if table is not None else "new table"

    def _lock_finding(self, mr: MigrationResult, res: StatementResult, table: Table, mode: str, f: Facts,
                      work: dict[Table, str], work_bytes: int, entry: dict[str, Any], foreseen: bool) -> Finding:
        m = mr.migration
        r = self.r
        held = "the end of the statement" if res.held_until == "statement" else f"the end of {m.name}'s transaction"
        doing = ", ".join(f"{display(t)} {what}" + (f" ({human_size(r.facts[t].size)} live)" if t in r.facts else "")
                          for t, what in sorted(work.items()))
        waits = "reads and writes wait" if mode in BLOCKS_READS else "writes wait"
        return Finding(
            Severity.FAILURE, f"{mode_name(mode)} on {display(table)} ({_rows(f)}, {human_size(f.size)} live) held "
            f"to {held} ({waits}), while {doing}: {human_size(work_bytes)} of live table to get through, at or above "
            f"lock_size ({human_size(self.settings.lock_size)})"
            f"{'' if foreseen else '; migrations.lint did not predict it'}{self.versions}",
            location=Location(m.file, res.line, res.column), rule="lock-on-live-table", migration=m.name,
            data={"statement": entry["statement"], "mode": mode_name(mode), "table": display(table),
                  "held_until": res.held_until, "work_bytes": work_bytes, "lint_predicted": foreseen})

    def _unobserved(self, mr: MigrationResult, res: StatementResult, entry: dict[str, Any],
                    heavy: dict[Table, str]) -> None:
        """A statement run outside a transaction block (a DO block or CALL without one, VACUUM FULL...) whose
        locks ended with it, while it rewrote at least lock_size of live table: how long it blocks is unknown,
        never a pass."""
        r = self.r
        work_bytes = sum(f.size for t in heavy if (f := r.facts.get(t)) is not None and f.exists and f.populated
                         and r.origin_kind(t) != "p")
        if work_bytes < self.settings.lock_size:
            return
        m = mr.migration
        doing = ", ".join(f"{display(t)} {what}" + (f" ({human_size(r.facts[t].size)} live)" if t in r.facts else "")
                          for t, what in sorted(heavy.items()))
        self.inconclusive += 1
        self.findings.append(Finding(
            self.unknown, f"{m.name}: inconclusive: the statement at line {res.line} ran outside a transaction block, "
            f"where its locks cannot be observed, while {doing}: {human_size(work_bytes)} of live table to get "
            f"through, at or above lock_size ({human_size(self.settings.lock_size)}), under a lock the rehearsal "
            f"did not see{self.versions}", location=Location(m.file, res.line, res.column),
            rule="rehearsal-inconclusive", migration=m.name,
            data={"statement": entry["statement"], "work_bytes": work_bytes}))

    def _lint(self, mr: MigrationResult, res: StatementResult, entry: dict[str, Any], heavy: dict[Table, str],
              predicted: list[dict[str, Any]]) -> None:
        """A rewrite or scan the lint predicted and the rehearsal did not see: the observation wins."""
        locked = {t for oid in res.locks if (t := self.r.live_table(oid)) is not None}
        worked = self._with_ancestors(heavy)
        for item in predicted:
            if item["rule"] not in PREDICTS_WORK or not item.get("target"):
                continue
            _, schema, name = item["target"]
            target = next((t for t in sorted(locked | worked)
                           if t[1] == name and (not schema or t[0] == schema)), None)
            if target is None or target in worked:
                continue
            self.disagreements += 1
            modes = ", ".join(sorted({lk["mode"] for lk in entry["locks"] if lk["_table"] == target})) or "no lock"
            entry.setdefault("lint", []).append({"rule": item["rule"], "predicted": item["message"],
                                                 "observed": "no rewrite, no scan", "winner": "observation"})
            self.findings.append(Finding(
                Severity.INFO, f"migrations.lint ({item['rule']}) predicts: {item['message']}; the rehearsal observed "
                f"{modes} on {display(target)} with no rewrite and no scan of it: the observation wins, the lock is "
                f"brief{self.versions}", location=Location(mr.migration.file, res.line, res.column),
                rule="lint-disagrees", migration=mr.migration.name,
                data={"lint_rule": item["rule"], "predicted": item["message"], "observed_locks": modes}))

    def _error(self, mr: MigrationResult, res: StatementResult) -> None:
        m = mr.migration
        e = res.error
        assert e is not None
        at = Location(m.file, e.line, e.column)
        detail = ""
        if e.detail:
            detail = f" ({e.detail})" if self.settings.show_values else " (detail withheld: show_values shows it)"
        message = self._message(e.sqlstate, e.message)
        text = f"ERROR {e.sqlstate}: {message}{detail}"
        data = {"statement": one_line(res.text, 160), "sqlstate": e.sqlstate, "error": message}
        if e.timeout or self._maybe_missing(e.sqlstate):
            self.inconclusive += 1
            why = ("it did not finish within the rehearsal's statement_timeout" if e.timeout else
                   "the copy lacks objects that did not restore (see copy-incomplete)")
            self.findings.append(Finding(self.unknown, f"{m.name}: inconclusive: {text}, but {why}{self.versions}",
                                         location=at, rule="rehearsal-inconclusive", migration=m.name, data=data))
            return
        self.findings.append(Finding(Severity.FAILURE, f"{m.name} fails at {m.file}:{e.line}:{e.column}: {text}; "
                                     f"{self._consequence(mr, res)}{self.versions}", location=at,
                                     rule="migration-fails", migration=m.name, data=data))

    def _not_rehearsed(self, mr: MigrationResult) -> None:
        """A migration preflight has no SQL for (goose's Go, Flyway's Java, a runner's code without
        sql_command): whether it and the migrations after it apply is unknown, never a pass."""
        m = mr.migration
        after = sum(1 for other in self.r.migrations if other.note and other.note.startswith(
            "not run: the rehearsal cannot go past"))
        rest = f"; the {_plural(after, 'migration')} after it were not run either" if after else ""
        self.inconclusive += 1
        self.findings.append(Finding(self.unknown, f"{m.name}: inconclusive: not rehearsed, {m.not_sql}{rest}",
                                     location=Location(m.file), rule="rehearsal-inconclusive", migration=m.name,
                                     data={"not_rehearsed": m.not_sql or ""}))

    def _message(self, sqlstate: str, message: str) -> str:
        """A data exception quotes the value it failed on (the copy holds the small tables' live rows)."""
        from preflight.db.probes import redact

        return message if not sqlstate.startswith("22") else redact(message, self.settings.show_values)

    def _maybe_missing(self, sqlstate: str) -> bool:
        """Whether an "undefined ..." error may come from what the copy lacks rather than from the migration."""
        restored = self.r.restored
        if restored is None or sqlstate not in _NOT_YET:
            return False
        failed = any(p.kind in ("object", "data") for p in restored.problems)
        if sqlstate in ("42P01", "42703"):  # a table, or a column of a table that did not restore
            return bool(restored.missing_relations)
        return failed or bool(restored.missing_extensions or restored.missing_relations)

    def _consequence(self, mr: MigrationResult, res: StatementResult) -> str:
        applied = [s for s in mr.statements if s.outcome == "ok" and s.index < res.index]
        if mr.mode == "none" and applied:
            kept = (f"the {_plural(len(applied), 'statement')} before it {'stays' if len(applied) == 1 else 'stay'} "
                    "applied (no transaction)")
        elif mr.mode == "none":
            kept = "nothing of it is applied"
        else:
            kept = "its transaction rolls back"
        if self.r.runner == "golang-migrate":
            return (f"{kept}, and golang-migrate records version {mr.migration.version} as dirty: every later "
                    "`migrate up` refuses to run until someone fixes the database and forces the version")
        return f"{kept}, and {self.r.runner} stops there: the migrations after it do not run"

    # -- preconditions, environment ---------------------------------------------------------------------------

    def precondition(self, p: Probe) -> None:
        where = Location(p.file, p.line, p.column)
        samples = f"; sample keys: {'; '.join(p.samples)}" if p.samples else ""
        if p.outcome == "violated":
            dirty = " and leave golang-migrate dirty" if self.r.runner == "golang-migrate" else ""
            self.findings.append(Finding(
                Severity.FAILURE, f"{p.migration}: {p.what}: violated on the live data: {p.reason}{samples}: the "
                f"migration would fail mid-rollout{dirty}", location=where, rule="precondition-violated",
                migration=p.migration, data=p.to_dict()))
        elif p.outcome == "not-evaluated":
            self.findings.append(Finding(self.unknown, f"{p.migration}: {p.what}: {p.reason}", location=where,
                                         rule="precondition-not-evaluated", migration=p.migration,
                                         data=p.to_dict()))
        elif p.outcome in ("holds", "covered"):
            verb = "holds on the live data" if p.outcome == "holds" else "is covered by the rehearsal"
            self.findings.append(Finding(Severity.INFO, f"{p.migration}: {p.what}: {verb}"
                                         + (f": {p.reason}" if p.reason else ""), location=where,
                                         rule=f"precondition-{p.outcome}", migration=p.migration, data=p.to_dict()))

    def environment(self) -> list[Finding]:
        r = self.r
        out: list[Finding] = []
        if r.majors_differ and r.live is not None:
            out.append(Finding(Severity.INFO, f"the rehearsal server runs PostgreSQL {r.server_version} and the live "
                               f"database {r.live.version}: every result comes from major version "
                               f"{r.server_major}, not {r.live.major}; point [targets.rehearsal] dsn at a server of "
                               f"version {r.live.major} for an exact rehearsal", rule="rehearsal-version",
                               data={"live": r.live.version, "rehearsal": r.server_version}))
        restored = r.restored
        if restored is None:
            return out
        for name in restored.missing_extensions:
            out.append(Finding(Severity.WARNING, f"extension {name} is not available on the rehearsal server: it "
                               "was skipped, and the objects that need it are missing from the copy",
                               rule="extension-missing", data={"extension": name}))
        for name, (live_v, copy_v) in sorted(restored.extension_versions.items()):
            out.append(Finding(Severity.INFO, f"extension {name} is version {copy_v} on the copy, {live_v} live",
                               rule="extension-version", data={"extension": name, "live": live_v, "copy": copy_v}))
        problems = [p for p in restored.problems if p.kind in ("object", "data")]
        missing = restored.missing_relations
        if problems or missing:
            parts = []
            if missing:
                listed = ", ".join(missing[:10]) + (f" and {len(missing) - 10} more" if len(missing) > 10 else "")
                parts.append(f"{_plural(len(missing), 'live relation')} missing ({listed})")
            if problems:
                first = "; ".join(f"{p.statement}: {p.message}" for p in problems[:3])
                parts.append(f"{_plural(len(problems), 'statement')} of the schema failed to restore ({first})")
            out.append(Finding(Severity.WARNING, f"the copy is incomplete: {'; '.join(parts)}: a migration that "
                               "fails on a missing object is inconclusive", rule="copy-incomplete",
                               data={"missing_relations": missing, "problems": [p.to_dict() for p in problems]}))
        roles = [p for p in restored.problems if p.kind == "role"]
        if r.missing_roles or roles:
            text = ""
            if r.missing_roles:
                text = (f"{_plural(len(r.missing_roles), 'role')} the schema names could not be created as "
                        f"placeholders on the rehearsal server ({', '.join(r.missing_roles[:10])}); ")
            if roles:
                text += (f"{_plural(len(roles), 'ownership or privilege statement')} skipped ({roles[0].message}); ")
            out.append(Finding(Severity.INFO, text + "the rehearsal runs as the rehearsal server's user, so owners "
                               "and privileges only matter to migrations that SET ROLE", rule="roles-missing",
                               data={"roles": r.missing_roles, "statements": len(roles)}))
        options = [p for p in restored.problems if p.kind == "option"]
        if options:
            out.append(Finding(Severity.INFO, f"{_plural(len(options), 'storage or planner option')} the rehearsal "
                               f"server does not know left out ({options[0].message})", rule="options-skipped"))
        if restored.user_mappings:
            out.append(Finding(Severity.INFO, f"{_plural(restored.user_mappings, 'user mapping')} of foreign servers "
                               "not copied (they hold credentials): a statement that reaches a foreign table fails on "
                               "the copy", rule="user-mappings-skipped"))
        for note in r.notes:
            out.append(Finding(Severity.INFO, note, rule="rehearsal-note"))
        return out

    # -- the result ---------------------------------------------------------------------------------------------

    def details(self, migrations: list[dict[str, Any]]) -> dict[str, Any]:
        r = self.r
        live, restored = r.live, r.restored
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
            "preconditions": [p.to_dict() for p in r.probes],
        }
        if live is not None and restored is not None:
            details["copy"] = {
                "pg_dump": r.tools.label if r.tools else "",
                "relations": len(live.relations),
                "tables_copied": [{"table": display(t.qualified), "rows": t.rows, "why": t.why}
                                  for t in sorted(live.tables, key=lambda t: t.qualified)
                                  if t.qualified in restored.copied],
                "tables_left_empty": len(live.not_copied),
                "missing_relations": restored.missing_relations,
                "missing_extensions": restored.missing_extensions,
                "restore_problems": [p.to_dict() for p in restored.problems],
            }
        details["migrations"] = migrations
        return details

    def summary(self) -> str:
        r = self.r
        n = len(r.pending)
        where = f"PostgreSQL {r.server_version} ({'embedded' if r.server_kind == 'embedded' else 'rehearsal dsn'}"
        where += f"; live {r.live.version})" if r.majors_differ and r.live else ")"
        failed = next((mr for mr in r.migrations if mr.outcome == "failed"), None)
        parts = []
        if failed is not None:
            e = next((s.error for s in failed.statements if s.error is not None), None)
            parts.append(f"{failed.migration.name} fails" + (f" at line {e.line} ({e.sqlstate} "
                                                              f"{self._message(e.sqlstate, e.message)})" if e else ""))
        elif any(mr.outcome == "not-rehearsed" for mr in r.migrations):
            parts.append("not every migration could be rehearsed")
        else:
            parts.append(f"all {n} apply on the copy" if n > 1 else "it applies on the copy")
        violated = sum(1 for p in r.probes if p.outcome == "violated")
        unevaluated = sum(1 for p in r.probes if p.outcome == "not-evaluated")
        if violated:
            parts.append(f"{_plural(violated, 'data precondition')} violated on the live data")
        if unevaluated:
            parts.append(f"{_plural(unevaluated, 'precondition')} not evaluated")
        if self.heavy_locks:
            parts.append(f"{_plural(self.heavy_locks, 'blocking lock')} over large live tables")
        if self.inconclusive:
            parts.append(f"{self.inconclusive} inconclusive")
        if self.disagreements:
            parts.append(f"{_plural(self.disagreements, 'lint prediction')} contradicted by the observation")
        return f"{_plural(n, 'pending migration')} rehearsed on {where}: " + ", ".join(parts)

    @staticmethod
    def remediation(findings: list[Finding]) -> str:
        text = ("fix what fails before rolling out: each finding names the statement, its line and why; a violated "
                "precondition needs the data fixed first (or the constraint added NOT VALID and validated later), a "
                "long lock needs the change split (expand/contract, CONCURRENTLY, NOT VALID)")
        if any(f.rule in ("precondition-not-evaluated", "rehearsal-inconclusive") for f in findings):
            text += ("; what preflight could not decide blocks by default: index what a probe reads, raise "
                     "max_scan_bytes, or set on_unknown = \"warn\" to accept it")
        return text
