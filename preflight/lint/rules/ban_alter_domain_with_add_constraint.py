"""``ALTER DOMAIN ... ADD CONSTRAINT`` checks every column that uses the domain, under locks.

Every table with a column of the domain is scanned while writes to it are blocked.

Example::

    ALTER DOMAIN positive_amount ADD CONSTRAINT not_huge CHECK (VALUE < 1000000);
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="ban-alter-domain-with-add-constraint",
    kind="compat",
    squawk=('ban-alter-domain-with-add-constraint',),
    nodes=('AlterDomainStmt',),
    reason='adding a domain constraint scans every column that uses the domain',
    alternative='add the constraint NOT VALID, then ALTER DOMAIN ... VALIDATE CONSTRAINT in another '
                'transaction; better, use table CHECK constraints',
)


def check(node: Node, lint: FileLint) -> None:
    if node.get("subtype") == "C" and not (node.get("def") or {}).get("Constraint", {}).get("skip_validation"):
        lint.hit(RULE, RULE.reason)
