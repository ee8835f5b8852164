"""``char(n)`` pads values with spaces and is never faster than ``text``.

character(n) stores trailing blanks, compares them away inconsistently, and costs a table rewrite to change.
Reported for information.

Example::

    CREATE TABLE countries (code char(2));
"""

from __future__ import annotations

ID = "ban-char-field"
KIND = "style"
SQUAWK = ('ban-char-field',)
NODES = ('CreateStmt', 'AlterTableStmt')
SUBTYPES = frozenset({"AT_AddColumn"})
REASON = 'char(n) pads with spaces and is costly to change'
ALTERNATIVE = 'text (with a CHECK on the length if needed)'

LAZY = True  # reads column types only (lint.column_types), not whole table definitions


def check(node, lint):
    for col in lint.column_types():
        if col.name == "bpchar":
            lint.hit(ID, f"{col.table}.{col.column} is {col.label}: prefer text", ALTERNATIVE)
