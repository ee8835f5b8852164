"""``REVOKE`` can take away privileges the running application needs.

Queries of the running release fail with permission denied as soon as the revoke commits. Opt-in, like
squawk's rule.

Example::

    REVOKE UPDATE ON orders FROM app_rw;
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="ban-revoke",
    kind="compat",
    squawk=('ban-revoke',),
    nodes=('GrantStmt', 'GrantRoleStmt'),
    opt_in=True,
    reason='REVOKE can take away privileges the running application needs',
    alternative='revoke only after every release that needs the privilege is gone',
)


def check(node: Node, lint: FileLint) -> None:
    if node.get("is_grant"):
        return
    lint.hit(RULE, RULE.reason)
