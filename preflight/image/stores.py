"""Where blobs come from: an OCI layout directory, a tar archive (``docker save``, ``oci-archive``), skopeo's
``dir:`` layout, or a registry. Every blob is read through a reader that verifies its digest."""

from __future__ import annotations

import io
import os
import threading
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from preflight.errors import ReaderError
from preflight.image.digest import VerifyingReader, check_digest, read_verified
from preflight.image.tarscan import (
    HARDLINK,
    REGULAR,
    SYMLINK,
    ByteStream,
    TarScanner,
    archive_name,
    decompressed,
    sniff,
)

MAX_JSON = 16 << 20
"""Manifests, indexes and configs larger than this are refused (they are a few kilobytes)."""
MAX_ARCHIVE_MEMBERS = 100_000
"""Members of an image archive (``docker save``, ``oci-archive``) kept in its index, at most: a save of a
hundred images of fifty layers holds a few thousand. More is a hostile or corrupt archive, refused before the
index outgrows its memory (about 25 MB at the limit)."""


class ArchiveMember(NamedTuple):
    """What the index of an image archive keeps of a member: enough to find its data and follow its links."""

    name: str
    type: str
    size: int
    offset: int
    linkname: str


class BlobStore(ABC):
    """Content-addressed blobs of one source."""

    label: str

    @abstractmethod
    def has(self, digest: str) -> bool: ...

    @abstractmethod
    def open_raw(self, digest: str, what: str) -> BinaryIO:
        """The blob's bytes, unverified; ReaderError naming ``what`` when it is absent."""

    def open(self, digest: str, what: str, size: int | None = None) -> Any:
        """A reader that verifies the digest (and size) at end of file."""
        check_digest(digest, what)
        return VerifyingReader(self.open_raw(digest, what), digest, what, size)

    def read(self, digest: str, what: str, size: int | None = None, limit: int = MAX_JSON) -> bytes:
        check_digest(digest, what)
        return read_verified(self.open_raw(digest, what), digest, what, size, limit)

    def read_manifest(self, digest: str, what: str, size: int | None = None) -> bytes:
        return self.read(digest, what, size)

    def close(self) -> None:  # noqa: B027 - optional hook
        pass


def _blob_name(digest: str) -> str:
    alg, _, hexpart = digest.partition(":")
    return f"blobs/{alg}/{hexpart}"


class LayoutStore(BlobStore):
    """An OCI image layout directory: ``oci-layout``, ``index.json``, ``blobs/<alg>/<hex>``."""

    def __init__(self, root: Path, label: str):
        self.root = root
        self.label = label

    def has(self, digest: str) -> bool:
        return (self.root / _blob_name(digest)).is_file()

    def open_raw(self, digest: str, what: str) -> BinaryIO:
        try:
            return open(self.root / _blob_name(digest), "rb")  # noqa: SIM115 - the caller closes it
        except FileNotFoundError:
            raise ReaderError(f"{what}: blob {digest} is not in the layout") from None
        except OSError as e:
            raise ReaderError(f"{what}: cannot read blob {digest}: {e.strerror}") from None

    def read_file(self, name: str, limit: int = MAX_JSON) -> bytes | None:
        p = self.root / name
        if not p.is_file():
            return None
        if p.stat().st_size > limit:
            raise ReaderError(f"{self.label}: {name} is larger than {limit} bytes")
        return p.read_bytes()


class SkopeoDirStore(BlobStore):
    """skopeo's ``dir:`` layout: ``manifest.json``, ``version`` and blobs named by their hex digest."""

    def __init__(self, root: Path, label: str):
        self.root = root
        self.label = label

    def has(self, digest: str) -> bool:
        return (self.root / digest.partition(":")[2]).is_file()

    def open_raw(self, digest: str, what: str) -> BinaryIO:
        try:
            return open(self.root / digest.partition(":")[2], "rb")  # noqa: SIM115 - the caller closes it
        except FileNotFoundError:
            raise ReaderError(f"{what}: blob {digest} is not in the directory") from None


class _Bounded(io.RawIOBase):
    """``size`` bytes of ``f`` from where it is."""

    def __init__(self, f: Any, size: int, close: Any):
        self._f = f
        self._left = size
        self._close = close

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        if self._left <= 0:
            return b""
        n = self._left if n is None or n < 0 else min(n, self._left)
        data: bytes = self._f.read(n)
        self._left -= len(data)
        return data

    def readinto(self, b: Any) -> int:
        data = self.read(len(b))
        b[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._close()
        super().close()


class ArchiveStore(BlobStore):
    """A tar archive of a layout (``oci-archive``, Docker >= 25 ``docker save``) or of the legacy ``docker save``
    format. The archive's headers are indexed once; each member is then read from its offset with a file handle
    of its own, so readers in several threads do not share a position."""

    def __init__(self, path: Path, label: str):
        self.path = path
        self.label = label
        self._lock = threading.Lock()
        self._members: dict[str, ArchiveMember] | None = None
        self._compression = "none"

    def members(self) -> dict[str, ArchiveMember]:
        with self._lock:
            if self._members is None:
                self._members = self._index()
            return self._members

    def _index(self) -> dict[str, ArchiveMember]:
        try:
            f = open(self.path, "rb")  # noqa: SIM115 - closed below
        except OSError as e:
            raise ReaderError(f"{self.label}: cannot open: {e.strerror}") from None
        try:
            head = f.read(6)
            f.seek(0)
            self._compression = sniff(head)
            what = self.label
            if self._compression == "none":
                stream = ByteStream(f, what, seekable=True)
            else:
                stream = ByteStream(decompressed(f, self._compression), what)
            out: dict[str, ArchiveMember] = {}
            scanner = TarScanner(stream, what)
            for count, (name, kind) in enumerate(scanner.entries(), 1):
                if count > MAX_ARCHIVE_MEMBERS:
                    raise ReaderError(f"{self.label}: more than {MAX_ARCHIVE_MEMBERS} members: not an image "
                                      f"archive preflight reads (a hostile or corrupt archive)")
                m = scanner.member()
                link = m.linkname if kind in (SYMLINK, HARDLINK) else ""
                out[archive_name(name)] = ArchiveMember(name, kind, m.size, m.offset, link)
            if self._compression == "none":
                end = os.fstat(f.fileno()).st_size
                for am in out.values():
                    if am.type == REGULAR and am.offset + am.size > end:
                        raise ReaderError(f"{self.label}: truncated: {am.name} ends past the end of the file")
            return out
        finally:
            f.close()

    def member(self, name: str, what: str | None = None, hops: int = 0) -> ArchiveMember | None:
        """The member named ``name``, following symlinks and hard links between members (``docker save``
        writes a repeated layer as a symlink to the first copy)."""
        m = self.members().get(archive_name(name))
        if m is None or hops > 8:
            return None
        if m.type == SYMLINK:
            target = m.linkname if m.linkname.startswith("/") else \
                os.path.join(os.path.dirname(archive_name(name)), m.linkname)
            return self.member(target, what, hops + 1)
        if m.type == HARDLINK:
            return self.member(m.linkname, what, hops + 1)
        return m if m.type == REGULAR else None

    def open_member(self, name: str, what: str) -> BinaryIO:
        m = self.member(name)
        if m is None:
            raise ReaderError(f"{what}: {name} is not in the archive")
        f = open(self.path, "rb")  # noqa: SIM115 - closed by the returned reader
        if self._compression == "none":
            f.seek(m.offset)
            return _Bounded(f, m.size, f.close)  # type: ignore[return-value]
        stream = ByteStream(decompressed(f, self._compression), what)
        if stream.skip(m.offset) < m.offset:
            f.close()
            raise ReaderError(f"{what}: the archive is truncated")
        return _Bounded(stream, m.size, f.close)  # type: ignore[return-value]

    def read_member(self, name: str, what: str, limit: int = MAX_JSON) -> bytes | None:
        m = self.member(name)
        if m is None:
            return None
        if m.size > limit:
            raise ReaderError(f"{what}: {name} is larger than {limit} bytes")
        with self.open_member(name, what) as r:
            data = r.read()
        if len(data) != m.size:
            raise ReaderError(f"{what}: {name} is truncated")
        return data

    def has(self, digest: str) -> bool:
        return self.member(_blob_name(digest)) is not None

    def open_raw(self, digest: str, what: str) -> BinaryIO:
        if not self.has(digest):
            raise ReaderError(f"{what}: blob {digest} is not in the archive")
        return self.open_member(_blob_name(digest), what)


class RegistryStore(BlobStore):
    """Blobs of a registry through :class:`preflight.image.registry.RegistryClient` (which verifies them)."""

    def __init__(self, client: Any, label: str):
        self.client = client
        self.label = label

    def has(self, digest: str) -> bool:
        return True

    def open_raw(self, digest: str, what: str) -> BinaryIO:
        return self.client.open_blob(digest)  # type: ignore[no-any-return]

    def open(self, digest: str, what: str, size: int | None = None) -> Any:
        # Verified here too, like every other store's blobs: the descriptor's size is checked as well, and a
        # client bug cannot turn into a pass.
        return VerifyingReader(self.client.open_blob(digest), digest, what, size)

    def read_manifest(self, digest: str, what: str, size: int | None = None) -> bytes:
        _media_type, raw, got = self.client.get_manifest(digest)
        if got != digest:
            raise ReaderError(f"{what}: the registry answered {got} for {digest}")
        return raw  # type: ignore[no-any-return]

    def close(self) -> None:
        self.client.close()
