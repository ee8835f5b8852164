"""Renaming a column breaks the application version that is still running.

During a rollout the old code keeps running against the new schema: every query that names the old column fails
until the last old instance is gone.

Example::

    ALTER TABLE accounts RENAME COLUMN mail TO email;
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.nodes import label
from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="renaming-column",
    kind="compat",
    squawk=("renaming-column",),
    nodes=("RenameStmt",),
    reason="renaming a column breaks the running application's queries that name it",
    alternative="add the new column, write both, backfill, switch reads, then drop the old column "
                "(expand/contract); or rename behind a view",
)


def check(node: Node, lint: FileLint) -> None:
    if node.get("renameType") != "OBJECT_COLUMN":
        return
    rel = lint.relation()
    if rel is None or lint.created_here(*rel):
        return
    lint.hit(RULE, f"RENAME COLUMN {node.get('subname', '')} TO {node.get('newname', '')} on {label(*rel)} breaks "
             "running code that names the old column")
