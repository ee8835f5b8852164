"""``DROP NOT NULL`` lets the new release write NULLs that the running release does not expect.

The old code may rely on the column never being NULL (a non-nullable field in its model) and fail on the rows
the new code writes.

Example::

    ALTER TABLE accounts ALTER COLUMN email DROP NOT NULL;
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.nodes import label
from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="ban-drop-not-null",
    kind="compat",
    squawk=("ban-drop-not-null",),
    nodes=("AlterTableStmt",),
    subtypes=frozenset({"AT_DropNotNull"}),
    reason="DROP NOT NULL lets NULLs reach code that does not expect them",
    alternative="first ship code that handles NULL in the column, then drop the constraint",
)


def check(node: Node, lint: FileLint) -> None:
    rel = lint.relation()
    if rel is None or lint.created_here(*rel):
        return
    for cmd in lint.cmds():
        if cmd.get("subtype") == "AT_DropNotNull":
            lint.hit(RULE, f"DROP NOT NULL on {label(*rel)}.{cmd.get('name', '')} lets NULLs reach code that does "
                     "not expect them")
