"""PostgreSQL's parser (pglast) on a whole migration, one statement at a time.

``pglast.parser.parse_sql_json`` turns a script into one JSON document; for a 20 MB migration (seed data) that
document, and the Python objects decoded from it, are many times the size of the SQL. :func:`statements` parses
the script in pieces of about :data:`PIECE` characters instead, each ending just after a ``;`` that ends a
statement, and decodes each piece's statements (``json.loads``) as it goes: memory stays a small multiple of the
script, whatever its size.

A piece is cut just after the first ``;`` character past :data:`PIECE` characters. That ``;`` may not end a
statement: it may be inside a string, a comment, a dollar-quoted body, a ``BEGIN ATOMIC`` body or a rule's
parenthesised actions. Then either the piece does not parse (an unterminated string or body) or its last
statement does not end at the cut (a ``--`` comment runs to the end of the piece), and the piece is tried again
twice as long. A piece that ends where a statement ends parses exactly as it would within the whole script, since
nothing carries over from one top-level statement to the next.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from pglast.parser import ParseError, parse_sql_json

PIECE = 64 * 1024


class Statement:
    """One top-level statement: its parse node and where it is in the script (character offsets)."""

    __slots__ = ("kind", "node", "start", "end", "_piece", "_piece_start", "_byte_start")

    def __init__(self, kind: str, node: dict[str, Any], start: int, end: int, piece: _Piece, byte_start: int):
        self.kind = kind
        """The parse node's type, e.g. ``"CreateStmt"``."""
        self.node = node
        """The parse node's fields, as pglast's JSON gives them."""
        self.start = start
        """Where the statement starts as PostgreSQL reports it: after the previous statement's ``;`` (leading
        whitespace and comments included)."""
        self.end = end
        """Where it ends: at its ``;``, or at the end of the script."""
        self._piece = piece
        self._byte_start = byte_start

    def char(self, location: int) -> int:
        """A ``location`` field of this statement's node (a UTF-8 byte offset, as the parser gives it) as a
        character offset in the script."""
        return self._piece.char(location, self._byte_start, self.start)


class _Piece:
    """A piece of the script: the parser's byte offsets into it, as character offsets into the script."""

    def __init__(self, text: str, start: int):
        self.start = start
        self.encoded = None if text.isascii() else text.encode("utf-8")

    def char(self, byte: int, from_byte: int = 0, from_char: int | None = None) -> int:
        """The character offset in the script of byte ``byte`` of the piece, counted from a known pair
        (``from_byte``, ``from_char``) before it."""
        if from_char is None:
            from_char = self.start
        if self.encoded is None:
            return from_char + byte - from_byte
        return from_char + len(self.encoded[from_byte:byte].decode("utf-8", errors="ignore"))


def statements(sql: str) -> Iterator[Statement]:
    """The top-level statements of ``sql``, in order. Raises :class:`pglast.parser.ParseError` when it does not
    parse, with the character offset in ``sql`` that PostgreSQL points at (``args[1]``)."""
    pos, size = 0, PIECE
    while pos < len(sql):
        cut = sql.find(";", pos + size)
        stop = len(sql) if cut < 0 else cut + 1
        text = sql[pos:stop]
        try:
            raw = json.loads(parse_sql_json(text))["stmts"]
        except ParseError as e:
            if stop < len(sql):  # the cut may be inside a string or a body: try a longer piece
                size *= 2
                continue
            offset = e.args[1] if len(e.args) > 1 and isinstance(e.args[1], int) else 0
            raise ParseError(e.args[0], pos + offset) from None
        piece = _Piece(text, pos)
        if stop < len(sql) and not _ends_at_cut(raw, text, piece):
            size *= 2
            continue
        byte, char = 0, pos
        for r in raw:
            ((kind, node),) = r["stmt"].items()
            b_start = r.get("stmt_location", 0)
            char = piece.char(b_start, byte, char)
            byte = b_start
            length = r.get("stmt_len", 0)
            end = piece.char(b_start + length, byte, char) if length else stop
            yield Statement(kind, node, char, end, piece, byte)
        pos, size = stop, PIECE


def _ends_at_cut(raw: list[dict[str, Any]], text: str, piece: _Piece) -> bool:
    """Whether the piece's last statement ends at the ``;`` the piece was cut after (with nothing but other
    ``;`` and whitespace between them): otherwise the cut is inside a comment, or the piece holds no statement."""
    if not raw or not raw[-1].get("stmt_len"):
        return False
    last = raw[-1]
    end = piece.char(last.get("stmt_location", 0) + last["stmt_len"], 0, piece.start) - piece.start
    return not text[end:].strip("; \t\r\n\f\v")


__all__ = ["PIECE", "ParseError", "Statement", "statements"]
