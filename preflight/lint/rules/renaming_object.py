"""Renaming a view, index, sequence, type, function, schema or constraint can break running code.

Code refers to these objects by name too: a view or function in queries, a sequence in ``nextval()``, a type in
casts, a constraint or index in ``ON CONFLICT ON CONSTRAINT`` or hints.

Example::

    ALTER VIEW active_users RENAME TO current_users;
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="renaming-object",
    kind="compat",
    squawk=("renaming-object",),
    nodes=("RenameStmt",),
    reason="renaming an object breaks running code that names it",
    alternative="keep the old name available (a view, a wrapper function) until no running code uses it",
)


def check(node: Node, lint: FileLint) -> None:
    kind = node.get("renameType", "")
    if kind in ("OBJECT_COLUMN", "OBJECT_TABLE"):
        return
    what = kind.replace("OBJECT_", "").replace("_", " ").lower()
    old = node.get("subname") or ""
    if not old and node.get("relation"):
        old = node["relation"].get("relname", "")
    lint.hit(RULE, f"renaming {what} {old} to {node.get('newname', '')} breaks running code that names it".replace(
        "  ", " "))
