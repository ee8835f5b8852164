"""An identifier longer than 63 bytes is silently truncated by PostgreSQL.

The object gets a shorter name than the one in the migration: later statements or code that use the full name
fail, and two long names can collide after truncation.

Example::

    CREATE INDEX orders_customer_id_created_at_status_partial_for_the_reporting_dashboard_idx ON orders (...);
"""

from __future__ import annotations

from preflight import pgparser
from preflight.lint.engine import Stmt

ID = "identifier-too-long"
KIND = "compat"
SQUAWK = ("identifier-too-long",)
NODES = ()
REASON = "an identifier longer than 63 bytes is truncated"
ALTERNATIVE = "use names of at most 63 bytes"
LIMIT = 63
# Every byte of the file as "x", SQL whitespace as " ": a run of more than LIMIT bytes without whitespace is
# the only place a long identifier can be, and finding one is a substring search, not a Python loop.
_WORDS = bytes.maketrans(bytes(range(256)), b"".join(b" " if b in b" \t\n\r\f\v" else b"x" for b in range(256)))
_LONG_WORD = b"x" * (LIMIT + 1)


def check(node, lint):
    return None


def finish(lint):
    """PostgreSQL's scanner truncates long identifiers before the parser sees them, so this rule reads the
    tokens: only for files with a word long enough to hold one."""
    text = lint.src.text
    if _LONG_WORD not in text.encode("utf-8").translate(_WORDS):
        return
    try:
        tokens = pgparser.scan(text)
    except pgparser.ParseError:
        return
    spans = [(s[0], s[1]) for s in lint.spans if not s[2]]
    for tok in tokens:
        if tok.name != "IDENT":
            continue
        word = text[tok.start:tok.end + 1]
        name = word[1:-1].replace('""', '"') if word.startswith('"') else word.lower()
        size = len(name.encode("utf-8"))
        if size <= LIMIT:
            continue
        start, end = next(((a, b) for a, b in spans if a <= tok.start <= b), (tok.start, tok.end + 1))
        lint.stmt = Stmt("", {}, start, end, "top")
        lint.hit(ID, f"{name} is {size} bytes: PostgreSQL truncates it to {LIMIT}", ALTERNATIVE)
