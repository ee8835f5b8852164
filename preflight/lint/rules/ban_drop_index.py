"""``DROP INDEX`` can make the running application's queries slow, or let duplicates in.

Queries planned around the index fall back to scans; a unique index dropped stops enforcing uniqueness. Opt-
in, like squawk's rule; the lock it takes is require-concurrent-index-deletion's concern.

Example::

    DROP INDEX CONCURRENTLY orders_customer_idx;
"""

from __future__ import annotations

from preflight.lint.nodes import drop_targets, label

ID = "ban-drop-index"
KIND = "compat"
SQUAWK = ('ban-drop-index',)
OPT_IN = True
NODES = ('DropStmt',)
REASON = 'queries that used the index slow down'
ALTERNATIVE = 'check pg_stat_user_indexes that the index is unused (idx_scan) before dropping it'


def check(node, lint):
    if node.get("removeType") not in ('OBJECT_INDEX',):
        return
    for schema, name in drop_targets(node):
        lint.hit(ID, f"DROP INDEX {label(schema, name)}: " + REASON, ALTERNATIVE)
