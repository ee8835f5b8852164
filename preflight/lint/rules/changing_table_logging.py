"""``SET LOGGED`` and ``SET UNLOGGED`` rewrite the table under an ``ACCESS EXCLUSIVE`` lock.

Turning write-ahead logging on or off for a table is not a flag: PostgreSQL copies the table and its indexes
into new files of the other kind, blocking every read and write meanwhile (``SET LOGGED`` also writes the
whole table to the WAL, which its replicas then replay). A table that already has the asked-for kind is left
alone. Without the database the lint cannot tell, and says the statement rewrites.

Example::

    ALTER TABLE drafts SET UNLOGGED;
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.nodes import label
from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="changing-table-logging",
    kind="lock",
    nodes=("AlterTableStmt",),
    subtypes=frozenset({"AT_SetLogged", "AT_SetUnLogged"}),
    reason="SET LOGGED and SET UNLOGGED rewrite the table under an ACCESS EXCLUSIVE lock",
    alternative="create the table with the wanted kind from the start; for a table that holds data, copy it into "
                "a new table of that kind in batches and switch the application to it",
)


def check(node: Node, lint: FileLint) -> None:
    rel = lint.relation()
    if rel is None or lint.created_here(*rel):
        return
    for cmd in lint.cmds():
        words = {"AT_SetLogged": "SET LOGGED", "AT_SetUnLogged": "SET UNLOGGED"}.get(cmd.get("subtype", ""))
        if words:
            lint.hit(RULE, f"{words} on {label(*rel)} rewrites the table under an ACCESS EXCLUSIVE lock",
                     target=("table", rel[0], rel[1]))
