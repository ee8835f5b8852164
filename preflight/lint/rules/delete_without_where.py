"""``DELETE`` without ``WHERE`` removes every row of the table.

In a migration (at top level or in a ``DO`` block) it runs during the rollout: with the database at hand, a
table that holds rows is a failure with the row count and size, an empty one a warning. Inside a function body
it only runs when the function is called, so it is reported for information. After an ``ALTER TABLE`` of the
same table in the same transaction, the ``ACCESS EXCLUSIVE`` lock it took is still held: the finding says every
query on the table waits for the whole delete.

Example::

    DELETE FROM sessions;
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.nodes import label
from preflight.lint.rules import Rule
from preflight.lint.rules.update_without_where import under_lock

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="delete-without-where",
    kind="data-loss",
    squawk=(),
    nodes=("DeleteStmt",),
    in_functions=True,
    reason="DELETE without WHERE removes every row of the table",
    alternative="add a WHERE clause that selects exactly the rows to remove, and delete in batches "
                "(WHERE id IN (SELECT id ... LIMIT n)) to keep locks and WAL small",
)


def check(node: Node, lint: FileLint) -> None:
    if node.get("whereClause") or node.get("usingClause"):
        return
    rel = lint.relation()
    if rel is None:
        return
    schema, name = rel
    lint.hit(RULE, f"DELETE without WHERE removes every row of {label(schema, name)}"
             f"{under_lock(lint, schema, name)}", target=("table", schema, name), new=lint.created_here(schema, name))
