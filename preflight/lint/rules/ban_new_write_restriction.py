"""A new constraint, ``SET NOT NULL`` or unique index can reject writes of the running application.

Even NOT VALID constraints apply to new writes at once: rows the running release inserts or updates that break
the new rule fail. Constraints on tables created earlier in the file are not reported. Opt-in, like squawk's
rule.

Example::

    ALTER TABLE orders ADD CONSTRAINT total_positive CHECK (total > 0) NOT VALID;
"""

from __future__ import annotations

from preflight.lint.nodes import label

ID = "ban-new-write-restriction"
KIND = "compat"
SQUAWK = ('ban-new-write-restriction',)
OPT_IN = True
NODES = ('AlterTableStmt', 'IndexStmt')
SUBTYPES = frozenset({"AT_AddConstraint", "AT_SetNotNull"})
REASON = 'a new restriction can reject writes of the running application'
ALTERNATIVE = 'ship code that satisfies the restriction before adding it'


def check(node, lint):
    rel = lint.relation()
    if rel is None or lint.created_here(*rel):
        return
    if lint.stmt.kind == "IndexStmt":
        if node.get("unique"):
            lint.hit(ID, f"a unique index on {label(*rel)} rejects duplicate writes", ALTERNATIVE)
        return
    for cmd in lint.cmds():
        if cmd.get("subtype") in ("AT_AddConstraint", "AT_SetNotNull"):
            lint.hit(ID, f"a new restriction on {label(*rel)} can reject writes of the running application", ALTERNATIVE)
