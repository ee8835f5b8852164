"""Lints the pending migrations for data loss, blocking locks and transaction traps, judged against the live database.

Every pending migration (``scope = "pending"``, the default) or every migration in the source (``scope =
"all"``, no database needed) is parsed with PostgreSQL's own parser, ``DO`` blocks and function bodies included,
and checked by the lint rules (``preflight explain <rule-id>`` shows each rule's page; the README lists them with
the squawk rules they cover). Each finding names the migration, file, line and column, the statement, the rule,
the reason and the safe alternative.

With the database (scope "pending"), severities follow the data:

- a destructive statement (``DROP TABLE``/``COLUMN``/``SCHEMA``/``TYPE``, ``TRUNCATE``, ``DELETE`` or ``UPDATE``
  without ``WHERE``) on a table that holds rows is a failure, with the row count (exact for tables up to
  ``thresholds.exact_count_size``, else the planner's estimate) and size; on an empty table a warning; on a
  table that does not exist yet (created by an earlier pending migration, or earlier in the same migration) or is
  absent and dropped ``IF EXISTS``, information;
- a blocking lock (``CREATE INDEX`` without ``CONCURRENTLY``, ``ALTER COLUMN TYPE``, ``SET NOT NULL``, a
  constraint without ``NOT VALID``...) on a table of at least ``thresholds.lock_size`` is a failure, on a smaller
  one a warning, on a new one information; a statement that holds its lock only for a catalog change is
  information, judged from the column's current type, the server's version and ``TimeZone`` and the functions'
  volatility (a longer ``varchar``, ``SET NOT NULL`` on a column already proven not null, a default computed
  once, ``CREATE INDEX`` that builds nothing);
- adding a ``NOT NULL`` column without a default fails on a table that holds rows: a failure there, information
  on an empty one;
- a statement PostgreSQL will reject because of what the catalogs hold (objects that depend on what it drops or
  retypes, a primary key in the way, no unique key to reference, a replaced view's dropped column) is a failure,
  with the SQLSTATE it will raise (``fails-against-live-schema``; ``preflight explain`` tells when it predicts
  nothing); so is a statement that uses syntax newer than the server's version (``needs-newer-server``) or an
  enum value in the transaction that adds it (``unsafe-new-enum-value``);
- a statement that fails on the rows it meets (``SET NOT NULL`` over NULLs, a ``CHECK``, ``FOREIGN KEY`` or
  ``UNIQUE`` the rows violate, a type change a value does not survive, ``ATTACH PARTITION`` of rows outside the
  bounds) is a failure with the count of violating rows and the SQLSTATE (``fails-on-live-data``: read-only
  probes of the live rows, each bounded by ``thresholds.max_scan_bytes``; one it cannot answer is information
  that says why).

What a statement meets is worked out through every pending migration before it, in run order: renames (of
tables, columns, indexes, sequences, views, types, domains, schemas, functions), ``SET SCHEMA``, ``DROP`` and
``CREATE`` (of tables, indexes, views, sequences, types, domains, schemas, functions, extensions). A renamed
table is judged by its rows under its name in the database; an object an earlier pending statement creates is
new (information); one it dropped or renamed away makes the statement fail (a warning, "would fail"); a
``DROP TYPE`` after the columns that use the type were retyped or dropped is a warning. An absent object named
by a statement guarded in its ``DO`` block (``IF ... THEN``, ``CASE``, ``WHILE``, a block with an ``EXCEPTION``
handler) is information, not "would fail". A statement that would fail on a name (a column, constraint, trigger,
function, schema, type or referenced table that does not exist then, a column, relation or enum label already
taken, ``DROP TABLE`` of a view) is a warning of rule ``object-existence``, which reports only with the database
(``preflight explain object-existence``). JSON findings say which verdict they got in ``data.verdict``
(``would-fail``, ``no-op``, ``guarded``, ``new``, ``new-column``, ``not-evaluated``) and, for a statement that
would fail, the error PostgreSQL will raise in ``data.sqlstate`` (every rule that predicts a failure gives it).

Without the database (scope "all"), destructive statements are failures and blocking locks warnings; a claim
that rests on what only the database knows states its condition, unless the earlier migrations settle it (a
column they created, a function they declared: ``preflight explain changing-column-type``). Transaction
traps (``CREATE INDEX CONCURRENTLY`` where the runner wraps the file in a transaction, nested or uncommitted
``BEGIN``) are failures either way: the migration would fail at rollout. Statements in function bodies only run
when the function is called: information.

A migration that does not parse (``syntax-error``) could not be linted at all: the check could not decide, an
``error`` (exit 3) by default; ``on_unknown = "warn"`` reports it as a warning instead. So is a pending migration
whose SQL preflight cannot know (a Java, Python, Ruby or JavaScript migration, a Liquibase change that is not SQL),
named as not linted, unless the runner can print its SQL through ``[targets.migrations] sql_command`` (Alembic,
Django, Rails).

Intended data loss (the contract phase of expand/contract) is acknowledged visibly, in one of three ways:

- in the file, on the line before the statement: ``-- preflight: ignore ban-drop-table <reason>`` (the reason
  is required and shown in the report);
- a waiver narrowed to the finding: ``[[waiver]] check = "migration-safety" rule = "ban-drop-table"
  migration = "103_drop_legacy_rollups"`` (so one acknowledged drop does not hide the others: the check's status
  is then the worst finding still open, a warning when only warnings are left);
- a guard: a ``DO`` block at the top of the same migration that ``RAISE``\\ s ``EXCEPTION`` unless the precondition
  holds. When every guard of the migration passes against the live database (run read-only, see
  ``migrations.guards``), its data-loss failures become warnings that name the guard.

Example::

    [[check]]
    id = "migration-safety"
    uses = "migrations.lint"
    rules = { exclude = ["require-statement-timeout"] }
    thresholds = { lock_size = "50MB" }
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from preflight.api import (
    CheckContext,
    Finding,
    Location,
    OnUnknown,
    Result,
    Severity,
    doc,
    on_unknown_key,
    parse_size,
    unknown_severity,
)

if TYPE_CHECKING:
    from preflight.api import Known, Migration, Objects
    from preflight.api import LiveFacts as Facts

needs = ("migrations",)


@dataclass
class Rules:
    include: list[str] = doc('Opt-in rules to turn on (squawk\'s names work too); "all" turns on every rule.',
                             default_factory=list)
    exclude: list[str] = doc('Rules to turn off, e.g. ["require-statement-timeout"].', default_factory=list)
    severity: dict[str, Literal["info", "warning", "failure"]] = doc(
        'A fixed severity for a rule instead of its data-aware one, e.g. { "prefer-text-field" = "warning" }.',
        default_factory=dict)

    def __post_init__(self) -> None:
        from preflight.api import LintSelection as Selection

        try:
            Selection(self.include, self.exclude, dict(self.severity), key="")
        except ValueError as e:
            key, _, why = str(e).partition(": ")
            raise ValueError(f"{key.lstrip('.').split('.')[0]}: {why}") from None


@dataclass
class Thresholds:
    lock_size: str = doc("A blocking lock on a table at least this big (pg_total_relation_size, indexes and "
                         "TOAST included) is a failure; on a smaller table, a warning.", default="100MB")
    exact_count_size: str = doc("Tables up to this size are counted exactly (count(*)); bigger ones use the "
                                "planner's estimate (pg_class.reltuples).", default="10MB")
    max_scan_bytes: str = doc("A probe of the live rows (fails-on-live-data) whose plan reads more than this "
                              "(tables scanned, indexes read whole) is not run: its statement is reported as not "
                              "evaluated.", default="100MB")

    def __post_init__(self) -> None:
        parse_size(self.lock_size, "lock_size")
        parse_size(self.exact_count_size, "exact_count_size")
        parse_size(self.max_scan_bytes, "max_scan_bytes")


@dataclass
class Config:
    scope: Literal["pending", "all"] = doc('"pending": the migrations the rollout will run, judged against the '
                                           'database; "all": every migration in the source, no database.',
                                           default="pending")
    rules: Rules = doc("Which rules run: { include, exclude, severity }.", default_factory=Rules)
    thresholds: Thresholds = doc("Sizes that decide severities and bound the probes: { lock_size, exact_count_size, "
                                 "max_scan_bytes }.",
                                 default_factory=Thresholds)
    guards: bool = doc("Let a migration's passing guards turn its data-loss failures into warnings.",
                       default=True)
    on_unknown: OnUnknown = on_unknown_key("a migration does not parse, or its SQL cannot be known (a migration "
                                           "written in code, without sql_command), so it cannot be linted")


DATA_AWARE = ("data-loss", "lock", "needs-empty")


def reads_database(config: Config) -> bool:
    """Scope "pending" judges each database's own pending list (in a fleet: once per member); "all" reads none."""
    return config.scope == "pending"


def run(config: Config, ctx: CheckContext) -> Result:
    from preflight.api import LintSelection as Selection
    from preflight.api import lint_finding as to_finding
    from preflight.api import lint_items as items

    plan = ctx.migrations
    selection = Selection(config.rules.include, config.rules.exclude, dict(config.rules.severity),
                          on_unknown=config.on_unknown)
    live = config.scope == "pending"
    if live and ctx.targets.config.database is None:
        return Result.errored('scope "pending" needs [targets.database] to know what is pending (or set '
                              'scope = "all" to lint every migration without a database)')
    migrations: list[Migration] = plan.with_sql(plan.pending if live else plan.migrations)
    no_cache = bool(ctx.options.get("no_cache"))
    analyses = plan.analyses(migrations, enabled=selection.to_analyse(live), use_cache=not no_cache)

    per_migration: list[tuple[Migration, list[dict[str, Any]], dict[str, Any]]] = []
    for m, analysis in zip(migrations, analyses, strict=True):
        per_migration.append((m, items(analysis, selection, live=live), analysis))

    if live:
        _judge_live(config, ctx, per_migration, selection.severity)
    else:  # what the earlier migrations do settles the conditions a finding states without the database
        from preflight.api import settle_from_history

        settle_from_history([(m.file, analysis) for m, _, analysis in per_migration],
                            [its for _, its, _ in per_migration], fixed=set(selection.severity),
                            offsets={m.file: m.sql_line - 1 for m, _, _ in per_migration})

    findings: list[Finding] = []
    for m, its, _analysis in per_migration:
        if m.not_sql is not None:
            findings.append(Finding(
                unknown_severity(config.on_unknown), f"could not decide: {m.name} is not linted: {m.not_sql}",
                location=Location(m.file),
                rule="not-linted", migration=m.name,
                data={"remediation": "review what it does by hand; where the runner can print its SQL, set "
                                     "[targets.migrations] sql_command so that the lint reads it"}))
            continue
        for item in its:
            findings.append(to_finding(item, file=m.file, migration=m.name, line_offset=m.sql_line - 1))
    counts = {s: sum(1 for f in findings if f.severity == s and f.waived_by is None) for s in
              ("error", "failure", "warning", "info")}
    acknowledged = sum(1 for f in findings if f.waived_by is not None)
    what = f"{len(migrations)} {'pending ' if live else ''}migration{'s' if len(migrations) != 1 else ''}"
    details: dict[str, Any] = {"scope": config.scope, "migrations": len(migrations), "findings": counts,
                               "acknowledged_in_file": acknowledged, "rules": len(selection.enabled)}
    bad_parts = [f"{n} {s}{'s' if n != 1 else ''}" if s != "error" else f"{n} could not be linted"
                 for s, n in counts.items() if n and s != "info"]
    result = Result.from_findings(
        findings, ok=f"{what} lint clean" + (f" ({counts['info']} notes)" if counts["info"] else ""),
        bad=f"{what}: {', '.join(bad_parts)}", details=details)
    if result.status.value in ("fail", "warn", "error"):
        result.remediation = ("each finding gives the safe alternative; acknowledge an intended change with "
                              "`-- preflight: ignore <rule> <reason>` before the statement, a [[waiver]] narrowed "
                              "with rule and migration, or a guard (a DO block that raises unless the "
                              "precondition holds) at the top of the migration")
        if counts["error"]:
            result.remediation += ("; a migration that does not parse, or whose SQL preflight cannot read, was not "
                                   "linted at all: fix it (or set sql_command), or set on_unknown = \"warn\" to "
                                   "accept not knowing")
    return result


def _judge_live(config: Config, ctx: CheckContext,
                per_migration: list[tuple[Migration, list[dict[str, Any]], dict[str, Any]]],
                fixed: dict[str, str]) -> None:
    """Data-aware severities, then guard downgrades."""
    from preflight.api import PendingSchema, check_session, judge_data_failures, resolve_needs
    from preflight.api import judge_live_failures as judge_failures
    from preflight.api import lookup_facts as lookup
    from preflight.api import refine_live_facts as refine

    lock_size = parse_size(config.thresholds.lock_size, "lock_size")
    exact_size = parse_size(config.thresholds.exact_count_size, "exact_count_size")

    # What each statement meets: the objects as the statements before it, in run order, leave them.
    replay = PendingSchema.of(m for m, _, _ in per_migration).replay()
    targets = []
    needs = False
    for index, (_m, its, _) in enumerate(per_migration):
        for i in sorted(its, key=lambda i: (i["line"], i["column"])):
            if i["target"] and (i["kind"] in DATA_AWARE or i["if_exists"] or i["extra"].get("guarded")) \
                    and i["context"] != "function":
                _resolve(i, replay.at(index, i["line"], i["column"]))
                if i["in_database"] is not None:
                    targets.append(i["in_database"])
            # object-existence: top-level statements only (a DO block's earlier statements are not replayed)
            elif i["kind"] == "existence" and i["context"] == "top":
                resolve_needs(i, replay.at(index, i["line"], i["column"]))
                needs = True
    # Statements the catalogs may show to fail (fails-against-live-schema), judged with the same session.
    pending = [(m.sql if m.not_sql is None else None, its) for m, its, _ in per_migration]
    failures = any(i["kind"] == "fails" for _, its in pending for i in its)
    facts: dict[Any, Facts] = {}
    with check_session(ctx) if targets or needs or failures else contextlib.nullcontext() as cur:
        if targets:
            facts = lookup(cur, targets, exact_size)  # type: ignore[arg-type]
            refine(cur, [its for _, its, _ in per_migration], facts)
        if failures:
            assert cur is not None  # the session is open whenever there are candidates
            judge_failures(cur, pending)
        for m, its, _ in per_migration:
            for item in its:
                _classify(item, facts, m.name, lock_size, fixed)
            if needs:
                _judge_needs(cur, m.name, its, fixed)
    # Statements that fail on the rows they meet (fails-on-live-data): the probes take sessions of their own,
    # after the verdicts above, so that a statement already said to fail is not reported twice.
    judge_data_failures(ctx.database, [(m, its) for m, its, _ in per_migration],
                        parse_size(config.thresholds.max_scan_bytes, "max_scan_bytes"), fixed,
                        [analysis for _, _, analysis in per_migration])
    for index, (m, its, analysis) in enumerate(per_migration):
        # object-existence reports only the statements that would fail
        its[:] = [i for i in its if i["kind"] != "existence" or i.get("verdict") == "would-fail"]
        if config.guards and analysis.get("guards"):
            _apply_guards(ctx, m, its, analysis, index, [x for x, _, _ in per_migration])


def _judge_needs(cur: Any, migration: str, its: list[dict[str, Any]], fixed: dict[str, str]) -> None:
    """``object-existence``: a statement that would fail on a name, unless another finding of the same statement
    already says it would fail (or does nothing: IF EXISTS)."""
    from preflight.api import judge_needs

    settled = {(i["line"], i["column"]) for i in its if i.get("verdict") in ("would-fail", "no-op")}
    for item in its:
        if item["kind"] != "existence" or "answers" not in item or (item["line"], item["column"]) in settled:
            continue
        if judge_needs(cur, item, migration) and item["rule"] in fixed:
            item["severity"] = fixed[item["rule"]]


def _resolve(item: dict[str, Any], objects: Objects) -> None:
    """What the item's target is when its statement runs (``item["known"]``), and the name to ask the database
    about (``item["in_database"]``: None when the database has nothing to say about it)."""
    from preflight.api import CREATED, EXISTING, FAMILY_OF_TARGET

    target_kind, schema, name = item["target"]
    known = objects.get(FAMILY_OF_TARGET[target_kind], schema, name)
    item["known"] = known
    if item["rule"] == "ban-drop-column" and (known is None or known.state == EXISTING):
        item["known_column"] = objects.column(schema, name, item["extra"].get("column", ""))
    if target_kind == "type" and (known is None or known.state == EXISTING):
        item["changed_columns"] = objects.changed_columns()
    if item["rule"] == "changing-column-type" and (known is None or known.state == EXISTING):
        # the column as the earlier pending statements leave it (later ones change the same object: a copy)
        column = objects.column(schema, name, item["extra"].get("column", ""))
        if column is not None and (column.state == CREATED or column.retyped_by is not None):
            item["pending_column"] = {"by": column.retyped_by or column.by, "type": column.type,
                                      "if_absent": column.state == CREATED and column.if_absent
                                                   and column.retyped_by is None}
    if item["extra"].get("domain"):  # a column type that may be a domain an earlier pending statement makes
        made = objects.get(FAMILY_OF_TARGET["type"], *item["extra"]["domain"])
        item["pending_domain"] = None if made is None else made.state == CREATED and made.checked
    if item["rule"] == "adding-not-nullable-field" and (known is None or known.state == EXISTING):
        proofs = objects.not_null_proofs(schema, name)
        item["pending_not_null"] = {"proven": proofs.proven, "validated": proofs.validated,
                                    "columns": proofs.nullability, "in_database": proofs.in_database,
                                    "dropped": proofs.dropped}
    if known is None or (known.state == CREATED and known.if_absent):
        item["in_database"] = (target_kind, schema, name)
    elif known.state == EXISTING and known.was:
        item["in_database"] = (target_kind, *known.was)
    else:
        item["in_database"] = None


# The error of a statement whose object is not there, by the kind of object (a relation: 42P01, but a DROP INDEX
# of a missing index 42704).
_UNDEFINED_TARGET = {"type": "42704", "schema": "3F000"}


def _classify(item: dict[str, Any], facts: dict[Any, Facts], migration: str, lock_size: int,
              fixed: dict[str, str]) -> None:
    from preflight.api import ABSENT, CREATED

    kind = item["kind"]
    if kind not in DATA_AWARE and item["target"] and item["context"] != "function" and (
            item["if_exists"] or item["extra"].get("guarded")):
        _classify_absent(item, facts)
    if kind not in DATA_AWARE or not item["target"] or item["context"] == "function" or item["rule"] in fixed:
        return
    if item.get("severity") == "failure" and item["rule"] == "ban-duplicate-column-assignments":
        return
    target_kind, rel_schema, name = item["target"]
    reason = item["message"]
    known: Known | None = item.get("known")

    def set_(severity: str, detail: str, verdict: str | None = None) -> None:
        item["severity"] = severity
        item["detail"] = f"{reason}: {detail}"
        if verdict:
            item["verdict"] = verdict
        if verdict == "would-fail":  # the object the statement is about is not there
            item["sqlstate"] = "42704" if item["extra"].get("drops_index") else _UNDEFINED_TARGET.get(target_kind,
                                                                                                     "42P01")

    def who(by: str | None) -> str:
        return "an earlier statement of this migration" if by in (None, migration) else \
            f"earlier pending migration {by}"

    f = facts.get(item["in_database"]) if item.get("in_database") else None
    # CREATE ... IF NOT EXISTS (OR REPLACE) of an object the database has: it is the database's object
    kept = known is not None and known.state == CREATED and known.if_absent and f is not None and f.exists
    if not kept and (item.get("new") or (known is not None and known.state == CREATED)):
        by = known.by if known is not None and known.state == CREATED else None
        if by in (None, migration):
            set_("info", "it is created earlier in this migration", "new")
        else:
            item["earlier_migration"] = by
            set_("info", f"it does not exist yet: earlier pending migration {by} creates it", "new")
        return
    column = item.get("known_column")
    if item.get("column_absent") or (column is not None and column.state == ABSENT):
        how = (f"when the statement runs: {who(column.by)} {column.how}" if column is not None
               else "in the database")
        gone = f"column {item['extra'].get('column', '')} of {_label(rel_schema, name)} does not exist {how}"
        if item.get("if_exists") and item["extra"].get("commands", 1) == 1:
            set_("info", f"{gone}, and IF EXISTS makes the statement a no-op", "no-op")
            return
        if item["extra"].get("guarded"):
            set_("info", f"{gone}; the statement is guarded: {item['extra']['guarded']}", "guarded")
            return
        if item.get("if_exists"):  # another command of the statement runs: no verdict on the whole statement
            set_("info", f"{gone}, and IF EXISTS makes this command a no-op")
            return
    if column is not None and column.state == CREATED:
        if column.by in (None, migration):
            set_("info", "the column is added earlier in this migration", "new-column")
        else:
            item["earlier_migration"] = column.by
            set_("info", f"the column does not exist yet: earlier pending migration {column.by} adds it",
                 "new-column")
        return
    label = _label(rel_schema, name)
    if known is not None and known.state == ABSENT:
        gone = f"{label} does not exist when the statement runs: {who(known.by)} {known.how}"
        if item.get("if_exists"):
            set_("info", f"{gone}, and IF EXISTS makes the statement a no-op", "no-op")
        elif item["extra"].get("guarded"):
            set_("info", f"{gone}; the statement is guarded: {item['extra']['guarded']}", "guarded")
        else:
            set_("warning", f"{gone}: the statement would fail", "would-fail")
        return
    if f is None:
        return
    if not f.exists:
        if item.get("if_exists"):
            set_("info", f"{label} does not exist, and IF EXISTS makes the statement a no-op", "no-op")
        elif item["extra"].get("guarded"):
            set_("info", f"{label} does not exist in the database, and no earlier pending migration creates it; "
                         f"the statement is guarded: {item['extra']['guarded']}", "guarded")
        else:
            set_("warning", f"{label} does not exist in the database, and no earlier pending "
                            "migration creates it: the statement would fail", "would-fail")
        return
    if known is not None and known.was and (known.was[1] != name or None not in (known.was[0], rel_schema)
                                             and known.was[0] != rel_schema):
        reason += f" ({label} is {f.table or _label(*known.was)} in the database, renamed by {who(known.by)})"
    if f.users and item.get("changed_columns"):
        left = _users_left(f.users, item["changed_columns"])
        if not left:
            moved = "; ".join(f"{who(by)} {what}" for what, by in _user_changes(f.users, item["changed_columns"]))
            set_("warning", f"no column uses {label} any more when the statement runs: {moved}")
            return
    item["relation"] = f.table or (_label(*known.was) if known is not None and known.was else label)
    item["size"] = _size(f.size)
    item["size_bytes"] = f.size
    if f.rows is not None:
        item["rows"] = round(f.rows)
        item["rows_exact"] = f.exact
    described = f.describe() + (f"; {f.note}" if f.note else "")
    if kind == "data-loss":
        if f.populated:
            set_("failure", f"{item['relation']} holds {described}")
        else:
            set_("warning", f"{item['relation']} is empty ({described})")
    elif kind == "needs-empty":
        if f.populated:
            set_("failure", f"{item['relation']} holds {described}, so the statement fails")
        else:
            set_("info", f"{item['relation']} is empty, so the statement succeeds")
    elif kind == "lock":
        if item.get("metadata_only"):
            set_("info", f"{item['relation']} is {described}, but no row is read or written")
        elif item.get("proven_not_null"):
            set_("info", f"{item['proven_not_null']}, so SET NOT NULL skips the scan of {item['relation']}")
        elif f.size >= lock_size:
            set_("failure", f"{item['relation']} is {described}, at or above the lock_size threshold "
                            f"({_size(lock_size)})")
        else:
            set_("warning", f"{item['relation']} is {described}, below the lock_size threshold ({_size(lock_size)})")


def _classify_absent(item: dict[str, Any], facts: dict[Any, Facts]) -> None:
    """A finding of a rule that is not data-aware (``require-statement-timeout``) on a target that is absent when
    the statement runs, named ``IF EXISTS`` (the statement does nothing) or by a statement guarded in its ``DO``
    block (it may not run): what the rule says of the statement does not happen."""
    from preflight.api import ABSENT

    known: Known | None = item.get("known")
    f = facts.get(item["in_database"]) if item.get("in_database") else None
    if not ((known is not None and known.state == ABSENT) or (known is None and f is not None and not f.exists)):
        return
    gone = f"{item['message']}: {_label(*item['target'][1:])} does not exist when the statement runs"
    item["severity"] = "info"
    if item["if_exists"]:
        item["verdict"] = "no-op"
        item["detail"] = f"{gone}, and IF EXISTS makes the statement a no-op"
    else:
        item["verdict"] = "guarded"
        item["detail"] = f"{gone}; the statement is guarded: {item['extra']['guarded']}"


def _apply_guards(ctx: CheckContext, m: Migration, its: list[dict[str, Any]], analysis: dict[str, Any],
                  index: int, pending: list[Migration]) -> None:
    """A migration whose guards all pass: its data-loss failures become warnings naming the guard."""
    from preflight.api import evaluate_guard
    from preflight.api import guard_evaluability as evaluability

    failing = [i for i in its if i["severity"] == "failure" and i["kind"] == "data-loss" and not i["suppression"]]
    if not failing:
        return
    guards = analysis["guards"]
    names = []
    for g in guards:
        blocked = evaluability(g, index, pending)
        if blocked is not None:
            return
        if evaluate_guard(ctx, g["sql"]).status != "pass":
            return
        names.append(f"the guard at line {g['line'] + m.sql_line - 1}")
    label = " and ".join(names)
    for item in failing:
        item["severity"] = "warning"
        item["guard"] = label
        item["detail"] = (item.get("detail") or item["message"]) + f"; acknowledged by {label}, which passes " \
                                                                    "against the live database"


def _changes_of(table: str, column: str, changed: dict[tuple[str | None, str], dict[str | None, Known]]
                ) -> tuple[str, str | None] | None:
    """What earlier statements do to column ``column`` of ``table`` (as the database names them): ``(what,
    by)``, or None if they leave it as it is."""
    from preflight.api import name_matches

    plain = table.replace('"', "")
    for (schema, name), columns in changed.items():
        if not name_matches(_label(schema, name), plain):
            continue
        if None in columns:
            how = columns[None].how
            return (f"drops {table}" if how == "drops it" else f"{how} ({table})"), columns[None].by
        change = columns.get(column)
        if change is not None and change.state == "absent":
            return f"drops {table}.{column}", change.by
        if change is not None:
            return f"changes the type of {table}.{column}", change.retyped_by
    return None


def _user_changes(users: list[tuple[str, str]], changed: dict[tuple[str | None, str], dict[str | None, Known]]
                  ) -> list[tuple[str, str | None]]:
    return [c for c in (_changes_of(table, column, changed) for table, column in users) if c is not None]


def _users_left(users: list[tuple[str, str]],
                changed: dict[tuple[str | None, str], dict[str | None, Known]]) -> list[tuple[str, str]]:
    """The columns among ``users`` that still use the type after the earlier statements."""
    return [(table, column) for table, column in users if _changes_of(table, column, changed) is None]


def _label(schema: str | None, name: str) -> str:
    return f"{schema}.{name}" if schema else name


def _size(n: int) -> str:
    from preflight.api import human_size

    return human_size(n)


__all__ = ["Config", "Rules", "Severity", "Thresholds", "run"]
