"""``REFRESH MATERIALIZED VIEW`` without ``CONCURRENTLY`` blocks every read of the view while it recomputes.

The plain form takes an ``ACCESS EXCLUSIVE`` lock on the view for the whole query. ``CONCURRENTLY`` (which needs a
unique index on the view) lets readers go on.

Example::

    REFRESH MATERIALIZED VIEW daily_revenue;
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.nodes import label
from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="require-concurrent-refresh",
    kind="lock",
    squawk=(),
    nodes=("RefreshMatViewStmt",),
    reason="REFRESH MATERIALIZED VIEW without CONCURRENTLY blocks reads of the view",
    alternative="create a unique index on the view and use REFRESH MATERIALIZED VIEW CONCURRENTLY",
)


def check(node: Node, lint: FileLint) -> None:
    if node.get("concurrent") or node.get("skipData"):
        return
    rel = lint.relation()
    if rel is None or lint.created_here(*rel):
        return
    lint.hit(RULE, f"REFRESH MATERIALIZED VIEW {label(*rel)} without CONCURRENTLY blocks reads of the view while it "
             "recomputes", target=("table", rel[0], rel[1]))
