"""A statement that takes a strong lock on an existing table runs without ``statement_timeout``.

Without a statement timeout, a rewrite or scan that takes far longer than expected holds its lock until someone
notices. ``SET statement_timeout`` at the top of the migration bounds it (set it generously: it applies to every
statement). Reported once per file, for information.

Example::

    ALTER TABLE orders ALTER COLUMN id TYPE bigint;
"""

from __future__ import annotations

from preflight.lint.nodes import label
from preflight.lint.rules.require_lock_timeout import NODES, blocking_target

ID = "require-statement-timeout"
KIND = "style"
SQUAWK = ("require-statement-timeout", "require-timeout-settings")
REASON = "a statement that takes a strong lock runs without statement_timeout"
ALTERNATIVE = "SET statement_timeout = '5min'; (or what the migration needs) at the top of the migration"
__all__ = ["NODES"]


def check(node, lint):
    if lint.statement_timeout or lint.state.get(ID):
        return
    rel = blocking_target(lint.stmt.kind, node, lint)
    if rel is None:
        return
    lint.state[ID] = True
    lint.hit(ID, f"this statement locks {label(*rel)} without statement_timeout: nothing bounds how long it holds "
             "the lock", ALTERNATIVE)
