"""What a migration's SQL does to the schema: the relations it creates, alters and drops.

The SQL is parsed with PostgreSQL's own parser (pglast); statements inside ``DO`` blocks and functions are not
looked into. Names are as PostgreSQL resolves them: unquoted identifiers folded to lower case, quoted ones kept,
``schema.name`` when the statement names a schema, else the bare name.

``altered`` holds every existing relation a statement takes a DDL lock on: ``ALTER TABLE`` (and ``ALTER INDEX``,
``ALTER SEQUENCE``...), the table of ``CREATE INDEX``, renames and ``SET SCHEMA``, triggers, rules and policies,
``TRUNCATE``, ``LOCK``, ``REFRESH MATERIALIZED VIEW``, ``CLUSTER``, ``REINDEX``, the parent of a partition or
inheriting table, and the table a new foreign key references (it gets the key's triggers).
"""

from __future__ import annotations

import functools
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

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


@functools.lru_cache(maxsize=4096)
def known_changes(sql: str) -> SchemaChanges | None:
    """:func:`schema_changes`, or None when ``sql`` does not parse (what it changes is then unknown).

    Memoised on the SQL text: the checks of one run (db.watermark, db.activity, the lint, the guards, the
    golang-migrate evidence) all ask about the same pending migrations, and each is parsed once. The result is
    shared between callers: do not mutate it."""
    try:
        return schema_changes(sql)
    except (SqlParseError, RecursionError):  # too deep to walk is as unknown as not parsing
        return None


def name_matches(configured: str, changed: str) -> bool:
    """Whether a relation named in the config (``schema.table`` or ``table``) is the relation a migration names.

    A side without a schema matches the same name in any schema: a migration's unqualified ``CREATE TABLE``
    lands in the first schema of the runner's search_path, which preflight cannot know."""
    c_schema, _, c_name = configured.rpartition(".")
    m_schema, _, m_name = changed.rpartition(".")
    return c_name == m_name and (not c_schema or not m_schema or c_schema == m_schema)


__all__ = ["SchemaChanges", "SqlParseError", "Statement", "known_changes", "name_matches", "parse", "schema_changes"]
