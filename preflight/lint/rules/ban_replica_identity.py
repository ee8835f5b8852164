"""``REPLICA IDENTITY`` changes what logical replication and change-data-capture consumers receive.

Consumers of the table's changes (logical replicas, Debezium) may stop being able to apply updates and
deletes, or receive different old-row data. Opt-in, like squawk's rule.

Example::

    ALTER TABLE orders REPLICA IDENTITY FULL;
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.nodes import label
from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="ban-replica-identity",
    kind="compat",
    squawk=('ban-replica-identity',),
    nodes=('AlterTableStmt',),
    subtypes=frozenset({"AT_ReplicaIdentity"}),
    opt_in=True,
    reason='changing the replica identity changes what change consumers receive',
    alternative="coordinate with every consumer of the table's logical changes",
)


def check(node: Node, lint: FileLint) -> None:
    rel = lint.relation()
    if rel is None or lint.created_here(*rel):
        return
    for cmd in lint.cmds():
        if cmd.get("subtype") in ('AT_ReplicaIdentity',):
            lint.hit(RULE, f"REPLICA IDENTITY on {label(*rel)} changes what change consumers receive")
