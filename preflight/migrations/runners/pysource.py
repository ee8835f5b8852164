"""Reading a few assignments out of a Python migration file without importing it, and without parsing all of it.

Alembic revisions and Django migrations declare their graph in a handful of assignments (``revision = ...``,
``dependencies = [...]``); the rest of the file (the operations) can be long. Parsing ten thousand whole files with
Python's parser takes seconds, so the statements that matter are found line by line and only they are parsed,
with Python's own parser. Whenever that shortcut could be wrong (a candidate line inside a triple-quoted string, a
name assigned twice, a statement that does not parse on its own), the caller parses the whole file instead.
"""

from __future__ import annotations

import ast
import bisect
import functools
import re

_TRIPLE = re.compile(r'"""|\'\'\'')


@functools.lru_cache(maxsize=64)
def _pattern(names: tuple[str, ...], indent: str) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(indent)}({'|'.join(map(re.escape, names))})[ \t]*(?::[^=\n]*)?=(?!=)", re.M)


def assignments(text: str, names: tuple[str, ...], indent: str = "") -> dict[str, ast.expr] | None:
    """``name -> value node`` for the statements ``name = value`` (or ``name: T = value``) at exactly this
    indentation; None when the shortcut cannot be trusted and the file must be parsed whole."""
    pattern = _pattern(names, indent)
    found: dict[str, ast.expr] = {}
    quotes = [q.start() for q in _TRIPLE.finditer(text)] if ('"""' in text or "'''" in text) else []
    for m in pattern.finditer(text):
        # Inside a triple-quoted string, the line is text, not a statement: only the whole parse can tell.
        if bisect.bisect_left(quotes, m.start()) % 2:
            return None
        name = m.group(1)
        if name in found:
            return None
        node = _statement(text, m.start(), len(indent))
        if node is None:
            return None
        found[name] = node
    return found


_TOKEN = re.compile(r"""\s*(?:(None|True|False)|'([^'\\\n]*)'|"([^"\\\n]*)"|([(\[])|([)\]])|(,))""")
_REST = re.compile(r"[ \t]*(#[^\n]*)?(\n|$)")


def _simple_literal(text: str, pos: int) -> tuple[ast.expr, int] | None:
    """The common shapes of these values (None, a plain string, a list or tuple of them, nested once for
    Django's pairs) read without compiling anything: Python's parser is the slow part for ten thousand files.
    None for anything else (escapes, comments inside, expressions): then Python's parser decides."""
    stack: list[tuple[str, list[ast.expr]]] = []
    result: ast.expr | None = None
    while True:
        m = _TOKEN.match(text, pos)
        if m is None:
            return None
        pos = m.end()
        word, single, double, opening, closing, comma = m.groups()
        value: ast.expr | None = None
        if word is not None:
            value = ast.Constant({"None": None, "True": True, "False": False}[word])
        elif single is not None or double is not None:
            value = ast.Constant(single if single is not None else double)
        elif opening is not None:
            if len(stack) >= 2:
                return None
            stack.append((opening, []))
            continue
        elif closing is not None:
            if not stack or "([".index(stack[-1][0]) != ")]".index(closing):
                return None
            kind, items = stack.pop()
            value = ast.Tuple(items, ast.Load()) if kind == "(" else ast.List(items, ast.Load())
        elif comma is not None:
            if not stack:
                return None
            continue
        if not stack:
            result = value
            break
        assert value is not None
        stack[-1][1].append(value)
    rest = _REST.match(text, pos)
    if rest is None or result is None:
        return None
    return result, rest.end()


def _statement(text: str, start: int, indent: int) -> ast.expr | None:
    """The value of the assignment starting at ``start``: the shortest run of lines from there that parses."""
    eq = text.find("=", start)
    simple = _simple_literal(text, eq + 1) if eq >= 0 else None
    if simple is not None:
        return simple[0]
    end = start
    for _ in range(200):
        nl = text.find("\n", end)
        end = len(text) if nl < 0 else nl + 1
        snippet = "\n".join(line[indent:] for line in text[start:end].split("\n"))
        try:
            tree = ast.parse(snippet)
        except SyntaxError:
            if end >= len(text):
                return None
            continue
        if len(tree.body) != 1:
            return None
        stmt = tree.body[0]
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            return stmt.value
        if isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            return stmt.value
        return None
    return None
