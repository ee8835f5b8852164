"""``SET SCHEMA`` moves an object to another schema, out of the running code's reach.

Queries of the running release that name the object (or find it through search_path) fail once it moves.

Example::

    ALTER TABLE orders SET SCHEMA archive;
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="ban-set-schema",
    kind="compat",
    squawk=('ban-set-schema',),
    nodes=('AlterObjectSchemaStmt',),
    reason='moving an object to another schema breaks code that names it',
    alternative='create the object in the new schema alongside (or a view in the old one) and switch code first',
)


def check(node: Node, lint: FileLint) -> None:
    what = node.get("objectType", "").replace("OBJECT_", "").lower()
    lint.hit(RULE, f"SET SCHEMA {node.get('newschema', '')} moves the {what} out of the running code's reach")
