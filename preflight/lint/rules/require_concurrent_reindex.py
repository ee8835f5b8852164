"""``REINDEX`` without ``CONCURRENTLY`` blocks writes (and reads that use the index) while it rebuilds.

Example::

    REINDEX TABLE orders;
"""

from __future__ import annotations

from preflight.lint.nodes import defelem, label

ID = "require-concurrent-reindex"
KIND = "lock"
SQUAWK = ("require-concurrent-reindex",)
NODES = ("ReindexStmt",)
REASON = "REINDEX without CONCURRENTLY blocks writes while it rebuilds"
ALTERNATIVE = "REINDEX ... CONCURRENTLY (PostgreSQL 12 and later), outside a transaction"


def check(node, lint):
    if defelem(node.get("params"), "concurrently") is not None:
        return
    kind = node.get("kind", "")
    rel = lint.relation()
    if rel is not None:
        target = ("index" if kind == "REINDEX_OBJECT_INDEX" else "table", rel[0], rel[1])
        lint.hit(ID, f"REINDEX of {label(*rel)} without CONCURRENTLY blocks writes while it rebuilds",
                 ALTERNATIVE, target=target)
    else:
        what = kind.replace("REINDEX_OBJECT_", "").lower() or "objects"
        lint.hit(ID, f"REINDEX {what} {node.get('name', '')} without CONCURRENTLY blocks writes to every table "
                 "it covers", ALTERNATIVE)
