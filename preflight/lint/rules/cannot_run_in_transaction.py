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

from preflight.lint.nodes import defelem

ID = "cannot-run-in-transaction"
KIND = "transaction"
SQUAWK = ("ban-concurrent-index-creation-in-transaction",)
NODES = ("IndexStmt", "DropStmt", "ReindexStmt", "AlterTableStmt", "VacuumStmt", "CreatedbStmt", "DropdbStmt",
         "AlterSystemStmt", "CreateTableSpaceStmt", "DropTableSpaceStmt")
SUBTYPES = frozenset({"AT_DetachPartition"})
REASON = "the statement cannot run inside a transaction block, and here it does"
ALTERNATIVE = ("put the statement alone in its own migration that runs outside a transaction (goose: "
               "-- +goose NO TRANSACTION; dbmate: -- migrate:up transaction:false; golang-migrate: one statement "
               "in the file; Flyway: executeInTransaction=false)")


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


def check(node, lint):
    what = _what(lint.stmt.kind, node, lint)
    if what is None or not lint.in_transaction:
        return
    lint.hit(ID, f"{what} cannot run inside a transaction block, and here it does: {where(lint)}", ALTERNATIVE)
