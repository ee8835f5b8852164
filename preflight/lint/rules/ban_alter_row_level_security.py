"""Enabling, disabling or forcing row-level security changes which rows each role sees.

With RLS enabled and no matching policy, the running application's role sees no rows at all; disabling it
exposes every row. Opt-in, like squawk's rule.

Example::

    ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
"""

from __future__ import annotations

from preflight.lint.nodes import label

ID = "ban-alter-row-level-security"
KIND = "compat"
SQUAWK = ('ban-alter-row-level-security',)
OPT_IN = True
NODES = ('AlterTableStmt',)
SUBTYPES = frozenset({"AT_EnableRowSecurity", "AT_DisableRowSecurity", "AT_ForceRowSecurity", "AT_NoForceRowSecurity"})
REASON = 'row-level security changes which rows roles see'
ALTERNATIVE = "create the policies first and test them with the application's role"


def check(node, lint):
    rel = lint.relation()
    if rel is None or lint.created_here(*rel):
        return
    for cmd in lint.cmds():
        if cmd.get("subtype") in ('AT_EnableRowSecurity', 'AT_DisableRowSecurity', 'AT_ForceRowSecurity', 'AT_NoForceRowSecurity'):
            lint.hit(ID, f"changing row-level security on {label(*rel)} changes which rows roles see", ALTERNATIVE)
