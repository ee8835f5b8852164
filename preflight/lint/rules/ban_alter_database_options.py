"""``ALTER DATABASE`` changes settings for every session of the database.

A per-database setting or connection limit applies to every client, not only this application. Opt-in, like
squawk's rule.

Example::

    ALTER DATABASE app SET search_path = app, public;
"""

from __future__ import annotations

ID = "ban-alter-database-options"
KIND = "compat"
SQUAWK = ('ban-alter-database-options',)
OPT_IN = True
NODES = ('AlterDatabaseStmt', 'AlterDatabaseSetStmt')
REASON = 'changing database options affects every session'
ALTERNATIVE = 'change database settings outside application migrations'


def check(node, lint):
    lint.hit(ID, REASON, ALTERNATIVE)
