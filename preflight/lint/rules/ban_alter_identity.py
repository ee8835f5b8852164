"""Changing a column's identity (``ADD``/``SET``/``DROP IDENTITY``) changes how new rows get their ids.

Dropping the identity makes inserts without the column fail or write NULL; adding or changing it can make
inserts that pass explicit ids fail (GENERATED ALWAYS) or collide with generated ones.

Example::

    ALTER TABLE orders ALTER COLUMN id DROP IDENTITY;
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.nodes import label
from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="ban-alter-identity",
    kind="compat",
    squawk=('ban-alter-identity',),
    nodes=('AlterTableStmt',),
    subtypes=frozenset({"AT_AddIdentity", "AT_SetIdentity", "AT_DropIdentity"}),
    reason="changing a column's identity changes how new rows get ids",
    alternative="coordinate with every writer of the table; keep the sequence's position when moving between "
                'serial and identity',
)


def check(node: Node, lint: FileLint) -> None:
    rel = lint.relation()
    if rel is None or lint.created_here(*rel):
        return
    for cmd in lint.cmds():
        if cmd.get("subtype") in ('AT_AddIdentity', 'AT_SetIdentity', 'AT_DropIdentity'):
            lint.hit(RULE, f"changing the identity of {label(*rel)}.{cmd.get('name', '')} changes how new rows get ids")
