"""Renaming a table breaks the application version that is still running.

Every query of the old code that names the table fails as soon as the rename commits.

Example::

    ALTER TABLE customer RENAME TO customers;
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.nodes import label
from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="renaming-table",
    kind="compat",
    squawk=("renaming-table",),
    nodes=("RenameStmt",),
    reason="renaming a table breaks the running application's queries that name it",
    alternative="rename the table and create a view with the old name in the same transaction, then drop the view "
                "once no code uses the old name",
)


def check(node: Node, lint: FileLint) -> None:
    if node.get("renameType") != "OBJECT_TABLE":
        return
    rel = lint.relation()
    if rel is None or lint.created_here(*rel):
        return
    lint.hit(RULE, f"RENAME {label(*rel)} TO {node.get('newname', '')} breaks running code that names the old table")
