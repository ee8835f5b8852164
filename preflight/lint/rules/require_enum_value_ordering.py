"""``ALTER TYPE ... ADD VALUE`` without ``BEFORE`` / ``AFTER`` puts the value last in the enum's order.

Enum values compare by their declared order (ORDER BY, <, >); a value appended at the end may sort wrongly.
Say where it goes.

Example::

    ALTER TYPE order_status ADD VALUE 'refunded';
"""

from __future__ import annotations

ID = "require-enum-value-ordering"
KIND = "compat"
SQUAWK = ('require-enum-value-ordering',)
NODES = ('AlterEnumStmt',)
REASON = 'the new enum value goes last in the sort order'
ALTERNATIVE = "ALTER TYPE ... ADD VALUE 'x' BEFORE 'y' (or AFTER 'y')"


def check(node, lint):
    if node.get("newVal") and not node.get("oldVal") and not node.get("newValNeighbor"):
        lint.hit(ID, f"ADD VALUE '{node['newVal']}' without BEFORE/AFTER puts it last in the sort order", ALTERNATIVE)
