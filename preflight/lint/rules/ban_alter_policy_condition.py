"""Changing a policy's ``USING`` / ``WITH CHECK`` condition changes which rows roles see and write.

Row-level security conditions decide visibility; the running application may suddenly see fewer or more rows,
or have writes rejected. Opt-in, like squawk's rule.

Example::

    ALTER POLICY tenant_isolation ON orders USING (tenant_id = current_tenant());
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="ban-alter-policy-condition",
    kind="compat",
    squawk=('ban-alter-policy-condition',),
    nodes=('AlterPolicyStmt',),
    opt_in=True,
    reason='changing a policy condition changes which rows roles see and write',
    alternative="test the new condition with the application's roles before the rollout",
)


def check(node: Node, lint: FileLint) -> None:
    if node.get("qual") or node.get("with_check"):
        lint.hit(RULE, f"ALTER POLICY {node.get('policy_name', '')} changes which rows roles see and write")
