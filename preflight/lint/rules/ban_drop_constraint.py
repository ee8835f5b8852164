"""``DROP CONSTRAINT`` stops the database from enforcing an invariant the running code may rely on.

Once a check, unique or foreign key constraint is gone, the new release (or a bug) can write rows the old
release cannot handle, and re-adding the constraint later needs a full validation.

Example::

    ALTER TABLE orders DROP CONSTRAINT orders_total_positive;
"""

from __future__ import annotations

from preflight.lint.nodes import label

ID = "ban-drop-constraint"
KIND = "compat"
SQUAWK = ('ban-drop-constraint',)
NODES = ('AlterTableStmt',)
SUBTYPES = frozenset({"AT_DropConstraint"})
REASON = 'dropping a constraint stops enforcing an invariant'
ALTERNATIVE = ('make sure no code relies on the invariant; to replace a constraint, add the new one (NOT '
               'VALID, then VALIDATE) before dropping the old')


def check(node, lint):
    rel = lint.relation()
    if rel is None or lint.created_here(*rel):
        return
    for cmd in lint.cmds():
        if cmd.get("subtype") in ('AT_DropConstraint',):
            lint.hit(ID, f"DROP CONSTRAINT {cmd.get('name', '')} on {label(*rel)} stops enforcing its invariant", ALTERNATIVE)
