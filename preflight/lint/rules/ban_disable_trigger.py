"""``DISABLE TRIGGER`` silently stops behaviour the running application may rely on.

While disabled, writes do not maintain what the trigger keeps in step (audit rows, derived columns, foreign
keys for DISABLE TRIGGER ALL). Opt-in, like squawk's rule.

Example::

    ALTER TABLE orders DISABLE TRIGGER orders_audit;
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.nodes import label
from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="ban-disable-trigger",
    kind="compat",
    squawk=('ban-disable-trigger',),
    nodes=('AlterTableStmt',),
    subtypes=frozenset({"AT_DisableTrig", "AT_DisableTrigAll", "AT_DisableTrigUser"}),
    opt_in=True,
    reason='writes stop maintaining what the trigger keeps in step',
    alternative='keep triggers enabled during migrations; backfill in batches instead',
)


def check(node: Node, lint: FileLint) -> None:
    rel = lint.relation()
    if rel is None or lint.created_here(*rel):
        return
    for cmd in lint.cmds():
        if cmd.get("subtype") in ('AT_DisableTrig', 'AT_DisableTrigAll', 'AT_DisableTrigUser'):
            lint.hit(RULE, f"DISABLE TRIGGER on {label(*rel)}: writes stop maintaining what the trigger keeps in step")
