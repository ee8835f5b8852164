"""``CREATE TRIGGER`` on an existing table waits for, and then blocks, every writer of the table.

Creating a trigger takes a ``SHARE ROW EXCLUSIVE`` lock: it queues behind every open transaction that wrote to the
table, and inserts, updates and deletes queue behind it. Triggers on tables created earlier in the same file are
not reported. With ``lock_timeout`` set, the wait is bounded.

Example::

    CREATE TRIGGER orders_audit AFTER UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION audit();
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.nodes import label
from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="create-trigger-on-existing-table",
    kind="lock",
    squawk=(),
    nodes=("CreateTrigStmt",),
    reason="CREATE TRIGGER takes a SHARE ROW EXCLUSIVE lock that blocks writes to the table",
    alternative="SET lock_timeout before the statement so it gives up instead of queueing writers, and run it at "
                "a quiet time; keep the trigger function fast",
)


def check(node: Node, lint: FileLint) -> None:
    rel = lint.relation()
    if rel is None or lint.created_here(*rel):
        return
    lint.hit(RULE, f"CREATE TRIGGER {node.get('trigname', '')} on {label(*rel)} takes a SHARE ROW EXCLUSIVE lock "
             "that blocks writes", target=("table", rel[0], rel[1]))
