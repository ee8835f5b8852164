"""``DROP NOT NULL`` lets the new release write NULLs that the running release does not expect.

The old code may rely on the column never being NULL (a non-nullable field in its model) and fail on the rows
the new code writes.

Example::

    ALTER TABLE accounts ALTER COLUMN email DROP NOT NULL;
"""

from __future__ import annotations

from preflight.lint.nodes import label

ID = "ban-drop-not-null"
KIND = "compat"
SQUAWK = ("ban-drop-not-null",)
NODES = ("AlterTableStmt",)
SUBTYPES = frozenset({"AT_DropNotNull"})
REASON = "DROP NOT NULL lets NULLs reach code that does not expect them"
ALTERNATIVE = "first ship code that handles NULL in the column, then drop the constraint"


def check(node, lint):
    rel = lint.relation()
    if rel is None or lint.created_here(*rel):
        return
    for cmd in lint.cmds():
        if cmd.get("subtype") == "AT_DropNotNull":
            lint.hit(ID, f"DROP NOT NULL on {label(*rel)}.{cmd.get('name', '')} lets NULLs reach code that does "
                     "not expect them", ALTERNATIVE)
