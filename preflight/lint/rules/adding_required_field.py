"""Adding a ``NOT NULL`` column without a default fails on a table that holds rows.

PostgreSQL cannot fill the existing rows, so the statement errors out and the migration stops half-way. With the
database at hand, preflight counts the rows: a populated table is a failure, an empty one information.

Example::

    ALTER TABLE accounts ADD COLUMN region text NOT NULL;
"""

from __future__ import annotations

from preflight.lint.nodes import SERIAL_TYPES, constraints_of, label, type_name

ID = "adding-required-field"
KIND = "needs-empty"
SQUAWK = ("adding-required-field",)
NODES = ("AlterTableStmt",)
SUBTYPES = frozenset({"AT_AddColumn"})
REASON = "adding a NOT NULL column without a default fails on a table that holds rows"
ALTERNATIVE = ("add the column with a constant DEFAULT (instant since PostgreSQL 11), or nullable, backfill it, "
               "then SET NOT NULL through a validated CHECK constraint")


def check(node, lint):
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
        lint.hit(ID, f"ADD COLUMN {col.get('colname', '')} NOT NULL without a default fails if {label(*rel)} holds "
                 "rows", ALTERNATIVE, target=("table", rel[0], rel[1]), column=col.get("colname", ""))
