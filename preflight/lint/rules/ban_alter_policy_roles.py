"""Changing the roles a policy applies to changes which rows those roles see.

Roles removed from a permissive policy lose access to its rows; roles added gain it. Opt-in, like squawk's
rule.

Example::

    ALTER POLICY tenant_isolation ON orders TO app_rw;
"""

from __future__ import annotations

ID = "ban-alter-policy-roles"
KIND = "compat"
SQUAWK = ('ban-alter-policy-roles',)
OPT_IN = True
NODES = ('AlterPolicyStmt',)
REASON = "changing a policy's roles changes which rows they see"
ALTERNATIVE = "review which roles gain or lose access, with the application's roles"


def check(node, lint):
    if node.get("roles"):
        lint.hit(ID, f"ALTER POLICY {node.get('policy_name', '')} TO ... changes which roles it applies to", ALTERNATIVE)
