"""The merged filesystem of a layered image, read from the top layer down and only as far as needed.

The OCI image spec's rules (layer.md), applied top-down instead of by unpacking bottom-up:

- the topmost layer with an entry for a path decides what it is; directories merge (the topmost explicit
  directory entry gives the attributes), and a directory with descendants but no entry of its own in a layer
  still exists there (tar writers omit parents);
- ``.wh.NAME`` deletes ``NAME`` from the layers below, never from its own layer; ``DIR/.wh..wh..opq`` hides all
  that the lower layers hold under ``DIR``; a non-directory entry at ``A`` hides everything the lower layers hold
  under ``A``;
- a hard link names a path in its own layer or below, whose content and mode it shares.

Each layer is read as a stream of tar headers (data skipped, never extracted), verified against its digest, and
read only when some question is not decided by the layers above it: asking whether a binary of the top layer is
there reads the top layer alone. What a layer says about the paths asked is kept; small layers are indexed whole
so that later questions do not read them again. Memory is bounded by those limits, not by the image's size.
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


class _Whiteout:
    def __repr__(self) -> str:
        return "WHITEOUT"


class _Implicit:
    def __repr__(self) -> str:
        return "IMPLICIT"


WHITEOUT = _Whiteout()
IMPLICIT = _Implicit()
"""A directory that exists in a layer only through what it holds."""


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


class _Speculation:
    """A layer read in a thread of its own, in case it is needed next."""

    def __init__(self, fs: LayeredFS, layer: int, paths: set[str], dirs: set[str]):
        self.layer = layer
        self.paths = set(paths)
        self.dirs = set(dirs)
        self.cancel = threading.Event()
        self._index: LayerIndex | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(fs,), daemon=True,
                                        name=f"preflight-layer-{layer}")
        self._thread.start()

    def _run(self, fs: LayeredFS) -> None:
        try:
            self._index = fs._build_index(self.layer, self.paths, self.dirs, self.cancel)
        except BaseException as e:  # noqa: BLE001 - handed to the thread that needs the layer
            self._error = e

    def result(self) -> LayerIndex:
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._index is not None
        return self._index


class LayerIndex:
    """What one layer says: everything (``complete``) or what it says about the paths and directories asked."""

    __slots__ = ("complete", "known_paths", "known_dirs", "entries", "whiteouts", "opaque", "has_desc",
                 "children")

    def __init__(self) -> None:
        self.complete = False
        self.known_paths: set[str] = set()
        self.known_dirs: set[str] = set()
        self.entries: dict[str, Node] = {}
        self.whiteouts: set[str] = set()
        self.opaque: set[str] = set()
        self.has_desc: set[str] = set()
        self.children: dict[str, dict[str, Any]] = {}

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
        for d, kids in other.children.items():
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
    """Turns a layer's tar members into a :class:`LayerIndex` for the paths and directories of interest, and
    the whole layer while it stays small. Most members of a big layer concern no question: for those, nothing
    is decoded beyond the name."""

    def __init__(self, layer: int, paths: set[str], dirs: set[str], full_budget: int):
        self.layer = layer
        self.ix = LayerIndex()
        self.paths = paths
        self.dirs = dirs
        self.full: LayerIndex | None = LayerIndex() if full_budget > 0 else None
        self.full_limit = min(FULL_INDEX_LAYER_LIMIT, full_budget)
        self._last_parent: str | None = None
        self._seen_parents_full: set[str] = set()

    def add(self, m: Member, path: str) -> None:
        if path == "/":
            if m.type == DIRECTORY:
                root = _node(m, path, self.layer)
                if "/" in self.paths:
                    self.ix.entries["/"] = root
                if self.full is not None:
                    self.full.entries["/"] = root
            return
        cut = path.rfind("/")
        parent = path[:cut] or "/"
        base = path[cut + 1:]
        node: Any = None if base.startswith(WHITEOUT_PREFIX) else _node(m, path, self.layer) \
            if self.full is not None or path in self.paths or parent in self.dirs else IMPLICIT
        self._record(self.ix, path, parent, base, node, self.paths, self.dirs)
        if self.full is not None:
            self._record(self.full, path, parent, base, node, None, None)
            if self.full.size() > self.full_limit:
                self.full = None
                self._seen_parents_full = set()

    def _record(self, ix: LayerIndex, path: str, parent: str, base: str, node: Any,
                paths: set[str] | None, dirs: set[str] | None) -> None:
        """``node``: None for a whiteout marker (``base`` is the marker's name); IMPLICIT when the entry itself
        is of no interest here (only what it says about its parents is)."""
        if node is None:
            if base == OPAQUE:
                if paths is None or parent in paths or (dirs is not None and parent in dirs):
                    ix.opaque.add(parent)
            else:
                name = base[len(WHITEOUT_PREFIX):]
                hidden = parent + "/" + name if parent != "/" else "/" + name
                if paths is None or hidden in paths:
                    ix.whiteouts.add(hidden)
                if dirs is None or parent in dirs:
                    ix.children.setdefault(parent, {}).setdefault(name, WHITEOUT)
        elif node is not IMPLICIT:
            if paths is None or path in paths:
                ix.entries[path] = node
            if dirs is None or parent in dirs:
                # An entry wins over a whiteout of the same name in its own layer.
                ix.children.setdefault(parent, {})[base] = node
        # The member's parents exist in this layer, with or without entries of their own.
        full = paths is None
        if not full:
            if parent == self._last_parent:
                return
            self._last_parent = parent
        elif parent in self._seen_parents_full:
            return
        child = path if node is not None else None
        d = parent
        while True:
            if paths is None or d in paths:
                ix.has_desc.add(d)
            if child is not None and child != path and (dirs is None or d in dirs):
                kids = ix.children.setdefault(d, {})
                name = child[child.rfind("/") + 1:]
                if kids.get(name) in (None, WHITEOUT):
                    kids[name] = IMPLICIT
            if full:
                if d in self._seen_parents_full:
                    break
                self._seen_parents_full.add(d)
            if d == "/":
                break
            child = d
            d = d[:d.rfind("/")] or "/"

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
            for name, child in ix.children.get(path, {}).items():
                found.setdefault(name, child)
            if path in ix.opaque or ix.hides_below(path):
                break
        return found

    # -- reading layers ----------------------------------------------------------------------------------

    def _settle(self, evaluate: Callable[[], list[_Need]]) -> None:
        """Read layers, topmost needed first, until ``evaluate`` needs none.

        While a layer is read, the one below it is read too, in a thread of its own, for the same paths: when the
        answer is not in the upper layer it is needed next, and reading the two at once uses a second core
        (decompression and hashing run outside the GIL). When the upper layer decides everything, the
        speculative read is cancelled and its result dropped. Layers fetched from a registry are never read
        speculatively: only the layers needed are downloaded."""
        spec: _Speculation | None = None
        try:
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
                ready = None
                if spec is not None and spec.layer == top and paths <= spec.paths and dirs <= spec.dirs:
                    ready, spec = spec, None
                elif spec is not None:
                    spec.cancel.set()
                    spec = None
                below = top - 1
                if below >= 0 and self.layers[below].local and self._index[below] is None:
                    spec = _Speculation(self, below, paths, dirs)
                if ready is not None:
                    self._install(top, ready.result())
                else:
                    self._install(top, self._build_index(top, paths, dirs, None))
        finally:
            if spec is not None:
                spec.cancel.set()

    def _build_index(self, i: int, paths: set[str], dirs: set[str], cancel: threading.Event | None) -> LayerIndex:
        """What layer ``i`` says about ``paths`` and ``dirs`` (the whole layer if it is small)."""
        rec = _Recorder(i, paths, dirs, self._full_budget)
        self._read_layer(self.layers[i], rec.add, cancel)
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
    def _open(self, layer: Layer, cancel: threading.Event | None = None) -> Iterator[TarScanner]:
        """The layer's tar entries; after the last one the rest of the blob is read, so its digest is checked.
        (Reading ahead in a second thread was measured: the GIL hand-offs cost more than the overlap gains; the
        second core is used by reading the next layer instead, see :meth:`_settle`.)"""
        what = f"{self.label}: {layer.label}"
        raw = layer.open_raw()
        try:
            stream: Any = decompressed(raw, sniff(raw.peek(6)))
            if layer.diff_id:
                stream = VerifyingReader(stream, layer.diff_id, f"{what} (uncompressed)")
            bytes_ = ByteStream(stream, what)
            bytes_.cancel = cancel
            scanner = TarScanner(bytes_, what)
            yield scanner
            scanner.finish()
            raw.drain()
        finally:
            raw.close()

    def _read_layer(self, layer: Layer, visit: Callable[[Member, str], None],
                    cancel: threading.Event | None = None) -> None:
        """Every header of ``layer`` (data skipped), then the rest of the blob for its digest."""
        with self._open(layer, cancel) as scanner:
            for m in scanner:
                path = layer_path(m.name)
                if path is None:
                    raise ReaderError(f"{self.label}: {layer.label}: entry {m.name!r} climbs out of the image root")
                visit(m, path)

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
            for m in scanner:
                path = layer_path(m.name)
                if path is None:
                    raise ReaderError(f"{self.label}: {layer.label}: entry {m.name!r} climbs out of the image root")
                if path in limits and m.type == REGULAR:
                    # The last entry of a path wins, as when a tar is extracted.
                    found[path] = scanner.read_data(limits[path]) if m.size else b""
        return found

    def close(self) -> None:
        pass
