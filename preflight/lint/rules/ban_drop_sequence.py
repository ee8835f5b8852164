"""``DROP SEQUENCE`` breaks the defaults and code that draw values from it.

Column defaults calling nextval() on it, and running code that does, fail; the sequence's position is lost, so
recreating it may reissue identifiers.

Example::

    DROP SEQUENCE invoice_number_seq;
"""

from __future__ import annotations

from preflight.lint.nodes import drop_targets, label

ID = "ban-drop-sequence"
KIND = "compat"
SQUAWK = ('ban-drop-sequence',)
NODES = ('DropStmt',)
REASON = 'defaults and code that draw values from it fail'
ALTERNATIVE = "remove every use (defaults, code) first; keep the sequence's last value if it may come back"


def check(node, lint):
    if node.get("removeType") not in ('OBJECT_SEQUENCE',):
        return
    for schema, name in drop_targets(node):
        lint.hit(ID, f"DROP SEQUENCE {label(schema, name)}: " + REASON, ALTERNATIVE)
