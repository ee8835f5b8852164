"""``DROP VIEW`` / ``DROP MATERIALIZED VIEW`` breaks running code that queries the view.

The application version still running during the rollout may select from the view; its queries fail as soon as
the drop commits.

Example::

    DROP VIEW active_users;
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.nodes import drop_targets, label
from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="ban-drop-view",
    kind="compat",
    squawk=('ban-drop-view',),
    nodes=('DropStmt',),
    reason='running code that queries the view fails',
    alternative='first ship code that no longer uses the view, then drop it in a later release',
)


def check(node: Node, lint: FileLint) -> None:
    if node.get("removeType") not in ('OBJECT_VIEW', 'OBJECT_MATVIEW'):
        return
    for schema, name in drop_targets(node):
        lint.hit(RULE, f"DROP VIEW {label(schema, name)}: " + RULE.reason)
