"""``DROP FUNCTION`` / ``DROP PROCEDURE`` breaks running code and objects that call it.

Queries of the running release, triggers, defaults and views that call the function fail (or, with CASCADE,
are dropped).

Example::

    DROP FUNCTION order_total(bigint);
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.nodes import drop_targets, label
from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="ban-drop-function",
    kind="compat",
    squawk=('ban-drop-function',),
    nodes=('DropStmt',),
    reason='running code and objects that call it fail',
    alternative='first remove every caller (code, triggers, defaults), then drop the function in a later '
                'release',
)


def check(node: Node, lint: FileLint) -> None:
    if node.get("removeType") not in ('OBJECT_FUNCTION', 'OBJECT_PROCEDURE', 'OBJECT_ROUTINE', 'OBJECT_AGGREGATE'):
        return
    for schema, name in drop_targets(node):
        lint.hit(RULE, f"DROP FUNCTION {label(schema, name)}: " + RULE.reason)
