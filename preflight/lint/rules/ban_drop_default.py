"""``DROP DEFAULT`` breaks running code that inserts without the column.

Inserts of the running release that omit the column now write NULL, or fail on a NOT NULL column.

Example::

    ALTER TABLE orders ALTER COLUMN status DROP DEFAULT;
"""

from __future__ import annotations

from preflight.lint.nodes import label

ID = "ban-drop-default"
KIND = "compat"
SQUAWK = ('ban-drop-default',)
NODES = ('AlterTableStmt',)
SUBTYPES = frozenset({"AT_ColumnDefault"})
REASON = 'inserts that omit the column write NULL or fail'
ALTERNATIVE = 'first ship code that always sets the column, then drop the default'


def check(node, lint):
    rel = lint.relation()
    if rel is None or lint.created_here(*rel):
        return
    for cmd in lint.cmds():
        if cmd.get("subtype") == "AT_ColumnDefault" and not cmd.get("def"):
            lint.hit(ID, f"DROP DEFAULT on {label(*rel)}.{cmd.get('name', '')}: inserts that omit the column write NULL or fail", ALTERNATIVE)
