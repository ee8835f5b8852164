"""``SET DEFAULT`` changes what inserts that omit the column write.

Rows inserted by the running release without the column get the new default, which it may not expect. Opt-in,
like squawk's rule.

Example::

    ALTER TABLE orders ALTER COLUMN status SET DEFAULT 'new';
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.nodes import label
from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="ban-set-default",
    kind="compat",
    squawk=('ban-set-default',),
    nodes=('AlterTableStmt',),
    subtypes=frozenset({"AT_ColumnDefault"}),
    opt_in=True,
    reason='inserts that omit the column get a new value',
    alternative='make sure every writer expects the new default',
)


def check(node: Node, lint: FileLint) -> None:
    rel = lint.relation()
    if rel is None or lint.created_here(*rel):
        return
    for cmd in lint.cmds():
        if cmd.get("subtype") == "AT_ColumnDefault" and cmd.get("def"):
            lint.hit(RULE, f"SET DEFAULT on {label(*rel)}.{cmd.get('name', '')} changes what inserts that omit the column write")
