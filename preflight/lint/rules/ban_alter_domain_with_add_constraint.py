"""``ALTER DOMAIN ... ADD CONSTRAINT`` checks every column that uses the domain, under locks.

Every table with a column of the domain is scanned while writes to it are blocked.

Example::

    ALTER DOMAIN positive_amount ADD CONSTRAINT not_huge CHECK (VALUE < 1000000);
"""

from __future__ import annotations

ID = "ban-alter-domain-with-add-constraint"
KIND = "compat"
SQUAWK = ('ban-alter-domain-with-add-constraint',)
NODES = ('AlterDomainStmt',)
REASON = 'adding a domain constraint scans every column that uses the domain'
ALTERNATIVE = ('add the constraint NOT VALID, then ALTER DOMAIN ... VALIDATE CONSTRAINT in another '
               'transaction; better, use table CHECK constraints')


def check(node, lint):
    if node.get("subtype") == "C" and not (node.get("def") or {}).get("Constraint", {}).get("skip_validation"):
        lint.hit(ID, REASON, ALTERNATIVE)
