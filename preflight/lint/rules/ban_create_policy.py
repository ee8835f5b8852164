"""``CREATE POLICY`` changes which rows roles see on a table with row-level security.

A new permissive policy exposes rows; a restrictive one hides them from the running application. Opt-in, like
squawk's rule.

Example::

    CREATE POLICY tenant_isolation ON orders USING (tenant_id = current_tenant());
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="ban-create-policy",
    kind="compat",
    squawk=('ban-create-policy',),
    nodes=('CreatePolicyStmt',),
    opt_in=True,
    reason='a new policy changes which rows roles see',
    alternative="test the policy with the application's roles before the rollout",
)


def check(node: Node, lint: FileLint) -> None:
    lint.hit(RULE, f"CREATE POLICY {node.get('policy_name', '')} changes which rows roles see")
