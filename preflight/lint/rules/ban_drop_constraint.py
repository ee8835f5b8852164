"""``DROP CONSTRAINT`` stops the database from enforcing an invariant the running code may rely on.

Once a check, unique or foreign key constraint is gone, the new release (or a bug) can write rows the old
release cannot handle, and re-adding the constraint later needs a full validation.

Example::

    ALTER TABLE orders DROP CONSTRAINT orders_total_positive;
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.nodes import label
from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="ban-drop-constraint",
    kind="compat",
    squawk=('ban-drop-constraint',),
    nodes=('AlterTableStmt',),
    subtypes=frozenset({"AT_DropConstraint"}),
    reason='dropping a constraint stops enforcing an invariant',
    alternative='make sure no code relies on the invariant; to replace a constraint, add the new one (NOT '
                'VALID, then VALIDATE) before dropping the old',
)


def check(node: Node, lint: FileLint) -> None:
    rel = lint.relation()
    if rel is None or lint.created_here(*rel):
        return
    for cmd in lint.cmds():
        if cmd.get("subtype") in ('AT_DropConstraint',):
            lint.hit(RULE, f"DROP CONSTRAINT {cmd.get('name', '')} on {label(*rel)} stops enforcing its invariant")
