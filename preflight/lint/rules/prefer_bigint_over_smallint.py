"""A 16-bit integer column runs out of values quickly.

smallint tops out at 32,767; widening it later rewrites the table. Reported for information.

Example::

    CREATE TABLE plans (id smallserial PRIMARY KEY);
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="prefer-bigint-over-smallint",
    kind="style",
    squawk=('prefer-bigint-over-smallint',),
    nodes=('CreateStmt', 'AlterTableStmt'),
    subtypes=frozenset({"AT_AddColumn"}),
    reason='a 16-bit integer column runs out of values quickly',
    alternative='use bigint (or integer where the range is truly bounded)',
)


def check(node: Node, lint: FileLint) -> None:
    for col in lint.column_types():
        if col.name in ("int2", "smallint", "smallserial", "serial2"):
            lint.hit(RULE, f"{col.table}.{col.column} is {col.label}: a 16-bit integer runs out of values quickly")
