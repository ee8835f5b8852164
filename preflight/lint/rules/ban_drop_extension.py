"""``DROP EXTENSION`` removes the types, functions and operators the extension provides.

Columns of the extension's types, indexes using its operator classes and code calling its functions break;
with CASCADE they are dropped with their data.

Example::

    DROP EXTENSION pg_trgm;
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.nodes import drop_targets, label
from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="ban-drop-extension",
    kind="compat",
    squawk=('ban-drop-extension',),
    nodes=('DropStmt',),
    reason='objects and code that use the extension break',
    alternative='remove every use of the extension first, then drop it without CASCADE',
)


def check(node: Node, lint: FileLint) -> None:
    if node.get("removeType") not in ('OBJECT_EXTENSION',):
        return
    for schema, name in drop_targets(node):
        lint.hit(RULE, f"DROP EXTENSION {label(schema, name)}: " + RULE.reason)
