"""``CREATE POLICY`` changes which rows roles see on a table with row-level security.

A new permissive policy exposes rows; a restrictive one hides them from the running application. Opt-in, like
squawk's rule.

Example::

    CREATE POLICY tenant_isolation ON orders USING (tenant_id = current_tenant());
"""

from __future__ import annotations

ID = "ban-create-policy"
KIND = "compat"
SQUAWK = ('ban-create-policy',)
OPT_IN = True
NODES = ('CreatePolicyStmt',)
REASON = 'a new policy changes which rows roles see'
ALTERNATIVE = "test the policy with the application's roles before the rollout"


def check(node, lint):
    lint.hit(ID, f"CREATE POLICY {node.get('policy_name', '')} changes which rows roles see", ALTERNATIVE)
