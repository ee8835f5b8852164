"""Variable expansion in a recipe: BuildKit's shell lexer, the subset recipes use, bounded.

``$VAR``, ``${VAR}``, ``${VAR:-w}``, ``${VAR-w}``, ``${VAR:+w}``, ``${VAR+w}``, ``${VAR:?w}``, ``${VAR?w}``,
``${VAR#p}``, ``${VAR##p}``, ``${VAR%p}``, ``${VAR%%p}``, quotes removed, with the recipe's escape character.

Every result is bounded: one expansion longer than :data:`MAX_EXPANSION` characters, or all of a recipe's
expansions together longer than :data:`MAX_EXPANDED_TOTAL`, is a one-line error naming the line (a few ``ARG`` lines
that double each other would otherwise grow without end). Pattern removal (``${VAR#p}``) works on values of at
most :data:`MAX_TRIMMED` characters.
"""

from __future__ import annotations

import fnmatch
import re

from preflight.errors import ReaderError

MAX_EXPANSION = 1 << 20
"""Characters one expansion (a word, a value, a heredoc's body) may produce."""
MAX_EXPANDED_TOTAL = 16 << 20
"""Characters all the expansions of one recipe may produce together."""
MAX_TRIMMED = 1 << 12
"""Longest value ``${VAR#pattern}`` and its kin work on (the search is quadratic in it)."""
MAX_NESTING = 64
"""Deepest ``${A:-${B:-...}}`` nesting."""


class ExpansionBudget:
    """What a recipe's expansions have produced so far, against :data:`MAX_EXPANDED_TOTAL`."""

    def __init__(self, limit: int = MAX_EXPANDED_TOTAL):
        self.limit = limit
        self.spent = 0

    def spend(self, n: int, where: str) -> None:
        self.spent += n
        if self.spent > self.limit:
            raise ReaderError(f"{where}: variables expand to more than {self.limit} characters in all: "
                              "the recipe's ARG/ENV values grow without a sane bound")


_NAME_START = re.compile(r"[A-Za-z_]")
_NAME_CHAR = re.compile(r"[A-Za-z0-9_]")


class Expander:
    """Expands ``$VAR``, ``${VAR}``, ``${VAR:-w}``, ``${VAR-w}``, ``${VAR:+w}``, ``${VAR+w}``, ``${VAR:?w}``,
    ``${VAR?w}``, ``${VAR#p}``, ``${VAR##p}``, ``${VAR%p}``, ``${VAR%%p}`` and removes quotes, with the
    recipe's escape character. Unset names are collected, for the notes."""

    def __init__(self, env: dict[str, str | None], escape: str, where: str,
                 budget: ExpansionBudget | None = None):
        self.env = env
        self.escape = escape
        self.where = where
        self.budget = budget
        self.unset: set[str] = set()
        self.s, self.i = "", 0
        self.size = 0
        self.depth = 0

    def word(self, text: str) -> str:
        self.s, self.i, self.size, self.depth = text, 0, 0, 0
        out = self._until(None)
        if self.budget is not None:
            self.budget.spend(len(out), self.where)
        return out

    def _grow(self, piece: str) -> str:
        self.size += len(piece)
        if self.size > MAX_EXPANSION:
            raise ReaderError(f"{self.where}: a variable expands to more than {MAX_EXPANSION} characters "
                              "(ARG/ENV values that grow without a sane bound)")
        return piece

    def _peek(self) -> str:
        return self.s[self.i] if self.i < len(self.s) else ""

    def _until(self, stop: str | None) -> str:
        out: list[str] = []
        while self.i < len(self.s):
            ch = self.s[self.i]
            if stop is not None and ch == stop:
                return "".join(out)
            if ch == self.escape:
                self.i += 1
                if self.i < len(self.s):
                    out.append(self._grow(self.s[self.i]))
                    self.i += 1
                continue
            if ch == "'":
                end = self.s.find("'", self.i + 1)
                if end < 0:
                    raise ReaderError(f"{self.where}: unexpected end of statement while looking for matching '")
                out.append(self._grow(self.s[self.i + 1:end]))
                self.i = end + 1
                continue
            if ch == '"':
                self.i += 1
                out.append(self._double_quoted())
                continue
            if ch == "$":
                out.append(self._grow(self._dollar()))
                continue
            out.append(self._grow(ch))
            self.i += 1
        if stop is not None:
            raise ReaderError(f"{self.where}: missing '{stop}' in variable substitution")
        return "".join(out)

    def _double_quoted(self) -> str:
        out: list[str] = []
        while self.i < len(self.s):
            ch = self.s[self.i]
            if ch == '"':
                self.i += 1
                return "".join(out)
            if ch == self.escape and self.i + 1 < len(self.s) and self.s[self.i + 1] in ('"', "$", self.escape):
                out.append(self.s[self.i + 1])
                self.i += 2
                continue
            if ch == "$":
                out.append(self._grow(self._dollar()))
                continue
            out.append(self._grow(ch))
            self.i += 1
        raise ReaderError(f'{self.where}: unexpected end of statement while looking for matching "')

    def _dollar(self) -> str:
        self.i += 1  # the $
        ch = self._peek()
        if ch == "{":
            self.i += 1
            return self._braced()
        if ch and _NAME_START.match(ch):
            start = self.i
            while self.i < len(self.s) and _NAME_CHAR.match(self.s[self.i]):
                self.i += 1
            return self._value(self.s[start:self.i]) or ""
        return "$"

    def _braced(self) -> str:
        start = self.i
        while self.i < len(self.s) and _NAME_CHAR.match(self.s[self.i]):
            self.i += 1
        name = self.s[start:self.i]
        if not name:
            raise ReaderError(f"{self.where}: bad substitution ${{{self.s[start:start + 10]}")
        ch = self._peek()
        if ch == "}":
            self.i += 1
            return self._value(name) or ""
        value = self._value(name)
        if ch == ":" and self.i + 1 < len(self.s) and self.s[self.i + 1] in "-+?":
            op = self.s[self.i:self.i + 2]
            self.i += 2
        elif ch in "-+?":
            op = ch
            self.i += 1
        elif ch in "#%":
            op = ch
            self.i += 1
            if self._peek() == ch:
                op += ch
                self.i += 1
        else:
            raise ReaderError(f"{self.where}: unsupported modifier {ch!r} in ${{{name}...}}")
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise ReaderError(f"{self.where}: variable substitutions nested more than {MAX_NESTING} deep")
        word = self._until("}")
        self.depth -= 1
        self.i += 1  # the }
        is_set, non_empty = value is not None, bool(value)
        if op == ":-":
            return value if non_empty else word  # type: ignore[return-value]
        if op == "-":
            return value if is_set else word  # type: ignore[return-value]
        if op == ":+":
            return word if non_empty else ""
        if op == "+":
            return word if is_set else ""
        if op in (":?", "?"):
            if (op == ":?" and not non_empty) or (op == "?" and not is_set):
                raise ReaderError(f"{self.where}: {name}: {word or 'is not allowed to be unset'}")
            return value or ""
        if len(value or "") > MAX_TRIMMED:
            raise ReaderError(f"{self.where}: ${{{name}{op}...}}: the value of {name} is longer than "
                              f"{MAX_TRIMMED} characters, too long to remove a pattern from")
        return _trim(value or "", word, op)

    def _value(self, name: str) -> str | None:
        value = self.env.get(name)
        if value is None:
            self.unset.add(name)
        return value


def _trim(value: str, pattern: str, op: str) -> str:
    if op in ("#", "##"):
        ends = range(len(value) + 1) if op == "#" else range(len(value), -1, -1)
        for end in ends:
            if fnmatch.fnmatchcase(value[:end], pattern):
                return value[end:]
        return value
    starts = range(len(value), -1, -1) if op == "%" else range(len(value) + 1)
    for start in starts:
        if fnmatch.fnmatchcase(value[start:], pattern):
            return value[:start]
    return value
