"""Adding a column changes ``SELECT *`` results and breaks positional inserts.

Clients that read SELECT * into a fixed shape, or INSERT without a column list, break. Opt-in, like squawk's
rule; columns of tables created earlier in the file are not reported.

Example::

    ALTER TABLE accounts ADD COLUMN status text;
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.nodes import label
from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="ban-add-column",
    kind="compat",
    squawk=('ban-add-column',),
    nodes=('AlterTableStmt',),
    subtypes=frozenset({"AT_AddColumn"}),
    opt_in=True,
    reason="adding a column changes the table's shape for existing clients",
    alternative='check clients that use SELECT * or positional inserts before adding the column',
)


def check(node: Node, lint: FileLint) -> None:
    if node.get("objtype", "OBJECT_TABLE") not in ("OBJECT_TABLE", "OBJECT_FOREIGN_TABLE"):
        return
    rel = lint.relation()
    if rel is None or lint.created_here(*rel):
        return
    for cmd in node.get("cmds", ()):
        c = cmd.get("AlterTableCmd", {})
        if c.get("subtype") == "AT_AddColumn":
            name = (c.get("def") or {}).get("ColumnDef", {}).get("colname", "")
            lint.hit(RULE, f"ADD COLUMN {name} changes the shape of {label(*rel)} for existing clients")
