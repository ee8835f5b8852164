"""``DROP POLICY`` changes which rows each role can see or write.

Removing a row-level security policy can hide rows from, or expose rows to, the running application's roles.
Opt-in, like squawk's rule.

Example::

    DROP POLICY tenant_isolation ON orders;
"""

from __future__ import annotations

from preflight.lint.nodes import drop_targets, label

ID = "ban-drop-policy"
KIND = "compat"
SQUAWK = ('ban-drop-policy',)
OPT_IN = True
NODES = ('DropStmt',)
REASON = 'row visibility changes for the running application'
ALTERNATIVE = 'replace the policy with its successor in the same transaction, and review the access it grants'


def check(node, lint):
    if node.get("removeType") not in ('OBJECT_POLICY',):
        return
    for schema, name in drop_targets(node):
        lint.hit(ID, f"DROP POLICY {label(schema, name)}: " + REASON, ALTERNATIVE)
