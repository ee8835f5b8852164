"""Changing the roles a policy applies to changes which rows those roles see.

Roles removed from a permissive policy lose access to its rows; roles added gain it. Opt-in, like squawk's
rule.

Example::

    ALTER POLICY tenant_isolation ON orders TO app_rw;
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="ban-alter-policy-roles",
    kind="compat",
    squawk=('ban-alter-policy-roles',),
    nodes=('AlterPolicyStmt',),
    opt_in=True,
    reason="changing a policy's roles changes which rows they see",
    alternative="review which roles gain or lose access, with the application's roles",
)


def check(node: Node, lint: FileLint) -> None:
    if node.get("roles"):
        lint.hit(RULE, f"ALTER POLICY {node.get('policy_name', '')} TO ... changes which roles it applies to")
