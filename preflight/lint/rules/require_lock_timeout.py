"""A statement that takes a strong lock on an existing table runs without ``lock_timeout``.

``ALTER TABLE``, a plain ``CREATE INDEX``, ``DROP``, ``TRUNCATE``, ``CREATE TRIGGER`` and the like first wait for
their lock behind every running transaction on the table - and every query that arrives meanwhile and conflicts
with that lock queues behind them: one slow report can stall the table's traffic. ``SET lock_timeout`` (e.g.
``'2s'``) at the top of the migration makes the statement give up instead, so the migration can be retried. The
finding names the lock PostgreSQL takes, and so who waits: ``ACCESS EXCLUSIVE``
(most ``ALTER TABLE`` commands, ``DROP``, ``TRUNCATE``) stalls every query, ``SHARE`` (``CREATE INDEX``) and
``SHARE ROW EXCLUSIVE`` (``CREATE TRIGGER``, a foreign key) stall writes. Statements whose lock lets reads and
writes through (``SHARE UPDATE EXCLUSIVE``: ``VALIDATE CONSTRAINT``, ``SET STATISTICS``, ``SET (fillfactor)``,
renaming an index) are not counted. The first such statement of a file is reported, with the number of others;
statements on tables created earlier in the file are not counted. Without the database, a statement that
names its table ``IF EXISTS`` (or is guarded in its ``DO`` block) takes the lock only if the table exists: the
finding adds "(if T exists: without the database the lint cannot tell)" (JSON ``data.condition.if_exists``).

Example::

    ALTER TABLE orders ADD COLUMN note text;
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.locks import ACCESS_EXCLUSIVE, article, blocks_writes, statement_lock, what_waits
from preflight.lint.nodes import label, list_names, relation
from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="require-lock-timeout",
    kind="lock",
    squawk=("require-lock-timeout", "require-timeout-settings"),
    nodes=("AlterTableStmt", "IndexStmt", "DropStmt", "TruncateStmt", "CreateTrigStmt", "RenameStmt",
          "RefreshMatViewStmt", "VacuumStmt", "ClusterStmt", "ReindexStmt", "AlterObjectSchemaStmt", "LockStmt",
          "CreatePolicyStmt", "AlterPolicyStmt", "RuleStmt"),
    reason="a statement that takes a strong lock runs without lock_timeout",
    alternative="SET lock_timeout = '2s'; at the top of the migration, and retry the migration if it times out",
)
_DROPPED = ("OBJECT_TABLE", "OBJECT_INDEX", "OBJECT_VIEW", "OBJECT_MATVIEW", "OBJECT_SEQUENCE", "OBJECT_TRIGGER",
            "OBJECT_FOREIGN_TABLE", "OBJECT_POLICY", "OBJECT_RULE")


def blocking_target(kind, node, lint):
    """The existing relation the statement locks in a mode that blocks writes, as ``((schema, name), mode)``, or
    None."""
    found = _target(kind, node, lint)
    if found is None:
        return None
    rel, mode = found
    return (rel, mode) if blocks_writes(mode) else None


def _target(kind, node, lint):
    mode = statement_lock(kind, node, lint.cmds() if kind == "AlterTableStmt" else None)
    if kind == "IndexStmt":
        rel = None if node.get("concurrent") else relation(node.get("relation"))
    elif kind == "DropStmt":
        removes = node.get("removeType")
        if removes not in _DROPPED or node.get("concurrent"):
            return None
        candidates = []
        for obj in node.get("objects", ()):
            parts = list_names(obj)
            if removes in ("OBJECT_TRIGGER", "OBJECT_POLICY", "OBJECT_RULE"):
                parts = parts[:-1]  # "name ON table": the table is what gets locked
            if parts:
                candidates.append((parts[-2] if len(parts) > 1 else None, parts[-1]))
        rel = next((c for c in candidates if not lint.created_here(*c)), None)
    elif kind in ("TruncateStmt", "LockStmt"):
        rels = [relation(r) for r in node.get("relations", ())]
        rel = next((r for r in rels if r and not lint.created_here(*r)), None)
    elif kind == "VacuumStmt":
        if not any(o.get("DefElem", {}).get("defname") == "full" for o in node.get("options", ())):
            return None
        rels = [relation(v.get("VacuumRelation", {}).get("relation")) for v in node.get("rels", ())]
        rel = next((r for r in rels if r), None)
    elif kind == "RefreshMatViewStmt":
        rel = None if node.get("concurrent") else relation(node.get("relation"))
    elif kind == "ReindexStmt":
        concurrently = any(o.get("DefElem", {}).get("defname") == "concurrently" for o in node.get("params", ()))
        rel = None if concurrently else relation(node.get("relation"))
    elif kind in ("CreatePolicyStmt", "AlterPolicyStmt"):
        rel = relation(node.get("table"))
    elif kind == "AlterTableStmt":
        cmds = lint.cmds()
        if cmds and all(c.get("subtype") == "AT_DetachPartition" and (c.get("def") or {}).get(
                "PartitionCmd", {}).get("concurrent") for c in cmds):
            return None
        rel = lint.relation()
        if len(cmds) == 1 and cmds[0].get("subtype") == "AT_AttachPartition":
            # the partitioned table takes SHARE UPDATE EXCLUSIVE; the table attached, ACCESS EXCLUSIVE
            rel = relation((cmds[0].get("def") or {}).get("PartitionCmd", {}).get("name"))
            mode = ACCESS_EXCLUSIVE
    else:
        rel = lint.relation()
    if rel is None or lint.created_here(*rel):
        return None
    return rel, mode


def names_if_exists(kind, node):
    """Whether the statement names the relation it locks with ``IF EXISTS`` (absent, the statement does nothing):
    ``DROP TABLE/INDEX/VIEW... IF EXISTS``, ``ALTER TABLE IF EXISTS`` (but not the partition it attaches)."""
    if not node.get("missing_ok"):
        return False
    if kind == "DropStmt":
        return node.get("removeType") not in ("OBJECT_TRIGGER", "OBJECT_POLICY", "OBJECT_RULE")
    if kind == "AlterTableStmt":
        return not any(c.get("AlterTableCmd", {}).get("subtype") == "AT_AttachPartition" for c in node.get("cmds", ()))
    return kind in ("RenameStmt", "AlterObjectSchemaStmt")


def drops_index(kind, node):
    """Whether the statement is a ``DROP INDEX``: of a missing index it fails with 42704 (undefined object), where
    other statements on a missing relation fail with 42P01; the data-aware verdict says which."""
    return kind == "DropStmt" and node.get("removeType") == "OBJECT_INDEX"


def check(node: Node, lint: FileLint) -> None:
    if lint.lock_timeout:
        return
    found = blocking_target(lint.stmt.kind, node, lint)
    if found is None:
        return
    state = lint.state.setdefault(RULE.id, [])
    state.append((lint.stmt, *found, names_if_exists(lint.stmt.kind, node), drops_index(lint.stmt.kind, node)))


def finish(lint: FileLint) -> None:
    found = lint.state.get(RULE.id) or []
    if not found:
        return
    stmt, rel, mode, if_exists, drops = found[0]
    lint.stmt = stmt
    more = len(found) - 1
    tail = f" ({more} more such statement{'s' if more != 1 else ''} in this file)" if more else ""
    lint.hit(RULE, f"this statement takes {article(mode)} {mode} lock on {label(*rel)} without lock_timeout: while it "
             f"waits, {what_waits(mode)} queues behind it{tail}", target=("table", rel[0], rel[1]),
             if_exists=if_exists, statements=len(found), lock=mode, drops_index=drops)
