"""A new constraint, ``SET NOT NULL`` or unique index can reject writes of the running application.

Even NOT VALID constraints apply to new writes at once: rows the running release inserts or updates that break
the new rule fail. Constraints on tables created earlier in the file are not reported. Opt-in, like squawk's
rule.

Example::

    ALTER TABLE orders ADD CONSTRAINT total_positive CHECK (total > 0) NOT VALID;
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.nodes import label
from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="ban-new-write-restriction",
    kind="compat",
    squawk=('ban-new-write-restriction',),
    nodes=('AlterTableStmt', 'IndexStmt'),
    subtypes=frozenset({"AT_AddConstraint", "AT_SetNotNull"}),
    opt_in=True,
    reason='a new restriction can reject writes of the running application',
    alternative='ship code that satisfies the restriction before adding it',
)


def check(node: Node, lint: FileLint) -> None:
    rel = lint.relation()
    if rel is None or lint.created_here(*rel):
        return
    if lint.stmt.kind == "IndexStmt":
        if node.get("unique"):
            lint.hit(RULE, f"a unique index on {label(*rel)} rejects duplicate writes")
        return
    for cmd in lint.cmds():
        if cmd.get("subtype") in ("AT_AddConstraint", "AT_SetNotNull"):
            lint.hit(RULE, f"a new restriction on {label(*rel)} can reject writes of the running application")
