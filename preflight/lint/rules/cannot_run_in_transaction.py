"""A statement that PostgreSQL refuses inside a transaction block runs inside one.

``CREATE INDEX CONCURRENTLY``, ``DROP INDEX CONCURRENTLY``, ``REINDEX ... CONCURRENTLY``, ``DETACH PARTITION
... CONCURRENTLY``, ``VACUUM``, ``CREATE``/``DROP DATABASE``, ``ALTER SYSTEM`` and tablespace commands fail with
"cannot run inside a transaction block" when the runner wraps the file in a transaction (goose's and dbmate's
default, Flyway), when the file is sent as one multi-statement query with other statements (golang-migrate: an
implicit transaction), between ``BEGIN`` and ``COMMIT``, or in a ``DO`` block. The migration fails at rollout.
The runner's transaction mode comes from ``[targets.migrations]`` (``transaction`` or the runner's default).

Example (goose, default transaction mode)::

    -- +goose Up
    CREATE INDEX CONCURRENTLY orders_customer_idx ON orders (customer_id);
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.nodes import defelem
from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="cannot-run-in-transaction",
    kind="transaction",
    squawk=("ban-concurrent-index-creation-in-transaction",),
    nodes=("IndexStmt", "DropStmt", "ReindexStmt", "AlterTableStmt", "VacuumStmt", "CreatedbStmt", "DropdbStmt",
          "AlterSystemStmt", "CreateTableSpaceStmt", "DropTableSpaceStmt"),
    subtypes=frozenset({"AT_DetachPartition"}),
    reason="the statement cannot run inside a transaction block, and here it does",
    alternative="put the statement alone in its own migration that runs outside a transaction (goose: "
                "-- +goose NO TRANSACTION; dbmate: -- migrate:up transaction:false; golang-migrate: one statement "
                "in the file; Flyway: executeInTransaction=false)",
)


def _what(kind, node, lint):
    if kind == "IndexStmt" and node.get("concurrent"):
        return "CREATE INDEX CONCURRENTLY"
    if kind == "DropStmt" and node.get("concurrent"):
        return "DROP INDEX CONCURRENTLY"
    if kind == "ReindexStmt" and defelem(node.get("params"), "concurrently") is not None:
        return "REINDEX CONCURRENTLY"
    if kind == "AlterTableStmt":
        for cmd in lint.cmds():
            if cmd.get("subtype") == "AT_DetachPartition" and (cmd.get("def") or {}).get(
                    "PartitionCmd", {}).get("concurrent"):
                return "DETACH PARTITION CONCURRENTLY"
        return None
    if kind == "VacuumStmt":
        return "VACUUM" if node.get("is_vacuumcmd") else None
    return {"CreatedbStmt": "CREATE DATABASE", "DropdbStmt": "DROP DATABASE", "AlterSystemStmt": "ALTER SYSTEM",
            "CreateTableSpaceStmt": "CREATE TABLESPACE", "DropTableSpaceStmt": "DROP TABLESPACE"}.get(kind)


def where(lint):
    """Why the current statement is inside a transaction block, in the user's words."""
    if lint.stmt.context != "top":
        return "inside a DO block or function, which always runs in a transaction"
    if lint.explicit:
        return "between BEGIN and COMMIT"
    if lint.transaction == "file":
        return "the runner wraps the migration in a transaction"
    return "the migration is sent as one multi-statement query, which PostgreSQL runs as an implicit transaction"


def check(node: Node, lint: FileLint) -> None:
    what = _what(lint.stmt.kind, node, lint)
    if what is None or not lint.in_transaction:
        return
    lint.hit(RULE, f"{what} cannot run inside a transaction block, and here it does: {where(lint)}")
