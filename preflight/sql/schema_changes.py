"""What a migration's SQL does to the schema: the relations it creates, alters and drops.

The SQL is parsed with PostgreSQL's own parser (pglast); statements inside ``DO`` blocks and functions are not
looked into. Names are as PostgreSQL resolves them: unquoted identifiers folded to lower case, quoted ones kept,
``schema.name`` when the statement names a schema, else the bare name.

``altered`` holds every existing relation a statement takes a DDL lock on: ``ALTER TABLE`` (and ``ALTER INDEX``,
``ALTER SEQUENCE``...), the table of ``CREATE INDEX``, renames and ``SET SCHEMA``, triggers, rules and policies,
``TRUNCATE``, ``LOCK``, ``REFRESH MATERIALIZED VIEW``, ``CLUSTER``, ``REINDEX``, the parent of a partition or
inheriting table, and the table a new foreign key references (it gets the key's triggers).

Objects, followed through a sequence of migrations: :func:`effects` says what one statement does to each named
object (creates, renames, moves to another schema, drops it; adds, renames, drops a column; adds, renames, drops
a table's constraint or trigger, an enum's label), in PostgreSQL's
namespaces (``RELATION``: tables, views, indexes, sequences; ``TYPE``: types and domains; ``SCHEMA``;
``FUNCTION``; ``EXTENSION``). :class:`Objects` replays those effects in run order and answers, for a name at a
point in the migrations, what it is then: the database's object under another name (renamed, moved), an object
made by the rollout, or nothing (dropped, renamed away), or ``None`` when the SQL so far has not touched it
(then the database, as it is, answers).
"""

from __future__ import annotations

import functools
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from pglast.parser import ParseError, scan

from preflight.sql import parse as pgparser

_RELATION_OBJECTS = {
    "OBJECT_TABLE", "OBJECT_VIEW", "OBJECT_MATVIEW", "OBJECT_INDEX", "OBJECT_SEQUENCE", "OBJECT_FOREIGN_TABLE",
}
# Sub-objects of a table whose rename alters the table itself.
_TABLE_PART_OBJECTS = {"OBJECT_COLUMN", "OBJECT_TABCONSTRAINT", "OBJECT_TRIGGER", "OBJECT_RULE", "OBJECT_POLICY"}


class SqlParseError(ValueError):
    """The SQL does not parse. ``offset`` is the 0-based character offset PostgreSQL points at, if any."""

    def __init__(self, message: str, offset: int | None, line: int | None):
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.line = line


@dataclass(frozen=True)
class Statement:
    """One top-level statement of a parsed script."""

    kind: str
    """The parse node's type, e.g. ``"CreateStmt"``, ``"IndexStmt"``, ``"SelectStmt"``."""
    node: dict[str, Any]
    """The parse node's fields as pglast's JSON gives them."""
    start: int
    """0-based character offset of the statement's first token (after leading whitespace and comments)."""
    end: int
    """Character offset just after the statement's last character (its ``;`` excluded)."""
    line: int
    """1-based line of ``start``."""
    text: str
    """The statement's text, ``sql[start:end]``."""


@dataclass
class SchemaChanges:
    created: set[str] = field(default_factory=set)
    """Relations (tables, views, materialized views, indexes, sequences) created, or given a new name."""
    altered: set[str] = field(default_factory=set)
    """Existing relations the SQL takes a DDL lock on (see the module documentation)."""
    dropped: set[str] = field(default_factory=set)
    columns_added: set[str] = field(default_factory=set)
    """``relation.column`` for columns added by ``ALTER TABLE ... ADD COLUMN`` or given by a column rename."""

    def touches(self) -> set[str]:
        return self.created | self.altered | self.dropped

    def update(self, other: SchemaChanges) -> None:
        self.created |= other.created
        self.altered |= other.altered
        self.dropped |= other.dropped
        self.columns_added |= other.columns_added


class _Lines:
    """Character offset -> 1-based line."""

    def __init__(self, sql: str):
        self.sql = sql
        self._newline_index: list[int] | None = None

    @property
    def _newlines(self) -> list[int]:
        # Built on first use, with the C-level str.find: most statements never ask for a line.
        if self._newline_index is None:
            found, i = [], self.sql.find("\n")
            while i != -1:
                found.append(i)
                i = self.sql.find("\n", i + 1)
            self._newline_index = found
        return self._newline_index

    def line(self, char_offset: int) -> int:
        return bisect_right(self._newlines, char_offset - 1) + 1


def _statements(sql: str, lines: _Lines) -> Iterator[pgparser.Statement]:
    try:
        yield from pgparser.statements(sql)
    except ParseError as e:
        offset = e.args[1] if len(e.args) > 1 and isinstance(e.args[1], int) else None
        line = lines.line(offset) if offset is not None else None
        where = f" (line {line})" if line is not None else ""
        raise SqlParseError(f"{e.args[0]}{where}", offset, line) from None
    except RecursionError:
        # The parser bounds its own depth; its tree for an expression nested a thousand levels deep is still
        # deeper than Python's stack can decode: as unknown as SQL that does not parse.
        raise SqlParseError("the SQL nests deeper than preflight can analyse", None, None) from None


def parse(sql: str) -> list[Statement]:
    """The top-level statements of ``sql`` with their positions; :class:`SqlParseError` if it does not parse."""
    lines = _Lines(sql)
    raw = list(_statements(sql, lines))
    if not raw:
        return []
    # Statement locations include the whitespace and comments before them: find each one's first real token.
    token_starts = [t.start for t in scan(sql) if t.name not in ("SQL_COMMENT", "C_COMMENT")]
    out = []
    for r in raw:
        start, end = r.start, r.end
        i = bisect_right(token_starts, start - 1)
        if i < len(token_starts) and token_starts[i] < end:
            start = token_starts[i]
        text = sql[start:end].rstrip()
        if text.endswith(";"):
            text = text[:-1].rstrip()
        end = start + len(text)
        out.append(Statement(r.kind, r.node, start, end, lines.line(start), text))
    return out


def _qualified(rangevar: dict[str, Any] | None) -> str | None:
    if not rangevar:
        return None
    rv = rangevar.get("RangeVar", rangevar)
    name = rv.get("relname")
    if not name:
        return None
    schema = rv.get("schemaname")
    return f"{schema}.{name}" if schema else str(name)


def _in_schema_of(rangevar: dict[str, Any], name: str) -> str:
    schema = rangevar.get("RangeVar", rangevar).get("schemaname")
    return f"{schema}.{name}" if schema else name


def _names(list_node: dict[str, Any]) -> str:
    """A ``List`` of ``String`` nodes (``DROP TABLE a.b``) as ``a.b``."""
    items = list_node.get("List", {}).get("items", [])
    parts = [i["String"]["sval"] for i in items if "String" in i]
    return ".".join(parts[-2:])


def _foreign_keys(nodes: list[dict[str, Any]]) -> Iterator[str]:
    """Tables referenced by the foreign keys among ``nodes`` (table elements or constraints, at any depth)."""
    for n in nodes:
        if "Constraint" in n:
            c = n["Constraint"]
            if c.get("contype") == "CONSTR_FOREIGN":
                ref = _qualified(c.get("pktable"))
                if ref:
                    yield ref
        elif "ColumnDef" in n:
            yield from _foreign_keys(n["ColumnDef"].get("constraints", []))


def _statement_changes(kind: str, node: dict[str, Any], out: SchemaChanges) -> None:
    def add(target: set[str], name: str | None) -> None:
        if name:
            target.add(name)

    if kind in ("CreateStmt", "CreateForeignTableStmt"):
        base = node.get("base", node) if kind == "CreateForeignTableStmt" else node
        add(out.created, _qualified(base.get("relation")))
        for parent in base.get("inhRelations", []):
            add(out.altered, _qualified(parent))
        out.altered.update(_foreign_keys(base.get("tableElts", []) + base.get("constraints", [])))
    elif kind == "CreateTableAsStmt":
        add(out.created, _qualified(node.get("into", {}).get("rel")))
    elif kind == "ViewStmt":
        add(out.created, _qualified(node.get("view")))
    elif kind == "CreateSeqStmt":
        add(out.created, _qualified(node.get("sequence")))
    elif kind == "AlterSeqStmt":
        add(out.altered, _qualified(node.get("sequence")))
    elif kind == "IndexStmt":
        rel = node.get("relation")
        add(out.altered, _qualified(rel))
        if rel and node.get("idxname"):
            out.created.add(_in_schema_of(rel, node["idxname"]))
    elif kind == "AlterTableStmt":
        rel = node.get("relation")
        table = _qualified(rel)
        add(out.altered, table)
        for cmd_node in node.get("cmds", []):
            cmd = cmd_node.get("AlterTableCmd", {})
            sub, definition = cmd.get("subtype"), cmd.get("def") or {}
            if sub == "AT_AddColumn" and "ColumnDef" in definition and table:
                out.columns_added.add(f"{table}.{definition['ColumnDef']['colname']}")
            if sub in ("AT_AddColumn", "AT_AddConstraint"):
                out.altered.update(_foreign_keys([definition]))
            if sub in ("AT_AttachPartition", "AT_DetachPartition", "AT_DetachPartitionFinalize"):
                add(out.altered, _qualified(definition.get("PartitionCmd", {}).get("name")))
            if sub in ("AT_AddInherit", "AT_DropInherit"):
                add(out.altered, _qualified(definition))
    elif kind == "RenameStmt":
        rel = node.get("relation")
        rtype = node.get("renameType")
        if rel and rtype in _RELATION_OBJECTS:
            add(out.altered, _qualified(rel))
            out.created.add(_in_schema_of(rel, node["newname"]))
        elif rel and rtype in _TABLE_PART_OBJECTS:
            table = _qualified(rel)
            add(out.altered, table)
            if rtype == "OBJECT_COLUMN" and table:
                out.columns_added.add(f"{table}.{node['newname']}")
    elif kind == "AlterObjectSchemaStmt":
        rel = node.get("relation")
        if rel and node.get("objectType") in _RELATION_OBJECTS:
            add(out.altered, _qualified(rel))
            out.created.add(f"{node['newschema']}.{rel['relname']}")
    elif kind == "DropStmt":
        if node.get("removeType") in _RELATION_OBJECTS:
            for obj in node.get("objects", []):
                name = _names(obj)
                if name:
                    out.dropped.add(name)
    elif kind in ("CreateTrigStmt", "RuleStmt", "RefreshMatViewStmt", "ClusterStmt", "ReindexStmt"):
        add(out.altered, _qualified(node.get("relation")))
    elif kind in ("CreatePolicyStmt", "AlterPolicyStmt"):
        add(out.altered, _qualified(node.get("table")))
    elif kind in ("TruncateStmt", "LockStmt"):
        for rel in node.get("relations", []):
            add(out.altered, _qualified(rel))


def schema_changes(sql: str) -> SchemaChanges:
    """The relations ``sql`` creates, alters and drops; :class:`SqlParseError` if it does not parse."""
    out = SchemaChanges()
    for r in _statements(sql, _Lines(sql)):
        _statement_changes(r.kind, r.node, out)
    return out


def known_changes(sql: str) -> SchemaChanges | None:
    """:func:`schema_changes`, or None when ``sql`` does not parse (what it changes is then unknown).

    Memoised on the SQL text: the checks of one run (db.watermark, db.activity, the lint, the guards, the
    golang-migrate evidence) all ask about the same pending migrations, and each is parsed once. The result is
    shared between callers: do not mutate it."""
    known = _known(sql)
    return known[0] if known is not None else None


def name_matches(configured: str, changed: str) -> bool:
    """Whether a relation named in the config (``schema.table`` or ``table``) is the relation a migration names.

    A side without a schema matches the same name in any schema: a migration's unqualified ``CREATE TABLE``
    lands in the first schema of the runner's search_path, which preflight cannot know."""
    c_schema, _, c_name = configured.rpartition(".")
    m_schema, _, m_name = changed.rpartition(".")
    return c_name == m_name and (not c_schema or not m_schema or c_schema == m_schema)




# -- objects through the migrations ------------------------------------------------------------------------

RELATION, TYPE, SCHEMA, FUNCTION, EXTENSION = "relation", "type", "schema", "function", "extension"
_FAMILY_OF_OBJECT = {**{o: RELATION for o in _RELATION_OBJECTS}, "OBJECT_TYPE": TYPE, "OBJECT_DOMAIN": TYPE,
                     "OBJECT_SCHEMA": SCHEMA, "OBJECT_FUNCTION": FUNCTION, "OBJECT_PROCEDURE": FUNCTION,
                     "OBJECT_ROUTINE": FUNCTION, "OBJECT_EXTENSION": EXTENSION}
FAMILY_OF_TARGET = {"table": RELATION, "index": RELATION, "type": TYPE, "schema": SCHEMA}
"""The namespace of a lint finding's target kind."""


class Effect(NamedTuple):
    """What one statement does to one named object."""

    op: str
    """"cascade" (``DROP ... CASCADE``: what else it drops is not followed; ``family`` RELATION when that is views
    only),
    "create", "create-if-absent" (``IF NOT EXISTS``, ``OR REPLACE``), "rename" (a new name or schema),
    "drop", "add-column", "rename-column", "drop-column", "retype-column" (``ALTER COLUMN ... TYPE``); "add-part",
    "rename-part", "drop-part" (a table's constraint or trigger, an enum's label: ``part``), "validate-part"
    (``VALIDATE CONSTRAINT``: names nothing new), "column-not-null" (``SET``/``DROP NOT NULL``); "opaque" (a ``DO`` block: what it creates or drops is not
    followed)."""
    family: str
    schema: str | None
    name: str
    new_schema: str | None = None
    """rename: the schema it lands in (the same one for a plain rename)."""
    new_name: str | None = None
    column: str | None = None
    """A column's name; for a part, the part's name (an enum label's value)."""
    new_column: str | None = None
    part: str | None = None
    """"constraint", "trigger", "partition" (of a table: its name, qualified as written) or "label" (of an enum
    type), for the "-part" operations."""
    proves: str | None = None
    """add-part of a constraint ``CHECK (column IS NOT NULL)``: the column it proves not null (once validated)."""
    valid: bool = True
    """add-part of a constraint: False when added ``NOT VALID`` (a later "validate-part" validates it)."""
    checked: bool = False
    """create of a domain: it has constraints (``CHECK``, ``NOT NULL``), checked on every value."""
    type: dict[str, Any] | None = None
    """add-column, retype-column: the column's type as written (:func:`column_type`)."""
    if_absent: bool = False
    """add-column ``IF NOT EXISTS``: if the table has the column already, it is that column."""
    not_null: bool | None = None
    """add-column: whether the column is declared NOT NULL (or PRIMARY KEY); "column-not-null": whether ``SET NOT
    NULL`` (True) or ``DROP NOT NULL`` (False), None for columns a ``PRIMARY KEY USING INDEX`` may set NOT NULL
    (``column`` "*")."""
    columns: tuple[tuple[str, dict[str, Any] | None, bool | None], ...] = ()
    """create of a table: ``(name, type as written, NOT NULL)`` of each column its definition lists (NOT NULL: None
    when a CHECK of the definition may prove it)."""
    partitioned: bool = False
    """create of a table: ``PARTITION BY``."""
    volatility: str | None = None
    """create of a function: "immutable", "stable" or "volatile" as declared."""
    view: bool = False
    """create of a view or materialized view (which a ``DROP ... CASCADE`` of what it reads drops too)."""


def _object_name(node: dict[str, Any] | None) -> tuple[str | None, str] | None:
    """``(schema, name)`` of a ``List``/``TypeName``/``ObjectWithArgs``/``String`` object node, or a name list."""
    if node is None:
        return None
    if isinstance(node, list):
        items: list[Any] = node
    elif "List" in node:
        items = node["List"].get("items", [])
    elif "TypeName" in node:
        items = node["TypeName"].get("names", [])
    elif "ObjectWithArgs" in node:
        items = node["ObjectWithArgs"].get("objname", [])
    elif "String" in node:
        items = [node]
    else:
        return None
    parts = [i["String"]["sval"] for i in items if "String" in i]
    if not parts:
        return None
    return (parts[-2] if len(parts) > 1 else None), parts[-1]


def _range_var(rangevar: dict[str, Any] | None) -> tuple[str | None, str] | None:
    if not rangevar:
        return None
    rv = rangevar.get("RangeVar", rangevar)
    return (rv.get("schemaname"), rv["relname"]) if rv.get("relname") else None


def effects(kind: str, node: dict[str, Any]) -> list[Effect]:
    """What one parsed statement does to named objects (nothing for a statement that names none)."""
    out: list[Effect] = []

    def create(family: str, name: tuple[str | None, str] | None, maybe_there: bool = False) -> None:
        if name:
            out.append(Effect("create-if-absent" if maybe_there else "create", family, *name))

    if kind in ("CreateStmt", "CreateForeignTableStmt"):
        base = node.get("base", node) if kind == "CreateForeignTableStmt" else node
        name = _range_var(base.get("relation"))
        if name:
            out.append(Effect("create-if-absent" if base.get("if_not_exists") else "create", RELATION, *name,
                              columns=_table_columns(base), partitioned=bool(base.get("partspec"))))
        parent, child = _range_var((base.get("inhRelations") or [None])[0]), _qualified(base.get("relation"))
        if base.get("partbound") and parent and child:
            out.append(Effect("add-part", RELATION, *parent, column=child, part="partition"))
    elif kind == "CreateTableAsStmt":
        name = _range_var((node.get("into") or {}).get("rel"))
        if name:
            out.append(Effect("create-if-absent" if node.get("if_not_exists") else "create", RELATION, *name,
                              view=node.get("objtype") == "OBJECT_MATVIEW"))
    elif kind == "ViewStmt":
        name = _range_var(node.get("view"))
        if name:
            out.append(Effect("create-if-absent" if node.get("replace") else "create", RELATION, *name, view=True))
    elif kind == "CreateSeqStmt":
        create(RELATION, _range_var(node.get("sequence")), bool(node.get("if_not_exists")))
    elif kind == "IndexStmt":
        table = _range_var(node.get("relation"))
        if table and node.get("idxname"):
            create(RELATION, (table[0], node["idxname"]), bool(node.get("if_not_exists")))
            if not node.get("if_not_exists"):  # the table's index: dropped with it
                out.append(Effect("add-part", RELATION, *table, column=node["idxname"], part="index"))
    elif kind in ("CreateEnumStmt", "CreateRangeStmt"):
        create(TYPE, _object_name(node.get("typeName")))
    elif kind == "CompositeTypeStmt":
        create(TYPE, _range_var(node.get("typevar")))
    elif kind == "CreateDomainStmt":
        name = _object_name(node.get("domainname"))
        if name:
            checked = any(c.get("Constraint", {}).get("contype") in ("CONSTR_CHECK", "CONSTR_NOTNULL")
                          for c in node.get("constraints", ()))
            out.append(Effect("create", TYPE, *name, checked=checked))
    elif kind == "DefineStmt" and node.get("kind") == "OBJECT_TYPE":
        create(TYPE, _object_name(node.get("defnames")))
    elif kind == "CreateSchemaStmt" and node.get("schemaname"):
        schema = node["schemaname"]
        create(SCHEMA, (None, schema), bool(node.get("if_not_exists")))
        for element in node.get("schemaElts", []):
            for (inner_kind, inner_node) in element.items():
                for e in effects(inner_kind, inner_node):
                    out.append(e._replace(schema=e.schema or schema))
    elif kind == "CreateFunctionStmt":
        name = _object_name(node.get("funcname"))
        if name:
            declared = [o["DefElem"]["arg"]["String"]["sval"] for o in node.get("options", ())
                        if o.get("DefElem", {}).get("defname") == "volatility"]
            out.append(Effect("create-if-absent" if node.get("replace") else "create", FUNCTION, *name,
                              volatility=declared[-1] if declared else "volatile"))
    elif kind == "CreateExtensionStmt" and node.get("extname"):
        create(EXTENSION, (None, node["extname"]), bool(node.get("if_not_exists")))
    elif kind == "DoStmt":
        out.append(Effect("opaque", "", None, "a DO block"))
    elif kind == "RenameStmt":
        rtype = node.get("renameType")
        new = node.get("newname")
        if rtype == "OBJECT_COLUMN":
            table = _range_var(node.get("relation"))
            if table and node.get("subname") and new:
                out.append(Effect("rename-column", RELATION, *table, column=node["subname"], new_column=new))
        elif rtype in ("OBJECT_TABCONSTRAINT", "OBJECT_TRIGGER"):
            table = _range_var(node.get("relation"))
            if table and node.get("subname") and new:
                part = "constraint" if rtype == "OBJECT_TABCONSTRAINT" else "trigger"
                out.append(Effect("rename-part", RELATION, *table, column=node["subname"], new_column=new,
                                  part=part))
        elif rtype == "OBJECT_SCHEMA" and node.get("subname") and new:
            out.append(Effect("rename", SCHEMA, None, node["subname"], None, new))
        elif rtype in _FAMILY_OF_OBJECT and new:
            family = _FAMILY_OF_OBJECT[rtype]
            name = _range_var(node.get("relation")) if family == RELATION else _object_name(node.get("object"))
            if name:
                out.append(Effect("rename", family, *name, name[0], new))
    elif kind == "AlterObjectSchemaStmt":
        moved = _FAMILY_OF_OBJECT.get(node.get("objectType", ""))
        if moved in (RELATION, TYPE, FUNCTION) and node.get("newschema"):
            name = _range_var(node.get("relation")) if moved == RELATION else _object_name(node.get("object"))
            if name and moved:
                out.append(Effect("rename", moved, *name, node["newschema"], name[1]))
    elif kind == "DropStmt" and node.get("removeType") == "OBJECT_TRIGGER":
        for obj in node.get("objects", []):
            parts = [i["String"]["sval"] for i in obj.get("List", {}).get("items", []) if "String" in i]
            if len(parts) >= 2:
                out.append(Effect("drop-part", RELATION, parts[-3] if len(parts) > 2 else None, parts[-2],
                                  column=parts[-1], part="trigger"))
    elif kind == "DropStmt":
        dropped = _FAMILY_OF_OBJECT.get(node.get("removeType", ""))
        for obj in node.get("objects", []) if dropped else []:
            name = _object_name(obj)
            if name and dropped:
                out.append(Effect("drop", dropped, *name))
        if node.get("behavior") == "DROP_CASCADE":  # a relation's dependents are views; others' may be anything
            out.append(Effect("cascade", dropped if dropped == RELATION else "", None, "DROP ... CASCADE"))
    elif kind == "AlterTableStmt":
        table = _range_var(node.get("relation"))
        for cmd_node in node.get("cmds", []) if table else []:
            cmd = cmd_node.get("AlterTableCmd", {})
            definition = (cmd.get("def") or {}).get("ColumnDef") or {}
            constraint = (cmd.get("def") or {}).get("Constraint") or {}
            if cmd.get("subtype") == "AT_AddColumn" and definition.get("colname"):
                out.append(Effect("add-column", RELATION, *table, column=definition["colname"],  # type: ignore[misc]
                                  type=column_type(definition), if_absent=bool(cmd.get("missing_ok")),
                                  not_null=bool(definition.get("is_not_null")) or any(
                                      c.get("Constraint", {}).get("contype") in ("CONSTR_NOTNULL", "CONSTR_PRIMARY")
                                      for c in definition.get("constraints", ()))))
                if definition.get("constraints"):  # their names are made up by PostgreSQL
                    out.append(Effect("add-part", RELATION, *table, column="*", part="constraint"))  # type: ignore[misc]
            elif cmd.get("subtype") == "AT_DropColumn" and cmd.get("name"):
                out.append(Effect("drop-column", RELATION, *table, column=cmd["name"]))  # type: ignore[misc]
                if cmd.get("behavior") == "DROP_CASCADE":  # the views on the column
                    out.append(Effect("cascade", RELATION, None, "DROP COLUMN ... CASCADE"))
            elif cmd.get("subtype") == "AT_AlterColumnType" and cmd.get("name"):
                out.append(Effect("retype-column", RELATION, *table, column=cmd["name"],  # type: ignore[misc]
                                  type=column_type(definition)))
            elif cmd.get("subtype") == "AT_AddConstraint" and constraint:
                # a constraint without a name gets one PostgreSQL makes up: "*" stands for it
                proves = not_null_check_column(constraint) if constraint.get("contype") == "CONSTR_CHECK" else None
                if constraint.get("contype") == "CONSTR_PRIMARY":  # PostgreSQL sets the key's columns NOT NULL
                    keys = [k["String"]["sval"] for k in constraint.get("keys", ()) if "String" in k]
                    for key in keys or ["*"]:  # USING INDEX: the index's columns, not named here
                        out.append(Effect("column-not-null", RELATION, *table, column=key,  # type: ignore[misc]
                                          not_null=True if keys else None))
                out.append(Effect("add-part", RELATION, *table, column=constraint.get("conname") or "*",  # type: ignore[misc]
                                  part="constraint", proves=proves, valid=not constraint.get("skip_validation")))
            elif cmd.get("subtype") in ("AT_SetNotNull", "AT_DropNotNull") and cmd.get("name"):
                out.append(Effect("column-not-null", RELATION, *table, column=cmd["name"],  # type: ignore[misc]
                                  not_null=cmd["subtype"] == "AT_SetNotNull"))
            elif cmd.get("subtype") == "AT_ValidateConstraint" and cmd.get("name"):
                out.append(Effect("validate-part", RELATION, *table, column=cmd["name"], part="constraint"))  # type: ignore[misc]
            elif cmd.get("subtype") in ("AT_AttachPartition", "AT_DetachPartition"):
                child = _qualified((cmd.get("def") or {}).get("PartitionCmd", {}).get("name"))
                if child:
                    op = "add-part" if cmd["subtype"] == "AT_AttachPartition" else "drop-part"
                    out.append(Effect(op, RELATION, *table, column=child, part="partition"))  # type: ignore[misc]
            elif cmd.get("subtype") == "AT_DropConstraint" and cmd.get("name"):
                out.append(Effect("drop-part", RELATION, *table, column=cmd["name"], part="constraint"))  # type: ignore[misc]
    elif kind == "CreateTrigStmt" and node.get("trigname"):
        table = _range_var(node.get("relation"))
        if table:
            out.append(Effect("add-part", RELATION, *table, column=node["trigname"], part="trigger"))
    elif kind == "AlterEnumStmt" and node.get("newVal"):
        enum = _object_name(node.get("typeName"))
        if enum and node.get("oldVal"):
            out.append(Effect("rename-part", TYPE, *enum, column=node["oldVal"], new_column=node["newVal"],
                              part="label"))
        elif enum:
            out.append(Effect("add-part", TYPE, *enum, column=node["newVal"], part="label"))
    return out


def _table_columns(base: dict[str, Any]) -> tuple[tuple[str, dict[str, Any] | None, bool | None], ...]:
    """The columns a ``CREATE TABLE`` lists: name, type as written, and whether NOT NULL (a ``NOT NULL`` or
    ``PRIMARY KEY`` of the column or of the table; None when a ``CHECK`` of the definition may prove it, which
    only the catalogs can tell). Columns from ``LIKE``, ``INHERITS`` or ``PARTITION OF`` are not listed."""
    elements = base.get("tableElts", ())
    keys: set[str] = set()
    checked: set[str] = set()
    everything = False  # a CHECK that is not a plain column IS NOT NULL: it may prove any column
    constraints = [e["Constraint"] for e in elements if "Constraint" in e]
    for e in elements:
        constraints += [c["Constraint"] for c in e.get("ColumnDef", {}).get("constraints", ()) if "Constraint" in c]
    for c in constraints:
        if c.get("contype") == "CONSTR_PRIMARY":
            keys.update(k["String"]["sval"] for k in c.get("keys", ()) if "String" in k)
        elif c.get("contype") == "CONSTR_CHECK":
            proved = not_null_check_column(c)
            if proved:
                checked.add(proved)
            else:
                everything = True
    out = []
    for e in elements:
        d = e.get("ColumnDef")
        if not d or not d.get("colname"):
            continue
        declared = bool(d.get("is_not_null")) or d["colname"] in keys or any(
            c.get("Constraint", {}).get("contype") in ("CONSTR_NOTNULL", "CONSTR_PRIMARY") for c in d.get("constraints", ()))
        not_null = True if declared else None if everything or d["colname"] in checked else False
        out.append((d["colname"], column_type(d), not_null))
    return tuple(out)


def column_type(column_def: dict[str, Any]) -> dict[str, Any] | None:
    """A ``ColumnDef``'s type as written: ``{"names", "mods", "array", "collation"}`` (``mods``: the numeric
    modifiers), None when a modifier is not a number."""
    tn = (column_def.get("typeName") or {})
    names = [n["String"]["sval"] for n in tn.get("names", ()) if "String" in n]
    mods: list[int] = []
    for m in tn.get("typmods", ()):
        c = m.get("A_Const", {})
        if "ival" not in c:
            return None
        mods.append(c["ival"].get("ival", 0))
    clause = column_def.get("collClause") or {}
    collation = [n["String"]["sval"] for n in (clause.get("CollateClause") or clause).get("collname", ()) if "String" in n]
    return {"names": names, "mods": mods, "array": bool(tn.get("arrayBounds")),
            "collation": collation[-1] if collation else None} if names else None


def not_null_check_column(constraint: dict[str, Any]) -> str | None:
    """``column`` for a ``CHECK (column IS NOT NULL)`` constraint node, else None: the check that lets ``SET NOT
    NULL`` skip its scan once validated (PostgreSQL 12 and later)."""
    expr = constraint.get("raw_expr") or {}
    test = expr.get("NullTest") or {}
    if test.get("nulltesttype") != "IS_NOT_NULL":
        return None
    ref = (test.get("arg") or {}).get("ColumnRef") or {}
    fields = [f["String"]["sval"] for f in ref.get("fields", ()) if "String" in f]
    return fields[-1] if fields else None


PlacedEffects = tuple[int, int, tuple[Effect, ...], int]
"""A statement's effects, placed: the (1-based) line and column just after its end, the effects, and the line it
starts on (where leading comments end, or the line of the previous statement's ``;``)."""


def placed(sql: str, start: int, end: int, found: list[Effect], line: Callable[[int], int]) -> PlacedEffects:
    """The effects of the statement at ``sql[start:end]`` (offsets as the parser gives them), placed; ``line`` maps
    an offset to its line."""
    text = sql[start:end]
    return (line(end), end - (sql.rfind("\n", 0, end) + 1) + 1, tuple(found), line(start + len(text) - len(text.lstrip())))


def to_json(found: tuple[PlacedEffects, ...]) -> list[Any]:
    """Placed effects as plain data (a lint analysis is cached as JSON)."""
    return [[end_line, end_column, [_plain_effect(e) for e in effs], line] for end_line, end_column, effs, line in found]


def _plain_effect(e: Effect) -> list[Any]:
    """:func:`_plain` of an effect, its fields known: only the column types and the columns hold containers."""
    out: list[Any] = list(e)
    if e.type is not None:
        out[_TYPE] = _plain(e.type)
    out[_COLUMNS] = [[name, _plain(kind), not_null] for name, kind, not_null in e.columns]
    return out


def _plain(value: Any) -> Any:
    """``value`` with every tuple a list, as JSON gives it back (a fresh analysis equals its cached copy)."""
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


_COLUMNS = Effect._fields.index("columns")
_TYPE = Effect._fields.index("type")


def from_json(data: list[Any]) -> tuple[PlacedEffects, ...]:
    """The placed effects :func:`to_json` made."""
    def effect(fields: list[Any]) -> Effect:
        fields = list(fields)
        fields[_COLUMNS] = tuple((name, kind, not_null) for name, kind, not_null in fields[_COLUMNS])
        return Effect(*fields)

    return tuple((end_line, end_column, tuple(effect(e) for e in effs), line) for end_line, end_column, effs, line in data)


def statement_effects(sql: str) -> tuple[tuple[int, int, tuple[Effect, ...], int], ...] | None:
    """The effects of each top-level statement of ``sql`` that names objects, with the (1-based) line and column
    just after the statement's end (and, last, the line it starts on: where leading comments end, or the line of the
    previous statement's ``;``); None when ``sql`` does not parse. Memoised with :func:`known_changes`: one
    parse answers both."""
    known = _known(sql)
    return known[1] if known is not None else None


@functools.lru_cache(maxsize=4096)
def _known(sql: str) -> tuple[SchemaChanges, tuple[tuple[int, int, tuple[Effect, ...], int], ...]] | None:
    try:
        lines = _Lines(sql)
        changes, out = SchemaChanges(), []
        for r in _statements(sql, lines):
            _statement_changes(r.kind, r.node, changes)
            found = effects(r.kind, r.node)
            if found:
                out.append(placed(sql, r.start, r.end, found, lines.line))
        return changes, tuple(out)
    except (SqlParseError, RecursionError):  # too deep to walk is as unknown as not parsing
        return None


EXISTING, CREATED, ABSENT = "existing", "created", "absent"


@dataclass(eq=False)
class Known:
    """What the SQL replayed so far has made of a name (one object: a rename moves it to its new name)."""

    state: str
    """``EXISTING``: the database's object, named ``was`` before the rollout; ``CREATED``: made by the rollout;
    ``ABSENT``: nothing by that name (``how`` says why)."""
    by: str | None = None
    """The migration whose SQL created it, renamed it last, or made it absent (None for the SQL being linted, in
    a file's lint)."""
    was: tuple[str | None, str] | None = None
    if_absent: bool = False
    """CREATED with ``IF NOT EXISTS`` / ``OR REPLACE``: if the database already had it, it is that object."""
    how: str = ""
    """ABSENT: "drops it", "renames it to notes"..."""
    retyped_by: str | None = None
    """A column: the migration that last changed its type (``ALTER COLUMN ... TYPE``)."""
    columns: dict[str, Known] = field(default_factory=dict)
    """A table's columns the SQL touched, by their current name."""
    parts: dict[tuple[str, str], Known] = field(default_factory=dict)
    """A table's constraints and triggers, an enum's labels, that the SQL touched: ``(part, name)`` -> what it is."""
    proves: str | None = None
    """A constraint ``CHECK (column IS NOT NULL)`` the SQL added: the column."""
    validated: bool = True
    """A constraint the SQL added: whether it is validated (not added ``NOT VALID``, or validated since)."""
    checked: bool = False
    """A domain the SQL created: it has constraints (checked on every value)."""
    type: dict[str, Any] | None = None
    """A column the SQL added or retyped: its type then (:func:`column_type`), None when not known."""
    not_null: bool | None = None
    """A column the SQL added (or listed in its table's ``CREATE``) or set or dropped NOT NULL on: whether it is
    NOT NULL then; None when not known."""
    partitioned: bool = False
    """A table the SQL created ``PARTITION BY``."""
    volatility: str | None = None
    """A function the SQL created: its declared volatility (None when two of its creations disagree: overloads)."""
    view: bool = False
    """A view or materialized view the SQL created."""
    at: Stamp | None = None
    """Where the SQL replayed made it (or, for a column, last gave it its type)."""
    not_null_at: Stamp | None = None
    """A column: where the SQL replayed last said whether it is NOT NULL."""
    renamed: list[tuple[str, Stamp]] = field(default_factory=list)
    """Each rename the SQL replayed made of it, in order: ("post to article", where), so that what is said of it
    under its new name shows how the name came to be its."""


class Stamp(NamedTuple):
    """Where a fact of the replay comes from: the migration (file) and line of the statement, and how many
    statements the replay could not follow (``DO`` blocks, ``CREATE EXTENSION``, SQL that does not parse) had run
    by then: a fact is still known only while no such statement has run since."""

    by: str | None
    line: int
    unfollowed: int


class NotNullProofs(NamedTuple):
    """What pending SQL replayed before a ``SET NOT NULL`` proves about the table's columns, by their names then."""

    proven: dict[str, str]
    """Column -> the validated ``CHECK (column IS NOT NULL)`` the SQL added that proves it."""
    validated: list[str]
    """The names of the database's constraints on the table the SQL validated (which may be such checks)."""
    nullability: dict[str, bool]
    """Column -> whether it is NOT NULL, for the columns the SQL added or set or dropped NOT NULL on."""
    in_database: dict[str, str]
    """Column -> its name in the database, for the columns the SQL touched that are the database's (renamed or
    not); a column the SQL added is not there."""
    dropped: list[str]
    """The names of the database's constraints on the table the SQL dropped (they prove nothing any more)."""


class Objects:
    """Objects by name through a replay of statements' :class:`Effect`\\ s (see the module documentation).

    Names compare as :func:`name_matches` does: a side without a schema matches the name in any schema."""

    def __init__(self) -> None:
        self._known: dict[tuple[str, str], dict[str | None, Known]] = {}
        self.touched: set[tuple[str, str]] = set()
        """``("column", name)``, ``("constraint", name)``... of every column or part the SQL replayed added, dropped
        or renamed, on any table: on a table it did not name, it may have done so too (a partition gets its
        parent's columns; an index rename renames its constraint: ``("constraint", "*")``)."""
        self.index_names: set[str] = set()
        """Every name an index the SQL replayed created had (created, or renamed to), on any table."""
        self.nullability: dict[tuple[str | None, str, str], bool] = {}
        """``(schema, table, column)`` -> whether the column is NOT NULL, for the columns the SQL replayed added
        (without ``IF NOT EXISTS``) or set or dropped NOT NULL on, as the statements name them."""
        self.validated: set[tuple[str | None, str, str]] = set()
        """``(schema, table, constraint)`` of the constraints the SQL replayed validated (``VALIDATE CONSTRAINT``)
        that it did not add itself (the database's, as the statement names them)."""
        self.opaque: str | None = None
        """Why objects the SQL replayed has not touched may no longer be as the database has them: the last ``DO``
        block or ``CREATE EXTENSION`` replayed (what they make or drop is not followed), and by which migration."""
        self.unfollowed = 0
        """How many statements replayed so far it could not follow (see :class:`Stamp`)."""
        self.line = 0
        """The (1-based) line of the statement being replayed, in its migration (for :class:`Stamp`)."""

    def stamp(self, by: str | None) -> Stamp:
        return Stamp(by, self.line, self.unfollowed)

    def fresh(self, stamp: Stamp | None) -> bool:
        """Whether a fact stamped ``stamp`` still holds: no statement the replay cannot follow ran since."""
        return stamp is not None and stamp.unfollowed == self.unfollowed

    def get(self, family: str, schema: str | None, name: str) -> Known | None:
        """What ``schema.name`` is now, or None if the SQL replayed has not touched it (nor its schema)."""
        found = self._known.get((family, name))
        if found:
            if schema in found:
                return found[schema]
            if None in found:
                return found[None]
            if schema is None:
                return next(reversed(found.values()))
        if schema is not None and family != SCHEMA:
            container = self.get(SCHEMA, None, schema)
            if container is not None and container.state == ABSENT:
                return Known(ABSENT, container.by, how=container.how.replace(" it", f" its schema {schema}", 1))
            if container is not None and container.state == CREATED and not container.if_absent:
                return Known(CREATED, container.by)
            if container is not None and container.was and container.was[1] != schema:
                return Known(EXISTING, container.by, was=(container.was[1], name))
        return None

    def created(self, family: str, schema: str | None, name: str) -> bool:
        known = self.get(family, schema, name)
        return known is not None and known.state == CREATED

    def column(self, schema: str | None, table: str, column: str) -> Known | None:
        """What column ``column`` of the table is now, or None if untouched (a new table's columns are all
        new: ask about the table first)."""
        known = self.get(RELATION, schema, table)
        return known.columns.get(column) if known is not None else None

    def part(self, family: str, schema: str | None, name: str, part: str, part_name: str) -> Known | None:
        """What a table's constraint or trigger (an enum's label) is now, or None if untouched (a new object's
        parts are not followed from its ``CREATE``: ask about the object first)."""
        known = self.get(family, schema, name)
        return known.parts.get((part, part_name)) if known is not None else None

    def _set(self, family: str, schema: str | None, name: str, known: Known) -> None:
        self._known.setdefault((family, name), {})[schema] = known

    def _object(self, family: str, schema: str | None, name: str) -> Known:
        known = self.get(family, schema, name)
        if known is None:
            known = Known(EXISTING, was=(schema, name))
            self._set(family, schema, name, known)
        return known

    def apply(self, effect: Effect, by: str | None = None) -> None:
        """Replay one effect of migration ``by``."""
        e = effect
        if e.op == "opaque" or (e.family == EXTENSION and e.op in ("create", "create-if-absent")):
            what = e.name if e.op == "opaque" else f"CREATE EXTENSION {e.name}"
            self.opaque = what + (f" of migration {by}" if by else "")
            self.unfollowed += 1
            if e.op == "opaque":
                return
        if e.op == "cascade":  # what else it drops is not followed
            if e.family != RELATION:
                self.unfollowed += 1
            for by_schema in self._known.values():  # a relation's (a column's) dependents: views
                for k in by_schema.values():
                    if k.view:
                        k.at = None
            return
        if e.op == "column-not-null":
            table = self.get(e.family, e.schema, e.name)
            for name, column in (table.columns.items() if table is not None else ()):
                if name == e.column or (e.column == "*" and column.not_null is False):
                    column.not_null, column.not_null_at = e.not_null, self.stamp(by)
            if e.not_null is not None:
                self.nullability[(e.schema, e.name, e.column or "")] = e.not_null
            return
        if e.op == "add-column" and not e.if_absent and e.not_null is not None:
            self.nullability[(e.schema, e.name, e.column or "")] = bool(e.not_null)
        if e.op == "validate-part":
            added = self.part(e.family, e.schema, e.name, "constraint", e.column or "")
            if added is not None and added.state == CREATED:
                added.validated, added.at = True, self.stamp(by)
            elif added is None:
                self.validated.add((e.schema, e.name, e.column or ""))
            return
        if e.column:
            self.touched.add((e.part or "column", e.column))
            if e.new_column:
                self.touched.add((e.part or "column", e.new_column))
        elif e.op == "rename" and e.family == RELATION:
            self.touched.add(("constraint", "*"))
        if e.op in ("create", "create-if-absent"):
            now = self.get(e.family, e.schema, e.name)
            if e.op == "create-if-absent" and now is not None and now.state != ABSENT:
                if e.family == FUNCTION and now.state == CREATED and now.volatility != e.volatility:
                    now.volatility = None  # replaced, or an overload: which one a call resolves to is not followed
                return
            made = Known(CREATED, by, if_absent=e.op == "create-if-absent", checked=e.checked,
                         partitioned=e.partitioned, volatility=e.volatility, view=e.view, at=self.stamp(by))
            for name, type_, not_null in e.columns:
                made.columns[name] = Known(CREATED, by, type=type_, not_null=not_null, at=made.at,
                                           not_null_at=made.at)
            self._set(e.family, e.schema, e.name, made)
        elif e.op == "rename" and e.new_name:
            moved = self._object(e.family, e.schema, e.name)
            if moved.state == ABSENT:
                return  # the rename fails: nothing moves
            moved.by = by if moved.state == EXISTING else moved.by
            where = e.new_name if e.new_schema == e.schema else f"{e.new_schema}.{e.new_name}"
            moved.renamed.append((f"{e.schema + '.' if e.schema else ''}{e.name} to {where}", self.stamp(by)))
            self._set(e.family, e.schema, e.name, Known(ABSENT, by, how=f"renames it to {where}"))
            self._set(e.family, e.new_schema, e.new_name, moved)
            if e.family == RELATION:
                self._rename_in_proofs(e.schema, e.name, e.new_schema, e.new_name)
            if e.family == SCHEMA:
                self._move_schema(e.name, e.new_name)
        elif e.op == "drop":
            gone = self.get(e.family, e.schema, e.name)
            was = gone.was if gone is not None and gone.state == EXISTING else (
                (e.schema, e.name) if gone is None else None)
            self._set(e.family, e.schema, e.name, Known(ABSENT, by, was=was, how="drops it", at=self.stamp(by)))
            if e.family == SCHEMA:
                for (_family, _name), by_schema in self._known.items():
                    for schema in by_schema:
                        if schema == e.name:
                            by_schema[schema] = Known(ABSENT, by, how=f"drops its schema {e.name}")
        elif e.part and e.column:
            owner = self._object(e.family, e.schema, e.name)
            key = (e.part, e.column)
            if e.op == "add-part":
                owner.parts[key] = Known(CREATED, by, proves=e.proves, validated=e.valid, at=self.stamp(by))
                if e.part == "index":
                    self.index_names.add(e.column)
            elif e.op == "drop-part":
                gone = owner.parts.get(key)
                was = (gone.was if gone.state == EXISTING else None) if gone is not None else (None, e.column)
                owner.parts[key] = Known(ABSENT, by, was=was, how="drops it")
            elif e.op == "rename-part" and e.new_column:
                moved = owner.parts.get(key) or Known(EXISTING, was=(None, e.column))
                if moved.state != ABSENT:
                    owner.parts[key] = Known(ABSENT, by, how=f"renames it to {e.new_column}")
                    owner.parts[(e.part, e.new_column)] = moved
                    if e.part == "index":
                        self.index_names.add(e.new_column)
        elif e.column:
            table = self._object(e.family, e.schema, e.name)
            if e.op == "add-column":
                if table.columns.get(e.column, Known(ABSENT)).state == ABSENT:
                    table.columns[e.column] = Known(CREATED, by, type=e.type, if_absent=e.if_absent,
                                                    not_null=e.not_null, at=self.stamp(by),
                                                    not_null_at=self.stamp(by))
            elif e.op == "drop-column":
                for key in [k for k in table.parts if k[0] == "index"]:  # an index on the column goes with it
                    del table.parts[key]
                gone = table.columns.get(e.column)
                was = gone.was if gone is not None else (None, e.column)
                table.columns[e.column] = Known(ABSENT, by, was=was, how="drops it")
            elif e.op == "retype-column":
                column = table.columns.setdefault(e.column, Known(EXISTING, was=(None, e.column)))
                column.retyped_by, column.type, column.at = by, e.type, self.stamp(by)
            elif e.op == "rename-column" and e.new_column:
                column = table.columns.get(e.column) or Known(EXISTING, was=(None, e.column))
                if column.state != ABSENT:
                    column.renamed.append((f"column {e.column} of {e.name} to {e.new_column}", self.stamp(by)))
                    table.columns[e.column] = Known(ABSENT, by, how=f"renames it to {e.new_column}")
                    table.columns[e.new_column] = column
                    self._rename_in_proofs(e.schema, e.name, e.schema, e.name, e.column, e.new_column)
                    for part in table.parts.values():  # PostgreSQL renames the column in the check's expression
                        if part.proves == e.column:
                            part.proves = e.new_column

    def index_table(self, schema: str | None, index: str) -> Known | None:
        """The table an index the SQL replayed created is on, while both are there (an index goes with its table,
        and with a column it is on, which the replay does not follow otherwise); None when not known."""
        if index not in self.index_names:
            return None
        for (family, _name), by_schema in self._known.items():
            for table in by_schema.values() if family == RELATION else ():
                own = table.parts.get(("index", index))
                if table.state != ABSENT and own is not None and own.state == CREATED and self.fresh(own.at) and (
                        schema is None or table.was is None or table.was[0] in (None, schema)):
                    return table
        return None

    def not_null_proofs(self, schema: str | None, table: str) -> NotNullProofs:
        """What the SQL replayed so far proves about the table's columns for ``SET NOT NULL``, by the names the
        table and its columns have now (renames by earlier statements followed): see :class:`NotNullProofs`."""
        known = self.get(RELATION, schema, table)
        parts = known.parts.items() if known is not None else ()
        proven = {k.proves: name for (part, name), k in parts
                  if part == "constraint" and k.state == CREATED and k.proves and k.validated}
        dropped = sorted(k.was[1] for (part, _name), k in parts
                         if part == "constraint" and k.state == ABSENT and k.was and k.how == "drops it")
        validated = sorted(c for s, t, c in self.validated
                           if t == table and (s is None or schema is None or s == schema))
        nullability = {c: v for (s, t, c), v in self.nullability.items()
                       if t == table and (s is None or schema is None or s == schema)}
        columns = known.columns if known is not None else {}
        in_database = {}
        for name in sorted({*nullability, *columns}):
            column = columns.get(name)
            if column is None:
                in_database[name] = name
            elif column.state == EXISTING:
                in_database[name] = column.was[1] if column.was else name
        return NotNullProofs(proven, validated, nullability, in_database, dropped)

    def _rename_in_proofs(self, schema: str | None, table: str, new_schema: str | None, new_table: str,
                          column: str | None = None, new_column: str | None = None) -> None:
        """Keep :attr:`nullability` and :attr:`validated` under the names a table or column is renamed to."""
        def moved(key: tuple[str | None, str, str], column_too: bool) -> tuple[str | None, str, str] | None:
            s, t, c = key
            if t != table or not (s is None or schema is None or s == schema):
                return None
            if column_too and c != column:
                return None
            return (s if new_schema == schema else new_schema, new_table, new_column if column_too and new_column else c)

        for key in list(self.nullability):
            to = moved(key, column is not None)
            if to is not None:
                self.nullability[to] = self.nullability.pop(key)
        if column is None:
            for key in list(self.validated):
                to = moved(key, False)
                if to is not None:
                    self.validated.discard(key)
                    self.validated.add(to)

    def changed_columns(self) -> dict[tuple[str | None, str], dict[str | None, Known]]:
        """The database's tables that the SQL replayed so far dropped (under the key None) or whose columns it
        dropped or retyped, by their names in the database, with the columns by their names there."""
        out: dict[tuple[str | None, str], dict[str | None, Known]] = {}
        for (family, _name), by_schema in self._known.items():
            for known in by_schema.values() if family == RELATION else ():
                if known.was is None:
                    continue
                if known.state == ABSENT:
                    out.setdefault(known.was, {})[None] = known
                elif known.state == EXISTING:
                    for column in known.columns.values():
                        if column.was and (column.state == ABSENT or column.retyped_by is not None):
                            out.setdefault(known.was, {})[column.was[1]] = column
        return out

    def _move_schema(self, old: str, new: str) -> None:
        """Objects the SQL already knows in schema ``old`` are in ``new`` after ``ALTER SCHEMA ... RENAME``."""
        for by_schema in self._known.values():
            if old in by_schema:
                by_schema[new] = by_schema.pop(old)


__all__ = ["ABSENT", "CREATED", "EXISTING", "EXTENSION", "FAMILY_OF_TARGET", "FUNCTION", "RELATION", "SCHEMA", "TYPE",
           "Effect", "Known", "NotNullProofs", "Objects", "SchemaChanges", "Stamp",
           "SqlParseError", "Statement", "column_type", "effects", "known_changes", "name_matches", "not_null_check_column", "parse", "schema_changes",
           "statement_effects"]
