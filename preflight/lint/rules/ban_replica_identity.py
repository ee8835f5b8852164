"""``REPLICA IDENTITY`` changes what logical replication and change-data-capture consumers receive.

Consumers of the table's changes (logical replicas, Debezium) may stop being able to apply updates and
deletes, or receive different old-row data. Opt-in, like squawk's rule.

Example::

    ALTER TABLE orders REPLICA IDENTITY FULL;
"""

from __future__ import annotations

from preflight.lint.nodes import label

ID = "ban-replica-identity"
KIND = "compat"
SQUAWK = ('ban-replica-identity',)
OPT_IN = True
NODES = ('AlterTableStmt',)
SUBTYPES = frozenset({"AT_ReplicaIdentity"})
REASON = 'changing the replica identity changes what change consumers receive'
ALTERNATIVE = "coordinate with every consumer of the table's logical changes"


def check(node, lint):
    rel = lint.relation()
    if rel is None or lint.created_here(*rel):
        return
    for cmd in lint.cmds():
        if cmd.get("subtype") in ('AT_ReplicaIdentity',):
            lint.hit(ID, f"REPLICA IDENTITY on {label(*rel)} changes what change consumers receive", ALTERNATIVE)
