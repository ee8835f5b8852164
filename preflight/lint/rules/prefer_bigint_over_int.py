"""A 32-bit integer column can run out of values.

integer and serial top out at 2,147,483,647; an id or counter that reaches it stops inserts, and widening the
column later rewrites the table (changing-column-type). Reported for information.

Example::

    CREATE TABLE events (id serial PRIMARY KEY);
"""

from __future__ import annotations

ID = "prefer-bigint-over-int"
KIND = "style"
SQUAWK = ('prefer-bigint-over-int',)
NODES = ('CreateStmt', 'AlterTableStmt')
SUBTYPES = frozenset({"AT_AddColumn"})
REASON = 'a 32-bit integer column can run out of values'
ALTERNATIVE = 'use bigint (or bigserial / bigint GENERATED ... AS IDENTITY)'

LAZY = True  # reads column types only (lint.column_types), not whole table definitions


def check(node, lint):
    for col in lint.column_types():
        if col.name in ("int4", "integer", "int", "serial", "serial4"):
            lint.hit(ID, f"{col.table}.{col.column} is {col.label}: a 32-bit integer can run out of values", ALTERNATIVE)
