"""``REFRESH MATERIALIZED VIEW`` without ``CONCURRENTLY`` blocks every read of the view while it recomputes.

The plain form takes an ``ACCESS EXCLUSIVE`` lock on the view for the whole query. ``CONCURRENTLY`` (which needs a
unique index on the view) lets readers go on.

Example::

    REFRESH MATERIALIZED VIEW daily_revenue;
"""

from __future__ import annotations

from preflight.lint.nodes import label

ID = "require-concurrent-refresh"
KIND = "lock"
SQUAWK = ()
NODES = ("RefreshMatViewStmt",)
REASON = "REFRESH MATERIALIZED VIEW without CONCURRENTLY blocks reads of the view"
ALTERNATIVE = "create a unique index on the view and use REFRESH MATERIALIZED VIEW CONCURRENTLY"


def check(node, lint):
    if node.get("concurrent") or node.get("skipData"):
        return
    rel = lint.relation()
    if rel is None or lint.created_here(*rel):
        return
    lint.hit(ID, f"REFRESH MATERIALIZED VIEW {label(*rel)} without CONCURRENTLY blocks reads of the view while it "
             "recomputes", ALTERNATIVE, target=("table", rel[0], rel[1]))
