"""``ALTER SYSTEM`` changes the server's configuration.

It writes postgresql.auto.conf for the whole server and cannot run in a transaction block. Opt-in, like
squawk's rule.

Example::

    ALTER SYSTEM SET work_mem = '256MB';
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="ban-alter-system-options",
    kind="compat",
    squawk=('ban-alter-system-options',),
    nodes=('AlterSystemStmt',),
    opt_in=True,
    reason="ALTER SYSTEM changes the whole server's configuration",
    alternative='manage server configuration outside application migrations',
)


def check(node: Node, lint: FileLint) -> None:
    lint.hit(RULE, RULE.reason)
