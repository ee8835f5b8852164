"""Adding a ``NOT NULL`` column without a default fails on a table that holds rows.

PostgreSQL cannot fill the existing rows, so the statement errors out and the migration stops half-way. With the
database at hand, preflight counts the rows: a populated table is a failure, an empty one information.

Example::

    ALTER TABLE accounts ADD COLUMN region text NOT NULL;
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.nodes import SERIAL_TYPES, constraints_of, label, type_name
from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="adding-required-field",
    kind="needs-empty",
    squawk=("adding-required-field",),
    nodes=("AlterTableStmt",),
    subtypes=frozenset({"AT_AddColumn"}),
    reason="adding a NOT NULL column without a default fails on a table that holds rows",
    alternative="add the column with a constant DEFAULT (instant since PostgreSQL 11), or nullable, backfill it, "
                "then SET NOT NULL through a validated CHECK constraint",
)


def check(node: Node, lint: FileLint) -> None:
    rel = lint.relation()
    if rel is None or lint.created_here(*rel):
        return
    for cmd in lint.cmds():
        if cmd.get("subtype") != "AT_AddColumn":
            continue
        col = (cmd.get("def") or {}).get("ColumnDef", {})
        types = {c.get("contype") for c in constraints_of(col)}
        if "CONSTR_NOTNULL" not in types and "CONSTR_PRIMARY" not in types:
            continue
        if types & {"CONSTR_DEFAULT", "CONSTR_GENERATED", "CONSTR_IDENTITY"}:
            continue
        if type_name(col.get("typeName")) in SERIAL_TYPES:
            continue
        lint.hit(RULE, f"ADD COLUMN {col.get('colname', '')} NOT NULL without a default fails if {label(*rel)} holds "
                 "rows", target=("table", rel[0], rel[1]), column=col.get("colname", ""))
