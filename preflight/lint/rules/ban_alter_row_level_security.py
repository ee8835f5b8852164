"""Enabling, disabling or forcing row-level security changes which rows each role sees.

With RLS enabled and no matching policy, the running application's role sees no rows at all; disabling it
exposes every row. Opt-in, like squawk's rule.

Example::

    ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.nodes import label
from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="ban-alter-row-level-security",
    kind="compat",
    squawk=('ban-alter-row-level-security',),
    nodes=('AlterTableStmt',),
    subtypes=frozenset({"AT_EnableRowSecurity", "AT_DisableRowSecurity", "AT_ForceRowSecurity", "AT_NoForceRowSecurity"}),
    opt_in=True,
    reason='row-level security changes which rows roles see',
    alternative="create the policies first and test them with the application's role",
)


def check(node: Node, lint: FileLint) -> None:
    rel = lint.relation()
    if rel is None or lint.created_here(*rel):
        return
    for cmd in lint.cmds():
        if cmd.get("subtype") in ('AT_EnableRowSecurity', 'AT_DisableRowSecurity', 'AT_ForceRowSecurity', 'AT_NoForceRowSecurity'):
            lint.hit(RULE, f"changing row-level security on {label(*rel)} changes which rows roles see")
