"""``DELETE`` without ``WHERE`` removes every row of the table.

In a migration (at top level or in a ``DO`` block) it runs during the rollout: with the database at hand, a
table that holds rows is a failure with the row count and size, an empty one a warning. Inside a function body
it only runs when the function is called, so it is reported for information.

Example::

    DELETE FROM sessions;
"""

from __future__ import annotations

from preflight.lint.nodes import label

ID = "delete-without-where"
KIND = "data-loss"
SQUAWK = ()
NODES = ("DeleteStmt",)
IN_FUNCTIONS = True
REASON = "DELETE without WHERE removes every row of the table"
ALTERNATIVE = ("add a WHERE clause that selects exactly the rows to remove, and delete in batches "
               "(WHERE id IN (SELECT id ... LIMIT n)) to keep locks and WAL small")


def check(node, lint):
    if node.get("whereClause") or node.get("usingClause"):
        return
    rel = lint.relation()
    if rel is None:
        return
    schema, name = rel
    lint.hit(ID, f"DELETE without WHERE removes every row of {label(schema, name)}", ALTERNATIVE,
             target=("table", schema, name), new=lint.created_here(schema, name))
