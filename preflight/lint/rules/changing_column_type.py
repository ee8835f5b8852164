"""``ALTER COLUMN ... TYPE`` rewrites the table and its indexes under an ``ACCESS EXCLUSIVE`` lock.

Reads and writes wait for the whole rewrite. A few changes are metadata-only (``varchar(n)`` to a larger ``n`` or
to ``text``), but most (``int`` to ``bigint``, ``text`` to ``jsonb``) rewrite every row. With the database at hand,
a table above the size threshold is a failure, a smaller one a warning.

Example::

    ALTER TABLE events ALTER COLUMN id TYPE bigint;
"""

from __future__ import annotations

from preflight.lint.nodes import label, type_label

ID = "changing-column-type"
KIND = "lock"
SQUAWK = ("changing-column-type",)
NODES = ("AlterTableStmt",)
SUBTYPES = frozenset({"AT_AlterColumnType"})
REASON = "ALTER COLUMN TYPE rewrites the table under an ACCESS EXCLUSIVE lock"
ALTERNATIVE = ("add a new column of the new type, backfill it in batches, switch the application to it, then drop "
               "the old column (expand/contract)")


def check(node, lint):
    rel = lint.relation()
    if rel is None or lint.created_here(*rel):
        return
    for cmd in lint.cmds():
        if cmd.get("subtype") == "AT_AlterColumnType":
            new_type = type_label((cmd.get("def") or {}).get("ColumnDef", {}).get("typeName"))
            lint.hit(ID, f"ALTER COLUMN {cmd.get('name', '')} TYPE {new_type} rewrites {label(*rel)} and its "
                     "indexes under an ACCESS EXCLUSIVE lock", ALTERNATIVE, target=("table", rel[0], rel[1]),
                     column=cmd.get("name", ""))
