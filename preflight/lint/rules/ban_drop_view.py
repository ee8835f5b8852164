"""``DROP VIEW`` / ``DROP MATERIALIZED VIEW`` breaks running code that queries the view.

The application version still running during the rollout may select from the view; its queries fail as soon as
the drop commits.

Example::

    DROP VIEW active_users;
"""

from __future__ import annotations

from preflight.lint.nodes import drop_targets, label

ID = "ban-drop-view"
KIND = "compat"
SQUAWK = ('ban-drop-view',)
NODES = ('DropStmt',)
REASON = 'running code that queries the view fails'
ALTERNATIVE = 'first ship code that no longer uses the view, then drop it in a later release'


def check(node, lint):
    if node.get("removeType") not in ('OBJECT_VIEW', 'OBJECT_MATVIEW'):
        return
    for schema, name in drop_targets(node):
        lint.hit(ID, f"DROP VIEW {label(schema, name)}: " + REASON, ALTERNATIVE)
