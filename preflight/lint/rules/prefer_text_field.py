"""``varchar(n)`` limits are costly to change; ``text`` with a ``CHECK`` is not.

Raising a varchar limit is cheap, but lowering it, or changing to another type, rewrites the table under an
ACCESS EXCLUSIVE lock; a CHECK (length(col) <= n) constraint can be replaced online (NOT VALID, then
VALIDATE). Reported for information.

Example::

    CREATE TABLE accounts (email varchar(255));
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="prefer-text-field",
    kind="style",
    squawk=('prefer-text-field',),
    nodes=('CreateStmt', 'AlterTableStmt'),
    subtypes=frozenset({"AT_AddColumn"}),
    reason='varchar(n) limits are costly to change',
    alternative='text with a CHECK (length(col) <= n) constraint',
)


def check(node: Node, lint: FileLint) -> None:
    for col in lint.column_types():
        if col.name == "varchar" and (col.type or {}).get("typmods"):
            lint.hit(RULE, f"{col.table}.{col.column} is {col.label}: prefer text with a CHECK constraint")
