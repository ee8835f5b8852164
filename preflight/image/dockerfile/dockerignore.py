""".dockerignore patterns, matched the way BuildKit matches them (moby/patternmatcher, applied by fsutil).

A pattern file is read like moby's ``ignorefile.ReadAll``: a UTF-8 BOM is dropped, lines starting with ``#`` are
comments, the rest are trimmed, ``!`` marks an exception, each pattern is cleaned like Go's ``filepath.Clean``
and a leading ``/`` is dropped. A pattern is compiled like ``patternmatcher.Pattern.compile``: ``*`` and ``?``
never match ``/``, ``**`` matches any number of directories (none included), ``\\`` escapes, ``[...]`` are
character classes; a pattern that is plain text is compared exactly, one ending in ``**`` by prefix and one
starting with ``**`` by suffix, as moby does (so ``**foo`` matches ``barfoo``).

A path is excluded when the last pattern that matches it, or matches a directory above it, is not an exception
(``MatchesUsingParentResults``). An excluded directory is still walked when an exception could re-include
something under it, and then appears in the context only through what it re-includes (fsutil's lazy parent
directories).

Written here rather than taken from a library: the Python ports on PyPI implement the older semantics (one
parent checked, ``Dockerfile`` and ``.dockerignore`` always kept, as the classic builder did), which differ from
what BuildKit sends.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

_ESCAPED = set(".+()|{}$")


def go_clean(path: str) -> str:
    """Go's ``path.Clean``: the shortest equivalent path, ``..`` resolved lexically, ``"."`` for nothing."""
    if not path:
        return "."
    rooted = path.startswith("/")
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts and parts[-1] != "..":
                parts.pop()
            elif not rooted:
                parts.append("..")
            continue
        parts.append(part)
    out = "/".join(parts)
    if rooted:
        return "/" + out
    return out or "."


def read_patterns(text: str) -> list[str]:
    """The patterns of a .dockerignore file, as moby's ``ignorefile.ReadAll`` returns them."""
    out: list[str] = []
    for i, line in enumerate(text.split("\n")):
        if i == 0:
            line = line.removeprefix("\ufeff")
        line = line.removesuffix("\r")
        if line.startswith("#"):
            continue
        line = line.strip()
        if not line:
            continue
        invert = line.startswith("!")
        if invert:
            line = line[1:].strip()
        if line:
            line = go_clean(line)
            if len(line) > 1 and line.startswith("/"):
                line = line[1:]
        out.append("!" + line if invert else line)
    return out


class PatternError(ValueError):
    pass


@dataclass
class Pattern:
    text: str
    exclusion: bool
    kind: str = "exact"          # exact, prefix, suffix or regexp (moby's match types)
    regexp: re.Pattern[str] | None = None

    @classmethod
    def compile(cls, raw: str) -> Pattern:
        p = raw.strip()
        p = go_clean(p)
        exclusion = p.startswith("!")
        if exclusion:
            if len(p) == 1:
                raise PatternError('illegal exclusion pattern: "!"')
            p = p[1:]
        _check_syntax(p)
        pat = cls(p, exclusion)
        pat._compile()
        return pat

    def _compile(self) -> None:
        out = "^"
        kind = "exact"
        s = self.text
        i = 0
        token = 0
        while i < len(s):
            ch = s[i]
            i += 1
            if ch == "*":
                if i < len(s) and s[i] == "*":
                    i += 1
                    if i < len(s) and s[i] == "/":
                        i += 1
                    if i >= len(s):
                        if kind == "exact":
                            kind = "prefix"
                        else:
                            out += ".*"
                            kind = "regexp"
                    else:
                        out += "(.*/)?"
                        kind = "regexp"
                    if token == 0:
                        kind = "suffix"
                else:
                    out += "[^/]*"
                    kind = "regexp"
            elif ch == "?":
                out += "[^/]"
                kind = "regexp"
            elif ch in _ESCAPED:
                out += "\\" + ch
            elif ch == "\\":
                if i < len(s):
                    out += re.escape(s[i])
                    i += 1
                    kind = "regexp"
                else:
                    out += "\\\\"
            elif ch in "[]":
                out += ch
                kind = "regexp"
            else:
                out += ch
            token += 1
        self.kind = kind
        if kind == "regexp":
            try:
                self.regexp = re.compile(out + "$", re.DOTALL)
            except re.error as e:
                raise PatternError(f"bad pattern {self.text!r}: {e}") from None

    def match(self, path: str) -> bool:
        if self.kind == "exact":
            return path == self.text
        if self.kind == "prefix":
            return path.startswith(self.text[:-2])
        if self.kind == "suffix":
            suffix = self.text[2:]
            if path.endswith(suffix):
                return True
            return suffix.startswith("/") and path == suffix[1:]
        assert self.regexp is not None
        return self.regexp.match(path) is not None

    def without_trailing_glob(self) -> str:
        return self.text.removesuffix("/**").removesuffix("/*")


def _check_syntax(p: str) -> None:
    """What Go's ``filepath.Match(p, ".")`` refuses: an unclosed class or a trailing escape."""
    i = 0
    while i < len(p):
        ch = p[i]
        if ch == "\\":
            if i + 1 >= len(p):
                raise PatternError(f"bad pattern {p!r}: trailing backslash")
            i += 2
            continue
        if ch == "[":
            j = i + 1
            if j < len(p) and p[j] == "^":
                j += 1
            first = True
            while True:
                if j >= len(p):
                    raise PatternError(f"bad pattern {p!r}: unclosed [")
                if p[j] == "]" and not first:
                    break
                if p[j] == "\\":
                    j += 1
                j += 1
                first = False
            i = j + 1
            continue
        i += 1


@dataclass
class PatternMatcher:
    """The patterns of one .dockerignore (or one ``COPY --exclude`` list), in order."""

    patterns: list[Pattern] = field(default_factory=list)

    @classmethod
    def of(cls, patterns: list[str]) -> PatternMatcher:
        return cls([Pattern.compile(p) for p in patterns if p.strip()])

    @property
    def exclusions(self) -> bool:
        return any(p.exclusion for p in self.patterns)

    @property
    def only_prefix_exceptions(self) -> bool:
        """fsutil's shortcut holds: no exception pattern has a wildcard before its trailing glob."""
        return not any(p.exclusion and any(c in p.without_trailing_glob() for c in "*[]?^\\")
                       for p in self.patterns)

    def matches(self, path: str, parent: list[bool] | None) -> tuple[bool, list[bool]]:
        """moby's ``MatchesUsingParentResults``: whether ``path`` is matched, and the per-pattern results its
        children are matched with. ``parent`` is ``None`` for a path whose parents were not matched."""
        matched = False
        info = [False] * len(self.patterns)
        for i, pattern in enumerate(self.patterns):
            hit = bool(parent) and parent[i]  # type: ignore[index]
            if not hit:
                if pattern.exclusion != matched:
                    continue
                hit = pattern.match(path)
                if not hit and not parent and "/" in path:
                    dirs = path.split("/")[:-1]
                    for n in range(1, len(dirs) + 1):
                        if pattern.match("/".join(dirs[:n])):
                            hit = True
                            break
            info[i] = hit
            if hit:
                matched = not pattern.exclusion
        return matched, info

    def may_reinclude_under(self, directory: str) -> bool:
        """Whether fsutil walks into an excluded ``directory`` (an exception could re-include something)."""
        if not self.exclusions:
            return False
        if not self.only_prefix_exceptions:
            return True
        prefix = directory + "/"
        return any(p.exclusion and (p.without_trailing_glob() + "/").startswith(prefix) for p in self.patterns)


def glob_to_regex(pattern: str) -> re.Pattern[str]:
    """Go's ``filepath.Match`` for one path (``*`` and ``?`` within a component, ``[^...]`` classes,
    ``\\`` escapes), as a regular expression; PatternError on a malformed pattern."""
    _check_syntax(pattern)
    out = ""
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        i += 1
        if ch == "*":
            out += "[^/]*"
        elif ch == "?":
            out += "[^/]"
        elif ch == "\\":
            out += re.escape(pattern[i])
            i += 1
        elif ch == "[":
            j = i
            cls = "["
            if j < len(pattern) and pattern[j] == "^":
                cls += "^"
                j += 1
            first = True
            while pattern[j] != "]" or first:
                c = pattern[j]
                if c == "\\":
                    j += 1
                    c = pattern[j]
                cls += "\\" + c if c in "\\]^[" else c
                j += 1
                first = False
            out += cls + "]"
            i = j + 1
        else:
            out += re.escape(ch)
    return re.compile(out + r"\Z", re.DOTALL)


GLOB_CHARS = re.compile(r"(?<!\\)[*?\[]")


def has_glob(text: str) -> bool:
    return GLOB_CHARS.search(text) is not None


class Filter:
    """A tree seen through a :class:`PatternMatcher` the way fsutil walks it: ``visible(rel)`` is whether the
    path is sent (or copied), either matched by no pattern or re-included by an exception; an excluded directory
    is visible only when something under it is re-included.

    ``list_names(rel)`` and ``is_dir(rel)`` read the unfiltered tree ("" is its root)."""

    def __init__(self, matcher: PatternMatcher, list_names: Callable[[str], list[str]],
                 is_dir: Callable[[str], bool], what: str, limit: int = 200_000):
        self.matcher = matcher
        self._list = list_names
        self._is_dir = is_dir
        self._what = what
        self._limit = limit
        self._state: dict[str, tuple[bool, list[bool] | None, bool]] = {}
        self._below: dict[str, bool] = {}

    def state(self, rel: str) -> tuple[bool, list[bool] | None, bool]:
        """(excluded, per-pattern results for its children, pruned): pruned means never walked into."""
        if rel in self._state:
            return self._state[rel]
        out: tuple[bool, list[bool] | None, bool]
        if "/" in rel:
            parent = rel.rsplit("/", 1)[0]
            p_excluded, p_info, p_pruned = self.state(parent)
            if p_pruned or (p_excluded and not self.matcher.may_reinclude_under(parent)):
                out = (True, None, True)
            else:
                excluded, info = self.matcher.matches(rel, p_info)
                out = (excluded, info, False)
        else:
            excluded, info = self.matcher.matches(rel, None)
            out = (excluded, info, False)
        self._state[rel] = out
        return out

    def visible(self, rel: str) -> tuple[bool, bool]:
        """(visible, only through what is re-included under it)."""
        if rel == "":
            return True, False
        excluded, _, pruned = self.state(rel)
        if pruned:
            return False, False
        if not excluded:
            return True, False
        if self._is_dir(rel) and self._reincluded_below(rel):
            return True, True
        return False, False

    def _reincluded_below(self, rel: str) -> bool:
        if rel in self._below:
            return self._below[rel]
        found = False
        if self.matcher.may_reinclude_under(rel):
            todo = [rel]
            seen = 0
            while todo and not found:
                d = todo.pop()
                for name in self._list(d):
                    seen += 1
                    if seen > self._limit:
                        raise PatternError(f"{self._what}: more than {self._limit} entries under {rel} to search "
                                           "for what an exception pattern re-includes")
                    child = f"{d}/{name}"
                    excluded, _, pruned = self.state(child)
                    if pruned:
                        continue
                    if not excluded:
                        found = True
                        break
                    if self._is_dir(child) and self.matcher.may_reinclude_under(child):
                        todo.append(child)
        self._below[rel] = found
        return found
