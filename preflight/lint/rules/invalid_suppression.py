"""An in-file suppression without a reason, or naming no known rule.

``-- preflight: ignore <rule-id>[,<rule-id>...] <reason>``: the reason is required and shown in every report,
so that acknowledged risks stay visible. An invalid suppression suppresses nothing.

Example::

    -- preflight: ignore ban-drop-table
    DROP TABLE legacy_rollups;
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="invalid-suppression",
    kind="compat",
    squawk=(),
    nodes=(),
    reason="the suppression has no reason or names no known rule",
    alternative="write -- preflight: ignore <rule-id> <why this is safe>",
)


def check(node: Node, lint: FileLint) -> None:
    return None
