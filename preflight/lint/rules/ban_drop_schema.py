"""``DROP SCHEMA`` destroys the schema; with ``CASCADE``, every table in it and their rows.

Without ``CASCADE`` the statement fails if the schema still holds anything, which stops the migration half-way.
With the database at hand, preflight sums the rows and sizes of the tables in the schema: a schema whose tables
hold rows is a failure, an empty one a warning, a missing one dropped ``IF EXISTS`` information.

Example::

    DROP SCHEMA reporting CASCADE;
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.nodes import drop_targets
from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="ban-drop-schema",
    kind="data-loss",
    squawk=("ban-drop-schema",),
    nodes=("DropStmt",),
    reason="DROP SCHEMA destroys the schema and, with CASCADE, every table in it",
    alternative="move or drop the schema's tables one by one in earlier, reviewed migrations, then drop the empty "
                "schema without CASCADE",
)


def check(node: Node, lint: FileLint) -> None:
    if node.get("removeType") != "OBJECT_SCHEMA":
        return
    cascade = node.get("behavior") == "DROP_CASCADE"
    for _schema, name in drop_targets(node):
        msg = f"DROP SCHEMA {name}" + (" CASCADE destroys every object in it and their rows" if cascade
                                       else " destroys the schema (and fails if it still holds objects)")
        lint.hit(RULE, msg, target=("schema", None, name), if_exists=bool(node.get("missing_ok")),
                 cascade=cascade)
