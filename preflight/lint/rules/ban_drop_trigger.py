"""``DROP TRIGGER`` silently stops behaviour the running application may rely on.

A trigger keeps derived data, audit rows or invariants in step; once dropped, writes of the running release
stop maintaining them. Opt-in, like squawk's rule.

Example::

    DROP TRIGGER orders_audit ON orders;
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.nodes import drop_targets, label
from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="ban-drop-trigger",
    kind="compat",
    squawk=('ban-drop-trigger',),
    nodes=('DropStmt',),
    opt_in=True,
    reason='writes stop maintaining what the trigger kept in step',
    alternative="make sure no running code relies on the trigger's effect before dropping it",
)


def check(node: Node, lint: FileLint) -> None:
    if node.get("removeType") not in ('OBJECT_TRIGGER',):
        return
    for schema, name in drop_targets(node):
        lint.hit(RULE, f"DROP TRIGGER {label(schema, name)}: " + RULE.reason)
