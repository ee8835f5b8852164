"""``ALTER FUNCTION`` options (security, volatility, strictness, settings) change how calls behave.

SECURITY DEFINER, STRICT, volatility or a SET clause changes results, permissions or plans for every caller at
once. Opt-in, like squawk's rule.

Example::

    ALTER FUNCTION order_total(bigint) SECURITY DEFINER;
"""

from __future__ import annotations

ID = "ban-alter-function-options"
KIND = "compat"
SQUAWK = ('ban-alter-function-options',)
OPT_IN = True
NODES = ('AlterFunctionStmt',)
REASON = "changing a function's options changes how every call behaves"
ALTERNATIVE = 'review every caller; prefer a new function under a new name'


def check(node, lint):
    lint.hit(ID, REASON, ALTERNATIVE)
