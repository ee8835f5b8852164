"""``ALTER VIEW ... SET (...)`` changes how the view checks and filters rows.

security_barrier, security_invoker and check_option change which rows readers see and which writes through the
view are accepted. Opt-in, like squawk's rule.

Example::

    ALTER VIEW active_users SET (security_invoker = true);
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="ban-alter-view-options",
    kind="compat",
    squawk=('ban-alter-view-options',),
    nodes=('AlterTableStmt',),
    subtypes=frozenset({"AT_SetRelOptions", "AT_ResetRelOptions"}),
    opt_in=True,
    reason="changing a view's options changes which rows it shows and accepts",
    alternative="test the view with the application's roles before the rollout",
)


def check(node: Node, lint: FileLint) -> None:
    if node.get("objtype") not in ("OBJECT_VIEW", "OBJECT_MATVIEW"):
        return
    for cmd in node.get("cmds", ()):
        if cmd.get("AlterTableCmd", {}).get("subtype") in ("AT_SetRelOptions", "AT_ResetRelOptions"):
            lint.hit(RULE, RULE.reason)
