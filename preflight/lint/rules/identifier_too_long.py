"""An identifier longer than 63 bytes is silently truncated by PostgreSQL.

The object gets a shorter name than the one in the migration: later statements or code that use the full name
fail, and two long names can collide after truncation.

Example::

    CREATE INDEX orders_customer_id_created_at_status_partial_for_the_reporting_dashboard_idx ON orders (...);
"""

from __future__ import annotations

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


def check(node: Node, lint: FileLint) -> None:
    """PostgreSQL's scanner truncates long identifiers before the parser sees them, so this rule reads the
    statement's tokens: only for a statement with a word long enough to hold one (any with non-ASCII text)."""
    stmt = lint.stmt
    if stmt.context != "top":
        return
    text = lint.src.text[stmt.start:stmt.end]
    if text.isascii() and max(map(len, text.split()), default=0) <= LIMIT:
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
