"""``ALTER DATABASE`` changes settings for every session of the database.

A per-database setting or connection limit applies to every client, not only this application. Opt-in, like
squawk's rule.

Example::

    ALTER DATABASE app SET search_path = app, public;
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="ban-alter-database-options",
    kind="compat",
    squawk=('ban-alter-database-options',),
    nodes=('AlterDatabaseStmt', 'AlterDatabaseSetStmt'),
    opt_in=True,
    reason='changing database options affects every session',
    alternative='change database settings outside application migrations',
)


def check(node: Node, lint: FileLint) -> None:
    lint.hit(RULE, RULE.reason)
