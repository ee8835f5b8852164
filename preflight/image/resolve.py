"""Path resolution inside an image root, over any filesystem that can answer ``lstat`` and ``list`` in batches.

Symlinks are followed the way the kernel follows them inside a container (``openat2`` with
``RESOLVE_IN_ROOT``): an absolute target starts again at the image's root, ``..`` never climbs above it, and more
than :data:`MAX_SYMLINK_HOPS` links on one path is a loop. The host's filesystem is never consulted.

Questions are asked in batches (every path being resolved, and every prefix of it, at once) so that a layered
image answers them in one top-down pass over its layers.
"""

from __future__ import annotations

import posixpath
from abc import ABC, abstractmethod
from collections.abc import Collection, Generator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from preflight.errors import ReaderError
from preflight.image.model import (
    DIRECTORY,
    FILE,
    LISTING_LIMIT,
    MAX_SYMLINK_HOPS,
    SYMLINK,
    ImageConfig,
    ImageView,
    PathInfo,
)


class Node(NamedTuple):
    """One filesystem entry as the merged image shows it (no symlink followed). A named tuple: layers of
    small files make tens of thousands of them, and a tuple is the cheapest immutable record to build."""

    type: str
    mode: int
    size: int = 0
    uid: int | None = None
    gid: int | None = None
    linkname: str = ""
    layer: int | None = None
    """0-based from the bottom layer."""
    hardlink_to: str | None = None
    data: tuple[int, str] | None = None
    """Where the content is: (layer, path in that layer), for hard links the target's."""
    broken: str | None = None
    """Why the entry cannot be used although it is listed (a hard link to nothing)."""


class Backend(ABC):
    """A filesystem answering batched questions; paths are absolute and free of symlinks in their parents."""

    layer_count: int | None = None
    layer_digests: tuple[str, ...] = ()

    @abstractmethod
    def lstat_many(self, paths: Sequence[str], *, kind_only: Collection[str] = ()) -> dict[str, Node | None]:
        """Each path's entry, or None when it does not exist. For the paths also in ``kind_only`` only the kind
        matters (a directory walked through), so a directory may be answered without its own attributes."""

    @abstractmethod
    def list_many(self, dirs: Sequence[str]) -> dict[str, list[str]]:
        """The names directly inside each directory, sorted."""

    @abstractmethod
    def read_many(self, items: Sequence[tuple[Node, int]]) -> list[bytes]:
        """The first ``limit`` bytes of each regular file node."""

    def close(self) -> None:  # noqa: B027 - optional hook
        pass


@dataclass
class _Outcome:
    path: str
    node: Node | None
    resolved: str | None
    chain: list[str]
    problem: str | None = None
    nearest: str | None = None


def _components(path: str) -> list[str]:
    return [c for c in path.split("/") if c not in ("", ".")]


def _lexical_prefixes(cur: str, comps: list[str]) -> list[tuple[str, bool]]:
    """``/a`` + [b, c] -> [(/a/b, False), (/a/b/c, True)]: what a walk will ask next, up to the first ``..``;
    True where the attributes are needed (the last component), not only whether it is a directory."""
    out = []
    for i, c in enumerate(comps):
        if c == "..":
            break
        cur = posixpath.join(cur, c)
        out.append((cur, i == len(comps) - 1))
    return out


class _Known:
    """Answers gathered during one resolution: full ones, and kind-only ones (enough to walk through)."""

    def __init__(self) -> None:
        self.full: dict[str, Node | None] = {}
        self.kind: dict[str, Node | None] = {}

    def has(self, path: str, attrs: bool) -> bool:
        return path in self.full or (not attrs and path in self.kind)

    def get(self, path: str, attrs: bool) -> Node | None:
        if path in self.full:
            return self.full[path]
        return self.kind[path]


def _walk(path: str, follow: bool, known: _Known) -> Generator[list[tuple[str, bool]], None, _Outcome]:
    comps = _components(path)
    cur = "/"
    chain: list[str] = []
    hops = 0
    if not comps:
        if not known.has("/", True):
            yield [("/", True)]
        return _Outcome(path, known.get("/", True) or ROOT, "/", chain)
    node: Node | None = None
    node_path = ""
    while comps:
        name = comps.pop(0)
        if name == "..":
            cur = posixpath.dirname(cur)
            continue
        cand = posixpath.join(cur, name)
        last = not comps
        if not known.has(cand, last):
            yield _lexical_prefixes(cur, [name, *comps])
        node = known.get(cand, last)
        if node is None:
            problem = "no such file or directory" if last and not chain else f"{cand} does not exist"
            return _Outcome(path, None, None, chain, problem, nearest=cur)
        if node.broken:
            return _Outcome(path, None, None, chain, f"{cand}: {node.broken}", nearest=cur)
        if node.type == SYMLINK and (comps or follow):
            hops += 1
            if hops > MAX_SYMLINK_HOPS:
                return _Outcome(path, None, None, chain, "too many levels of symbolic links (a symlink loop)",
                                nearest=None)
            chain.append(f"{cand} -> {node.linkname}")
            if not node.linkname:
                return _Outcome(path, None, None, chain, f"{cand} is an empty symlink", nearest=cur)
            if node.linkname.startswith("/"):
                cur = "/"
            comps = _components(node.linkname) + comps
            continue
        if comps and node.type != DIRECTORY:
            return _Outcome(path, None, None, chain, f"{cand} is a {node.type}, not a directory", nearest=cur)
        cur = cand
        node_path = cand
    if node_path != cur or not known.has(cur, True):
        # The walk ended through ".." or a link to a directory already walked: ask what is there.
        if not known.has(cur, True):
            yield [(cur, True)]
        node = known.get(cur, True)
        if node is None:
            return _Outcome(path, None, None, chain, "no such file or directory", nearest=posixpath.dirname(cur))
    return _Outcome(path, node, cur, chain)


ROOT = Node(DIRECTORY, 0o755)


class FSView(ImageView):
    """An image view over a :class:`Backend`: resolution, listings and contents."""

    def __init__(self, backend: Backend, *, platform: str | None, config: ImageConfig | None,
                 caveats: tuple[str, ...] = (), digest: str | None = None):
        self.backend = backend
        self.platform = platform
        self.config = config
        self.caveats = caveats
        self.digest = digest

    def _resolve(self, paths: Sequence[str], follow: bool) -> list[_Outcome]:
        for p in paths:
            if not p.startswith("/"):
                raise ReaderError(f"image paths are absolute: {p!r}")
        known = _Known()
        walks = [_walk(p, follow, known) for p in paths]
        outcomes: list[_Outcome | None] = [None] * len(paths)
        asks: list[list[tuple[str, bool]] | None] = [None] * len(paths)
        for i, w in enumerate(walks):
            try:
                asks[i] = next(w)
            except StopIteration as stop:
                outcomes[i] = stop.value
        while any(a is not None for a in asks):
            full = {p for a in asks if a is not None for p, attrs in a if attrs and not known.has(p, True)}
            kind = {p for a in asks if a is not None for p, attrs in a
                    if not attrs and p not in full and not known.has(p, False)}
            if full or kind:
                answers = self.backend.lstat_many(sorted(full | kind), kind_only=kind)
                for p in full:
                    known.full[p] = answers.get(p)
                for p in kind:
                    known.kind[p] = answers.get(p)
            for i, w in enumerate(walks):
                if asks[i] is None:
                    continue
                try:
                    asks[i] = w.send(None)
                except StopIteration as stop:
                    asks[i] = None
                    outcomes[i] = stop.value
        return [o for o in outcomes if o is not None]

    def stat(self, paths: Sequence[str], *, follow: bool = True) -> list[PathInfo]:
        outcomes = self._resolve(paths, follow)
        nearest = sorted({o.nearest for o in outcomes if o.node is None and o.nearest is not None})
        listings = self.backend.list_many(nearest) if nearest else {}
        return [self._info(o, listings) for o in outcomes]

    def _info(self, o: _Outcome, listings: dict[str, list[str]]) -> PathInfo:
        chain = tuple(o.chain)
        if o.node is None:
            names = listings.get(o.nearest or "", [])
            return PathInfo(o.path, False, problem=o.problem, link_chain=chain, nearest=o.nearest,
                            nearest_holds=tuple(names[:LISTING_LIMIT]), nearest_count=len(names))
        n = o.node
        layer = layer_digest = origin = None
        count = self.backend.layer_count
        if n.layer is not None and count:
            layer = n.layer + 1
            layer_digest = self.backend.layer_digests[n.layer] if self.backend.layer_digests else None
            origin = f"layer {layer}/{count}"
            if layer_digest:
                from preflight.image.digest import short

                origin += f" ({short(layer_digest)})"
        return PathInfo(o.path, True, resolved=o.resolved, type=n.type, mode=n.mode,
                        size=n.size if n.type == FILE else None, uid=n.uid, gid=n.gid, layer=layer,
                        layer_count=count, layer_digest=layer_digest, origin=origin, link_chain=chain,
                        hardlink_to=n.hardlink_to, linkname=n.linkname if n.type == SYMLINK else None)

    def _existing(self, path: str, want: str) -> tuple[_Outcome, Node]:
        (o,) = self._resolve([path], True)
        if o.node is None:
            (info,) = [self._info(o, self.backend.list_many([o.nearest]) if o.nearest else {})]
            raise ReaderError(f"{self.label()}: {info.describe_missing()}")
        if o.node.type != want:
            raise ReaderError(f"{self.label()}: {path} is a {o.node.type}, not a {want}")
        return o, o.node

    def list_directory(self, path: str) -> list[str]:
        o, _ = self._existing(path, DIRECTORY)
        assert o.resolved is not None
        return self.backend.list_many([o.resolved])[o.resolved]

    def read_file(self, path: str, *, limit: int = 1 << 20) -> bytes:
        _, node = self._existing(path, FILE)
        return self.backend.read_many([(node, limit)])[0]

    def read_directory(self, path: str) -> dict[str, bytes]:
        from preflight.image.model import MAX_READ_DIRECTORY_FILE

        names = self.list_directory(path)
        base = path.rstrip("/") or "/"
        outcomes = self._resolve([posixpath.join(base, n) for n in names], True)
        files = [(n, o.node) for n, o in zip(names, outcomes, strict=True)
                 if o.node is not None and o.node.type == FILE]
        data = self.backend.read_many([(node, MAX_READ_DIRECTORY_FILE) for _, node in files])
        return {name: content for (name, _), content in zip(files, data, strict=True)}
