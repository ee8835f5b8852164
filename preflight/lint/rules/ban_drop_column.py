"""``ALTER TABLE ... DROP COLUMN`` destroys the column's data.

The values are gone for good, and the application version still running during the rollout may select or insert
the column (``SELECT *`` in an ORM's model, an explicit column list): its queries fail until it is replaced.
With the database at hand, a column of a table that holds rows is a failure with the row count and size; of an
empty table a warning; of a table created by an earlier pending migration information. Without the database, ``DROP COLUMN IF
EXISTS`` (or a drop guarded in its ``DO`` block) destroys data only if the column exists, which the lint cannot
tell: the finding says so ("(if column legacy_flag of accounts exists: without the database the lint cannot
tell)", JSON ``data.condition.if_exists`` with the column), with the same severity.

Example::

    ALTER TABLE accounts DROP COLUMN legacy_flag;
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.nodes import label
from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="ban-drop-column",
    kind="data-loss",
    squawk=("ban-drop-column",),
    nodes=("AlterTableStmt",),
    subtypes=frozenset({"AT_DropColumn"}),
    reason="DROP COLUMN destroys the column's data",
    alternative="first ship application code that no longer reads or writes the column, then drop it in a later "
                "release; keep a copy of the data if it may be needed",
)


def check(node: Node, lint: FileLint) -> None:
    if node.get("objtype", "OBJECT_TABLE") not in ("OBJECT_TABLE", "OBJECT_FOREIGN_TABLE"):
        return
    rel = lint.relation()
    if rel is None:
        return
    schema, table = rel
    for cmd in lint.cmds():
        if cmd.get("subtype") == "AT_DropColumn":
            column = cmd.get("name", "")
            lint.hit(RULE, f"DROP COLUMN {column} destroys the column's data in {label(schema, table)}",
                     target=("table", schema, table), if_exists=bool(cmd.get("missing_ok")),
                     new=lint.created_here(schema, table), column=column, commands=len(lint.cmds()))
