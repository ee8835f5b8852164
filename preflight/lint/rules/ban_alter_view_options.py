"""``ALTER VIEW ... SET (...)`` changes how the view checks and filters rows.

security_barrier, security_invoker and check_option change which rows readers see and which writes through the
view are accepted. Opt-in, like squawk's rule.

Example::

    ALTER VIEW active_users SET (security_invoker = true);
"""

from __future__ import annotations

ID = "ban-alter-view-options"
KIND = "compat"
SQUAWK = ('ban-alter-view-options',)
OPT_IN = True
NODES = ('AlterTableStmt',)
SUBTYPES = frozenset({"AT_SetRelOptions", "AT_ResetRelOptions"})
REASON = "changing a view's options changes which rows it shows and accepts"
ALTERNATIVE = "test the view with the application's roles before the rollout"


def check(node, lint):
    if node.get("objtype") not in ("OBJECT_VIEW", "OBJECT_MATVIEW"):
        return
    for cmd in node.get("cmds", ()):
        if cmd.get("AlterTableCmd", {}).get("subtype") in ("AT_SetRelOptions", "AT_ResetRelOptions"):
            lint.hit(ID, REASON, ALTERNATIVE)
