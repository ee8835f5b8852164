"""``ALTER ROLE`` changes a role's attributes or settings for every session.

NOLOGIN, a new password, CONNECTION LIMIT or a per-role setting can lock the running application out or change
its behaviour. Opt-in, like squawk's rule.

Example::

    ALTER ROLE app_rw SET statement_timeout = '1s';
"""

from __future__ import annotations

ID = "ban-alter-role-options"
KIND = "compat"
SQUAWK = ('ban-alter-role-options',)
OPT_IN = True
NODES = ('AlterRoleStmt', 'AlterRoleSetStmt')
REASON = "changing a role's options affects every session of that role"
ALTERNATIVE = 'change roles outside application migrations, with the owners of every client'


def check(node, lint):
    lint.hit(ID, REASON, ALTERNATIVE)
