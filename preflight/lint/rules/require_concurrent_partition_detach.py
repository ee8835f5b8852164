"""``DETACH PARTITION`` without ``CONCURRENTLY`` locks the partitioned table against reads and writes.

The plain form takes an ``ACCESS EXCLUSIVE`` lock on the parent table. ``DETACH PARTITION ... CONCURRENTLY``
(PostgreSQL 14 and later, outside a transaction) takes a weaker lock.

Example::

    ALTER TABLE measurements DETACH PARTITION measurements_2019;
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.nodes import label, relation
from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="require-concurrent-partition-detach",
    kind="lock",
    squawk=("require-concurrent-partition-detach",),
    nodes=("AlterTableStmt",),
    subtypes=frozenset({"AT_DetachPartition"}),
    reason="DETACH PARTITION without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the partitioned table",
    alternative="ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY, in a migration that runs outside a transaction",
)


def check(node: Node, lint: FileLint) -> None:
    rel = lint.relation()
    if rel is None or lint.created_here(*rel):
        return
    for cmd in lint.cmds():
        if cmd.get("subtype") == "AT_DetachPartition":
            pc = (cmd.get("def") or {}).get("PartitionCmd", {})
            if not pc.get("concurrent"):
                part = relation(pc.get("name"))
                lint.hit(RULE, f"DETACH PARTITION {label(*part) if part else ''} without CONCURRENTLY takes an "
                         f"ACCESS EXCLUSIVE lock on {label(*rel)}", target=("table", rel[0], rel[1]))
