"""A table named without its schema lands wherever ``search_path`` points at run time.

The runner's search_path decides which schema an unqualified name means; naming the schema makes the migration
do the same thing everywhere. Opt-in, like squawk's rule.

Example::

    CREATE TABLE orders (id bigint);
"""

from __future__ import annotations

ID = "require-table-schema"
KIND = "style"
SQUAWK = ('require-table-schema',)
OPT_IN = True
NODES = ('CreateStmt', 'AlterTableStmt', 'IndexStmt')
REASON = 'the table is named without its schema'
ALTERNATIVE = 'qualify the name: CREATE TABLE app.orders (...)'

LAZY = True  # needs the relation name only


def check(node, lint):
    rel = lint.relation()
    if rel is not None and rel[0] is None:
        lint.hit(ID, f"{rel[1]} is named without its schema", ALTERNATIVE)
