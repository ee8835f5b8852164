"""``VACUUM FULL`` and ``CLUSTER`` rewrite the table under an ``ACCESS EXCLUSIVE`` lock.

Both copy the whole table while blocking every read and write. pg_repack (or pg_squeeze) does the same job online.

Example::

    VACUUM FULL events;
"""

from __future__ import annotations

from preflight.lint.nodes import defelem, label, relation

ID = "prefer-repack"
KIND = "lock"
SQUAWK = ("prefer-repack",)
NODES = ("VacuumStmt", "ClusterStmt")
REASON = "VACUUM FULL and CLUSTER rewrite the table under an ACCESS EXCLUSIVE lock"
ALTERNATIVE = "use pg_repack (or pg_squeeze) to rewrite the table online, outside the migration"


def check(node, lint):
    if lint.stmt.kind == "ClusterStmt":
        rel = lint.relation()
        if rel is None:
            lint.hit(ID, "CLUSTER rewrites every clustered table under an ACCESS EXCLUSIVE lock", ALTERNATIVE)
        elif not lint.created_here(*rel):
            lint.hit(ID, f"CLUSTER {label(*rel)} rewrites the table under an ACCESS EXCLUSIVE lock", ALTERNATIVE,
                     target=("table", rel[0], rel[1]))
        return
    if defelem(node.get("options"), "full") is None:
        return
    rels = [relation(v.get("VacuumRelation", {}).get("relation")) for v in node.get("rels", ())]
    if not rels:
        lint.hit(ID, "VACUUM FULL rewrites every table in the database under ACCESS EXCLUSIVE locks", ALTERNATIVE)
    for rel in rels:
        if rel is not None and not lint.created_here(*rel):
            lint.hit(ID, f"VACUUM FULL {label(*rel)} rewrites the table under an ACCESS EXCLUSIVE lock",
                     ALTERNATIVE, target=("table", rel[0], rel[1]))
