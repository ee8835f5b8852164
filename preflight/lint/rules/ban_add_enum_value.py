"""``ALTER TYPE ... ADD VALUE`` lets the new release write a value the running release cannot read.

Code of the running release that maps the enum to a closed set fails on rows carrying the new value. Opt-in,
like squawk's rule.

Example::

    ALTER TYPE order_status ADD VALUE 'refunded';
"""

from __future__ import annotations

ID = "ban-add-enum-value"
KIND = "compat"
SQUAWK = ('ban-add-enum-value',)
OPT_IN = True
NODES = ('AlterEnumStmt',)
REASON = 'a new enum value can reach code that does not know it'
ALTERNATIVE = 'ship code that tolerates the new value before any code writes it'


def check(node, lint):
    if node.get("newVal") and not node.get("oldVal"):
        lint.hit(ID, f"ADD VALUE '{node['newVal']}': " + REASON, ALTERNATIVE)
