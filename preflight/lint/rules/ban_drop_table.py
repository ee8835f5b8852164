"""``DROP TABLE`` destroys the table and every row in it.

Nothing undoes a dropped table but a restore from backup, and the application version still running during the
rollout may read or write it. With the database at hand, preflight counts the rows: a table that holds rows is a
failure (with the row count and size in the finding), an empty one a warning, and one that does not exist yet
(created by an earlier pending migration, or absent and dropped ``IF EXISTS``) information. ``CASCADE`` also
drops the views and foreign keys that depend on it. Without the database, ``DROP TABLE IF EXISTS`` (or a
drop guarded in its ``DO`` block) destroys data only if the table exists, which the lint cannot tell: the finding
says so ("... (if legacy_rollups exists: without the database the lint cannot tell)", JSON
``data.condition.if_exists``), with the same severity.

Intended drops (the contract phase of expand/contract) are acknowledged visibly: an in-file
``-- preflight: ignore ban-drop-table <reason>``, a waiver narrowed with ``rule`` and ``migration``, or a guard
at the top of the migration that passes against the live database.

Example::

    DROP TABLE legacy_rollups;
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.nodes import drop_targets, label
from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="ban-drop-table",
    kind="data-loss",
    squawk=("ban-drop-table",),
    nodes=("DropStmt",),
    reason="DROP TABLE destroys the table and every row in it",
    alternative="stop every reader and writer first (expand/contract), keep a copy (rename the table or dump it) "
                "until the release is proven, then drop it in a later migration guarded by a precondition",
)


def check(node: Node, lint: FileLint) -> None:
    if node.get("removeType") != "OBJECT_TABLE":
        return
    cascade = node.get("behavior") == "DROP_CASCADE"
    for schema, name in drop_targets(node):
        msg = f"DROP TABLE {label(schema, name)} destroys the table and every row in it"
        if cascade:
            msg += " (CASCADE also drops dependent views and foreign keys)"
        lint.hit(RULE, msg, target=("table", schema, name), if_exists=bool(node.get("missing_ok")),
                 new=lint.created_here(schema, name))
