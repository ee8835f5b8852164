"""``DROP EXPRESSION`` turns a generated column into a plain one that nothing keeps up to date.

Code that relied on the database computing the column now reads stale values for new and updated rows.

Example::

    ALTER TABLE orders ALTER COLUMN total DROP EXPRESSION;
"""

from __future__ import annotations

from preflight.lint.nodes import label

ID = "ban-drop-generated-expression"
KIND = "compat"
SQUAWK = ('ban-drop-generated-expression',)
NODES = ('AlterTableStmt',)
SUBTYPES = frozenset({"AT_DropExpression"})
REASON = 'the column stops being computed'
ALTERNATIVE = 'first ship code that writes the column itself, then drop the expression'


def check(node, lint):
    rel = lint.relation()
    if rel is None or lint.created_here(*rel):
        return
    for cmd in lint.cmds():
        if cmd.get("subtype") in ('AT_DropExpression',):
            lint.hit(ID, f"DROP EXPRESSION on {label(*rel)}.{cmd.get('name', '')}: the column stops being computed", ALTERNATIVE)
