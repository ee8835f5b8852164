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

ID = "prefer-robust-stmts"
KIND = "style"
SQUAWK = ('prefer-robust-stmts',)
NODES = ('CreateStmt', 'IndexStmt', 'DropStmt', 'AlterTableStmt', 'CreateSeqStmt')
SUBTYPES = frozenset({"AT_AddColumn", "AT_DropColumn", "AT_DropConstraint"})
REASON = 'the statement fails if the migration is re-run after a partial failure'
ALTERNATIVE = ('write CREATE ... IF NOT EXISTS, DROP ... IF EXISTS, ADD COLUMN IF NOT EXISTS, DROP COLUMN IF '
               'EXISTS')

LAZY = True  # decodes the statement only when the file runs outside a transaction


def check(node, lint):
    if lint.in_transaction or lint.stmt.context != "top" or lint.statement_count < 2:
        return
    node = lint.stmt.node
    kind = lint.stmt.kind
    if kind in ("CreateStmt", "CreateSeqStmt", "IndexStmt"):
        if not node.get("if_not_exists") and (kind != "IndexStmt" or node.get("idxname")):
            lint.hit(ID, "CREATE without IF NOT EXISTS fails when the migration is re-run", ALTERNATIVE)
    elif kind == "DropStmt":
        if not node.get("missing_ok"):
            lint.hit(ID, "DROP without IF EXISTS fails when the migration is re-run", ALTERNATIVE)
    else:
        for cmd in lint.cmds():
            if cmd.get("subtype") in ("AT_AddColumn", "AT_DropColumn", "AT_DropConstraint") and not cmd.get("missing_ok"):
                word = "ADD COLUMN" if cmd["subtype"] == "AT_AddColumn" else "DROP"
                lint.hit(ID, f"{word} without IF [NOT] EXISTS fails when the migration is re-run", ALTERNATIVE)
