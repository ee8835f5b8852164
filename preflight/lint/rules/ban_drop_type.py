"""``DROP TYPE`` / ``DROP DOMAIN`` removes a type that columns may still use.

Without ``CASCADE`` the statement fails while any column uses the type; with ``CASCADE`` PostgreSQL drops those
columns and their data. Running code that casts to the type or passes it as a parameter breaks either way. With
the database at hand, preflight finds the columns that use the type: used by tables that hold rows is a failure,
an unused type a warning, a missing one dropped ``IF EXISTS`` information.

Example::

    DROP TYPE order_status CASCADE;
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.nodes import drop_targets, label
from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="ban-drop-type",
    kind="data-loss",
    squawk=("ban-drop-type", "ban-drop-domain"),
    nodes=("DropStmt",),
    reason="DROP TYPE removes a type that columns and running code may still use",
    alternative="migrate the columns that use the type to another type first, ship code that no longer uses it, "
                "then drop it without CASCADE",
)


def check(node: Node, lint: FileLint) -> None:
    if node.get("removeType") not in ("OBJECT_TYPE", "OBJECT_DOMAIN"):
        return
    what = "DROP DOMAIN" if node.get("removeType") == "OBJECT_DOMAIN" else "DROP TYPE"
    cascade = node.get("behavior") == "DROP_CASCADE"
    for schema, name in drop_targets(node):
        msg = f"{what} {label(schema, name)}" + (" CASCADE drops every column that uses it, with its data"
                                                 if cascade else " fails while columns use it, and breaks "
                                                 "code that uses the type")
        lint.hit(RULE, msg, target=("type", schema, name), if_exists=bool(node.get("missing_ok")),
                 cascade=cascade)
