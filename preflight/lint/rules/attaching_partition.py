"""``ATTACH PARTITION`` locks the attached table and reads its rows to check the partition bounds.

While the parent is held with ``SHARE UPDATE EXCLUSIVE`` (reads and writes go on), the table being attached is
held with ``ACCESS EXCLUSIVE``: nothing reads or writes it while PostgreSQL reads every row to prove that it
lies within the new bounds. The scan is skipped when a validated ``CHECK`` constraint on that table already
implies the bounds; a default partition is read too, to prove that it holds no row of them. The lint does not
judge whether a constraint implies the bounds: it reports the lock, which is certain, and names the scan as
what the lock is held for.

Example::

    ALTER TABLE measurements ATTACH PARTITION measurements_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.nodes import label, relation
from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="attaching-partition",
    kind="lock",
    nodes=("AlterTableStmt",),
    subtypes=frozenset({"AT_AttachPartition"}),
    reason="ATTACH PARTITION holds an ACCESS EXCLUSIVE lock on the attached table while it reads its rows",
    alternative="first add a CHECK constraint matching the bounds NOT VALID and VALIDATE it in another "
                "transaction (reads and writes go on), then ATTACH PARTITION skips the scan; drop the CHECK after",
)


def check(node: Node, lint: FileLint) -> None:
    for cmd in lint.cmds():
        if cmd.get("subtype") != "AT_AttachPartition":
            continue
        part = relation(((cmd.get("def") or {}).get("PartitionCmd") or {}).get("name"))
        if part is None or lint.created_here(*part):
            continue
        name = label(*part)
        lint.hit(RULE, f"ATTACH PARTITION {name} takes an ACCESS EXCLUSIVE lock on {name} and reads its rows to "
                       "check the partition bounds, unless a validated CHECK constraint on it implies them",
                 target=("table", part[0], part[1]))
