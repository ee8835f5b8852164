"""A 32-bit integer column can run out of values.

integer and serial top out at 2,147,483,647; an id or counter that reaches it stops inserts, and widening the
column later rewrites the table (changing-column-type). Reported for information.

Example::

    CREATE TABLE events (id serial PRIMARY KEY);
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="prefer-bigint-over-int",
    kind="style",
    squawk=('prefer-bigint-over-int',),
    nodes=('CreateStmt', 'AlterTableStmt'),
    subtypes=frozenset({"AT_AddColumn"}),
    reason='a 32-bit integer column can run out of values',
    alternative='use bigint (or bigserial / bigint GENERATED ... AS IDENTITY)',
)


def check(node: Node, lint: FileLint) -> None:
    for col in lint.column_types():
        if col.name in ("int4", "integer", "int", "serial", "serial4"):
            lint.hit(RULE, f"{col.table}.{col.column} is {col.label}: a 32-bit integer can run out of values")
