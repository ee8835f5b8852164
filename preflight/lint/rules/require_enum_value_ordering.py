"""``ALTER TYPE ... ADD VALUE`` without ``BEFORE`` / ``AFTER`` puts the value last in the enum's order.

Enum values compare by their declared order (ORDER BY, <, >); a value appended at the end may sort wrongly.
Say where it goes.

Example::

    ALTER TYPE order_status ADD VALUE 'refunded';
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="require-enum-value-ordering",
    kind="compat",
    squawk=('require-enum-value-ordering',),
    nodes=('AlterEnumStmt',),
    reason='the new enum value goes last in the sort order',
    alternative="ALTER TYPE ... ADD VALUE 'x' BEFORE 'y' (or AFTER 'y')",
)


def check(node: Node, lint: FileLint) -> None:
    if node.get("newVal") and not node.get("oldVal") and not node.get("newValNeighbor"):
        lint.hit(RULE, f"ADD VALUE '{node['newVal']}' without BEFORE/AFTER puts it last in the sort order")
