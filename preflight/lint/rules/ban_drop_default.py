"""``DROP DEFAULT`` breaks running code that inserts without the column.

Inserts of the running release that omit the column now write NULL, or fail on a NOT NULL column.

Example::

    ALTER TABLE orders ALTER COLUMN status DROP DEFAULT;
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.nodes import label
from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="ban-drop-default",
    kind="compat",
    squawk=('ban-drop-default',),
    nodes=('AlterTableStmt',),
    subtypes=frozenset({"AT_ColumnDefault"}),
    reason='inserts that omit the column write NULL or fail',
    alternative='first ship code that always sets the column, then drop the default',
)


def check(node: Node, lint: FileLint) -> None:
    rel = lint.relation()
    if rel is None or lint.created_here(*rel):
        return
    for cmd in lint.cmds():
        if cmd.get("subtype") == "AT_ColumnDefault" and not cmd.get("def"):
            lint.hit(RULE, f"DROP DEFAULT on {label(*rel)}.{cmd.get('name', '')}: inserts that omit the column write NULL or fail")
