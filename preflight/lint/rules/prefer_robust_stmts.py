"""A migration that runs outside a transaction should be safe to re-run after a partial failure.

When the runner does not wrap the file in a transaction and one statement fails, the statements before it stay
applied; re-running the file then fails on them unless they are written IF NOT EXISTS / IF EXISTS. Files that
run in a transaction (the runner's or an implicit one), and files of a single statement, are not reported.
Reported for information.

Example (a migration that runs outside a transaction)::

    SET lock_timeout = '2s';
    CREATE INDEX CONCURRENTLY orders_customer_idx ON orders (customer_id);
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="prefer-robust-stmts",
    kind="style",
    squawk=('prefer-robust-stmts',),
    nodes=('CreateStmt', 'IndexStmt', 'DropStmt', 'AlterTableStmt', 'CreateSeqStmt'),
    subtypes=frozenset({"AT_AddColumn", "AT_DropColumn", "AT_DropConstraint"}),
    reason='the statement fails if the migration is re-run after a partial failure',
    alternative='write CREATE ... IF NOT EXISTS, DROP ... IF EXISTS, ADD COLUMN IF NOT EXISTS, DROP COLUMN IF '
                'EXISTS',
)


def check(node: Node, lint: FileLint) -> None:
    if lint.in_transaction or lint.stmt.context != "top" or not lint.several_statements:
        return
    node = lint.stmt.node
    kind = lint.stmt.kind
    if kind in ("CreateStmt", "CreateSeqStmt", "IndexStmt"):
        if not node.get("if_not_exists") and (kind != "IndexStmt" or node.get("idxname")):
            lint.hit(RULE, "CREATE without IF NOT EXISTS fails when the migration is re-run")
    elif kind == "DropStmt":
        if not node.get("missing_ok"):
            lint.hit(RULE, "DROP without IF EXISTS fails when the migration is re-run")
    else:
        for cmd in lint.cmds():
            if cmd.get("subtype") in ("AT_AddColumn", "AT_DropColumn", "AT_DropConstraint") and not cmd.get("missing_ok"):
                word = "ADD COLUMN" if cmd["subtype"] == "AT_AddColumn" else "DROP"
                lint.hit(RULE, f"{word} without IF [NOT] EXISTS fails when the migration is re-run")
