"""``VACUUM FULL`` and ``CLUSTER`` rewrite the table under an ``ACCESS EXCLUSIVE`` lock.

Both copy the whole table while blocking every read and write. pg_repack (or pg_squeeze) does the same job online.

Example::

    VACUUM FULL events;
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.nodes import defelem, label, relation
from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="prefer-repack",
    kind="lock",
    squawk=("prefer-repack",),
    nodes=("VacuumStmt", "ClusterStmt"),
    reason="VACUUM FULL and CLUSTER rewrite the table under an ACCESS EXCLUSIVE lock",
    alternative="use pg_repack (or pg_squeeze) to rewrite the table online, outside the migration",
)


def check(node: Node, lint: FileLint) -> None:
    if lint.stmt.kind == "ClusterStmt":
        rel = lint.relation()
        if rel is None:
            lint.hit(RULE, "CLUSTER rewrites every clustered table under an ACCESS EXCLUSIVE lock")
        elif not lint.created_here(*rel):
            lint.hit(RULE, f"CLUSTER {label(*rel)} rewrites the table under an ACCESS EXCLUSIVE lock",
                     target=("table", rel[0], rel[1]))
        return
    if defelem(node.get("options"), "full") is None:
        return
    rels = [relation(v.get("VacuumRelation", {}).get("relation")) for v in node.get("rels", ())]
    if not rels:
        lint.hit(RULE, "VACUUM FULL rewrites every table in the database under ACCESS EXCLUSIVE locks")
    for rel in rels:
        if rel is not None and not lint.created_here(*rel):
            lint.hit(RULE, f"VACUUM FULL {label(*rel)} rewrites the table under an ACCESS EXCLUSIVE lock", target=("table", rel[0], rel[1]))
