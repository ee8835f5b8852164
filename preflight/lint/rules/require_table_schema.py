"""A table named without its schema lands wherever ``search_path`` points at run time.

The runner's search_path decides which schema an unqualified name means; naming the schema makes the migration
do the same thing everywhere. Opt-in, like squawk's rule.

Example::

    CREATE TABLE orders (id bigint);
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="require-table-schema",
    kind="style",
    squawk=('require-table-schema',),
    nodes=('CreateStmt', 'AlterTableStmt', 'IndexStmt'),
    opt_in=True,
    reason='the table is named without its schema',
    alternative='qualify the name: CREATE TABLE app.orders (...)',
)


def check(node: Node, lint: FileLint) -> None:
    rel = lint.relation()
    if rel is not None and rel[0] is None:
        lint.hit(RULE, f"{rel[1]} is named without its schema")
