"""A ``BEGIN`` in the migration that is never committed.

The transaction stays open after the file ends: the runner either commits it along with its own bookkeeping (so
the file was not atomic after all) or leaves the session idle in a transaction, holding every lock the migration
took.

Example::

    BEGIN;
    ALTER TABLE orders ADD COLUMN note text;
"""

from __future__ import annotations

ID = "ban-uncommitted-transaction"
KIND = "transaction"
SQUAWK = ("ban-uncommitted-transaction",)
NODES = ("TransactionStmt",)
REASON = "BEGIN without a matching COMMIT: the transaction stays open after the migration"
ALTERNATIVE = "end the file with COMMIT, or remove the BEGIN and let the runner manage the transaction"


def check(node, lint):
    if lint.stmt.context != "top":
        return
    kind = node.get("kind", "")
    if kind in ("TRANS_STMT_BEGIN", "TRANS_STMT_START"):
        lint.state.setdefault(ID, []).append(lint.stmt)
    elif kind in ("TRANS_STMT_COMMIT", "TRANS_STMT_ROLLBACK", "TRANS_STMT_PREPARE"):
        lint.state[ID] = []


def finish(lint):
    opened = lint.state.get(ID) or []
    if opened:
        lint.stmt = opened[0]
        lint.hit(ID, REASON, ALTERNATIVE)
