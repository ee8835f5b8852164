"""``ALTER FUNCTION`` options (security, volatility, strictness, settings) change how calls behave.

SECURITY DEFINER, STRICT, volatility or a SET clause changes results, permissions or plans for every caller at
once. Opt-in, like squawk's rule.

Example::

    ALTER FUNCTION order_total(bigint) SECURITY DEFINER;
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="ban-alter-function-options",
    kind="compat",
    squawk=('ban-alter-function-options',),
    nodes=('AlterFunctionStmt',),
    opt_in=True,
    reason="changing a function's options changes how every call behaves",
    alternative='review every caller; prefer a new function under a new name',
)


def check(node: Node, lint: FileLint) -> None:
    lint.hit(RULE, RULE.reason)
