"""``ALTER COLUMN ... TYPE`` rewrites the table and its indexes under an ``ACCESS EXCLUSIVE`` lock, unless the change
is metadata-only.

Reads and writes wait for the whole rewrite. PostgreSQL skips the rewrite when the old values are valid as they are
in the new type: ``varchar(n)`` to a larger ``varchar`` or to ``text``, ``text`` to ``varchar`` without a length,
``numeric(p,s)`` to a larger precision with the same scale (or to ``numeric``), ``varbit(n)`` to a larger one,
``bit`` to ``varbit``, ``cidr`` to ``inet``, ``time``/``timestamp`` precision up, a domain without constraints
over a type reached in place (``varchar(50)`` to a domain over ``text``), a collation change, and from
PostgreSQL 12 ``timestamp`` to ``timestamptz`` (or back) when the session's ``TimeZone`` is UTC. Then the ``ACCESS EXCLUSIVE`` lock is held only for the catalog change (and for
rebuilding the indexes on the column when their collation or operator class changes). Everything else (``int``
to ``bigint``, ``text`` to ``jsonb``, a shorter ``varchar``, a domain with a ``CHECK``, any ``USING`` expression
other than the column itself) rewrites every row.

Which one it is depends on the column's current type, which the lint reads from the database (with the server's
version and ``TimeZone``; for a column an earlier pending statement adds or retypes, the type that statement
gives it). Without the database it cannot know it, so it states the condition: from the new type
(and the ``USING`` expression, and the ``TimeZone`` the file sets) it works out the current types from which the
change is metadata-only, and says the change rewrites unless the column's type is one of them, e.g. "ALTER COLUMN
email TYPE varchar(255) rewrites users and its indexes under an ACCESS EXCLUSIVE lock unless its current type is
varchar(n) with n <= 255 (a metadata-only change...); without the database the lint cannot tell". A statement
that changes several columns rewrites unless every change is metadata-only, so each finding names every
column's condition; a ``USING`` expression (or another command that rewrites, ``SET LOGGED``, a volatile
default) makes the rewrite unconditional. JSON findings carry the condition in ``data.condition`` (
``unless_current_type``: per column, the current types that make the change metadata-only). When the files
linted before it (``preflight lint`` takes them in the order given) create the column, add it or retype it to a
built-in type, and nothing the lint cannot follow (a ``DO`` block, a file that does not parse) ran since, the
finding says what the change does with that type and where it comes from ("does not rewrite post: ... (name is
varchar(100): 1_init.sql line 1 creates it as varchar(100))"), information when it rewrites nothing. With the database,
a rewrite of a table above the size threshold is a failure, a smaller one a warning; a metadata-only change is
information (unless it rebuilds an index: then it is judged like a rewrite).

Example::

    ALTER TABLE events ALTER COLUMN id TYPE bigint;
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from preflight.lint.nodes import SERIAL_TYPES, label, strings, type_label, type_name, unwrap, volatile_parts
from preflight.lint.rules import Rule
from preflight.lint.type_changes import describe_sources, metadata_only_from

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
    changes = [c for c in cmds if c.get("subtype") == "AT_AlterColumnType"]
    sources = {c.get("name", ""): _sources(c, lint.settings.get("timezone")) for c in changes}
    for cmd in changes:
        column = cmd.get("name", "")
        col = (cmd.get("def") or {}).get("ColumnDef", {})
        tn = col.get("typeName") or {}
        new_type = type_label(tn)
        head = f"ALTER COLUMN {column} TYPE {new_type} rewrites {label(*rel)} and its indexes under an ACCESS " \
               "EXCLUSIVE lock"
        lint.hit(RULE, f"{head}, unless the change is metadata-only: without the database the column's current type "
                 "is unknown", target=("table", rel[0], rel[1]), column=column,
                 new_type=new_type_of(tn, col), using=using_kind(col.get("raw_default"), column, tn),
                 others_rewrite=others_rewrite, timezone=lint.settings.get("timezone"),
                 nodb=_without_database(head, column, sources, others_rewrite))


def _sources(cmd: Node, timezone: str | None) -> list[dict[str, Any]] | None:
    """The current types from which this change is metadata-only; [] when it rewrites whatever the type is (a
    USING expression); None when they cannot be worked out (a type modifier that is not a number)."""
    col = (cmd.get("def") or {}).get("ColumnDef", {})
    tn = col.get("typeName") or {}
    if using_kind(col.get("raw_default"), cmd.get("name", ""), tn) == "expression":
        return []
    key = _type_key(tn)
    if key["mods"] is None:
        return None
    return metadata_only_from(key["names"], key["mods"], key["array"], timezone=timezone)


def _without_database(head: str, column: str, sources: dict[str, list[dict[str, Any]] | None],
                      others_rewrite: bool) -> dict[str, Any] | None:
    """What the finding says without the database (``preflight lint``): the rewrite, unless the current type of
    each changed column of the statement is one from which its change is metadata-only; a condition on the
    database that the lint states and cannot check (in ``data.condition.unless_current_type``)."""
    if others_rewrite:
        return {"message": f"{head}: another command of the same statement rewrites it", "data": {}}
    if sources[column] == []:
        return {"message": f"{head}: the USING expression is computed for every row", "data": {}}
    forcing = next((c for c, s in sources.items() if s == []), None)
    if forcing is not None:
        return {"message": f"{head}: ALTER COLUMN {forcing} of the same statement rewrites it with its USING "
                           "expression", "data": {}}
    if any(s is None for s in sources.values()):
        return None
    ordered = [column, *(c for c in sources if c != column)]
    said = [f"its current type is {describe_sources(sources[column] or [])}"]
    said += [f"the current type of {c} is {describe_sources(sources[c] or [])}" for c in ordered[1:]]
    several = len(ordered) > 1
    what = ("metadata-only changes, which rewrite nothing and rebuild at most the indexes on "
            f"{', '.join(ordered)}") if several else (
        f"a metadata-only change, which rewrites nothing and rebuilds at most the indexes on {column}")
    return {"message": f"{head} unless {' and '.join(said)} ({what}); without the database the lint cannot tell",
            "data": {"condition": {"unless_current_type": {c: sources[c] for c in ordered}}}}


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
