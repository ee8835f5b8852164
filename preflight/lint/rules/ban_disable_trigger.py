"""``DISABLE TRIGGER`` silently stops behaviour the running application may rely on.

While disabled, writes do not maintain what the trigger keeps in step (audit rows, derived columns, foreign
keys for DISABLE TRIGGER ALL). Opt-in, like squawk's rule.

Example::

    ALTER TABLE orders DISABLE TRIGGER orders_audit;
"""

from __future__ import annotations

from preflight.lint.nodes import label

ID = "ban-disable-trigger"
KIND = "compat"
SQUAWK = ('ban-disable-trigger',)
OPT_IN = True
NODES = ('AlterTableStmt',)
SUBTYPES = frozenset({"AT_DisableTrig", "AT_DisableTrigAll", "AT_DisableTrigUser"})
REASON = 'writes stop maintaining what the trigger keeps in step'
ALTERNATIVE = 'keep triggers enabled during migrations; backfill in batches instead'


def check(node, lint):
    rel = lint.relation()
    if rel is None or lint.created_here(*rel):
        return
    for cmd in lint.cmds():
        if cmd.get("subtype") in ('AT_DisableTrig', 'AT_DisableTrigAll', 'AT_DisableTrigUser'):
            lint.hit(ID, f"DISABLE TRIGGER on {label(*rel)}: writes stop maintaining what the trigger keeps in step", ALTERNATIVE)
