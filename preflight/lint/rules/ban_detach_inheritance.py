"""``DETACH PARTITION`` and ``NO INHERIT`` remove rows from what queries on the parent table see.

Running code that reads the parent stops seeing the detached child's rows. Opt-in, like squawk's rule.

Example::

    ALTER TABLE measurements DETACH PARTITION measurements_2019 CONCURRENTLY;
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.nodes import label
from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="ban-detach-inheritance",
    kind="compat",
    squawk=('ban-detach-inheritance',),
    nodes=('AlterTableStmt',),
    subtypes=frozenset({"AT_DetachPartition", "AT_DropInherit"}),
    opt_in=True,
    reason='detaching a child removes its rows from the parent',
    alternative='update code that reads the parent before detaching the child',
)


def check(node: Node, lint: FileLint) -> None:
    rel = lint.relation()
    if rel is None or lint.created_here(*rel):
        return
    for cmd in lint.cmds():
        if cmd.get("subtype") in ('AT_DetachPartition', 'AT_DropInherit'):
            lint.hit(RULE, f"detaching from {label(*rel)} removes the child's rows from queries on it")
