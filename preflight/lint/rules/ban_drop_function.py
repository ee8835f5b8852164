"""``DROP FUNCTION`` / ``DROP PROCEDURE`` breaks running code and objects that call it.

Queries of the running release, triggers, defaults and views that call the function fail (or, with CASCADE,
are dropped).

Example::

    DROP FUNCTION order_total(bigint);
"""

from __future__ import annotations

from preflight.lint.nodes import drop_targets, label

ID = "ban-drop-function"
KIND = "compat"
SQUAWK = ('ban-drop-function',)
NODES = ('DropStmt',)
REASON = 'running code and objects that call it fail'
ALTERNATIVE = ('first remove every caller (code, triggers, defaults), then drop the function in a later '
               'release')


def check(node, lint):
    if node.get("removeType") not in ('OBJECT_FUNCTION', 'OBJECT_PROCEDURE', 'OBJECT_ROUTINE', 'OBJECT_AGGREGATE'):
        return
    for schema, name in drop_targets(node):
        lint.hit(ID, f"DROP FUNCTION {label(schema, name)}: " + REASON, ALTERNATIVE)
