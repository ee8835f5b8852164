"""``DROP EXTENSION`` removes the types, functions and operators the extension provides.

Columns of the extension's types, indexes using its operator classes and code calling its functions break;
with CASCADE they are dropped with their data.

Example::

    DROP EXTENSION pg_trgm;
"""

from __future__ import annotations

from preflight.lint.nodes import drop_targets, label

ID = "ban-drop-extension"
KIND = "compat"
SQUAWK = ('ban-drop-extension',)
NODES = ('DropStmt',)
REASON = 'objects and code that use the extension break'
ALTERNATIVE = 'remove every use of the extension first, then drop it without CASCADE'


def check(node, lint):
    if node.get("removeType") not in ('OBJECT_EXTENSION',):
        return
    for schema, name in drop_targets(node):
        lint.hit(ID, f"DROP EXTENSION {label(schema, name)}: " + REASON, ALTERNATIVE)
