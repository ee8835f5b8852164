"""``ALTER COLUMN ... TYPE`` rewrites the table and its indexes under an ``ACCESS EXCLUSIVE`` lock.

Reads and writes wait for the whole rewrite. A few changes are metadata-only (``varchar(n)`` to a larger ``n`` or
to ``text``), but most (``int`` to ``bigint``, ``text`` to ``jsonb``) rewrite every row. With the database at hand,
a table above the size threshold is a failure, a smaller one a warning.

Example::

    ALTER TABLE events ALTER COLUMN id TYPE bigint;
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.nodes import label, type_label
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
    reason="ALTER COLUMN TYPE rewrites the table under an ACCESS EXCLUSIVE lock",
    alternative="add a new column of the new type, backfill it in batches, switch the application to it, then drop "
                "the old column (expand/contract)",
)


def check(node: Node, lint: FileLint) -> None:
    rel = lint.relation()
    if rel is None or lint.created_here(*rel):
        return
    for cmd in lint.cmds():
        if cmd.get("subtype") == "AT_AlterColumnType":
            new_type = type_label((cmd.get("def") or {}).get("ColumnDef", {}).get("typeName"))
            lint.hit(RULE, f"ALTER COLUMN {cmd.get('name', '')} TYPE {new_type} rewrites {label(*rel)} and its "
                     "indexes under an ACCESS EXCLUSIVE lock", target=("table", rel[0], rel[1]),
                     column=cmd.get("name", ""))
