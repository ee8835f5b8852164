"""A value added to an enum is used in the same transaction that adds it: the statement fails (55P04).

PostgreSQL (12 and later) lets ``ALTER TYPE ... ADD VALUE`` run inside a transaction block, but refuses to use
the new value until that transaction has committed: "unsafe use of new value ... of enum type ...". When the
runner wraps the file in a transaction (goose, dbmate, Flyway), sends it as one multi-statement query
(golang-migrate: an implicit transaction) or the file has its own ``BEGIN``, the statement after the
``ADD VALUE`` that uses the value fails, and the migration stops there.

Reported only with the database, and only when the use is certain:

- the value as a constant cast to the enum type (``'meh'::mood``, ``CAST('meh' AS mood)``) or to its array type
  (``'{ok,meh}'::mood[]``, a one-dimensional array literal, or ``ARRAY['meh']::mood[]``), or as the ``DEFAULT``
  of a column declared with the enum type;
- the value as a constant inserted (``INSERT ... VALUES``, or ``INSERT ... SELECT`` of one plain query, without
  ``DISTINCT``, ``GROUP BY``, ``ORDER BY`` or set operations: PostgreSQL converts the constant when it plans the
  statement, so it fails even when the ``SELECT`` yields no row) or assigned (``UPDATE ... SET``) into a column
  that the database's catalogs show is of the enum type, or compared with one (``WHERE m = 'meh'``, ``m IN
  (...)``, in an ``UPDATE``, ``DELETE`` or ``SELECT`` of one table).

A type an earlier pending migration creates (``CREATE TYPE ... AS ENUM``, committed in that migration's own
transaction, so not in the catalogs yet) is judged by the labels the pending migrations give it, for a cast or a
column default: the statement fails unless they give it the value. An enum created earlier in the same
transaction is judged with the server's version: PostgreSQL 15 and 16 refuse a value added to it since (claimed,
for a cast or a default, on PostgreSQL 12 to 16), PostgreSQL 18 lets it be used (nothing claimed from 17 on). Nothing
is claimed when the database already has the value (``ADD VALUE IF NOT EXISTS`` does nothing then, and without ``IF NOT EXISTS`` the
``ADD VALUE`` itself fails), when a ``COMMIT`` comes between the two statements, when an earlier pending
statement changes the type (other than adding values) or the table, or for statements in ``DO`` blocks and
function bodies.

Example (golang-migrate, one file)::

    ALTER TYPE mood ADD VALUE 'meh';
    INSERT INTO feelings VALUES (3, 'meh');
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from preflight.lint.nodes import relation, strings, unwrap
from preflight.lint.rules import EVERY_STATEMENT, Rule
from preflight.sql.schema_changes import TYPE

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="unsafe-new-enum-value",
    kind="fails",
    nodes=EVERY_STATEMENT,
    reason="a new enum value cannot be used before the transaction that adds it commits",
    alternative="add the value in an earlier migration (its own transaction), or commit after the ADD VALUE "
                "before the statements that use it",
    live=True,
)

ENDS = frozenset({"TRANS_STMT_COMMIT", "TRANS_STMT_ROLLBACK", "TRANS_STMT_COMMIT_PREPARED",
                  "TRANS_STMT_ROLLBACK_PREPARED", "TRANS_STMT_PREPARE"})


def check(node: Node, lint: FileLint) -> None:
    stmt = lint.stmt
    if stmt.context == "function":
        return
    added: dict[tuple[str | None, str], dict[str, Any]] = lint.state.setdefault(RULE.id, {})
    # enums created in the current transaction: their labels (None once anything but ADD VALUE changed them)
    made: dict[tuple[str | None, str], list[str] | None] = lint.state.setdefault(RULE.id + ":made", {})
    if stmt.kind == "TransactionStmt":
        if node.get("kind") in ENDS:
            added.clear()
            made.clear()
        return
    if stmt.kind == "CreateEnumStmt":
        names = strings(node.get("typeName"))
        if names and stmt.context == "top" and not stmt.guarded:
            key = (names[-2] if len(names) > 1 else None), names[-1]
            made[key] = None if key in made else strings(node.get("vals"))
        return
    if stmt.kind == "AlterEnumStmt":
        names = strings(node.get("typeName"))
        if node.get("newVal") and not node.get("oldVal") and names and _file_transaction(lint) and not stmt.guarded:
            schema, name = (names[-2] if len(names) > 1 else None), names[-1]
            line = lint.position()[0]
            if not lint.objects.created(TYPE, schema, name):
                added.setdefault((schema, name), {})[node["newVal"]] = line
            elif made.get((schema, name)) is not None and stmt.context == "top":
                # PostgreSQL 15 refuses it too, 18 lets a value added to an enum created in the same transaction
                # be used: judged with the server's version (claimed up to 16)
                added.setdefault((schema, name), {})[node["newVal"]] = line
        return
    if not added or stmt.context != "top" or stmt.guarded or not lint.in_transaction:
        return
    for (schema, name), labels in added.items():
        for label, line in labels.items():
            certain = _cast(node, schema, name, label)
            columns = [] if certain else _assigned(stmt.kind, node, label) + _compared(stmt.kind, node, label)
            if certain or columns:
                shown = f"{schema}.{name}" if schema else name
                lint.hit(RULE, f"'{label}' is used as {shown} in the same transaction as ALTER TYPE {shown} ADD "
                               f"VALUE '{label}' (line {line})", type=[schema, name], label=label,
                         added_line=line, certain=bool(certain), columns=columns,
                         made_here=made.get((schema, name)))
                return


def _file_transaction(lint: FileLint) -> bool:
    """Whether the file's statements run in a transaction that outlives this one: a ``DO`` block's own transaction
    ends with it when the runner sends each statement alone."""
    implicit = lint.transaction == "implicit" and lint.several_statements
    return lint.transaction == "file" or lint.explicit > 0 or implicit


def _same_type(names: list[str], schema: str | None, name: str) -> bool:
    if not names or names[-1] != name:
        return False
    # a side without a schema matches the name in any schema, as elsewhere in the lint
    return len(names) == 1 or schema is None or names[-2] == schema


def _cast(tree: Any, schema: str | None, name: str, label: str) -> str | None:
    """How the statement certainly uses the value as the type: a constant cast to it, or a column's default."""
    if isinstance(tree, list):
        for item in tree:
            found = _cast(item, schema, name, label)
            if found:
                return found
        return None
    if not isinstance(tree, dict):
        return None
    cast = tree.get("TypeCast")
    if cast is not None:
        tn = cast.get("typeName") or {}
        if _same_type(strings(tn.get("names")), schema, name) and (
                _constant(cast.get("arg")) == label if not tn.get("arrayBounds") else _array_has(cast.get("arg"),
                                                                                                 label)):
            return "cast"
    column = tree.get("ColumnDef")
    if column is not None:
        tn = column.get("typeName") or {}
        default = next((c.get("raw_expr") for c in (x.get("Constraint", {}) for x in column.get("constraints", ()))
                        if c.get("contype") == "CONSTR_DEFAULT"), None)
        if _constant(default) == label and not tn.get("arrayBounds") and _same_type(strings(tn.get("names")),
                                                                                   schema, name):
            return "default"
    for value in tree.values():
        if isinstance(value, (dict, list)):
            found = _cast(value, schema, name, label)
            if found:
                return found
    return None


def _array_has(node: Node | None, label: str) -> bool:
    """Whether an array cast to the enum's array type has the value as an element: an array literal
    (``'{ok,meh}'``, one dimension) or ``ARRAY['meh', ...]`` of constants."""
    kind, value = unwrap(node)
    if kind == "A_ArrayExpr":
        return any(_constant(e) == label for e in value.get("elements", ()))
    text = _constant(node)
    elements = None if text is None else _array_elements(text)
    return elements is not None and label in elements


def _array_elements(text: str) -> list[str] | None:
    """The elements of a one-dimensional array literal as ``array_in`` reads them (``{a,"b c",NULL}``: ``a`` and
    ``b c``; a NULL is no value); None for anything else (dimensions, nested braces, escapes)."""
    body = text.strip()
    if not (body.startswith("{") and body.endswith("}")) or "\\" in body:
        return None
    body = body[1:-1]
    out: list[str] = []
    at = 0
    while at < len(body):
        while at < len(body) and body[at].isspace():
            at += 1
        if at < len(body) and body[at] == '"':
            end = body.find('"', at + 1)
            if end < 0:
                return None
            out.append(body[at + 1:end])
            at = end + 1
            while at < len(body) and body[at].isspace():
                at += 1
        else:
            end = body.find(",", at)
            end = len(body) if end < 0 else end
            word = body[at:end].strip()
            if not word or '"' in word or "{" in word or "}" in word:
                return None
            if word.upper() != "NULL":
                out.append(word)
            at = end
        if at < len(body):
            if body[at] != ",":
                return None
            at += 1
            if at >= len(body):
                return None
    return out


def _constant(node: Node | None) -> str | None:
    kind, value = unwrap(node)
    if kind != "A_Const" or "sval" not in value:
        return None
    return str(value["sval"].get("sval", ""))


def _assigned(kind: str, node: Node, label: str) -> list[list[Any]]:
    """The columns the statement writes the value into as a constant, as ``[schema, table, column name or None,
    position or None]`` (an ``INSERT`` without a column list: the position, from 1)."""
    table = relation(node.get("relation"))
    if table is None:
        return []
    out: list[list[Any]] = []
    if kind == "InsertStmt":
        select_kind, select = unwrap(node.get("selectStmt"))
        if select_kind != "SelectStmt":
            return []
        names = [(c.get("ResTarget") or {}).get("name") for c in node.get("cols", ())]
        if any(not n or (c.get("ResTarget") or {}).get("indirection") for n, c in zip(names, node.get("cols", ()),
                                                                                   strict=True)):
            return []
        rows = [(row.get("List") or {}).get("items", ()) for row in select.get("valuesLists") or ()]
        if not rows and _plain_select(select):
            # INSERT ... SELECT 'meh': the constant is converted to the column's type when the statement is
            # planned, before any row is read (so even FROM an empty table, or WHERE false)
            rows = [[(t.get("ResTarget") or {}).get("val") for t in select.get("targetList", ())]]
        for row in rows:
            for at, value in enumerate(row):
                if _constant(value) != label:
                    continue
                if names:
                    if at < len(names):
                        out.append([table[0], table[1], names[at], None])
                else:
                    out.append([table[0], table[1], None, at + 1])
    elif kind == "UpdateStmt":
        for target in node.get("targetList", ()):
            rt = target.get("ResTarget") or {}
            if rt.get("name") and not rt.get("indirection") and _constant(rt.get("val")) == label:
                out.append([table[0], table[1], rt["name"], None])
    return [list(c) for c in dict.fromkeys(tuple(c) for c in out)]


def _plain_select(select: Node) -> bool:
    """A ``SELECT`` whose output columns go to the ``INSERT``'s as they are: one query, without ``*``,
    ``DISTINCT``, ``GROUP BY``, ``HAVING``, ``ORDER BY``, window clauses or ``WITH`` (where the constant may be
    read as another type first: not claimed)."""
    stars = any("A_Star" in f for t in select.get("targetList", ())
                for f in ((t.get("ResTarget") or {}).get("val", {}).get("ColumnRef") or {}).get("fields", ()))
    return (select.get("op", "SETOP_NONE") == "SETOP_NONE" and not select.get("valuesLists") and not stars
            and not any(select.get(k) for k in ("distinctClause", "groupClause", "havingClause", "sortClause",
                                                "windowClause", "intoClause", "withClause")))


def _compared(kind: str, node: Node, label: str) -> list[list[Any]]:
    """The columns the statement's ``WHERE`` compares with the value as a constant (``m = 'meh'``, ``m IN
    ('meh')``), in an ``UPDATE``, ``DELETE`` or ``SELECT`` of one table, outside subqueries."""
    if kind in ("UpdateStmt", "DeleteStmt"):
        if node.get("fromClause") or node.get("usingClause"):
            return []
        rv = node.get("relation") or {}
    elif kind == "SelectStmt":
        sources = node.get("fromClause") or []
        if len(sources) != 1 or "RangeVar" not in sources[0]:
            return []
        rv = sources[0]["RangeVar"]
    else:
        return []
    table = relation(rv)
    if table is None:
        return []
    alias = (rv.get("alias") or {}).get("aliasname") or table[1]
    out: list[list[Any]] = []
    for expr in _comparisons(node.get("whereClause")):
        fields = strings((expr.get("lexpr") or {}).get("ColumnRef", {}).get("fields"))
        right = expr.get("rexpr") or {}
        values = (right.get("List") or {}).get("items", ()) if expr.get("kind") == "AEXPR_IN" else [right]
        if len(fields) in (1, 2) and (len(fields) == 1 or fields[0] == alias) and any(
                _constant(v) == label for v in values):
            out.append([table[0], table[1], fields[-1], None])
    return [list(c) for c in dict.fromkeys(tuple(c) for c in out)]


def _comparisons(tree: Any) -> list[Node]:
    """The ``A_Expr`` comparisons of an expression, through ``AND``/``OR``/``NOT``, not into subqueries."""
    kind, value = unwrap(tree) if isinstance(tree, dict) else ("", {})
    if kind == "BoolExpr":
        return [c for arg in value.get("args", ()) for c in _comparisons(arg)]
    if kind == "A_Expr" and value.get("kind") in ("AEXPR_OP", "AEXPR_IN") and strings(value.get("name")) in (
            ["="], ["<>"], ["!="], ["<"], ["<="], [">"], [">="]):
        return [value]
    return []
