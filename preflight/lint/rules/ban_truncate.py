"""``TRUNCATE`` empties tables; ``CASCADE`` also empties every table that references them.

``TRUNCATE`` takes an ``ACCESS EXCLUSIVE`` lock and removes every row at once, with no ``WHERE``. ``CASCADE``
extends it silently to tables with foreign keys to the named ones. With the database at hand, a table that holds
rows is a failure with the row count and size, an empty one a warning.

Example::

    TRUNCATE sessions CASCADE;
"""

from __future__ import annotations

from preflight.lint.nodes import label, relation

ID = "ban-truncate"
KIND = "data-loss"
SQUAWK = ("ban-truncate-cascade",)
NODES = ("TruncateStmt",)
REASON = "TRUNCATE removes every row of the table"
ALTERNATIVE = ("delete the rows you mean to remove with a WHERE clause, in batches; name every table explicitly "
               "instead of relying on CASCADE")


def check(node, lint):
    cascade = node.get("behavior") == "DROP_CASCADE"
    for rv in node.get("relations", ()):
        rel = relation(rv)
        if rel is None:
            continue
        schema, name = rel
        msg = f"TRUNCATE {label(schema, name)} removes every row of the table"
        if cascade:
            msg += ", and CASCADE empties every table that references it"
        lint.hit(ID, msg, ALTERNATIVE, target=("table", schema, name), new=lint.created_here(schema, name),
                 cascade=cascade)
