"""``CREATE INDEX`` without ``CONCURRENTLY`` blocks writes to the table while the index builds.

A plain ``CREATE INDEX`` holds a ``SHARE`` lock for the whole build: inserts, updates and deletes wait, for
minutes on a large table. Indexes on tables created earlier in the same file are not reported. With the database
at hand, a table above the size threshold is a failure, a smaller one a warning; and two statements that build
nothing are information: ``CREATE INDEX ... ON ONLY`` a partitioned table (its index stays invalid until each
partition's index is attached, the usual way to index a partitioned table without a long lock) and ``CREATE INDEX
IF NOT EXISTS`` of an index that exists. Both still take the ``SHARE`` lock, briefly.

Example::

    CREATE INDEX orders_customer_idx ON orders (customer_id);
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.nodes import label
from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="require-concurrent-index-creation",
    kind="lock",
    squawk=("require-concurrent-index-creation",),
    nodes=("IndexStmt",),
    reason="CREATE INDEX without CONCURRENTLY blocks writes to the table while the index builds",
    alternative="CREATE INDEX CONCURRENTLY, in a migration that runs outside a transaction; check afterwards "
                "that the index is valid",
)


def check(node: Node, lint: FileLint) -> None:
    if node.get("concurrent"):
        return
    rel = lint.relation()
    if rel is None or lint.created_here(*rel):
        return
    name = node.get("idxname")
    lint.hit(RULE, f"CREATE INDEX on {label(*rel)} without CONCURRENTLY blocks writes to it while the index "
             "builds", target=("table", rel[0], rel[1]), only=not (node.get("relation") or {}).get("inh", False),
             index=label(rel[0], name) if name and node.get("if_not_exists") else None)
