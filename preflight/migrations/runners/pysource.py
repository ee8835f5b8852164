"""Reading a few assignments out of a Python migration file without importing it, and without parsing all of it.

Alembic revisions and Django migrations declare their graph in a handful of assignments (``revision = ...``,
``dependencies = [...]``); the rest of the file (the operations) can be long. Parsing ten thousand whole files with
Python's parser takes seconds, so the statements that matter are found line by line and only they are parsed,
with Python's own parser. Whenever that shortcut could be wrong (a candidate line inside a triple-quoted string, a
name assigned twice, a statement that does not parse on its own), the caller parses the whole file instead.
"""

from __future__ import annotations

import ast
import re

_TRIPLE = re.compile(r'"""|\'\'\'')


def assignments(text: str, names: tuple[str, ...], indent: str = "") -> dict[str, ast.expr] | None:
    """``name -> value node`` for the statements ``name = value`` (or ``name: T = value``) at exactly this
    indentation; None when the shortcut cannot be trusted and the file must be parsed whole."""
    pattern = re.compile(rf"^{re.escape(indent)}({'|'.join(map(re.escape, names))})[ \t]*(?::[^=\n]*)?=(?!=)", re.M)
    found: dict[str, ast.expr] = {}
    for m in pattern.finditer(text):
        # Inside a triple-quoted string, the line is text, not a statement: only the whole parse can tell.
        if len(_TRIPLE.findall(text, 0, m.start())) % 2:
            return None
        name = m.group(1)
        if name in found:
            return None
        node = _statement(text, m.start(), len(indent))
        if node is None:
            return None
        found[name] = node
    return found


def _statement(text: str, start: int, indent: int) -> ast.expr | None:
    """The value of the assignment starting at ``start``: the shortest run of lines from there that parses."""
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
