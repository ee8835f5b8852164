"""``ALTER SEQUENCE`` changing its values can reissue identifiers or change their range.

RESTART, INCREMENT, MINVALUE/MAXVALUE, START or CYCLE change the identifiers clients receive, and may collide
with existing rows. Opt-in, like squawk's rule.

Example::

    ALTER SEQUENCE invoice_number_seq RESTART WITH 1;
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="ban-alter-sequence-values",
    kind="compat",
    squawk=('ban-alter-sequence-values',),
    nodes=('AlterSeqStmt',),
    opt_in=True,
    reason='changing sequence values can reissue identifiers',
    alternative='coordinate sequence changes with every client that uses its values',
)


def check(node: Node, lint: FileLint) -> None:
    opts = {o.get("DefElem", {}).get("defname") for o in node.get("options", ())}
    if opts & {"restart", "increment", "minvalue", "maxvalue", "start", "cycle", "as"}:
        lint.hit(RULE, RULE.reason)
