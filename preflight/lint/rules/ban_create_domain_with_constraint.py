"""A domain with a constraint is hard to change online later.

Changing or adding a domain constraint checks every column of every table that uses the domain, under locks,
with no NOT VALID escape for all cases. Put the check on the columns (as table CHECK constraints) instead.

Example::

    CREATE DOMAIN positive_amount AS numeric CHECK (VALUE > 0);
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="ban-create-domain-with-constraint",
    kind="compat",
    squawk=('ban-create-domain-with-constraint',),
    nodes=('CreateDomainStmt',),
    reason='domain constraints cannot be changed online later',
    alternative='use a plain type and table CHECK constraints (added NOT VALID, then validated)',
)


def check(node: Node, lint: FileLint) -> None:
    if any("Constraint" in c and c["Constraint"].get("contype") == "CONSTR_CHECK" for c in node.get("constraints", ())):
        lint.hit(RULE, RULE.reason)
