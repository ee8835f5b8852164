"""Small readers of pglast's JSON parse tree, shared by the rules.

The tree is PostgreSQL's own (``parse_sql_json``): each node is ``{"TypeName": {fields}}``; fields equal to their
zero value (false, 0, empty) are left out, so every reader here defaults them.
"""

from __future__ import annotations

from typing import Any, TypeAlias

Node: TypeAlias = dict[str, Any]

# Functions whose value does not change within a statement (stable or immutable): a column default made of
# these and constants does not rewrite the table (PostgreSQL 11 and later store it as the "missing" value).
NON_VOLATILE_FUNCTIONS = frozenset({
    "now", "transaction_timestamp", "statement_timestamp", "current_date", "current_time", "current_timestamp",
    "localtime", "localtimestamp", "current_user", "current_schema", "current_setting", "session_user",
    "lower", "upper", "coalesce", "nullif", "greatest", "least", "concat", "concat_ws", "length", "abs", "round",
    "to_char", "to_date", "to_timestamp", "to_json", "to_jsonb", "jsonb_build_object", "json_build_object",
    "jsonb_build_array", "json_build_array", "array", "make_interval", "make_date", "make_timestamp",
    "make_timestamptz", "date_trunc", "md5", "substr", "substring", "replace", "trim", "btrim", "ltrim", "rtrim",
    "format", "int4", "int8", "numeric", "text", "interval", "timezone", "version", "pg_catalog.now",
})

INT32_TYPES = frozenset({"int4", "integer", "int", "serial", "serial4"})
INT16_TYPES = frozenset({"int2", "smallint", "smallserial", "serial2"})
SERIAL_TYPES = frozenset({"serial", "serial4", "bigserial", "serial8", "smallserial", "serial2"})


def unwrap(node: Node | None) -> tuple[str, Node]:
    """``{"RangeVar": {...}}`` -> ``("RangeVar", {...})``; an empty node gives ``("", {})``."""
    if not node:
        return "", {}
    for k, v in node.items():
        return k, v
    return "", {}


def strings(items: list[Node] | None) -> list[str]:
    """A list of ``String`` nodes (qualified names) as Python strings."""
    out = []
    for item in items or ():
        s = item.get("String")
        if s is not None:
            out.append(s.get("sval", ""))
    return out


def list_names(node: Node) -> list[str]:
    """``{"List": {"items": [String...]}}`` (an object name in ``DROP``) as its parts."""
    if "List" in node:
        return strings(node["List"].get("items"))
    if "String" in node:
        return [node["String"].get("sval", "")]
    if "TypeName" in node:
        return strings(node["TypeName"].get("names"))
    if "ObjectWithArgs" in node:
        return strings(node["ObjectWithArgs"].get("objname"))
    return []


def relation(rv: Node | None) -> tuple[str | None, str] | None:
    """A ``RangeVar`` (wrapped or bare) as ``(schema, name)``."""
    if not rv:
        return None
    inner = rv.get("RangeVar", rv)
    name = inner.get("relname")
    if not name:
        return None
    return inner.get("schemaname"), name


def key(schema: str | None, name: str) -> str:
    """How relations are compared within a run: ``schema.name`` or the bare name."""
    return f"{schema}.{name}" if schema else name


def same(a: str, b: str) -> bool:
    """Whether two relation keys can be the same relation: a side without a schema matches any schema."""
    if a == b:
        return True
    a_schema, _, a_name = a.rpartition(".")
    b_schema, _, b_name = b.rpartition(".")
    return a_name == b_name and (not a_schema or not b_schema)


def type_name(tn: Node | None) -> str:
    """The last part of a ``TypeName`` (``pg_catalog.int4`` -> ``int4``), lower case."""
    if not tn:
        return ""
    items = tn.get("names")
    if items:
        last = items[-1].get("String")
        if last is not None:  # the usual case: the last of the names is a String node
            return last.get("sval", "").lower()  # type: ignore[no-any-return]
    names = strings(items)
    return names[-1].lower() if names else ""


def type_label(tn: Node | None) -> str:
    """A ``TypeName`` as a user writes it, roughly: ``varchar(255)``, ``timestamp``."""
    mods = []
    for m in (tn or {}).get("typmods", []):
        c = m.get("A_Const", {})
        if "ival" in c:
            mods.append(str(c["ival"].get("ival", 0)))
    pretty = pretty_type(type_name(tn))
    return f"{pretty}({','.join(mods)})" if mods else pretty


def pretty_type(name: str) -> str:
    """A type's name (:func:`type_name`) as a user writes it: ``int4`` -> ``integer``."""
    return _PRETTY.get(name, name)


_PRETTY = {"int4": "integer", "int2": "smallint", "int8": "bigint", "bpchar": "char", "timestamptz": "timestamptz",
           "bool": "boolean", "float8": "double precision", "float4": "real"}


def const_value(node: Node | None) -> Any:
    """The value of an ``A_Const`` (``None`` for SQL NULL or a non-constant)."""
    kind, c = unwrap(node)
    if kind == "TypeCast":
        return const_value(c.get("arg"))
    if kind != "A_Const":
        return None
    if c.get("isnull"):
        return None
    for k in ("sval", "ival", "fval", "boolval", "bsval"):
        if k in c:
            v = c[k]
            inner = v.get(k, v.get("sval", v.get("fval", v.get("bsval"))))
            if k == "ival":
                return v.get("ival", 0)
            if k == "boolval":
                return bool(v.get("boolval", False))
            return inner if inner is not None else ""
    return None


def func_name(fc: Node) -> str:
    return ".".join(strings(fc.get("funcname"))).lower()


def volatile_parts(expr: Node | None) -> list[str]:
    """Function calls in an expression that may be volatile (not known to be stable or immutable)."""
    found: list[str] = []

    def walk(n: Any) -> None:
        if isinstance(n, dict):
            fc = n.get("FuncCall")
            if fc is not None:
                name = func_name(fc)
                if name.rpartition(".")[2] not in NON_VOLATILE_FUNCTIONS:
                    found.append(name)
            for v in n.values():
                if isinstance(v, dict | list):
                    walk(v)
        elif isinstance(n, list):
            for v in n:
                walk(v)

    walk(expr)
    return found


def defelem_names(options: list[Node] | None) -> set[str]:
    return {o["DefElem"].get("defname", "") for o in options or () if "DefElem" in o}


def defelem(options: list[Node] | None, name: str) -> Node | None:
    for o in options or ():
        d = o.get("DefElem")
        if d is not None and d.get("defname") == name:
            return d
    return None


def constraints_of(column_def: Node) -> list[Node]:
    return [c["Constraint"] for c in column_def.get("constraints", ()) if "Constraint" in c]


def column_defs(elts: list[Node] | None) -> list[Node]:
    return [e["ColumnDef"] for e in elts or () if "ColumnDef" in e]


def alter_cmds(node: Node) -> list[Node]:
    return [c["AlterTableCmd"] for c in node.get("cmds", ()) if "AlterTableCmd" in c]


def range_vars(tree: Any) -> list[tuple[str | None, str]]:
    """Every relation a (sub)tree names in a ``RangeVar``, in order, without duplicates."""
    found: list[tuple[str | None, str]] = []

    def walk(n: Any) -> None:
        if isinstance(n, dict):
            rv = n.get("RangeVar")
            if rv is not None:
                r = relation(rv)
                if r is not None and r not in found:
                    found.append(r)
            for v in n.values():
                if isinstance(v, dict | list):
                    walk(v)
        elif isinstance(n, list):
            for v in n:
                walk(v)

    walk(tree)
    return found


def drop_targets(node: Node) -> list[tuple[str | None, str]]:
    """The objects of a ``DropStmt`` as ``(schema, name)``."""
    out = []
    for obj in node.get("objects", ()):
        parts = list_names(obj)
        if parts:
            out.append((parts[-2] if len(parts) > 1 else None, parts[-1]))
    return out


def label(schema: str | None, name: str) -> str:
    return f"{schema}.{name}" if schema else name


def new_columns(kind: str, node: Node) -> list[tuple[str, Node]]:
    """Columns a statement creates: ``CREATE TABLE`` elements and ``ADD COLUMN``s, as ``(table, ColumnDef)``."""
    rel = relation(node.get("relation"))
    table = label(*rel) if rel else ""
    if kind == "CreateStmt":
        return [(table, c) for c in column_defs(node.get("tableElts"))]
    if kind == "AlterTableStmt" and node.get("objtype", "OBJECT_TABLE") in ("OBJECT_TABLE", "OBJECT_FOREIGN_TABLE"):
        return [(table, cmd["def"]["ColumnDef"]) for cmd in alter_cmds(node)
                if cmd.get("subtype") == "AT_AddColumn" and "ColumnDef" in (cmd.get("def") or {})]
    return []
