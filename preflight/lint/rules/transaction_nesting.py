"""``BEGIN`` or ``COMMIT`` inside a migration that the runner already runs in a transaction.

When the runner wraps the file in a transaction (goose's and dbmate's default, Flyway), a ``BEGIN`` in the file
only warns, and its ``COMMIT`` commits the runner's transaction early: statements after it run outside any
transaction, and a failure there leaves the migration half-applied and possibly unrecorded. A second ``BEGIN``
inside an open ``BEGIN`` block is the same mistake.

Example (goose, default transaction mode)::

    BEGIN;
    ALTER TABLE orders ADD COLUMN note text;
    COMMIT;
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="transaction-nesting",
    kind="transaction",
    squawk=("transaction-nesting",),
    nodes=("TransactionStmt",),
    reason="the migration manages a transaction inside one the runner already opened",
    alternative="remove BEGIN/COMMIT from the file and let the runner manage the transaction, or mark the "
                "migration as running outside a transaction",
)
_BEGIN = ("TRANS_STMT_BEGIN", "TRANS_STMT_START")
_END = ("TRANS_STMT_COMMIT", "TRANS_STMT_ROLLBACK")


def check(node: Node, lint: FileLint) -> None:
    if lint.stmt.context != "top":
        return
    kind = node.get("kind", "")
    if kind in _BEGIN:
        if lint.explicit:
            lint.hit(RULE, "BEGIN inside a transaction this file already began: PostgreSQL ignores it with a warning")
        elif lint.transaction == "file":
            lint.hit(RULE, "BEGIN inside the transaction the runner opens for this migration: its COMMIT will end "
                     "the runner's transaction early")
    elif kind in _END and lint.transaction == "file":
        word = "COMMIT" if kind == "TRANS_STMT_COMMIT" else "ROLLBACK"
        lint.hit(RULE, f"{word} ends the transaction the runner opened for this migration: later statements run "
                 "outside it")
