"""An in-file suppression without a reason, or naming no known rule.

``-- preflight: ignore <rule-id>[,<rule-id>...] <reason>``: the reason is required and shown in every report,
so that acknowledged risks stay visible. An invalid suppression suppresses nothing.

Example::

    -- preflight: ignore ban-drop-table
    DROP TABLE legacy_rollups;
"""

from __future__ import annotations

ID = "invalid-suppression"
KIND = "compat"
SQUAWK = ()
NODES = ()
REASON = "the suppression has no reason or names no known rule"
ALTERNATIVE = "write -- preflight: ignore <rule-id> <why this is safe>"


def check(node, lint):
    return None
