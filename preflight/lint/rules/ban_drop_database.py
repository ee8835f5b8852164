"""``DROP DATABASE`` destroys a whole database.

A migration has no business dropping a database: every table, row and object in it is gone. The statement also
cannot run inside a transaction block.

Example::

    DROP DATABASE analytics;
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="ban-drop-database",
    kind="data-loss",
    squawk=("ban-drop-database",),
    nodes=("DropdbStmt",),
    reason="DROP DATABASE destroys a whole database",
    alternative="drop databases by hand, after a backup, never from an application migration",
)


def check(node: Node, lint: FileLint) -> None:
    lint.hit(RULE, f"DROP DATABASE {node.get('dbname', '')} destroys a whole database")
