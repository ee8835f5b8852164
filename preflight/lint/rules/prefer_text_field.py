"""``varchar(n)`` limits are costly to change; ``text`` with a ``CHECK`` is not.

Raising a varchar limit is cheap, but lowering it, or changing to another type, rewrites the table under an
ACCESS EXCLUSIVE lock; a CHECK (length(col) <= n) constraint can be replaced online (NOT VALID, then
VALIDATE). Reported for information.

Example::

    CREATE TABLE accounts (email varchar(255));
"""

from __future__ import annotations

ID = "prefer-text-field"
KIND = "style"
SQUAWK = ('prefer-text-field',)
NODES = ('CreateStmt', 'AlterTableStmt')
SUBTYPES = frozenset({"AT_AddColumn"})
REASON = 'varchar(n) limits are costly to change'
ALTERNATIVE = 'text with a CHECK (length(col) <= n) constraint'

LAZY = True  # reads column types only (lint.column_types), not whole table definitions


def check(node, lint):
    for col in lint.column_types():
        if col.name == "varchar" and (col.type or {}).get("typmods"):
            lint.hit(ID, f"{col.table}.{col.column} is {col.label}: prefer text with a CHECK constraint", ALTERNATIVE)
