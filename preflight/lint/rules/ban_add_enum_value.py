"""``ALTER TYPE ... ADD VALUE`` lets the new release write a value the running release cannot read.

Code of the running release that maps the enum to a closed set fails on rows carrying the new value. Opt-in,
like squawk's rule.

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
    id="ban-add-enum-value",
    kind="compat",
    squawk=('ban-add-enum-value',),
    nodes=('AlterEnumStmt',),
    opt_in=True,
    reason='a new enum value can reach code that does not know it',
    alternative='ship code that tolerates the new value before any code writes it',
)


def check(node: Node, lint: FileLint) -> None:
    if node.get("newVal") and not node.get("oldVal"):
        lint.hit(RULE, f"ADD VALUE '{node['newVal']}': " + RULE.reason)
