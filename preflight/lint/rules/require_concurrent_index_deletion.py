"""``DROP INDEX`` without ``CONCURRENTLY`` locks the table against reads and writes.

A plain ``DROP INDEX`` takes an ``ACCESS EXCLUSIVE`` lock on the index's table; it is quick once granted, but
waits behind every running query on the table, and every query queues behind it. Without the database,
``DROP INDEX IF EXISTS`` (or a drop guarded in its ``DO`` block) locks anything only if the index exists: the
finding says so ("(if orders_legacy_idx exists: without the database the lint cannot tell)", JSON
``data.condition.if_exists``), with the same severity.

Example::

    DROP INDEX orders_legacy_idx;
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.nodes import drop_targets, label
from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="require-concurrent-index-deletion",
    kind="lock",
    squawk=("require-concurrent-index-deletion",),
    nodes=("DropStmt",),
    reason="DROP INDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the table",
    alternative="DROP INDEX CONCURRENTLY, in a migration that runs outside a transaction",
)


def check(node: Node, lint: FileLint) -> None:
    if node.get("removeType") != "OBJECT_INDEX" or node.get("concurrent"):
        return
    for schema, name in drop_targets(node):
        if lint.created_here(schema, name):
            continue
        lint.hit(RULE, f"DROP INDEX {label(schema, name)} without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on "
                 "its table", target=("index", schema, name), if_exists=bool(node.get("missing_ok")), drops_index=True)
