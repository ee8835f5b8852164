"""An in-file suppression that suppresses nothing.

``-- preflight: ignore <rule-id> <reason>`` acknowledges the findings of that rule on the statement right after
the comment. One that matches no finding is stale (the statement changed) or misspelled, and would silently
acknowledge a future finding.

Example::

    -- preflight: ignore ban-drop-table the legacy table is empty since 2023
    ALTER TABLE orders ADD COLUMN note text;
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="unused-ignore",
    kind="compat",
    squawk=("unused-ignore",),
    nodes=(),
    reason="the suppression matches no finding",
    alternative="remove the comment, or fix its rule id",
)


def check(node: Node, lint: FileLint) -> None:
    return None
