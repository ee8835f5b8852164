"""An ``UPDATE`` or ``INSERT`` assigns the same column twice: PostgreSQL rejects the statement.

"multiple assignments to same column": the migration fails at this statement.

Example::

    UPDATE orders SET status = 'new', status = 'open' WHERE id = 1;
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="ban-duplicate-column-assignments",
    kind="compat",
    squawk=('ban-duplicate-column-assignments',),
    nodes=('UpdateStmt', 'InsertStmt'),
    reason='the statement assigns the same column twice and fails',
    alternative='assign each column once',
)


def check(node: Node, lint: FileLint) -> None:
    targets = node.get("targetList" if lint.stmt.kind == "UpdateStmt" else "cols", ())
    names = [t.get("ResTarget", {}).get("name") for t in targets]
    dupes = sorted({n for n in names if n and names.count(n) > 1})
    if dupes:
        lint.hit(RULE, f"column {', '.join(dupes)} assigned twice: PostgreSQL rejects the statement",
                 severity="failure")
