"""Reading a migration source: a directory on disk, or ``image:/dir`` inside the image target.

The migrations that will really run are the ones shipped in the image being promoted, so an ``image:`` source
reads them through the image reader (no Docker daemon). Files are listed at once and read only when a runner
asks for one (a runner reads the files that match its naming rules).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from preflight.errors import ReaderError

if TYPE_CHECKING:
    from preflight.targets import MigrationsTarget, Targets

IMAGE_PREFIX = "image:"
# Never migrations, and sometimes huge: a recursive read of a project (Django, sqitch) skips them.
SKIP_DIRS = frozenset({"node_modules", "__pycache__", "site-packages", "venv"})


class SourceFile:
    """One file of the source; read on demand (a runner reads only the files its naming rules match)."""

    __slots__ = ("name", "basename", "display", "path", "_data")

    def __init__(self, name: str, display: str, path: str, data: bytes | Callable[[], bytes] | None = None):
        self.name = name
        """Path relative to the source directory, "/"-separated (``V1__init.sql``, ``sub/V2__x.sql``)."""
        self.basename = name.rpartition("/")[2]
        self.display = display
        """As shown to users."""
        self.path = path
        """Absolute path on disk, or the path inside the image."""
        self._data = data
        """The content, a function that reads it, or None to read ``path`` from disk."""

    def read(self) -> bytes:
        if self._data is None:
            return _read_file(self.path, self.display)
        if callable(self._data):
            return self._data()
        return self._data


@dataclass
class Source:
    spec: str
    """The source as configured."""
    display: str
    """The directory as shown to users."""
    files: list[SourceFile]
    """Regular files, sorted by name; hidden files (``.gitkeep``) are left out."""

    def on_disk(self) -> bool:
        """Whether every file is read from disk by its path (not from the image, through open readers)."""
        return all(f._data is None for f in self.files)


def open_source(target: MigrationsTarget, targets: Targets, recursive: bool = False) -> Source:
    spec = target.source
    if spec.startswith(IMAGE_PREFIX):
        return _image_source(spec, targets, recursive)
    return directory_source(spec, target.resolve(spec), target.base_dir, recursive)


def _shown(path: Path, base_dir: Path) -> str:
    try:
        return path.relative_to(base_dir.absolute()).as_posix() or "."
    except ValueError:
        return path.as_posix()


def directory_source(spec: str, root: Path, base_dir: Path, recursive: bool) -> Source:
    shown_root = _shown(root, base_dir)
    if not spec.strip():
        raise ReaderError("[targets.migrations] source is empty: name the directory of migration files")
    # Plain strings, not Path objects: a source can hold ten thousand files.
    root_str = str(root)
    shown_prefix = "" if shown_root == "." else shown_root + "/"
    names: list[str] = []

    def walk(directory: str, prefix: str) -> None:
        where = f"migrations source {(shown_prefix + prefix).rstrip('/') or shown_root}"
        try:
            entries = list(os.scandir(directory))
        except FileNotFoundError:
            raise ReaderError(f"{where}: no such directory") from None
        except NotADirectoryError:
            raise ReaderError(f"{where}: not a directory") from None
        except OSError as e:
            raise ReaderError(f"{where}: cannot read the directory: {e.strerror or e}") from None
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_file():
                    names.append(prefix + entry.name)
                elif recursive and entry.name not in SKIP_DIRS and entry.is_dir():
                    walk(entry.path, prefix + entry.name + "/")
            except OSError:
                continue

    walk(root_str, "")
    names.sort()
    files = []
    for name in names:
        path = root_str + "/" + name
        shown = shown_prefix + name
        files.append(SourceFile(name, shown, path))
    return Source(spec, shown_root, files)


_CHUNK = 1 << 16


def _read_file(path: str, shown: str) -> bytes:
    try:
        fd = os.open(path, os.O_RDONLY)
        try:
            data = os.read(fd, _CHUNK)
            if len(data) == _CHUNK:
                parts = [data]
                while chunk := os.read(fd, _CHUNK * 16):
                    parts.append(chunk)
                data = b"".join(parts)
        finally:
            os.close(fd)
    except OSError as e:
        raise ReaderError(f"migration file {shown}: cannot read: {e.strerror or e}") from None
    return data


MAX_IMAGE_DEPTH = 8


def _image_source(spec: str, targets: Targets, recursive: bool = False) -> Source:
    directory = spec[len(IMAGE_PREFIX):]
    if not directory.startswith("/"):
        raise ReaderError(f"migrations source {spec!r}: an image source needs an absolute path, e.g. "
                          f"\"image:/app/migrations\"")
    directory = "/" + directory.strip("/") if directory.strip("/") else "/"
    view = targets.image.single("reading migrations from the image")
    files = []

    def walk(inner_dir: str, prefix: str, depth: int) -> None:
        contents = view.read_directory(inner_dir)
        for name in sorted(contents):
            if name.startswith("."):
                continue
            inner = inner_dir.rstrip("/") + "/" + name
            files.append(SourceFile(prefix + name, IMAGE_PREFIX + inner, inner, contents[name]))
        if not recursive or depth >= MAX_IMAGE_DEPTH:
            return
        from preflight.image.model import DIRECTORY

        names = [n for n in view.list_directory(inner_dir) if not n.startswith(".") and n not in contents]
        paths = [inner_dir.rstrip("/") + "/" + n for n in sorted(names)]
        for name, path, info in zip(sorted(names), paths, view.stat(paths), strict=True):
            if info.exists and info.type == DIRECTORY:
                walk(path, prefix + name + "/", depth + 1)

    walk(directory, "", 0)
    files.sort(key=lambda f: f.name)
    return Source(spec, IMAGE_PREFIX + directory, files)
