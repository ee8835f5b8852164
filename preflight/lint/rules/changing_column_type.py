"""``ALTER COLUMN ... TYPE`` rewrites the table and its indexes under an ``ACCESS EXCLUSIVE`` lock, unless the change
is metadata-only.

Reads and writes wait for the whole rewrite. PostgreSQL skips the rewrite when the old values are valid as they are
in the new type: ``varchar(n)`` to a larger ``varchar`` or to ``text``, ``text`` to ``varchar`` without a length,
``numeric(p,s)`` to a larger precision with the same scale (or to ``numeric``), ``varbit(n)`` to a larger one,
``bit`` to ``varbit``, ``cidr`` to ``inet``, ``time``/``timestamp`` precision up, a domain without constraints
over the same type, a collation change, and from PostgreSQL 12 ``timestamp`` to ``timestamptz`` (or back) when
the session's ``TimeZone`` is UTC. Then the ``ACCESS EXCLUSIVE`` lock is held only for the catalog change (and for
rebuilding the indexes on the column when their collation or operator class changes). Everything else (``int``
to ``bigint``, ``text`` to ``jsonb``, a shorter ``varchar``, a domain with a ``CHECK``, any ``USING`` expression
other than the column itself) rewrites every row.

Which one it is depends on the column's current type, which the lint reads from the database (with the server's
version and ``TimeZone``; for a column an earlier pending statement adds or retypes, the type that statement
gives it). Without the database it cannot know, so it says the change rewrites, and says why. With
the database, a rewrite of a table above the size threshold is a failure, a smaller one a warning; a
metadata-only change is information (unless it rebuilds an index: then it is judged like a rewrite).

Example::

    ALTER TABLE events ALTER COLUMN id TYPE bigint;
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from preflight.lint.nodes import SERIAL_TYPES, label, strings, type_label, type_name, unwrap, volatile_parts
from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="changing-column-type",
    kind="lock",
    squawk=("changing-column-type",),
    nodes=("AlterTableStmt",),
    subtypes=frozenset({"AT_AlterColumnType"}),
    reason="ALTER COLUMN TYPE rewrites the table under an ACCESS EXCLUSIVE lock, unless the change is metadata-only",
    alternative="add a new column of the new type, backfill it in batches, switch the application to it, then drop "
                "the old column (expand/contract)",
)
# Other ALTER TABLE commands that rewrite the table whatever the type change does.
_REWRITING = frozenset({"AT_SetAccessMethod", "AT_SetLogged", "AT_SetUnLogged"})


def check(node: Node, lint: FileLint) -> None:
    rel = lint.relation()
    if rel is None or lint.created_here(*rel):
        return
    cmds = lint.cmds()
    others_rewrite = any(_rewrites_anyway(c) for c in cmds)
    for cmd in cmds:
        if cmd.get("subtype") != "AT_AlterColumnType":
            continue
        column = cmd.get("name", "")
        col = (cmd.get("def") or {}).get("ColumnDef", {})
        tn = col.get("typeName") or {}
        new_type = type_label(tn)
        lint.hit(RULE, f"ALTER COLUMN {column} TYPE {new_type} rewrites {label(*rel)} and its indexes under an "
                 "ACCESS EXCLUSIVE lock, unless the change is metadata-only: without the database the column's "
                 "current type is unknown", target=("table", rel[0], rel[1]), column=column,
                 new_type=new_type_of(tn, col), using=using_kind(col.get("raw_default"), column, tn),
                 others_rewrite=others_rewrite, timezone=lint.settings.get("timezone"))


def new_type_of(tn: Node, col: Node) -> dict[str, Any]:
    """The new type as the live judgement needs it (plain data: the analysis is cached as JSON)."""
    clause: Node = col.get("collClause") or {}
    collation = strings((clause.get("CollateClause") or clause).get("collname"))
    return {**_type_key(tn), "collation": collation[-1] if collation else None, "label": type_label(tn)}


def _type_key(tn: Node) -> dict[str, Any]:
    """A TypeName's names, numeric modifiers (None: one is not a number) and whether it is an array."""
    mods: list[int] = []
    for m in tn.get("typmods", ()):
        c = m.get("A_Const", {})
        if "ival" not in c:  # a modifier that is not a number: the live judgement leaves the change alone
            return {"names": strings(tn.get("names")), "mods": None, "array": bool(tn.get("arrayBounds"))}
        mods.append(c["ival"].get("ival", 0))
    return {"names": strings(tn.get("names")), "mods": mods, "array": bool(tn.get("arrayBounds"))}


def using_kind(expr: Node | None, column: str, tn: Node) -> str:
    """"none" for no USING, or USING the column itself or its cast to the new type (the planner reduces both to
    the plain conversion); "expression" otherwise."""
    if not expr:
        return "none"
    kind, inner = unwrap(expr)
    if kind == "TypeCast":
        if _type_key(inner.get("typeName") or {}) != _type_key(tn):
            return "expression"
        kind, inner = unwrap(inner.get("arg"))
    if kind == "ColumnRef" and strings(inner.get("fields")) == [column]:
        return "none"
    return "expression"


def _rewrites_anyway(cmd: Node) -> bool:
    if cmd.get("subtype") in _REWRITING:
        return True
    if cmd.get("subtype") != "AT_AddColumn":
        return False
    col = (cmd.get("def") or {}).get("ColumnDef", {})
    if type_name(col.get("typeName")) in SERIAL_TYPES:
        return True
    for c in col.get("constraints", ()):
        con = c.get("Constraint", {})
        if con.get("contype") in ("CONSTR_IDENTITY", "CONSTR_GENERATED"):
            return True
        if con.get("contype") == "CONSTR_DEFAULT" and volatile_parts(con.get("raw_expr")):
            return True
    return False
