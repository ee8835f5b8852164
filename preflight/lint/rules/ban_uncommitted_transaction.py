"""A ``BEGIN`` in the migration that is never committed.

The transaction stays open after the file ends: the runner either commits it along with its own bookkeeping (so
the file was not atomic after all) or leaves the session idle in a transaction, holding every lock the migration
took.

Example::

    BEGIN;
    ALTER TABLE orders ADD COLUMN note text;
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="ban-uncommitted-transaction",
    kind="transaction",
    squawk=("ban-uncommitted-transaction",),
    nodes=("TransactionStmt",),
    reason="BEGIN without a matching COMMIT: the transaction stays open after the migration",
    alternative="end the file with COMMIT, or remove the BEGIN and let the runner manage the transaction",
)


def check(node: Node, lint: FileLint) -> None:
    if lint.stmt.context != "top":
        return
    kind = node.get("kind", "")
    if kind in ("TRANS_STMT_BEGIN", "TRANS_STMT_START"):
        lint.state.setdefault(RULE.id, []).append(lint.stmt)
    elif kind in ("TRANS_STMT_COMMIT", "TRANS_STMT_ROLLBACK", "TRANS_STMT_PREPARE"):
        lint.state[RULE.id] = []


def finish(lint: FileLint) -> None:
    opened = lint.state.get(RULE.id) or []
    if opened:
        lint.stmt = opened[0]
        lint.hit(RULE, RULE.reason)
