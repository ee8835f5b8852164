"""``UPDATE`` without ``WHERE`` overwrites a column in every row of the table.

The old values are lost, every row is rewritten (the table's size doubles until vacuum), and every row stays
locked until the migration commits. With the database at hand, a table that holds rows is a failure with the row
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
             f"{label(schema, name)}", target=("table", schema, name),
             new=lint.created_here(schema, name))
