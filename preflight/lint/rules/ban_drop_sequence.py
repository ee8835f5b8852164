"""``DROP SEQUENCE`` breaks the defaults and code that draw values from it.

Column defaults calling nextval() on it, and running code that does, fail; the sequence's position is lost, so
recreating it may reissue identifiers.

Example::

    DROP SEQUENCE invoice_number_seq;
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.nodes import drop_targets, label
from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="ban-drop-sequence",
    kind="compat",
    squawk=('ban-drop-sequence',),
    nodes=('DropStmt',),
    reason='defaults and code that draw values from it fail',
    alternative="remove every use (defaults, code) first; keep the sequence's last value if it may come back",
)


def check(node: Node, lint: FileLint) -> None:
    if node.get("removeType") not in ('OBJECT_SEQUENCE',):
        return
    for schema, name in drop_targets(node):
        lint.hit(RULE, f"DROP SEQUENCE {label(schema, name)}: " + RULE.reason)
