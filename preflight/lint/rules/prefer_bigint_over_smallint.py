"""A 16-bit integer column runs out of values quickly.

smallint tops out at 32,767; widening it later rewrites the table. Reported for information.

Example::

    CREATE TABLE plans (id smallserial PRIMARY KEY);
"""

from __future__ import annotations

ID = "prefer-bigint-over-smallint"
KIND = "style"
SQUAWK = ('prefer-bigint-over-smallint',)
NODES = ('CreateStmt', 'AlterTableStmt')
SUBTYPES = frozenset({"AT_AddColumn"})
REASON = 'a 16-bit integer column runs out of values quickly'
ALTERNATIVE = 'use bigint (or integer where the range is truly bounded)'

LAZY = True  # reads column types only (lint.column_types), not whole table definitions


def check(node, lint):
    for col in lint.column_types():
        if col.name in ("int2", "smallint", "smallserial", "serial2"):
            lint.hit(ID, f"{col.table}.{col.column} is {col.label}: a 16-bit integer runs out of values quickly", ALTERNATIVE)
