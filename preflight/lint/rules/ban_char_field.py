"""``char(n)`` pads values with spaces and is never faster than ``text``.

character(n) stores trailing blanks, compares them away inconsistently, and costs a table rewrite to change.
Reported for information.

Example::

    CREATE TABLE countries (code char(2));
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="ban-char-field",
    kind="style",
    squawk=('ban-char-field',),
    nodes=('CreateStmt', 'AlterTableStmt'),
    subtypes=frozenset({"AT_AddColumn"}),
    reason='char(n) pads with spaces and is costly to change',
    alternative='text (with a CHECK on the length if needed)',
)


def check(node: Node, lint: FileLint) -> None:
    for col in lint.column_types():
        if col.name == "bpchar":
            lint.hit(RULE, f"{col.table}.{col.column} is {col.label}: prefer text")
