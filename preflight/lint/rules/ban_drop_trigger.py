"""``DROP TRIGGER`` silently stops behaviour the running application may rely on.

A trigger keeps derived data, audit rows or invariants in step; once dropped, writes of the running release
stop maintaining them. Opt-in, like squawk's rule.

Example::

    DROP TRIGGER orders_audit ON orders;
"""

from __future__ import annotations

from preflight.lint.nodes import drop_targets, label

ID = "ban-drop-trigger"
KIND = "compat"
SQUAWK = ('ban-drop-trigger',)
OPT_IN = True
NODES = ('DropStmt',)
REASON = 'writes stop maintaining what the trigger kept in step'
ALTERNATIVE = "make sure no running code relies on the trigger's effect before dropping it"


def check(node, lint):
    if node.get("removeType") not in ('OBJECT_TRIGGER',):
        return
    for schema, name in drop_targets(node):
        lint.hit(ID, f"DROP TRIGGER {label(schema, name)}: " + REASON, ALTERNATIVE)
