"""``UPDATE`` without ``WHERE`` overwrites a column in every row of the table.

The old values are lost, every row is rewritten (the table's size doubles until vacuum), and every row stays
locked until the migration commits. After an ``ALTER TABLE`` of the same table in the same transaction (a
``DO`` block that adds a column and backfills it), the ``ACCESS EXCLUSIVE`` lock it took is still held: the
finding says every query on the table waits for the whole update. With the database at hand, a table that holds rows is a failure with the row
count and size, an empty one a warning; inside a function body it is reported for information.

Example::

    UPDATE accounts SET plan = 'free';
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.nodes import label
from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="update-without-where",
    kind="data-loss",
    squawk=(),
    nodes=("UpdateStmt",),
    in_functions=True,
    reason="UPDATE without WHERE overwrites every row of the table",
    alternative="backfill in batches with a WHERE clause (WHERE id BETWEEN ... or WHERE col IS NULL ... LIMIT n), "
                "committing between batches",
)


def check(node: Node, lint: FileLint) -> None:
    if node.get("whereClause") or node.get("fromClause"):
        return
    rel = lint.relation()
    if rel is None:
        return
    schema, name = rel
    cols = [t["ResTarget"].get("name", "") for t in node.get("targetList", ()) if "ResTarget" in t]
    lint.hit(RULE, f"UPDATE without WHERE overwrites {', '.join(cols) or 'columns'} in every row of "
             f"{label(schema, name)}{under_lock(lint, schema, name)}", target=("table", schema, name),
             new=lint.created_here(schema, name))


def under_lock(lint: FileLint, schema: str | None, name: str) -> str:
    """What the statement does to the table's traffic when the transaction already holds an ACCESS EXCLUSIVE lock
    on it (an ``ALTER TABLE`` earlier in the same ``DO`` block or transaction): every query waits for it."""
    line = lint.held_lock(schema, name)
    if line is None:
        return ""
    return (f", reading every row while this transaction holds the ACCESS EXCLUSIVE lock the ALTER TABLE at line "
            f"{line} took: every query on the table waits for the whole statement")
