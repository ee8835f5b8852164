"""The candidates of ``fails-on-live-data`` judged by probing the live rows.

The rule marks the statements that may fail on data (:mod:`preflight.lint.rules.fails_on_live_data`); here the
probes of :mod:`preflight.db.probes` are planned over the pending migrations, in run order, and run for the
statements that have a candidate. A violated precondition becomes a failure ("would-fail", with the SQLSTATE);
one the probe could not answer becomes information that says why; one that holds, or a statement with no probe,
is removed. The probes borrow the database's session themselves (each in a transaction of its own), so this runs
outside the check's session.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from preflight.db import probes
from preflight.lint.rules.fails_on_live_data import RULE
from preflight.sql.schema_changes import name_matches

if TYPE_CHECKING:
    from preflight.db.target import Database
    from preflight.migrations import Migration
    from preflight.sql.schema_changes import Statement

Item = dict[str, Any]
SETTLED = ("would-fail", "no-op", "guarded")
"""Verdicts of other rules on the same statement that leave nothing for this one to say."""
OTHERS = ("adding-required-field",)
"""Rules that already say the statement fails on its rows (a NOT NULL column without a default)."""
HIDDEN_KINDS = frozenset({"not-null-column"})
"""Probes whose verdict another rule reports (``adding-required-field``)."""
UNKNOWN_WRITERS = frozenset({"DoStmt", "CallStmt"})
"""Statements that may write to any table without naming it where the probes' planner sees it."""
TYPE_CHANGES = frozenset({"AlterEnumStmt", "AlterDomainStmt", "CreateDomainStmt", "CreateEnumStmt", "DefineStmt",
                          "CompositeTypeStmt", "CreateRangeStmt", "AlterTypeStmt", "CreateCastStmt"})
"""Statements that make or change types: a conversion probed against the live types may not be the one that runs."""
CONVERTING = frozenset({"type-change", "default-value", "default-check", "default-foreign-key"})


def judge(database: Database, pending: Sequence[tuple[Migration, list[Item]]], max_scan_bytes: int,
          fixed: dict[str, str], analyses: Sequence[dict[str, Any]] = ()) -> None:
    """Each pending migration's items (in run order), in place: the rule's candidates become findings or are
    removed. ``analyses`` (the lint's, per migration) tell which ``DO`` blocks are guards that only read."""
    if not any(i["rule"] == RULE.id for _, its in pending for i in its):
        return
    from preflight.sql.schema_changes import SqlParseError, parse

    parsed: list[list[Statement]] = []
    unreadable: int | None = None  # the first migration whose statements are not known
    for index, (m, _its) in enumerate(pending):
        try:
            parsed.append(parse(m.sql) if m.not_sql is None else [])
            known = m.not_sql is None
        except SqlParseError:
            parsed.append([])
            known = False
        if unreadable is None and not known:
            unreadable = index
    reading = {(mi, (g["line"], g["column"])) for mi, a in enumerate(analyses) for g in a.get("guards") or ()
               if not g.get("writes") and not g.get("reads_unknown")}
    planned, history = probes.plan([m for m, _ in pending], parsed)
    wanted = {(mi, (st.line, _column(m.sql, st.start))): (mi, si)
              for mi, ((m, its), statements) in enumerate(zip(pending, parsed, strict=True))
              for si, st in enumerate(statements)}
    candidates = {wanted[(mi, (i["line"], i["column"]))] for mi, (_m, its) in enumerate(pending) for i in its
                  if i["rule"] == RULE.id and (mi, (i["line"], i["column"])) in wanted}
    at: dict[tuple[int, int], list[probes.Probe]] = {}
    for p in planned:
        if p.kind not in HIDDEN_KINDS and p.position in candidates:
            at.setdefault(p.position, []).append(p)
    runnable: list[probes.Probe] = []
    for ps in at.values():
        retyped = any(p.kind == "type-change" for p in ps)
        for p in ps:
            mi, si = p.position
            why = _unknown_before(pending, parsed, unreadable, mi, si, reading,
                                  _type_names(p) if p.kind in CONVERTING else frozenset())
            if why is None and retyped and p.kind != "type-change":
                # PostgreSQL converts the columns before it checks the rows: the probe would read the old values
                why = "not evaluated: the same statement changes a column's type first, and the rows are checked after"
            if why is not None:
                p.outcome, p.reason = "not-evaluated", why
            else:
                runnable.append(p)
    probes.evaluate(runnable, history, database, probes.Context(max_scan_bytes, False, {}, []))
    _fails_before_the_rows(database, [p for p in runnable if p.outcome == "violated"], parsed)
    for mi, (m, its) in enumerate(pending):
        settled = {(i["line"], i["column"]) for i in its
                   if i.get("verdict") in SETTLED or (i["rule"] in OTHERS and i["severity"] == "failure")}
        kept = []
        for item in its:
            if item["rule"] != RULE.id:
                kept.append(item)
                continue
            position = wanted.get((mi, (item["line"], item["column"])))
            found = at.get(position, []) if position is not None else []
            if (item["line"], item["column"]) in settled or not _report(item, found, history, parsed, m):
                continue
            if RULE.id in fixed:
                item["severity"] = fixed[RULE.id]
            kept.append(item)
        its[:] = kept


def _fails_before_the_rows(database: Database, violated: list[probes.Probe], parsed: list[list[Statement]]) -> None:
    """Statements that fail before they read a row: they are not this rule's (another rule, or the rehearsal,
    says how they fail). ``CREATE UNIQUE INDEX IF NOT EXISTS`` of an index that exists does nothing; a type change
    without ``USING`` needs an assignment cast (else 42804, ``fails-against-live-schema``'s)."""
    from psycopg import sql

    from preflight.lint.dependents import assignable

    if not violated:
        return
    with database.connection() as conn, conn.cursor() as cur:
        try:
            for p in violated:
                st = parsed[p.position[0]][p.position[1]]
                if st.kind == "IndexStmt" and st.node.get("if_not_exists") and st.node.get("idxname"):
                    name = sql.Identifier(*(n for n in (p.table[0], st.node["idxname"]) if n)).as_string(cur)
                    cur.execute("select to_regclass(%s) is not null", (name,))
                    row = cur.fetchone()
                    if row and row[0]:
                        p.outcome, p.reason = "holds", "the index exists: IF NOT EXISTS makes the statement a no-op"
                elif p.kind == "type-change" and p.spec.get("using") is None and p.relation:
                    cur.execute("select to_regclass(%s)::oid", (p.relation,))
                    oid = cur.fetchone()
                    answer = assignable(cur, p.spec["type"], table=int(oid[0]), column=p.spec["col"]) \
                        if oid and oid[0] else None
                    if answer is None:
                        p.outcome = "not-evaluated"
                        p.reason = ("not evaluated: whether the column converts to the new type by assignment (as "
                                    "ALTER COLUMN TYPE without USING does) is not known")
                    elif not answer[2]:
                        p.outcome, p.reason = "not-applicable", "no assignment cast: the statement fails before the rows"
        finally:
            conn.rollback()


def _type_names(p: probes.Probe) -> frozenset[str]:
    """The identifiers of the new type, the ``USING`` expression or the default a conversion probe converts with
    (lower case; ``pg_catalog`` left out: every built-in type is there)."""
    from pglast.parser import ParseError, scan

    text = " ".join(str(p.spec.get(k) or "") for k in ("type", "using", "default"))
    try:
        tokens = scan(text)
    except ParseError:
        return frozenset({"*"})  # not readable: any type change counts
    return frozenset(text[t.start:t.end + 1].strip('"').lower() for t in tokens
                     if t.name == "IDENT" or t.kind != "NO_KEYWORD") - {"pg_catalog"}


def _svals(node: Any) -> frozenset[str]:
    """Every name in a parse node (a type statement's are mostly type names), lower case; ``*`` stands for any."""
    out: set[str] = {"*"}
    stack = [node]
    while stack:
        x = stack.pop()
        if isinstance(x, dict):
            for k, v in x.items():
                if k == "sval" and isinstance(v, str):
                    out.add(v.lower())
                else:
                    stack.append(v)
        elif isinstance(x, list):
            stack.extend(x)
    return frozenset(out)


def _column(sql: str, offset: int) -> int:
    return offset - (sql.rfind("\n", 0, offset) + 1) + 1


def _unknown_before(pending: Sequence[tuple[Migration, list[Item]]], parsed: list[list[Statement]],
                    unreadable: int | None, mi: int, si: int,
                    reading: set[tuple[int, tuple[int, int]]], types: frozenset[str] = frozenset()) -> str | None:
    """Why the rows the statement meets may not be the live rows, beyond the writes the probes' planner sees (a
    guard ``DO`` block whose statements only read is not a writer)."""
    if unreadable is not None and unreadable < mi:
        return (f"not evaluated: earlier pending migration {pending[unreadable][0].name} cannot be read, and it "
                "may change the rows this statement meets")
    for i in range(mi + 1):
        for j, st in enumerate(parsed[i]):
            if (i, j) >= (mi, si):
                break
            if types and (st.kind in TYPE_CHANGES or (st.kind == "DropStmt" and st.node.get("removeType") in (
                    "OBJECT_TYPE", "OBJECT_DOMAIN")) or (st.kind == "RenameStmt" and st.node.get("renameType") in (
                    "OBJECT_TYPE", "OBJECT_DOMAIN", "OBJECT_DOMCONSTRAINT"))) and types & _svals(st.node):
                where = f"{pending[i][0].file}:{pending[i][0].sql_line + st.line - 1}"
                return (f"not evaluated: an earlier pending statement ({where}) makes or changes a type it names, so "
                        "the conversion may not be the one the live types give")
            if st.kind in UNKNOWN_WRITERS and (i, (st.line, _column(pending[i][0].sql, st.start))) not in reading:
                where = f"{pending[i][0].file}:{pending[i][0].sql_line + st.line - 1}"
                return (f"not evaluated: an earlier pending {'DO block' if st.kind == 'DoStmt' else 'CALL'} "
                        f"({where}) may write to the table, so the live rows may not be the rows this statement "
                        "meets")
    return None


def _report(item: Item, found: list[probes.Probe], history: probes.History, parsed: list[list[Statement]],
            m: Migration) -> bool:
    """Set the item's verdict from its statement's probes; False when there is nothing to report."""
    violated = [p for p in found if p.outcome == "violated"]
    if violated:
        states = sorted({p.sqlstate for p in violated if p.sqlstate})
        item["severity"] = "failure"
        if states and all(p.sqlstate for p in violated):
            # a would-fail verdict always names the error (the SQLSTATE of a conversion the server did not give
            # back leaves the finding a failure without that verdict)
            item["verdict"] = "would-fail"
            item["sqlstate"] = " ".join(states)
        item["detail"] = "would fail: " + "; ".join(_violation(p) for p in violated) + (
            f" (SQLSTATE {', '.join(states)})" if states else "")
        item["relation"] = violated[0].relation
        return True
    open_ = [p for p in found if p.outcome in ("not-evaluated", "covered")]
    open_ = [p for p in open_ if not _empty_new_table(p, history, parsed)]
    if not open_:
        return False  # every precondition holds, or the statement fails otherwise (other rules say how)
    item["severity"] = "info"
    item["verdict"] = "not-evaluated"
    item["detail"] = "; ".join(f"{p.what}: {_open_reason(p, history)}" for p in open_)
    return True


def _violation(p: probes.Probe) -> str:
    rows = f"{'at least ' if p.at_least else ''}{p.count:,}" if p.count is not None else "some"
    plural = p.count != 1 or p.at_least
    table = p.relation or _label(p.table)
    if p.kind == "set-not-null":
        said = f"{rows} row{'s' if plural else ''} of {table} {'have' if plural else 'has'} NULL in " \
               f"{p.spec['columns'][0]}"
        if p.reason and p.count == 1 and p.at_least:
            said = f"{table} has rows, and {p.reason}"
    elif p.kind in ("default-check", "default-foreign-key", "default-value"):
        said = p.reason or p.what
    elif p.kind == "attach-partition":
        other = p.spec.get("default_partition")
        said = (f"{rows} row{'s' if plural else ''} of {table} {'lie' if plural else 'lies'} outside the new "
                "partition's bounds" if not other else
                f"{rows} row{'s' if plural else ''} of {table} outside the new partition's bounds, or of the default "
                f"partition {other} inside them")
    elif p.kind == "type-change":
        target = p.spec["type"].removeprefix("pg_catalog.")
        if p.count is not None and not p.at_least:
            said = (f"{rows} value{'s' if plural else ''} of {table}.{p.spec['col']} {'do' if plural else 'does'} "
                    f"not convert to {target}" + (f" using {p.spec['using']}" if p.spec.get("using") else ""))
        else:
            said = (f"a value of {table}.{p.spec['col']} does not convert to {target}: "
                    f"{(p.reason or '').removeprefix('a value does not convert: ')}")
    else:
        count_only = p.reason is not None and p.reason.endswith(("violate it", "violates it"))
        broken = _broken(p, plural)
        said = (f"{rows} row{'s' if plural else ''} of {table} {broken}" if count_only and broken else
                f"{rows} row{'s' if plural else ''} of {table} violate{'' if plural else 's'} what it needs: "
                f"{p.what}" if count_only else f"it needs {p.what}, but {p.reason}")
    if p.samples:
        said += f" (e.g. {'; '.join(p.samples)})"
    return said


def _broken(p: probes.Probe, plural: bool) -> str | None:
    """What the violating rows do, in the words of the statement's own requirement ("fail CHECK (amount > 0)");
    None for a kind without words of its own."""
    spec = p.spec
    has, do = ("have", "") if plural else ("has", "s")
    if p.kind == "check":
        return f"fail{do} CHECK ({spec['expr']})"
    if p.kind == "validate":
        return f"violate{do} constraint {spec['name']}"
    if p.kind == "unique":
        named = spec["columns"] if len(spec["columns"]) == len(spec["exprs"]) else spec["exprs"]
        return f"{has} a duplicate ({', '.join(named)})" + (f" where {spec['where']}" if spec.get("where") else "")
    if p.kind == "primary-key" and spec.get("index"):
        return f"{has} a NULL in the columns of index {spec['index']}"
    if p.kind == "primary-key":
        return f"{has} a NULL or a duplicate in ({', '.join(spec['keys'])})"
    if p.kind == "foreign-key":
        return f"{has} no row in {_label(spec['ref'])} for ({', '.join(spec['keys'])})"
    return None


def _empty_new_table(p: probes.Probe, history: probes.History, parsed: list[list[Statement]]) -> bool:
    """A table made by a plain CREATE TABLE of the pending migrations and written to by none of them before the
    statement: it has no rows, so nothing it requires of its rows can fail."""
    label = _label(p.table)
    made = [pos for pos, name, _m in history.created if pos < p.position and name_matches(label, name)]
    if not made or parsed[made[-1][0]][made[-1][1]].kind != "CreateStmt":
        return False  # not made by the migrations, or made with rows of its own (a rename, CREATE TABLE AS)
    since = (made[-1], p.position)
    if any(since[0] < pos < since[1] and name_matches(label, t) for pos, t, _where in history.writes):
        return False
    return not any(since[0] < (i, j) < since[1] and st.kind in UNKNOWN_WRITERS
                   for i, sts in enumerate(parsed) for j, st in enumerate(sts))


def _label(table: tuple[str | None, str]) -> str:
    return f"{table[0]}.{table[1]}" if table[0] else table[1]


def _open_reason(p: probes.Probe, history: probes.History) -> str:
    if p.outcome == "covered":  # the rehearsal's word; the lint does not run the migrations
        label = _label(p.table)
        creator = history.creator(label, p.position)
        writer = history.writer(label, p.position)
        if creator is not None:
            return (f"not evaluated: {label} is created (or renamed) by pending migration {creator}, and the rows "
                    "it holds then come from the migrations, which the lint does not run (the rehearsal does)")
        if writer is not None:
            return (f"not evaluated: an earlier pending statement ({writer}) writes to {label} first: the live rows "
                    "are not the rows this statement will meet")
        return "not evaluated: the live rows are not the rows this statement will meet (the rehearsal runs it)"
    reason = p.reason or "not evaluated"
    return reason if reason.startswith("not evaluated") else f"not evaluated: {reason}"
