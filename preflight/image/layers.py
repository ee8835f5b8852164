"""The merged filesystem of a layered image, read from the top layer down and only as far as needed.

The OCI image spec's rules (layer.md), applied top-down instead of by unpacking bottom-up:

- the topmost layer with an entry for a path decides what it is; directories merge (the topmost explicit
  directory entry gives the attributes), and a directory with descendants but no entry of its own in a layer
  still exists there (tar writers omit parents);
- ``.wh.NAME`` deletes ``NAME`` from the layers below, never from its own layer; ``DIR/.wh..wh..opq`` hides all
  that the lower layers hold under ``DIR``; a non-directory entry at ``A`` hides everything the lower layers hold
  under ``A``;
- a hard link names a path in its own layer or below, whose content and mode it shares.

Each layer is read as a stream of tar headers (data skipped, never extracted), to its end, verified against its
blob digest and its diff_id before anything read from it is used, and read only when some question is not decided
by the layers above it: asking whether a binary of the top layer is there reads the top layer alone, and nothing
below it is opened. What a layer says about the paths asked is kept; small layers are indexed whole so that later
questions do not read them again. Memory is bounded by those limits, not by the image's size.
"""

from __future__ import annotations

import contextlib
import posixpath
import threading
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from preflight.errors import ReaderError
from preflight.image.digest import VerifyingReader, short
from preflight.image.resolve import Backend, Node
from preflight.image.tarscan import (
    DIRECTORY,
    HARDLINK,
    REGULAR,
    SYMLINK,
    ByteStream,
    Member,
    ReadAhead,
    TarScanner,
    decompressed,
    layer_path,
    sniff,
)

WHITEOUT_PREFIX = ".wh."
OPAQUE = ".wh..wh..opq"

FULL_INDEX_LAYER_LIMIT = 20_000
"""A layer with at most this many entries is indexed whole when read."""
FULL_INDEX_TOTAL_LIMIT = 200_000
"""Entries kept in whole-layer indexes per image, at most."""
MAX_HARDLINK_HOPS = 16
MAX_DIRECTORY_ENTRIES = 100_000
"""Names of one directory a layer read keeps for a listing, at most (about 12 MB)."""


class _Whiteout:
    def __repr__(self) -> str:
        return "WHITEOUT"


class _Present:
    def __repr__(self) -> str:
        return "PRESENT"


WHITEOUT = _Whiteout()
PRESENT = _Present()
"""A name a directory holds in a layer (an entry of its own, or a directory that exists through what it holds)."""


@dataclass
class Layer:
    """One layer of an image: how to open it and how to name it in messages."""

    index: int
    """0-based from the bottom."""
    count: int
    digest: str
    """The blob digest (for a ``docker save`` legacy layer: its diff_id)."""
    media_type: str | None
    open_raw: Callable[[], Any]
    """Opens the blob as a reader that verifies its digest at end of file (and has ``peek``)."""
    diff_id: str | None = None
    """When set, the uncompressed stream is verified against it too."""
    local: bool = True
    """A local file (read speculatively when useful); False for a registry's (downloaded only when needed)."""

    @property
    def label(self) -> str:
        return f"layer {self.index + 1}/{self.count} ({short(self.digest)})"


class LayerIndex:
    """What one layer says: everything (``complete``) or what it says about the paths and directories asked."""

    __slots__ = ("complete", "known_paths", "known_dirs", "entries", "whiteouts", "opaque", "has_desc",
                 "children", "overflow")

    def __init__(self) -> None:
        self.complete = False
        self.known_paths: set[str] = set()
        self.known_dirs: set[str] = set()
        self.entries: dict[str, Node] = {}
        self.whiteouts: set[str] = set()
        self.opaque: set[str] = set()
        self.has_desc: set[str] = set()
        self.children: dict[str, dict[str, Any]] = {}
        self.overflow: set[str] = set()
        """Directories holding too many names to list (their ``children`` are not kept)."""

    def knows_path(self, path: str) -> bool:
        return self.complete or path in self.known_paths

    def knows_dir(self, path: str) -> bool:
        return self.complete or path in self.known_dirs

    def hides_below(self, path: str) -> bool:
        """Whether this layer hides what the layers below hold at ``path``."""
        if path in self.whiteouts:
            return True
        parent = path
        while parent != "/":
            parent = posixpath.dirname(parent)
            if parent in self.whiteouts or parent in self.opaque:
                return True
            e = self.entries.get(parent)
            if e is not None and e.type != DIRECTORY:
                return True
        return False

    def size(self) -> int:
        return len(self.entries) + len(self.whiteouts)

    def merge(self, other: LayerIndex) -> None:
        """Add what ``other`` (an earlier partial read of the same layer) knows."""
        self.known_paths |= other.known_paths
        self.known_dirs |= other.known_dirs
        for k, v in other.entries.items():
            self.entries.setdefault(k, v)
        self.whiteouts |= other.whiteouts
        self.opaque |= other.opaque
        self.has_desc |= other.has_desc
        self.overflow |= other.overflow
        for d, kids in other.children.items():
            if d in self.overflow:
                continue
            mine = self.children.setdefault(d, {})
            for name, child in kids.items():
                mine.setdefault(name, child)


def ancestors(path: str) -> list[str]:
    """``/a/b/c`` -> ``["/a/b", "/a", "/"]``."""
    out = []
    while path != "/":
        path = posixpath.dirname(path)
        out.append(path)
    return out


def with_ancestors(paths: Sequence[str]) -> set[str]:
    out: set[str] = set()
    for p in paths:
        if p in out:
            continue
        out.add(p)
        for a in ancestors(p):
            if a in out:
                break
            out.add(a)
    return out


@dataclass(frozen=True)
class _Need:
    layer: int
    paths: frozenset[str]
    dirs: frozenset[str] = frozenset()


class _Recorder:
    """Turns a layer's tar entries into a :class:`LayerIndex`: the whole layer while it stays small, then only
    what concerns the paths and directories asked. Most entries of a big layer concern no question: for those,
    nothing is decoded beyond the name, and the check that says so is the first thing :meth:`add` does."""

    def __init__(self, layer: int, paths: set[str], dirs: set[str], full_budget: int):
        self.layer = layer
        self.paths = paths
        self.dirs = dirs
        self.ix = LayerIndex()
        """What concerns ``paths`` and ``dirs``, once the whole layer is no longer indexed."""
        self.full: LayerIndex | None = LayerIndex() if full_budget > 0 else None
        self.full_limit = min(FULL_INDEX_LAYER_LIMIT, full_budget)
        self._last_parent: str | None = None
        self._parent_listed = False
        self._seen_parents: set[str] = set()

    def add(self, path: str, kind: str, scanner: TarScanner) -> None:
        if self.full is not None:
            self._record(self.full, path, kind, scanner, None, None)
            if self.full.size() > self.full_limit:
                self._keep_asked_only()
            return
        # Entries of one directory come together in a tar: after the first one, an entry that is not asked
        # about, in a directory not listed, and not a whiteout, says nothing new.
        cut = path.rfind("/")
        if not self._parent_listed and path[:cut] == self._last_parent and path not in self.paths and \
                not path.startswith(WHITEOUT_PREFIX, cut + 1):
            return
        self._record(self.ix, path, kind, scanner, self.paths, self.dirs)

    def _record(self, ix: LayerIndex, path: str, kind: str, scanner: TarScanner, paths: set[str] | None,
                dirs: set[str] | None) -> None:
        """What the entry says, kept in ``ix`` where it concerns ``paths`` and ``dirs`` (None: everything)."""
        if path == "/":
            if kind == DIRECTORY and (paths is None or "/" in paths):
                ix.entries["/"] = _node(scanner.member(), path, self.layer)
            return
        cut = path.rfind("/")
        parent = path[:cut] or "/"
        base = path[cut + 1:]
        whiteout = base.startswith(WHITEOUT_PREFIX)
        if whiteout:
            if base == OPAQUE:
                if paths is None or parent in paths or (dirs is not None and parent in dirs):
                    ix.opaque.add(parent)
            else:
                name = base[len(WHITEOUT_PREFIX):]
                hidden = parent + "/" + name if parent != "/" else "/" + name
                if paths is None or hidden in paths:
                    ix.whiteouts.add(hidden)
                if dirs is None or parent in dirs:
                    kids = self._kids(ix, parent)
                    if kids is not None:
                        kids.setdefault(name, WHITEOUT)
        else:
            if paths is None or path in paths:
                ix.entries[path] = _node(scanner.member(), path, self.layer)
            if dirs is None or parent in dirs:
                kids = self._kids(ix, parent)
                if kids is not None:
                    # An entry wins over a whiteout of the same name in its own layer. (A listing needs the
                    # names only: no node is kept for them, which keeps a listing of many names small.)
                    kids[base] = PRESENT
        # The entry's parents exist in this layer, with or without entries of their own: walked once per
        # directory (a tar lists a directory's entries together; when it does not, walking again is harmless).
        if paths is None:
            if parent in self._seen_parents:
                return
        elif parent == self._last_parent:
            return
        else:
            self._last_parent = parent
            self._parent_listed = dirs is not None and parent in dirs
        child = None if whiteout else path
        d = parent
        while True:
            if paths is None or d in paths:
                ix.has_desc.add(d)
            if child is not None and child != path and (dirs is None or d in dirs):
                kids = self._kids(ix, d)
                name = child[child.rfind("/") + 1:]
                if kids is not None and kids.get(name) in (None, WHITEOUT):
                    kids[name] = PRESENT
            if paths is None:
                if d in self._seen_parents:
                    break
                self._seen_parents.add(d)
            if d == "/":
                break
            child = d
            d = d[:d.rfind("/")] or "/"

    @staticmethod
    def _kids(ix: LayerIndex, directory: str) -> dict[str, Any] | None:
        """What ``ix`` knows ``directory`` holds, to which a name is about to be added; None once that is more
        than :data:`MAX_DIRECTORY_ENTRIES` names (a listing of it is then an error, see
        :meth:`LayeredFS._eval_list`): a hostile layer of a million entries in one directory, a few megabytes,
        cannot make a listing take gigabytes."""
        if directory in ix.overflow:
            return None
        kids = ix.children.setdefault(directory, {})
        if len(kids) >= MAX_DIRECTORY_ENTRIES:
            ix.overflow.add(directory)
            del ix.children[directory]
            return None
        return kids

    def _keep_asked_only(self) -> None:
        """The layer is too big to index whole: from the whole index so far, keep what concerns the paths and
        directories asked (what recording them alone would have kept), and record only that from now on."""
        assert self.full is not None
        full, ix = self.full, self.ix
        for p in self.paths:
            if p in full.entries:
                ix.entries[p] = full.entries[p]
            if p in full.whiteouts:
                ix.whiteouts.add(p)
            if p in full.has_desc:
                ix.has_desc.add(p)
            if p in full.opaque:
                ix.opaque.add(p)
        for d in self.dirs:
            if d in full.opaque:
                ix.opaque.add(d)
            if d in full.children:
                ix.children[d] = dict(full.children[d])
            if d in full.overflow:
                ix.overflow.add(d)
        self.full = None
        self._seen_parents = set()

    def finish(self) -> LayerIndex:
        if self.full is not None:
            self.full.complete = True
            return self.full
        self.ix.known_paths |= self.paths
        self.ix.known_dirs |= self.dirs
        return self.ix


def _node(m: Member, path: str, layer: int) -> Node:
    kind = m.type
    return Node(kind, m.mode, m.size, m.uid, m.gid, m.linkname if kind in (SYMLINK, HARDLINK) else "", layer,
                data=(layer, path) if kind == REGULAR else None)


class LayeredFS(Backend):
    """The merged filesystem of ``layers`` (bottom first), read lazily from the top."""

    def __init__(self, layers: list[Layer], label: str):
        self.layers = layers
        self.label = label
        self.layer_count = len(layers)
        self.layer_digests = tuple(layer.digest for layer in layers)
        self._index: list[LayerIndex | None] = [None] * len(layers)
        self._lstat_cache: dict[str, Node | None] = {}
        self._kind_cache: dict[str, Node | None] = {}
        self._list_cache: dict[str, list[str]] = {}
        self._full_budget = FULL_INDEX_TOTAL_LIMIT
        # Held while a question is answered: checks sharing the image wait for each other's reads, then reuse them.
        self._lock = threading.RLock()
        self.layers_read: list[int] = []
        """Which layers were read, in order (for tests and the bench)."""

    # -- evaluation over what the layers read so far say -------------------------------------------------

    def _eval_lstat(self, path: str, start: int, hops: int = 0, kind_only: bool = False) -> Node | None | _Need:
        """``kind_only``: whether the path is a directory is enough (walking through it), so a directory that
        exists through its contents is decided without looking further down for its own entry."""
        if kind_only and path == "/":
            return Node(DIRECTORY, 0o755)
        implicit_at: int | None = None
        for i in range(start, -1, -1):
            ix = self._index[i]
            if ix is None or not ix.knows_path(path):
                # The listings of the directories on the way are recorded in the same read: when the path is
                # missing, its nearest existing directory is named with what it holds, without reading again.
                return _Need(i, frozenset(with_ancestors([path])), frozenset(ancestors(path)))
            e = ix.entries.get(path)
            if e is not None:
                if implicit_at is not None and e.type != DIRECTORY:
                    # An upper layer put a directory (through its contents) where this one had a file.
                    return Node(DIRECTORY, 0o755, layer=implicit_at)
                if e.type == HARDLINK:
                    return self._eval_hardlink(path, e, i, hops)
                return e
            if implicit_at is None and path in ix.has_desc:
                implicit_at = i
                if kind_only:
                    return Node(DIRECTORY, 0o755, layer=implicit_at)
            if ix.hides_below(path):
                break
        if implicit_at is not None:
            return Node(DIRECTORY, 0o755, layer=implicit_at)
        if path == "/":
            return Node(DIRECTORY, 0o755)
        return None

    def _eval_hardlink(self, path: str, link: Node, layer: int, hops: int) -> Node | _Need:
        target = layer_path(link.linkname)
        if target is None or hops >= MAX_HARDLINK_HOPS:
            return Node(HARDLINK, link.mode, layer=layer, hardlink_to=link.linkname,
                        broken=f"hard link to {link.linkname}, which is outside the image")
        t = self._eval_lstat(target, layer, hops + 1) if target != path else None
        if isinstance(t, _Need):
            return t
        if t is None or t.broken:
            return Node(HARDLINK, link.mode, layer=layer, hardlink_to=target,
                        broken=f"hard link to {target}, which does not exist in the image")
        if t.type == DIRECTORY:
            # link(2) refuses directories: no runtime can apply this entry.
            return Node(HARDLINK, link.mode, layer=layer, hardlink_to=target,
                        broken=f"hard link to {target}, which is a directory")
        # A hard link is the same inode: the target's type, mode, size and content.
        return Node(t.type, t.mode, t.size, t.uid, t.gid, t.linkname, layer, hardlink_to=target, data=t.data)

    def _eval_list(self, path: str, start: int) -> dict[str, Any] | _Need:
        found: dict[str, Any] = {}
        for i in range(start, -1, -1):
            ix = self._index[i]
            if ix is None or not ix.knows_dir(path) or not ix.knows_path(path):
                return _Need(i, frozenset(with_ancestors([path])), frozenset([path]))
            e = ix.entries.get(path)
            if e is not None and e.type != DIRECTORY:
                break
            if path in ix.overflow:
                raise ReaderError(f"{self.label}: {self.layers[i].label}: {path} holds more than "
                                  f"{MAX_DIRECTORY_ENTRIES} entries: more than preflight lists (a hostile or "
                                  f"corrupt layer)")
            for name, child in ix.children.get(path, {}).items():
                found.setdefault(name, child)
            if path in ix.opaque or ix.hides_below(path):
                break
        return found

    # -- reading layers ----------------------------------------------------------------------------------

    def _settle(self, evaluate: Callable[[], list[_Need]]) -> None:
        """Read layers, topmost needed first, until ``evaluate`` needs none.

        One layer at a time, and only when a question is still open: when the top layer decides everything,
        nothing below it is opened. (Reading the layer below at the same time, in case it is needed next, was
        tried: it cost a core for nothing whenever the answer was found above.)"""
        while True:
            needs = evaluate()
            if not needs:
                return
            top = max(n.layer for n in needs)
            paths: set[str] = set()
            dirs: set[str] = set()
            for n in needs:
                if n.layer == top:
                    paths |= n.paths
                    dirs |= n.dirs
            self._install(top, self._build_index(top, paths, dirs))

    def _build_index(self, i: int, paths: set[str], dirs: set[str]) -> LayerIndex:
        """What layer ``i`` says about ``paths`` and ``dirs`` (the whole layer if it is small)."""
        rec = _Recorder(i, paths, dirs, self._full_budget)
        self._read_layer(self.layers[i], rec.add)
        return rec.finish()

    def _install(self, i: int, new: LayerIndex) -> None:
        current = self._index[i]
        if new.complete:
            self._full_budget -= new.size()
        elif current is not None and not current.complete:
            new.merge(current)
        self._index[i] = new if current is None or not current.complete else current
        self.layers_read.append(i)

    @contextlib.contextmanager
    def _open(self, layer: Layer) -> Iterator[TarScanner]:
        """The layer's tar entries. After the last one the rest of the blob is read, so that both digests are
        checked before anything read from it is used: the blob's (the compressed bytes) by the store's
        verifying reader, and the diff_id (the tar stream) here. A layer is always read to its end."""
        what = f"{self.label}: {layer.label}"
        raw = layer.open_raw()
        try:
            compression = sniff(raw.peek(6))
            verified_by_store = raw.digest if isinstance(raw, VerifyingReader) else None
            # Three threads, as `tar -tz` runs gzip and tar side by side: one reads the blob and hashes it, one
            # decompresses and hashes the tar stream, this one scans the headers (the file reads, hashing and
            # decompression release the GIL); an uncompressed blob is read and hashed by one. On layers of big
            # files the two digests and the decompression are the whole cost, and one thread for all three was
            # the slowest of the stages.
            with contextlib.ExitStack() as threads:
                blob: Any = raw if compression == "none" else threads.enter_context(ReadAhead(raw))
                stream: Any = decompressed(blob, compression)
                if layer.diff_id and not (compression == "none" and layer.diff_id == verified_by_store):
                    # (An uncompressed blob whose digest is its diff_id is hashed once, by the store's reader.)
                    stream = VerifyingReader(stream, layer.diff_id, f"{what} (uncompressed)")
                ahead = threads.enter_context(ReadAhead(stream))
                scanner = TarScanner(ByteStream(ahead, what), what)
                yield scanner
                scanner.finish()
            raw.drain()
        finally:
            raw.close()

    def _read_layer(self, layer: Layer, visit: Callable[[str, str, TarScanner], None]) -> None:
        """Every header of ``layer`` (data skipped), then the rest of the blob for its digests."""
        with self._open(layer) as scanner:
            for name, kind in scanner.entries():
                path = layer_path(name)
                if path is None:
                    raise ReaderError(f"{self.label}: {layer.label}: entry {name!r} climbs out of the image root")
                visit(path, kind, scanner)

    # -- Backend --------------------------------------------------------------------------------------

    def lstat_many(self, paths: Sequence[str], *, kind_only: Collection[str] = ()) -> dict[str, Node | None]:
        with self._lock:
            top = len(self.layers) - 1

            def evaluate() -> list[_Need]:
                needs = []
                for p in paths:
                    kind = p in kind_only
                    if p in self._lstat_cache or (kind and p in self._kind_cache):
                        continue
                    r = self._eval_lstat(p, top, kind_only=kind)
                    if isinstance(r, _Need):
                        needs.append(r)
                    else:
                        (self._kind_cache if kind else self._lstat_cache)[p] = r
                return needs

            self._settle(evaluate)
            return {p: self._lstat_cache[p] if p in self._lstat_cache else self._kind_cache[p] for p in paths}

    def list_many(self, dirs: Sequence[str]) -> dict[str, list[str]]:
        with self._lock:
            todo = [d for d in dirs if d not in self._list_cache]
            top = len(self.layers) - 1

            def evaluate() -> list[_Need]:
                needs = []
                for d in todo:
                    if d in self._list_cache:
                        continue
                    r = self._eval_list(d, top)
                    if isinstance(r, _Need):
                        needs.append(r)
                    else:
                        self._list_cache[d] = sorted(n for n, c in r.items() if c is not WHITEOUT)
                return needs

            self._settle(evaluate)
            return {d: self._list_cache[d] for d in dirs}

    def read_many(self, items: Sequence[tuple[Node, int]]) -> list[bytes]:
        with self._lock:
            wanted: dict[int, dict[str, int]] = {}
            for node, limit in items:
                if node.data is None:
                    raise ReaderError(f"{self.label}: not a regular file")
                layer, path = node.data
                per = wanted.setdefault(layer, {})
                per[path] = max(per.get(path, 0), limit)
            got: dict[tuple[int, str], bytes] = {}
            for layer in sorted(wanted, reverse=True):
                limits = wanted[layer]

                found = self._read_contents(self.layers[layer], limits)
                for path, data in found.items():
                    got[(layer, path)] = data
                missing = [p for p in limits if (layer, p) not in got]
                if missing:
                    raise ReaderError(f"{self.label}: {self.layers[layer].label}: {missing[0]} vanished between "
                                      f"two reads")
            return [got[node.data][:limit] for node, limit in items if node.data is not None]

    def _read_contents(self, layer: Layer, limits: dict[str, int]) -> dict[str, bytes]:
        found: dict[str, bytes] = {}
        with self._open(layer) as scanner:
            for name, kind in scanner.entries():
                path = layer_path(name)
                if path is None:
                    raise ReaderError(f"{self.label}: {layer.label}: entry {name!r} climbs out of the image root")
                if path in limits and kind == REGULAR:
                    # The last entry of a path wins, as when a tar is extracted.
                    found[path] = scanner.read_data(limits[path])
        return found

    def close(self) -> None:
        pass
