"""``DROP DATABASE`` destroys a whole database.

A migration has no business dropping a database: every table, row and object in it is gone. The statement also
cannot run inside a transaction block.

Example::

    DROP DATABASE analytics;
"""

from __future__ import annotations

ID = "ban-drop-database"
KIND = "data-loss"
SQUAWK = ("ban-drop-database",)
NODES = ("DropdbStmt",)
REASON = "DROP DATABASE destroys a whole database"
ALTERNATIVE = "drop databases by hand, after a backup, never from an application migration"


def check(node, lint):
    lint.hit(ID, f"DROP DATABASE {node.get('dbname', '')} destroys a whole database", ALTERNATIVE)
