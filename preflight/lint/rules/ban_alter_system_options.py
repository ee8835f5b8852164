"""``ALTER SYSTEM`` changes the server's configuration.

It writes postgresql.auto.conf for the whole server and cannot run in a transaction block. Opt-in, like
squawk's rule.

Example::

    ALTER SYSTEM SET work_mem = '256MB';
"""

from __future__ import annotations

ID = "ban-alter-system-options"
KIND = "compat"
SQUAWK = ('ban-alter-system-options',)
OPT_IN = True
NODES = ('AlterSystemStmt',)
REASON = "ALTER SYSTEM changes the whole server's configuration"
ALTERNATIVE = 'manage server configuration outside application migrations'


def check(node, lint):
    lint.hit(ID, REASON, ALTERNATIVE)
