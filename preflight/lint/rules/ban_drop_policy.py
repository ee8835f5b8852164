"""``DROP POLICY`` changes which rows each role can see or write.

Removing a row-level security policy can hide rows from, or expose rows to, the running application's roles.
Opt-in, like squawk's rule.

Example::

    DROP POLICY tenant_isolation ON orders;
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.nodes import drop_targets, label
from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="ban-drop-policy",
    kind="compat",
    squawk=('ban-drop-policy',),
    nodes=('DropStmt',),
    opt_in=True,
    reason='row visibility changes for the running application',
    alternative='replace the policy with its successor in the same transaction, and review the access it grants',
)


def check(node: Node, lint: FileLint) -> None:
    if node.get("removeType") not in ('OBJECT_POLICY',):
        return
    for schema, name in drop_targets(node):
        lint.hit(RULE, f"DROP POLICY {label(schema, name)}: " + RULE.reason)
