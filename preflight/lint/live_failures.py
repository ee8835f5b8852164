"""The candidates of ``fails-against-live-schema`` judged against the live catalogs and the pending migrations.

The rule marks statements that may fail because of what the database holds (:mod:`preflight.lint.rules.\
fails_against_live_schema`); here each one is asked of the catalogs (:mod:`preflight.lint.dependents`, a few
queries for all of them) and of the pending statements that run before it. A candidate is reported only when the
answer is known: the objects that stand in its way exist in the database and no earlier pending statement may
have changed them. An earlier statement that names one of them (by the scanner's identifiers, in ``DO`` bodies and
string constants too) either reads or writes rows only (ignored), only adds (a column, a constraint, an index:
ignored where that cannot remove what stands in the way), drops it (it no longer stands in the way: ``DROP VIEW``,
``DROP TABLE`` of its table, ``DROP TRIGGER``, ``ALTER TABLE ... DROP CONSTRAINT`` / ``DROP COLUMN`` /
``DROP DEFAULT``), or does anything else: then the outcome is unknown and nothing is reported. A ``DROP ...
CASCADE``, ``DROP OWNED``, ``ALTER EXTENSION``, a statement that sets ``search_path`` or a migration whose SQL
is not known before the statement makes every later candidate unknown. Candidates that are not confirmed are removed: the rule makes no claim it cannot
back.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

import psycopg
from pglast.parser import ParseError, scan

from preflight.lint import dependents as catalog
from preflight.lint.dependents import Blocker, Ref, Wanted
from preflight.lint.nodes import alter_cmds, list_names, relation, strings
from preflight.lint.rules import needs_newer_server as newer
from preflight.lint.rules.fails_against_live_schema import RULE, bound_values
from preflight.lint.rules.needs_newer_server import RULE as NEWER
from preflight.lint.rules.unsafe_new_enum_value import RULE as ENUM_USE
from preflight.sql import parse as pgparser

Item = dict[str, Any]
SHOWN = 6  # blockers named in a message; the rest are counted

# Statements that read or write rows only: they change no object.
ROWS_ONLY = frozenset({"InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt", "SelectStmt", "CopyStmt", "LockStmt",
                       "VacuumStmt", "ExplainStmt", "VariableSetStmt", "VariableShowStmt", "TransactionStmt",
                       "TruncateStmt", "RefreshMatViewStmt", "ClusterStmt", "ReindexStmt", "NotifyStmt",
                       "CheckPointStmt", "ExecuteStmt", "PrepareStmt", "DeallocateStmt", "DiscardStmt"})
# Statements that only add objects (or comments, privileges): they cannot remove what stands in a statement's way.
ADDING = frozenset({"CreateStmt", "IndexStmt", "CreateSeqStmt", "CreateEnumStmt", "CreateDomainStmt",
                    "CompositeTypeStmt", "CreateRangeStmt", "CreateExtensionStmt", "CreateSchemaStmt", "CommentStmt",
                    "GrantStmt", "CreateTableAsStmt", "CreateStatsStmt"})
ADDING_COMMANDS = frozenset({"AT_AddColumn", "AT_AddConstraint", "AT_SetNotNull", "AT_AddIndex",
                             "AT_ValidateConstraint", "AT_SetStatistics", "AT_SetStorage", "AT_SetRelOptions",
                             "AT_ResetRelOptions", "AT_EnableTrig", "AT_EnableAlwaysTrig", "AT_EnableReplicaTrig"})
# Statements that may name an enum type without changing its labels (a column of the type, an index on one).
TYPE_USERS = frozenset({"CreateStmt", "AlterTableStmt", "IndexStmt", "CommentStmt", "GrantStmt"})
# Statements that may remove objects they do not name.
UNBOUNDED = frozenset({"DropOwnedStmt", "ReassignOwnedStmt", "AlterExtensionStmt", "AlterExtensionContentsStmt"})
RELATION_DROPS = frozenset({"OBJECT_TABLE", "OBJECT_VIEW", "OBJECT_MATVIEW", "OBJECT_INDEX", "OBJECT_SEQUENCE",
                            "OBJECT_FOREIGN_TABLE"})
KEPT, REMOVED, UNKNOWN = "kept", "removed", "unknown"
# The rules whose candidates are judged here.
JUDGED = frozenset({RULE.id, NEWER.id, ENUM_USE.id})


@dataclass(frozen=True)
class Past:
    """A pending statement that runs before a candidate."""

    end: tuple[int, int]
    """(line, column) just after it, in its migration's SQL."""
    kind: str
    node: dict[str, Any]
    names: frozenset[str] | None
    """The identifiers it uses, lower case; None: anything (it could not be read)."""
    migration: int = -1
    """The pending migration it is in (its place in run order)."""

    @property
    def unbounded(self) -> bool:
        # a search_path set by the migration resolves the names after it otherwise than preflight's session does
        return (self.names is None or self.kind in UNBOUNDED or "search_path" in self.names
                or (self.kind == "DropStmt" and self.node.get("behavior") == "DROP_CASCADE")
                or (self.kind == "AlterTableStmt" and any(c.get("behavior") == "DROP_CASCADE"
                                                          for c in alter_cmds(self.node))))


def judge(cur: psycopg.Cursor[Any], pending: Sequence[tuple[str | None, list[Item]]]) -> None:
    """Each pending migration's items (``(its SQL or None when unknown, items)``, in run order), in place: the
    candidates of the rules judged here (``JUDGED``) that the catalogs confirm become findings (message,
    ``verdict`` "would-fail", ``sqlstate``); the others are removed."""
    candidates = [(index, i) for index, (_sql, its) in enumerate(pending) for i in its if i["rule"] in JUDGED]
    if not candidates:
        return
    confirmed: set[int] = set()
    history = _History([sql for sql, _ in pending])
    judged = [(index, item, history.before(index, item["line"], item["column"])) for index, item in candidates
              if item["context"] == "top" and not item["extra"].get("guarded")]
    known = [(item, past) for _index, item, past in judged if past is not None]
    where = {id(item): index for index, item, _past in judged}
    if known:
        try:
            with cur.connection.transaction():  # a catalog read that errors leaves the session usable
                answers = _Questions(cur, [(i, p) for i, p in known if i["rule"] == RULE.id]).answer()
                answers += _newer_server(cur, [(i, p) for i, p in known if i["rule"] == NEWER.id])
                answers += [(i, _enum_use(cur, i, p, where[id(i)])) for i, p in known if i["rule"] == ENUM_USE.id]
        except (psycopg.errors.DataException, psycopg.errors.SyntaxErrorOrAccessRuleViolation):
            answers = []  # a name the catalogs' parsers reject, a catalog not readable: nothing is predicted
        confirmed = {id(item) for item, ok in answers if ok}
        # syntax the server lacks fails the statement before anything the catalogs could say about it
        first = {(id(its), i["line"], i["column"]) for _sql, its in pending for i in its
                 if i["rule"] == NEWER.id and id(i) in confirmed}
        confirmed -= {id(i) for _sql, its in pending for i in its
                      if i["rule"] != NEWER.id and (id(its), i["line"], i["column"]) in first}
    for _sql, its in pending:
        its[:] = [i for i in its if i["rule"] not in JUDGED or id(i) in confirmed]


def _newer_server(cur: psycopg.Cursor[Any], candidates: list[tuple[Item, list[Past]]]) -> list[tuple[Item, bool]]:
    """``needs-newer-server``: the features the server's version lacks (a NOT VALID foreign key counts only on a
    table the catalogs show partitioned, that no earlier pending statement changed)."""
    if not candidates:
        return []
    cur.execute("select current_setting('server_version_num')::int, current_setting('server_version')")
    row = cur.fetchone()
    assert row is not None
    server, version = int(row[0]), str(row[1]).split()[0]
    out: list[tuple[Item, bool]] = []
    for item, past in candidates:
        extra = item["extra"]
        lacking = newer.missing(extra["features"], server)
        if any(f["needs_partitioned"] for f in lacking):
            table = extra.get("table")
            partitioned = (table is not None and not _touched([table[1]], past, adding_ok=True)
                           and _relkind(cur, table[0], table[1]) == "p")
            if not partitioned:
                lacking = [f for f in lacking if not f["needs_partitioned"]]
        if lacking:
            message, sqlstate = newer.verdict(lacking, version)
            _confirm(item, message, sqlstate, NEWER.alternative)
        out.append((item, bool(lacking)))
    return out


def _enum_use(cur: psycopg.Cursor[Any], item: Item, past: list[Past], migration: int) -> bool:
    """``unsafe-new-enum-value``: the enum is in the database without the value, no earlier pending statement
    changed it other than by adding values (or changed the tables written), and the value goes to the type
    (a cast, a column's default, or a column the catalogs show of the type); or the enum is made by an earlier
    pending migration (:func:`_made_before`) without the value, and the value is cast to it."""
    extra = item["extra"]
    schema, name = extra["type"]
    label = extra["label"]
    if extra.get("made_here") is not None:
        return _made_here(cur, item, past, migration)
    found = catalog.enum_labels(cur, schema, name)
    if found is None:
        made = _made_before(cur, schema, name, label, extra["added_line"], past, migration) if extra["certain"] else None
        if made is None or label in made[1]:
            return False
        shown = _label(schema, name)
        _confirm(item, f"'{label}' is read as a value of type {shown} in the same transaction as ALTER TYPE {shown} "
                       f"ADD VALUE '{label}' (line {extra['added_line']}): {shown} is made without it by an earlier "
                       "pending migration, committed before this one, and PostgreSQL refuses a new enum value until the "
                       "transaction that adds it commits, so the statement fails", "55P04", ENUM_USE.alternative)
        return True
    if label in found[1]:
        return False
    for p in past:
        assert p.names is not None
        if name.lower() in p.names and p.kind not in ROWS_ONLY and not (
                p.kind == "AlterEnumStmt" and p.node.get("newVal") and not p.node.get("oldVal")):
            return False
    if not extra["certain"]:
        columns = extra["columns"]
        if _touched({c[1] for c in columns}, past, adding_ok=True):
            return False
        used = [c for c in columns if catalog.column_type_oid(cur, *c) == found[0]]
        if not used:
            return False
        c = used[0]
        how = f"{_label(c[0], c[1])}.{c[2]} (type {_label(schema, name)})" if c[2] else \
            f"column {c[3]} of {_label(c[0], c[1])} (type {_label(schema, name)})"
    else:
        how = f"type {_label(schema, name)}"
    shown = _label(schema, name)
    _confirm(item, f"'{label}' is read as a value of {how} in the same transaction as ALTER TYPE {shown} ADD VALUE "
                   f"'{label}' (line {extra['added_line']}): PostgreSQL refuses a new enum value until the "
                   "transaction that adds it commits, so the statement fails", "55P04", ENUM_USE.alternative)
    return True


# The servers that refuse a value added to an enum created in the same transaction, as one added to an older enum:
# from 12 (ADD VALUE in a transaction block) to 16 (PostgreSQL 15 refuses it, 18 lets it be used; 17 is not
# claimed).
MADE_HERE_REFUSED = (120000, 170000)


def _made_here(cur: psycopg.Cursor[Any], item: Item, past: list[Past], migration: int) -> bool:
    """The enum is created earlier in the same transaction (``extra["made_here"]``: the labels its ``CREATE TYPE``
    gives it): a value added after it is refused on the servers of ``MADE_HERE_REFUSED`` when it is cast to the
    type (or a column default), the database has no type of the name and no statement between changes the type
    other than by adding values."""
    extra = item["extra"]
    schema, name = extra["type"]
    label = extra["label"]
    if not extra["certain"] or label in extra["made_here"]:
        return False
    cur.execute("select current_setting('server_version_num')::int, current_setting('server_version'), "
                "to_regtype(%s) is null", (catalog.quoted(schema, name),))
    row = cur.fetchone()
    if row is None or not row[2] or not MADE_HERE_REFUSED[0] <= int(row[0]) < MADE_HERE_REFUSED[1]:
        return False
    for p in _type_statements(past, schema, name):
        same = _names_type(p, schema, name)
        if not (same and p.migration == migration and (
                p.kind == "CreateEnumStmt" or (p.kind == "AlterEnumStmt" and p.node.get("newVal")
                                               and not p.node.get("oldVal")))):
            return False
    shown = _label(schema, name)
    version = str(row[1]).split()[0]
    _confirm(item, f"'{label}' is read as a value of type {shown} in the same transaction as ALTER TYPE {shown} ADD "
                   f"VALUE '{label}' (line {extra['added_line']}): {shown} is created earlier in that transaction, "
                   f"and PostgreSQL {version} refuses a value added since until the transaction commits (18 allows "
                   "it), so the statement fails", "55P04", ENUM_USE.alternative)
    return True


def _type_statements(past: list[Past], schema: str | None, name: str) -> Iterator[Past]:
    """The earlier statements that name the type and may change it (not those that only read or write rows, nor
    those that make or change tables with columns of it)."""
    for p in past:
        assert p.names is not None
        if name.lower() in p.names and p.kind not in ROWS_ONLY and p.kind not in TYPE_USERS:
            yield p


def _names_type(p: Past, schema: str | None, name: str) -> bool:
    """Whether the statement's ``CREATE TYPE`` / ``ALTER TYPE`` is of that type."""
    names = strings(p.node.get("typeName"))
    return bool(names) and names[-1] == name and (len(names) == 1 or schema is None or names[-2] == schema)


def _made_before(cur: psycopg.Cursor[Any], schema: str | None, name: str, label: str, added_line: int,
                 past: list[Past], migration: int) -> tuple[int, list[str]] | None:
    """The enum as an earlier pending migration makes it, when that is certain: the database has no type of the
    name, one ``CREATE TYPE ... AS ENUM`` of a migration before this one (its own transaction, committed) makes
    it, and the statements after it that name it add values only, read and write rows, or make or change tables
    (columns of the type: ``TYPE_USERS``, which cannot change its labels). Its migration (its place in run order)
    and labels; None otherwise."""
    cur.execute("select to_regtype(%s) is null", (catalog.quoted(schema, name),))
    row = cur.fetchone()
    if not (row and row[0]):
        return None
    made: tuple[int, list[str]] | None = None
    for p in _type_statements(past, schema, name):
        same = _names_type(p, schema, name)
        if p.kind == "CreateEnumStmt" and same and made is None and p.migration < migration:
            made = (p.migration, [str(v.get("String", {}).get("sval", "")) for v in p.node.get("vals", ())])
        elif (p.kind == "AlterEnumStmt" and same and made is not None and p.node.get("newVal")
              and not p.node.get("oldVal")):
            if p.migration < migration:  # this migration's own are added in its transaction: not usable either
                made[1].append(p.node["newVal"])
            elif p.node["newVal"] == label and p.end[0] < added_line:
                return None  # added before the one the use follows (a COMMIT between?): not certain
        else:
            return None
    return made


def _relkind(cur: psycopg.Cursor[Any], schema: str | None, name: str) -> str | None:
    cur.execute("select relkind::text from pg_class where oid = to_regclass(%s)", (catalog.quoted(schema, name),))
    row = cur.fetchone()
    return str(row[0]) if row else None


class _History:
    """The pending statements, read once, and those that run before a point."""

    def __init__(self, sqls: list[str | None]):
        self.sqls = sqls
        self.read: dict[int, list[Past] | None] = {}

    def statements(self, index: int) -> list[Past] | None:
        if index not in self.read:
            read = _read(self.sqls[index])
            self.read[index] = None if read is None else [replace(p, migration=index) for p in read]
        return self.read[index]

    def before(self, index: int, line: int, column: int) -> list[Past] | None:
        """The statements that run before (line, column) of migration ``index``; None when one of them may have
        changed anything (unknown SQL, CASCADE...)."""
        out: list[Past] = []
        for i in range(index + 1):
            statements = self.statements(i)
            if statements is None:
                return None
            out.extend(p for p in statements if i < index or p.end <= (line, column))
        return None if any(p.unbounded for p in out) else out


def _read(sql: str | None) -> list[Past] | None:
    if sql is None:
        return None
    out = []
    line, counted = 1, 0
    try:
        for s in pgparser.statements(sql):
            end = s.end
            line += sql.count("\n", counted, end)
            counted = end
            # a seed's rows change no object: their names are never asked about
            names = frozenset() if s.kind in ("InsertStmt", "CopyStmt") else _names(sql[s.start:end])
            out.append(Past((line, end - (sql.rfind("\n", 0, end) + 1) + 1), s.kind, s.node, names))
    except (ParseError, RecursionError):
        return None
    return out


def _names(text: str, depth: int = 0) -> frozenset[str] | None:
    """The identifiers (and keywords, which may be names) of ``text``, lower case, with those of its string
    constants (``DO`` bodies, ``EXECUTE``\\ d SQL); None when it does not scan."""
    try:
        tokens = scan(text)
    except ParseError:
        return None
    out: set[str] = set()
    for t in tokens:
        word = text[t.start:t.end + 1]
        if t.name == "IDENT" or t.kind != "NO_KEYWORD":
            out.add(word.strip('"').replace('""', '"').lower())
        elif t.name == "SCONST" and depth < 3:
            inner = _names(_unquote(word), depth + 1)
            if inner is None:
                return None
            out |= inner
    return frozenset(out)


def _unquote(literal: str) -> str:
    if literal.startswith("$"):
        tag_end = literal.find("$", 1)
        return literal[tag_end + 1:len(literal) - tag_end - 1]
    body = literal[1:-1] if literal.startswith("'") else literal[2:-1] if literal[:2].lower() == "e'" else literal
    return body.replace("''", "'")


# -- what earlier statements did to what stands in the way ----------------------------------------------------


def _fate(blocker: Blocker, past: list[Past]) -> str:
    """Whether ``blocker`` still stands when the statement runs."""
    for p in past:
        assert p.names is not None
        if not (p.names & blocker.names) or p.kind in ROWS_ONLY:
            continue
        if _removes(p, blocker):
            return REMOVED
        if not _adds_only(p):
            return UNKNOWN
    return KEPT


def _touched(names: Iterable[str], past: list[Past], adding_ok: bool) -> bool:
    """Whether an earlier statement may have changed the objects of ``names`` (other than by adding to them, when
    ``adding_ok``)."""
    wanted = {n.lower() for n in names}
    for p in past:
        assert p.names is not None
        if p.names & wanted and p.kind not in ROWS_ONLY and not (adding_ok and _adds_only(p)):
            return True
    return False


def _adds_only(p: Past) -> bool:
    if p.kind in ADDING:
        return True
    if p.kind in ("ViewStmt", "CreateTrigStmt", "RuleStmt", "CreateFunctionStmt"):
        return not p.node.get("replace")
    if p.kind == "AlterTableStmt":
        return all(c.get("subtype") in ADDING_COMMANDS for c in alter_cmds(p.node))
    return False


def _removes(p: Past, b: Blocker) -> bool:
    node = p.node
    if p.kind == "DropStmt":
        dropped = [[n.lower() for n in list_names(o)] for o in node.get("objects", ())]
        kind = node.get("removeType")
        if kind in RELATION_DROPS:
            owners = {b.table} | ({b.name.lower()} if b.kind in ("view", "materialized view", "index", "table")
                                  else set())
            return any(d and d[-1] in owners for d in dropped)
        part = {"OBJECT_TRIGGER": "trigger", "OBJECT_POLICY": "policy", "OBJECT_RULE": "rule"}.get(kind or "")
        return part == b.kind and any(len(d) >= 2 and d[-1] == b.name.lower() and d[-2] == b.table for d in dropped)
    if p.kind == "AlterTableStmt":
        table = relation(node.get("relation"))
        if table is None or table[1].lower() != b.table:
            return False
        for c in alter_cmds(node):
            sub, name = c.get("subtype"), (c.get("name") or "").lower()
            if name != b.name.lower():
                continue
            if sub == "AT_DropConstraint" and b.kind == "table constraint":
                return True
            if sub == "AT_DropColumn" and b.kind in ("table column", "default value"):
                return True
            if sub == "AT_ColumnDefault" and not c.get("def") and b.kind == "default value":
                return True
    return False


# -- the questions --------------------------------------------------------------------------------------------


class _Questions:
    """The candidates' questions, asked of the catalogs together."""

    def __init__(self, cur: psycopg.Cursor[Any], candidates: list[tuple[Item, list[Past]]]):
        self.cur = cur
        self.candidates = candidates
        # what many CREATE INDEX statements ask alike, asked once
        self.methods: dict[str, tuple[bool, bool] | None] = {}
        self.opclasses: dict[tuple[str, int], bool] = {}

    def answer(self) -> list[tuple[Item, bool]]:
        wanted: list[Wanted] = []
        spans = []
        for item, _past in self.candidates:
            asked = _wanted(item["extra"])
            spans.append((len(wanted), len(asked)))
            wanted.extend(asked)
        refs = catalog.resolve(self.cur, wanted)
        questions = [(item, past, refs[start:start + n]) for (item, past), (start, n) in zip(self.candidates, spans,
                                                                                             strict=True)]
        drops = [(item, past, r) for item, past, r in questions if item["extra"]["question"] in ("drop", "drop-column")]
        drop_refs = [[x for x in r if x is not None] for _, _, r in drops]
        found = catalog.blockers(self.cur, drop_refs)
        out: list[tuple[Item, bool]] = []
        for (item, past, r), live, blockers in zip(drops, drop_refs, found, strict=True):
            wrong = self._wrong_kind(item, past, r)
            out.append((item, wrong if wrong is not None else bool(live) and _dropped(item, past, r, blockers)))
        typed = [(item, past, r) for item, past, r in questions if item["extra"]["question"] == "alter-type"]
        users = catalog.column_users(self.cur, [r[0] for _, _, r in typed if r[0] is not None])
        used = iter(users)
        for item, past, r in typed:
            if r[0] is None:
                out.append((item, False))
                continue
            column_users = next(used)
            extra = item["extra"]
            cast_to = extra.get("cast_to")
            # PostgreSQL converts the column (without USING), then its default, before it looks at what uses the
            # column: a missing cast is the first error
            cast = catalog.assignable(self.cur, cast_to, table=r[0][1], column=extra["column"]) if cast_to else None
            default = self._default_cast(r[0][1], extra) if cast is None or cast[2] else None
            if cast is not None and not cast[2]:
                out.append((item, _uncastable(item, past, cast[0], cast[1])))
            elif (cast_to and cast is None) or default is None:
                out.append((item, False))  # whether the column (its default) converts is not known: nor what fails
            elif isinstance(default, tuple):
                out.append((item, _uncastable(item, past, default[0], default[1], "its default")))
            else:
                out.append((item, _retyped(item, past, column_users)))
        for item, past, r in questions:
            question = item["extra"]["question"]
            if question == "truncate":
                out.append((item, self._truncate(item, past, r)))
            elif question in ("drop-not-null", "add-primary-key"):
                out.append((item, self._primary(item, past, r)))
            elif question == "add-foreign-key":
                out.append((item, self._foreign_key(item, past, r)))
            elif question == "index-partitioned":
                out.append((item, r[0] is not None and _index_partitioned(item, past)))
            elif question == "replace-view" and r[0] is not None:
                out.append((item, _replace_view(item, past, catalog.view_columns(self.cur, r[0][1]))))
            elif question == "index-opclass" and r[0] is not None:
                out.append((item, self._opclass(item, past, r[0][1])))
            elif question == "replace-function" and r[0] is not None:
                extra = item["extra"]
                result = catalog.function_result(self.cur, r[0][1], extra["returns"] + ("*" if extra["setof"] else ""))
                out.append((item, result is not None and not result[2] and _replace_function(item, past, result)))
            elif question == "add-identity" and r[0] is not None:
                out.append((item, catalog.nullable(self.cur, r[0][1], r[0][2]) and _identity(item, past)))
            elif question == "partition-overlap" and r[0] is not None:
                out.append((item, self._overlap(item, past, r[0][1], r[1])))
            elif question == "detach-concurrently" and r[0] is not None and r[1] is not None:
                other = catalog.attached_with_default(self.cur, r[0][1], r[1][1])
                out.append((item, other is not None and _detach(item, past, other)))
        return out

    def _wrong_kind(self, item: Item, past: list[Past], refs: list[Ref | None]) -> bool | None:
        """``DROP TABLE`` of a view and the like (42809, whatever ``IF EXISTS`` says): whether it was confirmed,
        or None when the statement's first unresolved object is not there at all (or there is none)."""
        extra = item["extra"]
        if extra["question"] != "drop" or not extra["what"].startswith("relation:") or None not in refs:
            return None
        at = refs.index(None)
        schema, name, _args = extra["objects"][at]
        found = catalog.relation_kind(self.cur, schema, name)
        if found is None:
            return None
        if _touched([o[1] for o in extra["objects"][:at + 1]], past, adding_ok=True):
            return False
        noun, (what, drop) = extra["noun"].lower(), found
        _confirm(item, f"DROP {extra['noun']} {_label(schema, name)} fails: {_label(schema, name)} is {what}, not "
                       f"a{'n' if noun[0] in 'aeiou' else ''} {noun}", "42809",
                 f"DROP {drop} {_label(schema, name)} if that is what should go" if drop else "name what should go")
        return True

    def _overlap(self, item: Item, past: list[Past], table: int, partition: Ref | None) -> bool:
        """Bounds that overlap an existing partition's (42P17), compared by the key's type on the server: only
        constants, cast to a built-in type."""
        extra = item["extra"]
        parent, name = _label(*extra["table"]), _label(*extra["partition"])
        if extra["created"]:
            if partition is not None or catalog.relation_kind(self.cur, *extra["partition"]) is not None:
                return False  # CREATE TABLE of a name taken fails first
        elif partition is None or not catalog.attachable(self.cur, table, partition[1]):
            return False  # another check fails first (a missing table, other columns, a partition already)
        key = catalog.partition_key(self.cur, table)
        new = extra["bound"]
        if key is None or key.strategy != new["strategy"]:
            return False
        for other, text in catalog.partition_bounds(self.cur, table):
            bound = _printed_bound(text)
            if bound is None or bound["strategy"] != key.strategy:
                continue
            if key.strategy == "r":
                overlap = _ranges_overlap(self.cur, key.type, new["values"], bound["values"])
            else:
                overlap = _lists_overlap(self.cur, key.type, new["values"], bound["values"])
            if overlap is None:
                return False  # not known: nothing is claimed
            if not overlap:
                continue
            if _touched([extra["table"][1], extra["partition"][1], other.split(".")[-1].strip('"')], past,
                        adding_ok=False):
                return False
            what = "CREATE TABLE ... PARTITION OF" if extra["created"] else "ATTACH PARTITION"
            _confirm(item, f"{what} {name} fails: its bounds overlap those of partition {other} of {parent} "
                           f"({text})", "42P17",
                     f"give {name} bounds that no partition of {parent} covers, or detach {other} first")
            return True
        return False

    def _opclass(self, item: Item, past: list[Past], table: int) -> bool:
        extra = item["extra"]
        if extra["method"] not in self.methods:
            self.methods[extra["method"]] = catalog.access_method(self.cur, extra["method"])
        method = self.methods[extra["method"]]
        if method is None or (extra["unique"] and not method[0]) or (len(extra["columns"]) > 1 and not method[1]):
            return False  # another error comes first
        if extra.get("index") and catalog.relation_kind(self.cur, extra["table"][0], extra["index"]) is not None:
            return False
        if _touched([extra["table"][1]], past, adding_ok=False):
            return False
        for column in extra["columns"]:
            found = catalog.column_type(self.cur, table, column)
            if found is None:
                return False  # a missing column fails first
            key = (extra["method"], found[0])
            if key not in self.opclasses:
                self.opclasses[key] = catalog.has_default_opclass(self.cur, *key)
            if not self.opclasses[key]:
                _confirm(item, f"CREATE INDEX on {_label(*extra['table'])} USING {extra['method']} fails: the type of "
                               f"{column}, {found[1]}, has no default operator class for {extra['method']}", "42704",
                         f"name an operator class for {column}, or index it with another access method")
                return True
        return False

    def _default_cast(self, table: int, extra: dict[str, Any]) -> tuple[str, str] | bool | None:
        """True when the column has no default or its default converts to the new type; ``(from, to)`` when it
        does not; None when that is not known (a generated column, a default whose type the SQL does not show,
        a new type not known here)."""
        has, text = catalog.column_default(self.cur, table, extra["column"])
        if not has:
            return True
        source = _default_type(text) if text is not None else None
        target = extra.get("cast_to") or extra.get("new_type_text")
        if source is None or not target:
            return None
        cast = catalog.assignable(self.cur, target, source=source)
        if cast is None:
            return None
        return True if cast[2] else (cast[0], cast[1])

    def _truncate(self, item: Item, past: list[Past], refs: list[Ref | None]) -> bool:
        tables = [r[1] for r in refs if r is not None]
        if len(tables) != len(refs):
            return False
        named = [t[1] for t in item["extra"]["tables"]]
        if _touched(named, past, adding_ok=True):
            return False
        keys = [b for b in catalog.referencing_keys(self.cur, tables) if _fate(b, past) != REMOVED]
        if not keys or any(_fate(b, past) == UNKNOWN for b in keys):
            return False
        others = sorted({b.table or "" for b in keys})
        _confirm(item, f"TRUNCATE {_names_of(item['extra']['tables'])} fails: {_listed([b.description for b in keys])} "
                       f"reference{'s' if len(keys) == 1 else ''} it, and PostgreSQL does not truncate a table "
                       "that a foreign key references unless the referencing table is truncated too",
                 "0A000", f"truncate {', '.join(others)} in the same statement, or use CASCADE, which empties "
                          f"{'it' if len(others) == 1 else 'them'} too")
        return True

    def _primary(self, item: Item, past: list[Past], refs: list[Ref | None]) -> bool:
        extra = item["extra"]
        table = refs[0]
        if table is None or _touched([extra["table"][1]], past, adding_ok=True):
            return False
        key = catalog.primary_key(self.cur, table[1])
        if key is None:
            return False
        name, columns = key
        t = _label(*extra["table"])
        if extra["question"] == "drop-not-null":
            if extra["column"] not in columns:
                return False
            _confirm(item, f"DROP NOT NULL on {t}.{extra['column']} fails: the column is in primary key {name} "
                           f"({', '.join(columns)})", "42P16",
                     "keep the column NOT NULL, or drop the primary key first")
        else:
            _confirm(item, f"ADD PRIMARY KEY on {t} fails: the table already has primary key {name} "
                           f"({', '.join(columns)})", "42P16",
                     "drop the existing primary key first (in the same statement), or add a UNIQUE constraint "
                     "instead")
        return True

    def _foreign_key(self, item: Item, past: list[Past], refs: list[Ref | None]) -> bool:
        extra = item["extra"]
        table, ref = refs
        columns, ref_columns = extra["columns"], extra["ref_columns"]
        if table is None or ref is None or (ref_columns and len(ref_columns) != len(columns)):
            return False
        if _touched([extra["table"][1], extra["ref"][1]], past, adding_ok=False):
            return False
        mine = [catalog.column_type(self.cur, table[1], c) for c in columns]
        theirs = [catalog.column_type(self.cur, ref[1], c) for c in ref_columns]
        if any(t is None for t in mine + theirs):
            return False  # a column that is not there (yet) fails the statement first, or is added with it
        keys = catalog.unique_keys(self.cur, ref[1])
        what = f"ADD FOREIGN KEY {extra['constraint'] + ' ' if extra.get('constraint') else ''}on " \
               f"{_label(*extra['table'])}"
        referenced = _label(*extra["ref"])
        if not ref_columns:
            key = next((k for k in keys if k.primary), None)
            if key is None:
                _confirm(item, f"{what} fails: {referenced} has no primary key to reference", "42830",
                         "name the referenced columns, or add the primary key first")
                return True
            if len(key.columns) != len(columns):
                return False
        else:
            same = [k for k in keys if sorted(k.columns) == sorted(ref_columns) and len(set(ref_columns)) ==
                    len(ref_columns)]
            if not same:
                _confirm(item, f"{what} fails: no unique constraint or index of {referenced} covers exactly "
                               f"({', '.join(ref_columns)})", "42830",
                         f"add a unique constraint on {referenced} ({', '.join(ref_columns)}) first")
                return True
            usable = [k for k in same if k.usable]
            if not usable:
                return False
            key = usable[0]
        pairs = list(zip(columns, ref_columns or list(key.columns), strict=True))
        for column, ref_column in pairs:
            if ref_column not in key.columns:
                return False
            at = key.columns.index(ref_column)
            own = catalog.column_type(self.cur, table[1], column)
            other = catalog.column_type(self.cur, ref[1], ref_column)
            if own is None or other is None:
                return False
            ok = catalog.comparable(self.cur, key.families[at], key.input_types[at], own[0])
            if ok is None:
                return False
            if not ok:
                _confirm(item, f"{what} fails: {_label(*extra['table'])}.{column} ({own[1]}) cannot be compared "
                               f"with {referenced}.{ref_column} ({other[1]}) by the equality operator of {key.name}",
                         "42804", f"give {column} the type of {referenced}.{ref_column} first")
                return True
        return False


def _wanted(extra: dict[str, Any]) -> list[Wanted]:
    question = extra["question"]
    if question == "drop":
        what = extra["what"]
        if what == "type" and extra.get("noun") == "DOMAIN":
            what = "domain"
        return [Wanted(what, schema, name, tuple(args) if args is not None else None)
                for schema, name, args in extra["objects"]]
    if question in ("drop-column", "alter-type"):
        return [Wanted("column", extra["table"][0], extra["table"][1], column=extra["column"])]
    if question == "truncate":
        return [Wanted("relation:r,p", schema, name) for schema, name in extra["tables"]]
    if question == "index-opclass":
        return [Wanted("relation:r,p,m", extra["table"][0], extra["table"][1])]
    if question == "replace-function":
        return [Wanted("function", extra["function"][0], extra["function"][1], tuple(extra["args"]))]
    if question == "add-identity":
        return [Wanted("column", extra["table"][0], extra["table"][1], column=extra["column"])]
    if question == "partition-overlap":
        return [Wanted("relation:p", extra["table"][0], extra["table"][1]),
                Wanted("relation:r,p,f", extra["partition"][0], extra["partition"][1])]
    if question == "detach-concurrently":
        return [Wanted("relation:p", extra["table"][0], extra["table"][1]),
                Wanted("relation:r,p,f", extra["partition"][0], extra["partition"][1])]
    if question == "index-partitioned":
        return [Wanted("relation:p", extra["table"][0], extra["table"][1])]
    if question == "replace-view":
        return [Wanted("relation:v", extra["view"][0], extra["view"][1])]
    if question in ("drop-not-null", "add-primary-key"):
        return [Wanted("relation:r,p", extra["table"][0], extra["table"][1])]
    return [Wanted("relation:r,p", extra["table"][0], extra["table"][1]),
            Wanted("relation:r,p", extra["ref"][0], extra["ref"][1])]


def _printed_bound(text: str) -> dict[str, Any] | None:
    """A partition's ``FOR VALUES ...`` as ``pg_get_expr`` prints it, read as :func:`bound_values` reads a
    migration's."""
    try:
        (stmt,) = list(pgparser.statements(f"ALTER TABLE p ATTACH PARTITION c {text}"))
    except (ValueError, ParseError):
        return None
    cmd = (alter_cmds(stmt.node) or [{}])[0]
    bound = ((cmd.get("def") or {}).get("PartitionCmd") or {}).get("bound")
    return bound_values(bound) if bound else None


def _less(cur: psycopg.Cursor[Any], key_type: str, a: Any, b: Any) -> bool | None:
    """``a < b`` for range bounds (``["minvalue"]``, ``["maxvalue"]`` or a constant)."""
    if a == ["minvalue"] or b == ["maxvalue"]:
        return a != b
    if a == ["maxvalue"] or b == ["minvalue"]:
        return False
    return catalog.compare(cur, key_type, a, "<", b)


def _ranges_overlap(cur: psycopg.Cursor[Any], key_type: str, new: list[Any], old: list[Any]) -> bool | None:
    """Whether ``[new[0], new[1])`` and ``[old[0], old[1])`` share a value; None when not known (or when the new
    range is empty, which fails for another reason)."""
    if not _less(cur, key_type, new[0], new[1]):
        return None
    first, second = _less(cur, key_type, new[0], old[1]), _less(cur, key_type, old[0], new[1])
    if first is None or second is None:
        return None
    return first and second


def _lists_overlap(cur: psycopg.Cursor[Any], key_type: str, new: list[Any], old: list[Any]) -> bool | None:
    for a in new:
        for b in old:
            same = catalog.compare(cur, key_type, a, "=", b)
            if same is None:
                return None
            if same:
                return True
    return False


def _dropped(item: Item, past: list[Past], refs: list[Ref | None], blockers: list[Blocker]) -> bool:
    extra = item["extra"]
    if any(r is None for r in refs) and not extra.get("missing_ok"):
        return False  # an object that is not there fails the statement first, for another reason
    if extra["question"] == "drop":
        targets = [o[1] for o in extra["objects"]]
    else:
        targets = [extra["table"][1]]  # whatever changes the column names its table
    if _touched(targets, past, adding_ok=True):
        return False
    fates = [(b, _fate(b, past)) for b in blockers]
    if any(f == UNKNOWN for _, f in fates):
        return False
    standing = [b for b, f in fates if f == KEPT]
    if not standing:
        return False
    if extra["question"] == "drop":
        head = f"DROP {extra['noun']} {', '.join(extra['shown'])}"
        it = "it" if len(extra["objects"]) == 1 else "them"
    else:
        head = f"DROP COLUMN {extra['column']} of {_label(*extra['table'])}"
        it = "the column"
    required = [b for b in standing if b.requires]
    if required:
        owner = required[0].description
        _confirm(item, f"{head} fails: {owner} requires {it}", "2BP01",
                 f"drop {owner} instead, which takes {it} with it")
        return True
    said = [f"{b.description}{f' (through {b.via})' if b.via else ''}" for b in standing]
    _confirm(item, f"{head} fails: other objects depend on {it}: {_listed(said)}", "2BP01",
             "drop or change them first, in an earlier statement; CASCADE would drop them too")
    return True


def _retyped(item: Item, past: list[Past], users: list[Blocker]) -> bool:
    extra = item["extra"]
    if _touched([extra["table"][1]], past, adding_ok=True):
        return False
    fates = [(b, _fate(b, past)) for b in users]
    if any(f == UNKNOWN for _, f in fates):
        return False
    standing = [b.description for b, f in fates if f == KEPT]
    if not standing:
        return False
    _confirm(item, f"ALTER COLUMN {extra['column']} TYPE of {_label(*extra['table'])} fails: PostgreSQL cannot alter "
                   f"the type of a column used by a view or rule (or a trigger or policy), and {_listed(standing)} "
                   f"use{'s' if len(standing) == 1 else ''} it",
             "0A000", "drop the views (rules, triggers, policies) that use the column first and create them again "
                      "after the change, in the same transaction")
    return True


def _uncastable(item: Item, past: list[Past], old: str, new: str, what: str = "") -> bool:
    extra = item["extra"]
    if _touched([extra["table"][1]], past, adding_ok=True):
        return False
    head = f"ALTER COLUMN {extra['column']} TYPE {extra['type_shown']} of {_label(*extra['table'])} fails"
    if what:
        _confirm(item, f"{head}: PostgreSQL has no automatic (assignment) cast from {old} to {new} for {what}, "
                       "which USING does not convert", "42804",
                 f"ALTER COLUMN {extra['column']} DROP DEFAULT first, and SET DEFAULT again after the change")
    else:
        _confirm(item, f"{head}: PostgreSQL has no automatic (assignment) cast from {old} to {new}, and there is no "
                       "USING", "42804", f"say how to convert: USING {extra['column']}::{extra['type_shown']}, or an "
                                         "expression")
    return True


def _default_type(text: str) -> str | None:
    """The type of a default as PostgreSQL prints it, when the text shows it: a constant cast to a type
    (``'{}'::text``), an integer, numeric or boolean constant; None otherwise (a function call...)."""
    try:
        (stmt,) = list(pgparser.statements(f"SELECT {text}"))
    except (ValueError, ParseError):
        return None
    value = (stmt.node.get("targetList") or [{}])[0].get("ResTarget", {}).get("val") or {}
    if "TypeCast" in value and "A_Const" in (value["TypeCast"].get("arg") or {}):
        tn = value["TypeCast"].get("typeName") or {}
        if tn.get("arrayBounds"):
            return None
        names = [n.get("String", {}).get("sval", "") for n in tn.get("names", ())]
        return ".".join('"' + n.replace('"', '""') + '"' for n in names) if names else None
    const = value.get("A_Const") or {}
    if "ival" in const:
        return '"pg_catalog"."int4"'
    if "fval" in const:
        return '"pg_catalog"."numeric"'
    if "boolval" in const:
        return '"pg_catalog"."bool"'
    return None


def _replace_function(item: Item, past: list[Past], result: tuple[str, str, bool]) -> bool:
    extra = item["extra"]
    if _touched([extra["function"][1]], past, adding_ok=True):
        return False
    f = _label(*extra["function"])
    _confirm(item, f"CREATE OR REPLACE FUNCTION {f} fails: the function returns {result[0]}, and a replaced function "
                   f"cannot change its return type (here {result[1]})", "42P13",
             f"DROP FUNCTION {f} first (and what depends on it), or give the new version another name")
    return True


def _identity(item: Item, past: list[Past]) -> bool:
    extra = item["extra"]
    if _touched([extra["table"][1]], past, adding_ok=False):
        return False
    column = f"{_label(*extra['table'])}.{extra['column']}"
    _confirm(item, f"ADD IDENTITY on {column} fails: the column is not NOT NULL, and PostgreSQL adds an identity only "
                   "to a NOT NULL column", "55000", f"ALTER COLUMN {extra['column']} SET NOT NULL first")
    return True


def _detach(item: Item, past: list[Past], default: str) -> bool:
    extra = item["extra"]
    if _touched([extra["table"][1], extra["partition"][1]], past, adding_ok=False):
        return False
    _confirm(item, f"DETACH PARTITION {_label(*extra['partition'])} CONCURRENTLY fails: {_label(*extra['table'])} has "
                   f"a default partition ({default}), and PostgreSQL then detaches only without CONCURRENTLY", "55000",
             "detach without CONCURRENTLY (it locks the table), or detach the default partition first")
    return True


def _index_partitioned(item: Item, past: list[Past]) -> bool:
    table = item["extra"]["table"]
    if _touched([table[1]], past, adding_ok=True):
        return False
    t = _label(*table)
    _confirm(item, f"CREATE INDEX CONCURRENTLY on {t} fails: {t} is partitioned, and PostgreSQL does not build an "
                   "index on a partitioned table concurrently", "0A000",
             f"CREATE INDEX ... ON ONLY {t} (no build), then CREATE INDEX CONCURRENTLY on each partition and ALTER "
             "INDEX ... ATTACH PARTITION it")
    return True


def _replace_view(item: Item, past: list[Past], existing: list[str]) -> bool:
    extra = item["extra"]
    view, new = _label(*extra["view"]), extra["columns"]
    if not existing or _touched([extra["view"][1]], past, adding_ok=True):
        return False
    if len(new) < len(existing):
        gone = ", ".join(existing[len(new):])
        why = f"its query gives {len(new)} column{'s' if len(new) != 1 else ''}, the view has {len(existing)} (drops {gone})"
    else:
        renamed = next(((old, n) for old, n in zip(existing, new, strict=False) if old != n), None)
        if renamed is None:
            return False
        why = f"column {renamed[0]} of the view would be named {renamed[1]}"
    _confirm(item, f"CREATE OR REPLACE VIEW {view} fails: {why}, and a replaced view may only add columns at the end",
             "42P16", f"DROP VIEW {view} and CREATE VIEW it again (with what depends on it), or keep its columns and "
                      "add new ones at the end")
    return True


def _confirm(item: Item, message: str, sqlstate: str, alternative: str) -> None:
    item["message"] = message
    item["alternative"] = alternative or item["alternative"]
    item["verdict"] = "would-fail"
    item["sqlstate"] = sqlstate


def _listed(things: list[str]) -> str:
    shown = things[:SHOWN]
    more = len(things) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more else "")


def _names_of(objects: list[list[Any]]) -> str:
    return ", ".join(_label(o[0], o[1]) for o in objects)


def _label(schema: str | None, name: str) -> str:
    return f"{schema}.{name}" if schema else name


__all__ = ["judge"]
