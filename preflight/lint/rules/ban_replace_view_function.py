"""``CREATE OR REPLACE VIEW`` / ``FUNCTION`` changes what running code gets back, in place.

The running release calls the same name and now gets the new definition: different columns, results or side
effects, with no version in between. Opt-in, like squawk's rule.

Example::

    CREATE OR REPLACE FUNCTION order_total(bigint) RETURNS numeric ...;
"""

from __future__ import annotations

ID = "ban-replace-view-function"
KIND = "compat"
SQUAWK = ('ban-replace-view-function',)
OPT_IN = True
NODES = ('ViewStmt', 'CreateFunctionStmt')
REASON = 'replacing a view or function changes what running code gets back'
ALTERNATIVE = 'create the new definition under a new name, switch callers, then drop the old one'


def check(node, lint):
    if not node.get("replace"):
        return
    what = "view" if lint.stmt.kind == "ViewStmt" else "function"
    lint.hit(ID, f"CREATE OR REPLACE {what.upper()} changes what running code gets back from the {what}", ALTERNATIVE)
