"""``dir:PATH``: an unpacked root filesystem on disk, read with the image's root as ``/``.

Every component is looked at with ``lstat`` and symlinks are resolved by :mod:`preflight.image.resolve` inside
the directory, so a link to ``/usr/bin/x`` means ``PATH/usr/bin/x``, never the host's ``/usr/bin/x``.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Collection, Sequence
from pathlib import Path

from preflight.errors import ReaderError
from preflight.image.resolve import Backend, Node
from preflight.image.tarscan import BLOCKDEV, CHAR, DIRECTORY, FIFO, REGULAR, SYMLINK

SOCKET = "socket"


class RootfsBackend(Backend):
    def __init__(self, root: Path, label: str):
        if not root.is_dir():
            raise ReaderError(f"{label}: not a directory")
        self.root = root
        self.label = label

    def _host(self, path: str) -> str:
        return os.path.join(self.root, path.lstrip("/"))

    def lstat_many(self, paths: Sequence[str], *, kind_only: Collection[str] = ()) -> dict[str, Node | None]:
        out: dict[str, Node | None] = {}
        for p in paths:
            try:
                st = os.lstat(self._host(p))
            except FileNotFoundError:
                out[p] = None
                continue
            except NotADirectoryError:
                out[p] = None
                continue
            except OSError as e:
                raise ReaderError(f"{self.label}: cannot read {p}: {e.strerror}") from None
            m = st.st_mode
            if stat.S_ISREG(m):
                kind = REGULAR
            elif stat.S_ISDIR(m):
                kind = DIRECTORY
            elif stat.S_ISLNK(m):
                kind = SYMLINK
            elif stat.S_ISCHR(m):
                kind = CHAR
            elif stat.S_ISBLK(m):
                kind = BLOCKDEV
            elif stat.S_ISFIFO(m):
                kind = FIFO
            else:
                kind = SOCKET
            link = os.readlink(self._host(p)) if kind == SYMLINK else ""
            out[p] = Node(kind, stat.S_IMODE(m), st.st_size if kind == REGULAR else 0, st.st_uid, st.st_gid,
                          link, data=(0, p) if kind == REGULAR else None)
        return out

    def list_many(self, dirs: Sequence[str]) -> dict[str, list[str]]:
        out = {}
        for d in dirs:
            try:
                out[d] = sorted(os.listdir(self._host(d)))
            except OSError as e:
                raise ReaderError(f"{self.label}: cannot list {d}: {e.strerror}") from None
        return out

    def read_many(self, items: Sequence[tuple[Node, int]]) -> list[bytes]:
        out = []
        for node, limit in items:
            assert node.data is not None
            path = node.data[1]
            try:
                # O_NOFOLLOW: the path was resolved inside the root; a link swapped in since must not be followed.
                fd = os.open(self._host(path), os.O_RDONLY | os.O_NOFOLLOW)
            except OSError as e:
                raise ReaderError(f"{self.label}: cannot read {path}: {e.strerror}") from None
            with os.fdopen(fd, "rb") as f:
                out.append(f.read(limit))
        return out
