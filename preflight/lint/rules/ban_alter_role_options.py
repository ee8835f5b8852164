"""``ALTER ROLE`` changes a role's attributes or settings for every session.

NOLOGIN, a new password, CONNECTION LIMIT or a per-role setting can lock the running application out or change
its behaviour. Opt-in, like squawk's rule.

Example::

    ALTER ROLE app_rw SET statement_timeout = '1s';
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="ban-alter-role-options",
    kind="compat",
    squawk=('ban-alter-role-options',),
    nodes=('AlterRoleStmt', 'AlterRoleSetStmt'),
    opt_in=True,
    reason="changing a role's options affects every session of that role",
    alternative='change roles outside application migrations, with the owners of every client',
)


def check(node: Node, lint: FileLint) -> None:
    lint.hit(RULE, RULE.reason)
