"""``TRUNCATE`` empties tables; ``CASCADE`` also empties every table that references them.

``TRUNCATE`` takes an ``ACCESS EXCLUSIVE`` lock and removes every row at once, with no ``WHERE``. ``CASCADE``
extends it silently to tables with foreign keys to the named ones. With the database at hand, a table that holds
rows is a failure with the row count and size, an empty one a warning.

Example::

    TRUNCATE sessions CASCADE;
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.nodes import label, relation
from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="ban-truncate",
    kind="data-loss",
    squawk=("ban-truncate-cascade",),
    nodes=("TruncateStmt",),
    reason="TRUNCATE removes every row of the table",
    alternative="delete the rows you mean to remove with a WHERE clause, in batches; name every table explicitly "
                "instead of relying on CASCADE",
)


def check(node: Node, lint: FileLint) -> None:
    cascade = node.get("behavior") == "DROP_CASCADE"
    for rv in node.get("relations", ()):
        rel = relation(rv)
        if rel is None:
            continue
        schema, name = rel
        msg = f"TRUNCATE {label(schema, name)} removes every row of the table"
        if cascade:
            msg += ", and CASCADE empties every table that references it"
        lint.hit(RULE, msg, target=("table", schema, name), new=lint.created_here(schema, name),
                 cascade=cascade)
