"""``SET EXPRESSION`` on a generated column rewrites the table and changes stored values.

Changing a stored generated column's expression (PostgreSQL 17 and later) recomputes every row under an ACCESS
EXCLUSIVE lock, and running code sees different values. Opt-in, like squawk's rule.

Example::

    ALTER TABLE orders ALTER COLUMN total SET EXPRESSION AS (price * quantity);
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.nodes import label
from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="ban-alter-generated-expression",
    kind="compat",
    squawk=('ban-alter-generated-expression',),
    nodes=('AlterTableStmt',),
    subtypes=frozenset({"AT_SetExpression"}),
    opt_in=True,
    reason="changing a generated column's expression rewrites the table",
    alternative='add a new generated column with the new expression, switch readers to it, then drop the old '
                'one',
)


def check(node: Node, lint: FileLint) -> None:
    rel = lint.relation()
    if rel is None or lint.created_here(*rel):
        return
    for cmd in lint.cmds():
        if cmd.get("subtype") in ('AT_SetExpression',):
            lint.hit(RULE, f"SET EXPRESSION on {label(*rel)}.{cmd.get('name', '')} rewrites the table and changes its values")
