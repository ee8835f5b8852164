"""``DROP INDEX`` can make the running application's queries slow, or let duplicates in.

Queries planned around the index fall back to scans; a unique index dropped stops enforcing uniqueness. Opt-
in, like squawk's rule; the lock it takes is require-concurrent-index-deletion's concern.

Example::

    DROP INDEX CONCURRENTLY orders_customer_idx;
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.nodes import drop_targets, label
from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="ban-drop-index",
    kind="compat",
    squawk=('ban-drop-index',),
    nodes=('DropStmt',),
    opt_in=True,
    reason='queries that used the index slow down',
    alternative='check pg_stat_user_indexes that the index is unused (idx_scan) before dropping it',
)


def check(node: Node, lint: FileLint) -> None:
    if node.get("removeType") not in ('OBJECT_INDEX',):
        return
    for schema, name in drop_targets(node):
        lint.hit(RULE, f"DROP INDEX {label(schema, name)}: " + RULE.reason)
