"""Reading a migration source: a directory on disk, or ``image:/dir`` inside the image target.

The migrations that will really run are the ones shipped in the image being promoted, so an ``image:`` source
reads them through the image reader (no Docker daemon). Files are listed at once and read only when a runner
asks for one (a runner reads the files that match its naming rules).
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from preflight.errors import ReaderError
from preflight.sql.file import nul_problem

if TYPE_CHECKING:
    from preflight.migrations.target import MigrationsTarget
    from preflight.targets import Targets

IMAGE_PREFIX = "image:"
# Never migrations, and sometimes huge: a recursive read of a project (Django, sqitch) skips them.
SKIP_DIRS = frozenset({"node_modules", "__pycache__", "site-packages", "venv"})


class SourceFile:
    """One file of the source; read on demand (a runner reads only the files its naming rules match)."""

    __slots__ = ("name", "basename", "display", "path", "_data", "problem", "was_read")

    def __init__(self, name: str, display: str, path: str, data: bytes | Callable[[], bytes] | None = None,
                 problem: str | None = None):
        self.name = name
        """Path relative to the source directory, "/"-separated (``V1__init.sql``, ``sub/V2__x.sql``)."""
        self.basename = name.rpartition("/")[2]
        self.display = display
        """As shown to users."""
        self.path = path
        """Absolute path on disk, or the path inside the image."""
        self._data = data
        """The content, a function that reads it, or None to read ``path`` from disk."""
        self.problem = problem
        """Why the entry cannot be read (a dangling or looping symlink, a directory, a FIFO...), or None."""
        self.was_read = False

    def read(self) -> bytes:
        """The file's bytes; :class:`ReaderError` naming the file when it cannot be read or holds a NUL byte."""
        self.was_read = True
        if self.problem is not None:
            raise ReaderError(f"migration file {self.display}: cannot read: {self.problem}")
        if self._data is None:
            data = _read_file(self.path, self.display)
        elif callable(self._data):
            data = self._data()
        else:
            data = self._data
        nul = nul_problem(data)
        if nul is not None:
            raise ReaderError(f"migration file {self.display}: {nul}")
        return data


@dataclass
class Source:
    spec: str
    """The source as configured."""
    display: str
    """The directory as shown to users."""
    files: list[SourceFile]
    """Regular files, sorted by name; hidden files (``.gitkeep``) are left out. Entries that cannot be read
    (dangling or looping symlinks, directories where the runner reads only files, FIFOs) are listed too, with
    their :attr:`SourceFile.problem`: the runner decides whether its naming rules match them."""

    def on_disk(self) -> bool:
        """Whether every file is read from disk by its path (not from the image, through open readers)."""
        return all(f._data is None for f in self.files)


DIRECTORY = "it is a directory, not a file"


def refuse_unreadable(source: Source, unmatched: list[str]) -> list[str]:
    """:class:`ReaderError` for the first entry that matches the runner's naming (the runner did not list it as
    unmatched) but cannot be read: a migration must never vanish because a symlink dangles or loops, or a
    directory or FIFO stands where a file should. Entries the runner read have raised already; this catches
    the ones it matched without reading them (golang-migrate's down files, a second file of one version).

    Returns ``unmatched`` without the directories the runner does not descend into: those were never files
    of the source, and a runner ignores them without a word."""
    ignored = set(unmatched)
    bad = [f for f in source.files if f.display not in ignored and not f.was_read and _unreadable(f) is not None]
    if bad:
        more = f" (and {len(bad) - 1} more unreadable entr{'ies' if len(bad) > 2 else 'y'})" if len(bad) > 1 else ""
        raise ReaderError(f"migration file {bad[0].display}: cannot read: {_unreadable(bad[0])}{more}")
    directories = {f.display for f in source.files if f.problem == DIRECTORY}
    return [u for u in unmatched if u not in directories] if directories else unmatched


def _unreadable(f: SourceFile) -> str | None:
    if f.problem is not None:
        return f.problem
    if f._data is None and not os.access(f.path, os.R_OK):
        return "permission denied"
    return None


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
    problems: dict[str, str] = {}
    visited: set[tuple[int, int]] = set()

    def walk(directory: str, prefix: str) -> None:
        where = f"migrations source {(shown_prefix + prefix).rstrip('/') or shown_root}"
        try:
            st = os.stat(directory)
            if (st.st_dev, st.st_ino) in visited:
                # A symlink back to a directory already read: following it would never end.
                raise ReaderError(f"{where}: a symlink loop (it leads back to a directory already read)")
            visited.add((st.st_dev, st.st_ino))
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
            name = prefix + entry.name
            try:
                if entry.is_file():
                    names.append(name)
                    continue
                if entry.is_dir():
                    if recursive:
                        if entry.name not in SKIP_DIRS:
                            walk(entry.path, name + "/")
                    else:
                        names.append(name)
                        problems[name] = DIRECTORY
                    continue
                names.append(name)
                problems[name] = _entry_problem(entry.path)
            except OSError as e:
                names.append(name)
                problems[name] = _os_problem(e)

    walk(root_str, "")
    names.sort()
    files = []
    for name in names:
        path = root_str + "/" + name
        shown = shown_prefix + name
        files.append(SourceFile(name, shown, path, problem=problems.get(name)))
    return Source(spec, shown_root, files)


def entry_problem(path: str, *, streams: bool = False) -> str | None:
    """Why the entry at ``path`` cannot be read as a file (None when it is a regular file it may read): a
    dangling or looping symlink, a directory, a FIFO or device, no permission. Without opening it (a FIFO would
    block). ``streams``: a FIFO or character device is fine (a file named on the command line, such as the pipe
    of ``<(cat x.sql)``)."""
    try:
        st = os.stat(path)
    except OSError as e:
        return _os_problem(e, path)
    if stat.S_ISDIR(st.st_mode):
        return DIRECTORY
    if streams and (stat.S_ISFIFO(st.st_mode) or stat.S_ISCHR(st.st_mode)):
        return None
    if not stat.S_ISREG(st.st_mode):
        return _entry_problem(path)
    if not os.access(path, os.R_OK):
        return "permission denied"
    return None


def _entry_problem(path: str) -> str:
    """Why an entry that is neither a regular file nor a directory cannot be read."""
    try:
        st = os.stat(path)
    except OSError as e:
        return _os_problem(e, path)
    if stat.S_ISFIFO(st.st_mode):
        return "it is a FIFO (named pipe), not a file"
    if stat.S_ISSOCK(st.st_mode):
        return "it is a socket, not a file"
    if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode):
        return "it is a device, not a file"
    return "it is not a regular file"


def _os_problem(e: OSError, path: str | None = None) -> str:
    if e.errno == errno.ELOOP:
        return "a symlink loop (too many levels of symbolic links)"
    if e.errno == errno.ENOENT and path is not None and os.path.islink(path):
        return f"a dangling symlink (to {os.readlink(path)!r}, which does not exist)"
    if e.errno == errno.ENOENT:
        return "a dangling symlink (its target does not exist)"
    if e.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return e.strerror or str(e)


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
        raise ReaderError(f"migration file {shown}: cannot read: {_os_problem(e, path)}") from None
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
