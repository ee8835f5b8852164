"""``CREATE INDEX`` without ``CONCURRENTLY`` blocks writes to the table while the index builds.

A plain ``CREATE INDEX`` holds a ``SHARE`` lock for the whole build: inserts, updates and deletes wait, for
minutes on a large table. Indexes on tables created earlier in the same file are not reported. With the database
at hand, a table above the size threshold is a failure, a smaller one a warning; and two statements that build
nothing are information: ``CREATE INDEX ... ON ONLY`` a partitioned table (its index stays invalid until each
partition's index is attached, the usual way to index a partitioned table without a long lock) and ``CREATE INDEX
IF NOT EXISTS`` of an index that exists. Both still take the ``SHARE`` lock, briefly. Without the database the
lint cannot tell, so for these two forms the finding names the condition ("... and reads every row, unless
orders_customer_idx exists already ...; without the database the lint cannot tell"; JSON:
``data.condition.unless_exists`` the index, ``data.condition.unless_partitioned`` the table), with the same
severity.

Example::

    CREATE INDEX orders_customer_idx ON orders (customer_id);
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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
    only = not (node.get("relation") or {}).get("inh", False)
    index = label(rel[0], name) if name and node.get("if_not_exists") else None
    head = f"CREATE INDEX on {label(*rel)} without CONCURRENTLY blocks writes to it while the index builds"
    lint.hit(RULE, head, target=("table", rel[0], rel[1]), only=only, index=index,
             nodb=_without_database(head, label(*rel), only, index))


def _without_database(head: str, table: str, only: bool, index: str | None) -> dict[str, Any] | None:
    """Without the database, ``IF NOT EXISTS`` of an index that may exist, or ``ON ONLY`` a table that may be
    partitioned, builds (and reads) nothing: the finding names the condition (``data.condition``:
    ``unless_exists``, the index; ``unless_partitioned``, the table). The SHARE lock is taken either way."""
    unless, condition = [], {}
    if index:
        unless.append(f"{index} exists already (IF NOT EXISTS then builds nothing)")
        condition["unless_exists"] = index
    if only:
        unless.append(f"{table} is a partitioned table (an index ON ONLY it reads no row: it is created invalid "
                      "until each partition's index is attached)")
        condition["unless_partitioned"] = table
    if not unless:
        return None
    return {"message": f"{head} and reads every row, unless {' or '.join(unless)}; without the database the lint "
                       "cannot tell", "data": {"condition": condition}}
