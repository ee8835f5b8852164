"""An identifier longer than 63 bytes is silently truncated by PostgreSQL.

The object gets a shorter name than the one in the migration: later statements or code that use the full name
fail, and two long names can collide after truncation.

Example::

    CREATE INDEX orders_customer_id_created_at_status_partial_for_the_reporting_dashboard_idx ON orders (...);
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pglast.parser import ParseError, scan

from preflight.lint.rules import EVERY_STATEMENT, Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="identifier-too-long",
    kind="compat",
    squawk=("identifier-too-long",),
    nodes=EVERY_STATEMENT,
    reason="an identifier longer than 63 bytes is truncated",
    alternative="use names of at most 63 bytes",
)
LIMIT = 63
# Where a long identifier can be: a run of characters without SQL whitespace, of more than LIMIT bytes (in UTF-8,
# at most 4 bytes a character).
_LONG_ASCII_RUN = re.compile(rf"[^ \t\n\r\f\v]{{{LIMIT + 1},}}")
_LONG_RUN = re.compile(rf"[^ \t\n\r\f\v]{{{(LIMIT + 1) // 4},}}")


def check(node: Node, lint: FileLint) -> None:
    """PostgreSQL's scanner truncates long identifiers before the parser sees them, so this rule reads the
    statement's tokens: only for a statement with a run of characters long enough to hold one."""
    stmt = lint.stmt
    if stmt.context != "top" or not _may_hold_one(lint.src.text, lint.state):
        return
    text = lint.src.text[stmt.start:stmt.end]
    if not _long_run(text).search(text):
        return
    try:
        tokens = scan(text)
    except ParseError:
        return
    for tok in tokens:
        if tok.name != "IDENT":
            continue
        word = text[tok.start:tok.end + 1]
        name = word[1:-1].replace('""', '"') if word.startswith('"') else word.lower()
        size = len(name.encode("utf-8"))
        if size > LIMIT:
            lint.hit(RULE, f"{name} is {size} bytes: PostgreSQL truncates it to {LIMIT}")


def _long_run(text: str) -> re.Pattern[str]:
    return _LONG_ASCII_RUN if text.isascii() else _LONG_RUN


def _may_hold_one(text: str, state: dict[str, object]) -> bool:
    """Whether the file has a run of characters long enough to hold a long identifier (looked for once a file)."""
    found = state.get(RULE.id)
    if found is None:
        found = state[RULE.id] = _long_run(text).search(text) is not None
    return bool(found)
