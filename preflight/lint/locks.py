"""The lock a statement takes on the table it changes: PostgreSQL's own lock levels, as a table the rules consult.

``ALTER TABLE`` takes the strongest lock any of its commands needs (``AlterTableGetLockLevel`` in PostgreSQL's
``tablecmds.c``); other statements have one level each. The lock-mode names are PostgreSQL's, as ``LOCK TABLE``
spells them. What each mode lets through while it is held (or waited for, since every later conflicting request
queues behind a waiting one):

- ``ACCESS EXCLUSIVE``: nothing, not even a plain ``SELECT``;
- ``EXCLUSIVE``, ``SHARE ROW EXCLUSIVE``, ``SHARE``: reads, but no ``INSERT``/``UPDATE``/``DELETE``;
- ``SHARE UPDATE EXCLUSIVE`` and weaker: reads and writes (only other schema changes, ``VACUUM``, ``ANALYZE``
  and ``CREATE INDEX CONCURRENTLY`` wait).

These levels are the same from PostgreSQL 12 to 18 for every command listed here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from preflight.lint.nodes import Node

# Weakest first (LOCKMODE numbers 1..8).
MODES = ("ACCESS SHARE", "ROW SHARE", "ROW EXCLUSIVE", "SHARE UPDATE EXCLUSIVE", "SHARE", "SHARE ROW EXCLUSIVE",
         "EXCLUSIVE", "ACCESS EXCLUSIVE")
ACCESS_EXCLUSIVE, SHARE_UPDATE_EXCLUSIVE, SHARE, SHARE_ROW_EXCLUSIVE = (
    "ACCESS EXCLUSIVE", "SHARE UPDATE EXCLUSIVE", "SHARE", "SHARE ROW EXCLUSIVE")

# ALTER TABLE commands below ACCESS EXCLUSIVE; every other command takes ACCESS EXCLUSIVE.
ALTER_TABLE = {
    "AT_SetStatistics": SHARE_UPDATE_EXCLUSIVE,
    "AT_ClusterOn": SHARE_UPDATE_EXCLUSIVE,
    "AT_DropCluster": SHARE_UPDATE_EXCLUSIVE,
    "AT_SetOptions": SHARE_UPDATE_EXCLUSIVE,
    "AT_ResetOptions": SHARE_UPDATE_EXCLUSIVE,
    "AT_ValidateConstraint": SHARE_UPDATE_EXCLUSIVE,
    "AT_AttachPartition": SHARE_UPDATE_EXCLUSIVE,  # on the partitioned table; the new partition: ACCESS EXCLUSIVE
    "AT_DetachPartitionFinalize": SHARE_UPDATE_EXCLUSIVE,
    "AT_EnableTrig": SHARE_ROW_EXCLUSIVE,
    "AT_EnableAlwaysTrig": SHARE_ROW_EXCLUSIVE,
    "AT_EnableReplicaTrig": SHARE_ROW_EXCLUSIVE,
    "AT_EnableTrigAll": SHARE_ROW_EXCLUSIVE,
    "AT_EnableTrigUser": SHARE_ROW_EXCLUSIVE,
    "AT_DisableTrig": SHARE_ROW_EXCLUSIVE,
    "AT_DisableTrigAll": SHARE_ROW_EXCLUSIVE,
    "AT_DisableTrigUser": SHARE_ROW_EXCLUSIVE,
}
# Storage parameters (SET/RESET (...)) that take SHARE UPDATE EXCLUSIVE; any other takes ACCESS EXCLUSIVE.
LIGHT_RELOPTIONS = frozenset({
    "fillfactor", "toast_tuple_target", "parallel_workers", "vacuum_index_cleanup", "vacuum_truncate",
    "log_autovacuum_min_duration", "deduplicate_items", "autosummarize", "pages_per_range",
})
LIGHT_RELOPTION_PREFIXES = ("autovacuum_", "toast.autovacuum_", "toast.vacuum_", "toast.log_autovacuum")
# Statements that take one lock level on the relation they name.
STATEMENTS = {
    "IndexStmt": SHARE,  # without CONCURRENTLY
    "CreateTrigStmt": SHARE_ROW_EXCLUSIVE,
    "ReindexStmt": SHARE,  # on the table (REINDEX INDEX: ACCESS EXCLUSIVE on the index itself)
    "TruncateStmt": ACCESS_EXCLUSIVE,
    "DropStmt": ACCESS_EXCLUSIVE,
    "VacuumStmt": ACCESS_EXCLUSIVE,  # VACUUM FULL
    "ClusterStmt": ACCESS_EXCLUSIVE,
    "RefreshMatViewStmt": ACCESS_EXCLUSIVE,  # without CONCURRENTLY (with it: EXCLUSIVE)
    "AlterObjectSchemaStmt": ACCESS_EXCLUSIVE,
    "CreatePolicyStmt": ACCESS_EXCLUSIVE,
    "AlterPolicyStmt": ACCESS_EXCLUSIVE,
    "RuleStmt": ACCESS_EXCLUSIVE,
    "RenameStmt": ACCESS_EXCLUSIVE,  # an index: SHARE UPDATE EXCLUSIVE
}


def strongest(modes: list[str]) -> str:
    return max(modes, key=MODES.index) if modes else ACCESS_EXCLUSIVE


def alter_table_command(cmd: Node) -> str:
    """The lock one ``ALTER TABLE`` command takes on the table it alters."""
    subtype = cmd.get("subtype", "")
    if subtype in ("AT_SetRelOptions", "AT_ResetRelOptions"):
        names = _option_names(cmd)
        light = all(n in LIGHT_RELOPTIONS or n.startswith(LIGHT_RELOPTION_PREFIXES) for n in names)
        return SHARE_UPDATE_EXCLUSIVE if names and light else ACCESS_EXCLUSIVE
    if subtype == "AT_AddConstraint":
        contype = (cmd.get("def") or {}).get("Constraint", {}).get("contype")
        return SHARE_ROW_EXCLUSIVE if contype == "CONSTR_FOREIGN" else ACCESS_EXCLUSIVE
    if subtype == "AT_DetachPartition":
        concurrent = (cmd.get("def") or {}).get("PartitionCmd", {}).get("concurrent")
        return SHARE_UPDATE_EXCLUSIVE if concurrent else ACCESS_EXCLUSIVE
    return ALTER_TABLE.get(subtype, ACCESS_EXCLUSIVE)


def _option_names(cmd: Node) -> set[str]:
    """The storage parameters a SET/RESET names, ``toast.`` ones with their prefix."""
    out = set()
    for item in (cmd.get("def") or {}).get("List", {}).get("items", ()):
        d = item.get("DefElem")
        if d is not None:
            space = d.get("defnamespace")
            out.add(f"{space}.{d.get('defname', '')}" if space else d.get("defname", ""))
    return out


def statement_lock(kind: str, node: Node, cmds: list[Node] | None = None) -> str:
    """The lock ``node`` (a statement of type ``kind``) takes on the relation it names."""
    if kind == "AlterTableStmt":
        return strongest([alter_table_command(c) for c in cmds or ()])
    if kind == "LockStmt":
        mode = node.get("mode", 8)
        return MODES[mode - 1] if 1 <= mode <= len(MODES) else ACCESS_EXCLUSIVE
    if kind == "ReindexStmt" and node.get("kind") == "REINDEX_OBJECT_INDEX":
        return ACCESS_EXCLUSIVE
    if kind == "RenameStmt" and node.get("renameType") == "OBJECT_INDEX":
        return SHARE_UPDATE_EXCLUSIVE
    if kind == "RefreshMatViewStmt" and node.get("concurrent"):
        return "EXCLUSIVE"
    return STATEMENTS.get(kind, ACCESS_EXCLUSIVE)


def blocks_reads(mode: str) -> bool:
    return mode == ACCESS_EXCLUSIVE


def blocks_writes(mode: str) -> bool:
    """Whether ``mode`` conflicts with ROW EXCLUSIVE (what INSERT, UPDATE and DELETE take)."""
    return MODES.index(mode) >= MODES.index(SHARE)


def article(mode: str) -> str:
    return "an" if mode[0] in "AEIOU" else "a"


def what_waits(mode: str) -> str:
    """Who queues behind the statement while it waits for (or holds) ``mode``."""
    if blocks_reads(mode):
        return "every query on the table"
    if blocks_writes(mode):
        return "every write to the table (reads go on)"
    return "other schema changes and maintenance on the table (reads and writes go on)"
