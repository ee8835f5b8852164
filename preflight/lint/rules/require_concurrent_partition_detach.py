"""``DETACH PARTITION`` without ``CONCURRENTLY`` locks the partitioned table against reads and writes.

The plain form takes an ``ACCESS EXCLUSIVE`` lock on the parent table. ``DETACH PARTITION ... CONCURRENTLY``
(PostgreSQL 14 and later, outside a transaction) takes a weaker lock.

Example::

    ALTER TABLE measurements DETACH PARTITION measurements_2019;
"""

from __future__ import annotations

from preflight.lint.nodes import label, relation

ID = "require-concurrent-partition-detach"
KIND = "lock"
SQUAWK = ("require-concurrent-partition-detach",)
NODES = ("AlterTableStmt",)
SUBTYPES = frozenset({"AT_DetachPartition"})
REASON = "DETACH PARTITION without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the partitioned table"
ALTERNATIVE = "ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY, in a migration that runs outside a transaction"


def check(node, lint):
    rel = lint.relation()
    if rel is None or lint.created_here(*rel):
        return
    for cmd in lint.cmds():
        if cmd.get("subtype") == "AT_DetachPartition":
            pc = (cmd.get("def") or {}).get("PartitionCmd", {})
            if not pc.get("concurrent"):
                part = relation(pc.get("name"))
                lint.hit(ID, f"DETACH PARTITION {label(*part) if part else ''} without CONCURRENTLY takes an "
                         f"ACCESS EXCLUSIVE lock on {label(*rel)}", ALTERNATIVE, target=("table", rel[0], rel[1]))
