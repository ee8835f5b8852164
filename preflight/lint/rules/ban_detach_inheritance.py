"""``DETACH PARTITION`` and ``NO INHERIT`` remove rows from what queries on the parent table see.

Running code that reads the parent stops seeing the detached child's rows. Opt-in, like squawk's rule.

Example::

    ALTER TABLE measurements DETACH PARTITION measurements_2019 CONCURRENTLY;
"""

from __future__ import annotations

from preflight.lint.nodes import label

ID = "ban-detach-inheritance"
KIND = "compat"
SQUAWK = ('ban-detach-inheritance',)
OPT_IN = True
NODES = ('AlterTableStmt',)
SUBTYPES = frozenset({"AT_DetachPartition", "AT_DropInherit"})
REASON = 'detaching a child removes its rows from the parent'
ALTERNATIVE = 'update code that reads the parent before detaching the child'


def check(node, lint):
    rel = lint.relation()
    if rel is None or lint.created_here(*rel):
        return
    for cmd in lint.cmds():
        if cmd.get("subtype") in ('AT_DetachPartition', 'AT_DropInherit'):
            lint.hit(ID, f"detaching from {label(*rel)} removes the child's rows from queries on it", ALTERNATIVE)
