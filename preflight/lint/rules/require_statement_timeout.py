"""A statement that takes a strong lock on an existing table runs without ``statement_timeout``.

The finding names the lock PostgreSQL takes; statements whose lock lets writes through (``VALIDATE CONSTRAINT``,
``SET STATISTICS``...) are not counted.

Without a statement timeout, a rewrite or scan that takes far longer than expected holds its lock until someone
notices. ``SET statement_timeout`` at the top of the migration bounds it (set it generously: it applies to every
statement). Reported once per file, for information. Without the database, a statement that names its table
``IF EXISTS`` (or is guarded in its ``DO`` block) locks it only if it exists: the finding adds "(if T exists:
without the database the lint cannot tell)" (JSON ``data.condition.if_exists``).

Example::

    ALTER TABLE orders ALTER COLUMN id TYPE bigint;
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.nodes import label
from preflight.lint.rules import Rule, require_lock_timeout
from preflight.lint.rules.require_lock_timeout import blocking_target, drops_index, names_if_exists

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="require-statement-timeout",
    kind="style",
    squawk=("require-statement-timeout", "require-timeout-settings"),
    nodes=require_lock_timeout.RULE.nodes,
    reason="a statement that takes a strong lock runs without statement_timeout",
    alternative="SET statement_timeout = '5min'; (or what the migration needs) at the top of the migration",
)


def check(node: Node, lint: FileLint) -> None:
    if lint.statement_timeout or lint.state.get(RULE.id):
        return
    found = blocking_target(lint.stmt.kind, node, lint)
    if found is None:
        return
    rel, mode = found
    lint.state[RULE.id] = True
    # the target and IF EXISTS let the live lint say when the statement does nothing (an absent IF EXISTS target)
    lint.hit(RULE, f"this statement locks {label(*rel)} without statement_timeout: nothing bounds how long it holds "
             f"the lock ({mode}, which blocks writes)", target=("table", rel[0], rel[1]),
             if_exists=names_if_exists(lint.stmt.kind, node), drops_index=drops_index(lint.stmt.kind, node))
