"""Changing a policy's ``USING`` / ``WITH CHECK`` condition changes which rows roles see and write.

Row-level security conditions decide visibility; the running application may suddenly see fewer or more rows,
or have writes rejected. Opt-in, like squawk's rule.

Example::

    ALTER POLICY tenant_isolation ON orders USING (tenant_id = current_tenant());
"""

from __future__ import annotations

ID = "ban-alter-policy-condition"
KIND = "compat"
SQUAWK = ('ban-alter-policy-condition',)
OPT_IN = True
NODES = ('AlterPolicyStmt',)
REASON = 'changing a policy condition changes which rows roles see and write'
ALTERNATIVE = "test the new condition with the application's roles before the rollout"


def check(node, lint):
    if node.get("qual") or node.get("with_check"):
        lint.hit(ID, f"ALTER POLICY {node.get('policy_name', '')} changes which rows roles see and write", ALTERNATIVE)
