"""``DROP EXPRESSION`` turns a generated column into a plain one that nothing keeps up to date.

Code that relied on the database computing the column now reads stale values for new and updated rows.

Example::

    ALTER TABLE orders ALTER COLUMN total DROP EXPRESSION;
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.nodes import label
from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="ban-drop-generated-expression",
    kind="compat",
    squawk=('ban-drop-generated-expression',),
    nodes=('AlterTableStmt',),
    subtypes=frozenset({"AT_DropExpression"}),
    reason='the column stops being computed',
    alternative='first ship code that writes the column itself, then drop the expression',
)


def check(node: Node, lint: FileLint) -> None:
    rel = lint.relation()
    if rel is None or lint.created_here(*rel):
        return
    for cmd in lint.cmds():
        if cmd.get("subtype") in ('AT_DropExpression',):
            lint.hit(RULE, f"DROP EXPRESSION on {label(*rel)}.{cmd.get('name', '')}: the column stops being computed")
