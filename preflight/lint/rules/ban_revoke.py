"""``REVOKE`` can take away privileges the running application needs.

Queries of the running release fail with permission denied as soon as the revoke commits. Opt-in, like
squawk's rule.

Example::

    REVOKE UPDATE ON orders FROM app_rw;
"""

from __future__ import annotations

ID = "ban-revoke"
KIND = "compat"
SQUAWK = ('ban-revoke',)
OPT_IN = True
NODES = ('GrantStmt', 'GrantRoleStmt')
REASON = 'REVOKE can take away privileges the running application needs'
ALTERNATIVE = 'revoke only after every release that needs the privilege is gone'


def check(node, lint):
    if node.get("is_grant"):
        return
    lint.hit(ID, REASON, ALTERNATIVE)
