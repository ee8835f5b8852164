"""``REINDEX`` without ``CONCURRENTLY`` blocks writes (and reads that use the index) while it rebuilds.

Example::

    REINDEX TABLE orders;
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.nodes import defelem, label
from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="require-concurrent-reindex",
    kind="lock",
    squawk=("require-concurrent-reindex",),
    nodes=("ReindexStmt",),
    reason="REINDEX without CONCURRENTLY blocks writes while it rebuilds",
    alternative="REINDEX ... CONCURRENTLY (PostgreSQL 12 and later), outside a transaction",
)


def check(node: Node, lint: FileLint) -> None:
    if defelem(node.get("params"), "concurrently") is not None:
        return
    kind = node.get("kind", "")
    rel = lint.relation()
    if rel is not None:
        target = ("index" if kind == "REINDEX_OBJECT_INDEX" else "table", rel[0], rel[1])
        lint.hit(RULE, f"REINDEX of {label(*rel)} without CONCURRENTLY blocks writes while it rebuilds", target=target)
    else:
        what = kind.replace("REINDEX_OBJECT_", "").lower() or "objects"
        lint.hit(RULE, f"REINDEX {what} {node.get('name', '')} without CONCURRENTLY blocks writes to every table "
                 "it covers")
