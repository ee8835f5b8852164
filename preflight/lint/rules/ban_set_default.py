"""``SET DEFAULT`` changes what inserts that omit the column write.

Rows inserted by the running release without the column get the new default, which it may not expect. Opt-in,
like squawk's rule.

Example::

    ALTER TABLE orders ALTER COLUMN status SET DEFAULT 'new';
"""

from __future__ import annotations

from preflight.lint.nodes import label

ID = "ban-set-default"
KIND = "compat"
SQUAWK = ('ban-set-default',)
OPT_IN = True
NODES = ('AlterTableStmt',)
SUBTYPES = frozenset({"AT_ColumnDefault"})
REASON = 'inserts that omit the column get a new value'
ALTERNATIVE = 'make sure every writer expects the new default'


def check(node, lint):
    rel = lint.relation()
    if rel is None or lint.created_here(*rel):
        return
    for cmd in lint.cmds():
        if cmd.get("subtype") == "AT_ColumnDefault" and cmd.get("def"):
            lint.hit(ID, f"SET DEFAULT on {label(*rel)}.{cmd.get('name', '')} changes what inserts that omit the column write", ALTERNATIVE)
