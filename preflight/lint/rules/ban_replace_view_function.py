"""``CREATE OR REPLACE VIEW`` / ``FUNCTION`` changes what running code gets back, in place.

The running release calls the same name and now gets the new definition: different columns, results or side
effects, with no version in between. Opt-in, like squawk's rule.

Example::

    CREATE OR REPLACE FUNCTION order_total(bigint) RETURNS numeric ...;
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="ban-replace-view-function",
    kind="compat",
    squawk=('ban-replace-view-function',),
    nodes=('ViewStmt', 'CreateFunctionStmt'),
    opt_in=True,
    reason='replacing a view or function changes what running code gets back',
    alternative='create the new definition under a new name, switch callers, then drop the old one',
)


def check(node: Node, lint: FileLint) -> None:
    if not node.get("replace"):
        return
    what = "view" if lint.stmt.kind == "ViewStmt" else "function"
    lint.hit(RULE, f"CREATE OR REPLACE {what.upper()} changes what running code gets back from the {what}")
