"""``SET EXPRESSION`` on a generated column rewrites the table and changes stored values.

Changing a stored generated column's expression (PostgreSQL 17 and later) recomputes every row under an ACCESS
EXCLUSIVE lock, and running code sees different values. Opt-in, like squawk's rule.

Example::

    ALTER TABLE orders ALTER COLUMN total SET EXPRESSION AS (price * quantity);
"""

from __future__ import annotations

from preflight.lint.nodes import label

ID = "ban-alter-generated-expression"
KIND = "compat"
SQUAWK = ('ban-alter-generated-expression',)
OPT_IN = True
NODES = ('AlterTableStmt',)
SUBTYPES = frozenset({"AT_SetExpression"})
REASON = "changing a generated column's expression rewrites the table"
ALTERNATIVE = ('add a new generated column with the new expression, switch readers to it, then drop the old '
               'one')


def check(node, lint):
    rel = lint.relation()
    if rel is None or lint.created_here(*rel):
        return
    for cmd in lint.cmds():
        if cmd.get("subtype") in ('AT_SetExpression',):
            lint.hit(ID, f"SET EXPRESSION on {label(*rel)}.{cmd.get('name', '')} rewrites the table and changes its values", ALTERNATIVE)
