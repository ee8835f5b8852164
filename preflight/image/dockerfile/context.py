"""The build context of a ``dockerfile:`` source: the directory a ``docker build`` sends, as BuildKit filters it.

``[targets.image] context`` names it (default: the Dockerfile's directory). ``<Dockerfile>.dockerignore`` beside
the Dockerfile, else ``.dockerignore`` at the context's root, is applied with BuildKit's rules
(:mod:`preflight.image.dockerfile.dockerignore`). What a ``COPY`` or ``ADD`` takes from the context is what the context holds
*now*: names, types, modes and sizes read from the disk, never the contents of a file unless asked for one.

Everything stays inside the context's root: a path climbing out with ``..`` is cleaned at the root (as BuildKit
does), and symlinks are followed only where BuildKit follows them (the source named by a ``COPY``), inside the
root, never through the host's own filesystem.
"""

from __future__ import annotations

import os
import posixpath
import stat as stat_module
from dataclasses import dataclass
from pathlib import Path

from preflight.errors import ReaderError
from preflight.image.dockerfile.dockerignore import (
    Filter,
    PatternError,
    PatternMatcher,
    glob_to_regex,
    read_patterns,
)
from preflight.image.model import DIRECTORY, FILE, MAX_SYMLINK_HOPS, SYMLINK

MAX_IGNORE_BYTES = 1 << 20
MAX_SEARCH_ENTRIES = 200_000
"""Entries looked at, at most, to find what an exception re-includes under an excluded directory."""

_KINDS = ((stat_module.S_ISREG, FILE), (stat_module.S_ISDIR, DIRECTORY), (stat_module.S_ISLNK, SYMLINK),
          (stat_module.S_ISCHR, "char-device"), (stat_module.S_ISBLK, "block-device"),
          (stat_module.S_ISFIFO, "fifo"))


@dataclass(frozen=True)
class ContextEntry:
    """One entry of the build context, as BuildKit would send it."""

    rel: str
    """Its path inside the context, "" for the root."""
    type: str
    mode: int
    size: int
    linkname: str = ""
    lazy: bool = False
    """An excluded directory present only because an exception re-includes something under it."""


def clean_rel(path: str) -> str:
    """A source path as BuildKit takes it from the context: relative to its root, never above it."""
    return posixpath.normpath("/" + path).lstrip("/")


class BuildContext:
    def __init__(self, root: Path, display: str, ignore: PatternMatcher | None, ignore_file: str | None):
        self.root = root
        self.display = display
        """The context as the user named it, for grounds: "." or "deploy/"."""
        self.ignore = ignore
        self.ignore_file = ignore_file
        """Where the patterns came from, for grounds (None: no ignore file)."""
        self._lstat: dict[str, ContextEntry | None] = {}
        self._lists: dict[str, list[str]] = {}
        self._filter = Filter(ignore, self._host_list, self._host_is_dir, f"build context {display}",
                              MAX_SEARCH_ENTRIES) if ignore is not None else None

    @classmethod
    def open(cls, root: Path, display: str, dockerfile: Path) -> BuildContext:
        if not root.is_dir():
            raise ReaderError(f"build context {display}: no such directory")
        specific = dockerfile.with_name(dockerfile.name + ".dockerignore")
        candidates = [(specific, specific.name), (root / ".dockerignore", ".dockerignore")]
        for path, shown in candidates:
            if path.is_file():
                try:
                    raw = path.read_bytes()[:MAX_IGNORE_BYTES + 1]
                except OSError as e:
                    raise ReaderError(f"{shown}: cannot read: {e.strerror or e}") from None
                if len(raw) > MAX_IGNORE_BYTES:
                    raise ReaderError(f"{shown}: larger than {MAX_IGNORE_BYTES} bytes")
                try:
                    matcher = PatternMatcher.of(read_patterns(raw.decode("utf-8", "replace")))
                except PatternError as e:
                    raise ReaderError(f"{shown}: {e}") from None
                return cls(root, display, matcher, shown)
        return cls(root, display, None, None)

    # -- the host, inside the root -------------------------------------------------------------------------

    def _host_lstat(self, rel: str) -> ContextEntry | None:
        """What the disk holds at ``rel`` (parents checked to be real directories), ignore rules not applied."""
        if rel in self._lstat:
            return self._lstat[rel]
        entry: ContextEntry | None = None
        parent = posixpath.dirname(rel)
        if rel == "" or (self._host_lstat(parent) or _NOT_DIR).type == DIRECTORY:
            try:
                st = os.lstat(self.root / rel if rel else self.root)
            except (OSError, ValueError):  # ValueError: a NUL byte, which no file's name holds
                st = None
            if st is not None:
                kind = next((name for test, name in _KINDS if test(st.st_mode)), "socket")
                link = ""
                if kind == SYMLINK:
                    try:
                        link = os.readlink(self.root / rel)
                    except OSError:
                        link = ""
                entry = ContextEntry(rel, kind, stat_module.S_IMODE(st.st_mode),
                                     st.st_size if kind == FILE else 0, link)
        self._lstat[rel] = entry
        return entry

    def _host_is_dir(self, rel: str) -> bool:
        entry = self._host_lstat(rel)
        return entry is not None and entry.type == DIRECTORY

    def _host_list(self, rel: str) -> list[str]:
        if rel in self._lists:
            return self._lists[rel]
        entry = self._host_lstat(rel)
        names: list[str] = []
        if entry is not None and entry.type == DIRECTORY:
            try:
                names = sorted(os.listdir(self.root / rel if rel else self.root))
            except OSError as e:
                raise ReaderError(f"build context {self.display}: cannot list {rel or '.'}: "
                                  f"{e.strerror or e}") from None
        self._lists[rel] = names
        return names

    # -- what BuildKit sends ---------------------------------------------------------------------------------

    def lstat(self, rel: str) -> ContextEntry | None:
        """The entry at ``rel`` in the context as sent (parents must be directories, not symlinks); None when
        the context does not send it."""
        entry = self._host_lstat(rel)
        if entry is None or rel == "" or self._filter is None:
            return entry
        try:
            visible, lazy = self._filter.visible(rel)
        except PatternError as e:
            raise ReaderError(str(e)) from None
        if not visible:
            return None
        return ContextEntry(rel, entry.type, entry.mode, entry.size, lazy=True) if lazy else entry

    def excluded_by(self, rel: str) -> str | None:
        """The ignore file that keeps ``rel`` out, when the disk has it but the context does not send it."""
        if self.ignore is None or self._host_lstat(rel) is None or self.lstat(rel) is not None:
            return None
        return self.ignore_file

    def names(self, rel: str) -> list[str]:
        """Names directly inside the directory ``rel`` as sent, sorted."""
        base = f"{rel}/" if rel else ""
        return [n for n in self._host_list(rel) if self.lstat(base + n) is not None]

    def resolve(self, rel: str) -> tuple[str, ContextEntry | None]:
        """``rel`` with symlinks followed inside the root (how a COPY source path is found): the resolved path
        and its entry, None when nothing is there."""
        parts = [p for p in rel.split("/") if p not in ("", ".")]
        cur = ""
        hops = 0
        while parts:
            name = parts.pop(0)
            if name == "..":
                cur = posixpath.dirname(cur)
                continue
            cand = f"{cur}/{name}" if cur else name
            entry = self.lstat(cand)
            if entry is None:
                return cand, None
            if entry.type == SYMLINK:
                hops += 1
                if hops > MAX_SYMLINK_HOPS:
                    raise ReaderError(f"build context {self.display}: {rel}: too many levels of symbolic links")
                target = entry.linkname
                if target.startswith("/"):
                    cur = ""
                parts = [p for p in target.split("/") if p not in ("", ".")] + parts
                continue
            if parts and entry.type != DIRECTORY:
                return cand, None
            cur = cand
        return cur, self.lstat(cur)

    def glob(self, pattern: str) -> list[str]:
        """The context paths a COPY wildcard source matches (Go's ``filepath.Match`` per component, in the
        directories the context sends), sorted like BuildKit's walk."""
        parts = [p for p in clean_rel(pattern).split("/") if p]
        found = [""]
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            nxt: list[str] = []
            for base in found:
                if any(c in part for c in "*?["):
                    rx = glob_to_regex(part)
                    for name in self.names(base):
                        if rx.match(name):
                            nxt.append(f"{base}/{name}" if base else name)
                else:
                    cand = f"{base}/{part}" if base else part
                    if self.lstat(cand) is not None:
                        nxt.append(cand)
            if not last:
                nxt = [p for p in nxt if (self.resolve(p)[1] or _NOT_DIR).type == DIRECTORY]
            found = sorted(nxt)
        return found

    def read(self, rel: str, limit: int) -> bytes:
        resolved, entry = self.resolve(rel)
        if entry is None or entry.type != FILE:
            raise ReaderError(f"build context {self.display}: {rel} is not a file")
        try:
            with open(self.root / resolved, "rb") as f:
                return f.read(limit)
        except OSError as e:
            raise ReaderError(f"build context {self.display}: cannot read {rel}: {e.strerror or e}") from None

    def host_path(self, rel: str) -> Path:
        resolved, entry = self.resolve(rel)
        if entry is None:
            raise ReaderError(f"build context {self.display}: no {rel}")
        return self.root / resolved


_NOT_DIR = ContextEntry("", "missing", 0, 0)
