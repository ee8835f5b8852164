"""The lint's cache: a file's analysis, stored under the hash of its content.

The analysis of a file (see :mod:`preflight.lint.engine`) depends only on its bytes, the runner's transaction
mode, the rules that ran and the lint's own code, so it is stored under ``blake2b(code fingerprint, rules, mode,
content)``. All entries live in one append-only pack file, ``analyses-<format>.pack`` in ``$PREFLIGHT_CACHE_DIR``,
else ``$XDG_CACHE_HOME/preflight/lint``, else ``~/.cache/preflight/lint``: a run reads it once and each of its processes appends its
new entries with a single write (whole records: concurrent appends interleave records, not bytes), where one
small file per entry would cost a file-system round trip each (hundreds of milliseconds for a few hundred
migrations on some disks). Each record is ``length, crc32, digest, marshal
payload``; a torn or corrupt record ends the read (what follows is ignored), and a pack that grows past
``MAX_PACK`` is started afresh. The code fingerprint changes whenever a file of the lint changes (or preflight,
pglast or Python is upgraded), so a stale entry is never read. A cache that cannot be read or written is ignored,
never an error. ``--no-cache`` (``ctx.options["no_cache"]``) turns the cache off.

The pack is marshal data, trusted like the user's own files: it lives in their cache directory.
"""

from __future__ import annotations

import marshal
import os
import sys
from binascii import crc32

try:  # the built-in BLAKE2: hashlib would load OpenSSL, milliseconds of a lint run's start-up
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import blake2b

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

FORMAT = "4"
MAX_PACK = 64 * 1024 * 1024
HEADER = 4 + 4 + 32  # payload length, crc32 of the payload, blake2b digest (32 bytes) of the key
_writev = hasattr(os, "writev")  # not on Windows
_IOV_MAX = min(os.sysconf("SC_IOV_MAX"), 1024) if _writev and "SC_IOV_MAX" in os.sysconf_names else 16
_fingerprint: bytes | None = None


def directory() -> str:
    explicit = os.environ.get("PREFLIGHT_CACHE_DIR")
    if explicit:
        return os.path.join(explicit, "lint")
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "preflight", "lint")


def fingerprint() -> bytes:
    """What the lint's output depends on besides the file and the rules: its code and versions."""
    global _fingerprint
    if _fingerprint is None:
        here = os.path.dirname(os.path.abspath(__file__))
        parts = [FORMAT, f"python {sys.version_info[0]}.{sys.version_info[1]} marshal {marshal.version}"]
        for d in (here, os.path.join(here, "rules")):
            with os.scandir(d) as it:
                for entry in it:
                    if entry.name.endswith(".py"):
                        st = entry.stat()
                        parts.append(f"{entry.name}:{st.st_mtime_ns}:{st.st_size}")
        parser = getattr(sys.modules.get("pglast.parser"), "__file__", None)
        if parser:
            st = os.stat(parser)
            parts.append(f"pglast:{st.st_mtime_ns}:{st.st_size}")
        _fingerprint = blake2b("\n".join(sorted(parts)).encode(), digest_size=32).digest()
    return _fingerprint


def key(content: bytes, transaction: str, rules: bytes = b"") -> bytes:
    h = blake2b(fingerprint(), digest_size=32)
    h.update(rules)
    h.update(transaction.encode())
    h.update(b"\0")
    h.update(content)
    return h.digest()


class Cache:
    def __init__(self, path: str | None = None):
        self.path = path or directory()
        self.file = os.path.join(self.path, f"analyses-{FORMAT}.pack")
        self._data = b""
        self._index: dict[bytes, tuple[int, int, int]] | None = None
        self._valid = 0  # bytes of whole records at the start of the pack
        self._new: list[bytes] = []

    def _load(self) -> dict[bytes, tuple[int, int, int]]:
        index: dict[bytes, tuple[int, int, int]] = {}
        try:
            with open(self.file, "rb") as f:
                data = f.read()
        except OSError:
            data = b""
        pos, end = 0, len(data)
        while pos + HEADER <= end:
            size = int.from_bytes(data[pos:pos + 4], "little")
            stop = pos + HEADER + size
            if stop > end:
                break
            index[data[pos + 8:pos + HEADER]] = (pos + HEADER, stop, int.from_bytes(data[pos + 4:pos + 8], "little"))
            pos = stop
        self._data = data
        self._valid = pos
        self._index = index
        return index

    def entries(self) -> int:
        """How many analyses the cache holds."""
        return len(self._index if self._index is not None else self._load())

    def has(self, digest: bytes) -> bool:
        return digest in (self._index if self._index is not None else self._load())

    def get(self, digest: bytes) -> dict[str, Any] | None:
        index = self._index if self._index is not None else self._load()
        span = index.get(digest)
        if span is None:
            return None
        start, stop, crc = span
        payload = self._data[start:stop]
        if crc32(payload) != crc:
            return None
        try:
            value = marshal.loads(payload)
        except (EOFError, ValueError, TypeError):
            return None
        return value if isinstance(value, dict) else None

    def put(self, digest: bytes, analysis: dict[str, Any]) -> None:
        payload = marshal.dumps(analysis)
        # Header and payload stay apart until written (os.writev): a run's new entries are a megabyte or more,
        # and copying them into records, then into one blob, costs page faults as much as copying.
        self._new.append(len(payload).to_bytes(4, "little") + crc32(payload).to_bytes(4, "little") + digest)
        self._new.append(payload)

    def flush(self) -> None:
        """Append this run's new entries to the pack (one write of up to IOV_MAX pieces), or start a new pack
        when it is too big."""
        if not self._new:
            return
        if self._index is None:
            self._load()
        parts, self._new = self._new, []
        try:
            os.makedirs(self.path, exist_ok=True)
            too_big = len(self._data) + sum(map(len, parts)) > MAX_PACK
            if too_big or self._valid != len(self._data):  # too big, or a torn record to cut off
                tmp = f"{self.file}.{os.getpid()}.tmp"
                with open(tmp, "wb") as f:
                    if not too_big:
                        f.write(self._data[:self._valid])
                    f.write(b"".join(parts))
                os.replace(tmp, self.file)
                return
            fd = os.open(self.file, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                # Appends of whole records (a header and its payload are never split between two): concurrent
                # runs interleave records, not bytes. One system call per IOV_MAX pieces.
                step = _IOV_MAX - _IOV_MAX % 2
                for i in range(0, len(parts), step):
                    chunk = parts[i:i + step]
                    written = os.writev(fd, chunk) if _writev else 0
                    if written < sum(map(len, chunk)):  # a short write, or no writev: write the rest
                        from preflight.parallel import write_all

                        write_all(fd, b"".join(chunk)[written:])  # OSError (disk full...) gives up on the cache
            finally:
                os.close(fd)
        except OSError:
            pass
