"""An in-file suppression that suppresses nothing.

``-- preflight: ignore <rule-id> <reason>`` acknowledges the findings of that rule on the statement right after
the comment. One that matches no finding is stale (the statement changed) or misspelled, and would silently
acknowledge a future finding.

Example::

    -- preflight: ignore ban-drop-table the legacy table is empty since 2023
    ALTER TABLE orders ADD COLUMN note text;
"""

from __future__ import annotations

ID = "unused-ignore"
KIND = "compat"
SQUAWK = ("unused-ignore",)
NODES = ()
REASON = "the suppression matches no finding"
ALTERNATIVE = "remove the comment, or fix its rule id"


def check(node, lint):
    return None
