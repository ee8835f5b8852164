"""Streaming tar reading: headers only, data skipped, any compression a layer may use.

Layers are read as streams: nothing is extracted and memory stays bounded whatever the layer's size. Headers are
decoded here, like :meth:`tarfile.TarInfo.frombuf` but faster, and GNU long names, pax extended headers
(per-file and global) and old GNU sparse headers are followed here too, because :mod:`tarfile`'s own iteration
keeps every member in memory and ends silently at a corrupt header.
"""

from __future__ import annotations

import bz2
import lzma
import posixpath
import struct
import tarfile
import zlib
from collections.abc import Iterator
from typing import Any, BinaryIO, Protocol

import zstandard

from preflight.errors import ReaderError

BLOCK = 512
_ZERO_BLOCK = bytes(BLOCK)

GZIP_MAGIC = b"\x1f\x8b"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
BZIP2_MAGIC = b"BZh"
XZ_MAGIC = b"\xfd7zXZ\x00"

# Entry types, in the words the reports use.
REGULAR = "file"
DIRECTORY = "directory"
SYMLINK = "symlink"
HARDLINK = "hardlink"
CHAR = "char-device"
BLOCKDEV = "block-device"
FIFO = "fifo"

_TYPES = {
    tarfile.REGTYPE: REGULAR, tarfile.AREGTYPE: REGULAR, tarfile.CONTTYPE: REGULAR,
    tarfile.GNUTYPE_SPARSE: REGULAR, tarfile.DIRTYPE: DIRECTORY, tarfile.SYMTYPE: SYMLINK,
    tarfile.LNKTYPE: HARDLINK, tarfile.CHRTYPE: CHAR, tarfile.BLKTYPE: BLOCKDEV, tarfile.FIFOTYPE: FIFO,
}


class Readable(Protocol):
    def read(self, n: int = -1, /) -> bytes: ...


def sniff(head: bytes) -> str:
    """The compression of a blob from its first bytes: "gzip", "zstd", "bzip2", "xz" or "none"."""
    if head.startswith(GZIP_MAGIC):
        return "gzip"
    if head.startswith(ZSTD_MAGIC):
        return "zstd"
    if head.startswith(BZIP2_MAGIC):
        return "bzip2"
    if head.startswith(XZ_MAGIC):
        return "xz"
    return "none"


class GzipReader:
    """gzip decompression with large reads (:class:`gzip.GzipFile` reads its input 8 KiB at a time, which
    costs as much as the inflating on big layers). zlib checks each member's CRC and length; members may follow
    each other, with zero padding between them, as gzip(1) accepts."""

    def __init__(self, raw: Any, chunk: int = 1 << 20):
        self._raw = raw
        self._chunk = chunk
        self._d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self._input = b""

    def read(self, n: int = -1) -> bytes:
        if n is None or n < 0:
            n = self._chunk
        while True:
            if self._d.eof:
                pending = self._d.unused_data
                while True:
                    pending = pending.lstrip(b"\0")
                    if pending:
                        break
                    pending = self._raw.read(self._chunk)
                    if not pending:
                        return b""
                self._d = zlib.decompressobj(16 + zlib.MAX_WBITS)
                self._input = pending
            if not self._input:
                self._input = self._raw.read(self._chunk)
                if not self._input:
                    raise EOFError("the compressed data ends before its end-of-stream marker")
            out = self._d.decompress(self._input, n)
            self._input = self._d.unconsumed_tail
            if out:
                return out

    def close(self) -> None:
        self._raw.close()


def decompressed(raw: Any, compression: str) -> Readable:
    """A reader of ``raw`` decompressed; memory is bounded by the read size whatever the ratio."""
    if compression == "gzip":
        return GzipReader(raw)
    if compression == "zstd":
        return zstandard.ZstdDecompressor().stream_reader(raw, read_across_frames=True, closefd=False)
    if compression == "bzip2":
        return bz2.BZ2File(raw)
    if compression == "xz":
        return lzma.LZMAFile(raw)
    return raw  # type: ignore[no-any-return]


_DECOMPRESSION_ERRORS: tuple[type[BaseException], ...] = (
    OSError, EOFError, zlib.error, lzma.LZMAError, zstandard.ZstdError, ValueError,
)


class Cancelled(Exception):
    """A speculative read was called off."""


class ByteStream:
    """A forward-only buffered reader over a (decompressing) stream that knows its offset.

    ``skip`` seeks when the source is a plain seekable file (the outer tar of an archive), and otherwise reads and
    discards, so that a verifying reader underneath still hashes every byte."""

    def __init__(self, src: Any, what: str, *, seekable: bool = False, chunk: int = 1 << 20):
        self._src = src
        self._what = what
        self._seekable = seekable
        self._chunk = chunk
        self._buf = b""
        self._pos = 0
        self.offset = 0

    cancel: Any = None
    """A threading.Event: when set, the next read raises :class:`Cancelled`."""

    def _more(self, n: int) -> bytes:
        if self.cancel is not None and self.cancel.is_set():
            raise Cancelled
        try:
            return self._src.read(n)  # type: ignore[no-any-return]
        except ReaderError:
            raise
        except _DECOMPRESSION_ERRORS as e:
            raise ReaderError(f"{self._what}: corrupt or truncated data: {_why(e)}") from None

    def read(self, n: int) -> bytes:
        """Exactly ``n`` bytes, fewer only at the end of the stream."""
        end = self._pos + n
        if end <= len(self._buf):
            data = self._buf[self._pos:end]
            self._pos = end
            self.offset += n
            return data
        parts = [self._buf[self._pos:]]
        have = len(parts[0])
        self._buf, self._pos = b"", 0
        while have < n:
            more = self._more(max(self._chunk, n - have))
            if not more:
                break
            need = n - have
            if len(more) > need:
                parts.append(more[:need])
                self._buf, self._pos = more, need
                have = n
            else:
                parts.append(more)
                have += len(more)
        self.offset += have
        return b"".join(parts)

    def next_block(self, skip: int) -> bytes | None:
        """Skip ``skip`` bytes, then read a 512-byte block: one call per tar entry. ``None`` when the stream
        ends within the skipped part; a short or empty block at its end."""
        pos = self._pos + skip
        end = pos + BLOCK
        if end <= len(self._buf):
            self._pos = end
            self.offset += skip + BLOCK
            return self._buf[pos:end]
        if skip and self.skip(skip) < skip:
            return None
        return self.read(BLOCK)

    def skip(self, n: int) -> int:
        """Skip ``n`` bytes; returns how many were skipped (fewer only at the end of the stream)."""
        avail = len(self._buf) - self._pos
        if n <= avail:
            self._pos += n
            self.offset += n
            return n
        skipped = avail
        self._buf, self._pos = b"", 0
        if self._seekable:
            self._src.seek(n - skipped, 1)
            self.offset += n
            return n
        while skipped < n:
            more = self._more(self._chunk)
            if not more:
                break
            need = n - skipped
            if len(more) > need:
                self._buf, self._pos = more, need
                skipped = n
            else:
                skipped += len(more)
        self.offset += skipped
        return skipped

    def drain(self) -> None:
        """Read to the end of the source (so a verifying reader underneath checks the digest)."""
        self._buf, self._pos = b"", 0
        if self._seekable:
            return
        while self._more(self._chunk):
            pass


def _why(e: BaseException) -> str:
    text = str(e) or type(e).__name__
    return text.splitlines()[0] if text else type(e).__name__


class Member:
    """One tar entry, after long names and pax headers are applied. Mode, owner and link target are decoded
    from the header only when asked: most entries of a layer are skipped after their name is seen."""

    __slots__ = ("name", "type", "size", "offset", "_header", "_attrs", "_longlink")

    def __init__(self, name: str, kind: str, size: int, offset: int, header: bytes,
                 attrs: dict[str, str] | None = None, longlink: str | None = None):
        self.name = name
        self.type = kind
        self.size = size
        self.offset = offset
        """Where the entry's data starts in the (decompressed) stream."""
        self._header = header
        self._attrs = attrs
        self._longlink = longlink

    @property
    def mode(self) -> int:
        return _number(self._header[100:108], _value_error) & 0o7777

    @property
    def uid(self) -> int:
        return self._owner("uid", 108)

    @property
    def gid(self) -> int:
        return self._owner("gid", 116)

    def _owner(self, key: str, at: int) -> int:
        if self._attrs and key in self._attrs:
            try:
                return int(self._attrs[key])
            except ValueError:
                pass
        try:
            return _number(self._header[at:at + 8], _value_error)
        except ValueError:
            return 0

    @property
    def linkname(self) -> str:
        if self._attrs and "linkpath" in self._attrs:
            return self._attrs["linkpath"]
        if self._longlink is not None:
            return self._longlink
        return _nts(self._header[157:257])


def _value_error(why: str) -> ValueError:
    return ValueError(why)


class TarScanner:
    """Iterates a tar stream's entries; the data of an entry is skipped unless :meth:`read_data` is called
    before the next one."""

    def __init__(self, stream: ByteStream, what: str):
        self._s = stream
        self._what = what
        self._pending = 0  # data (padded) of the current member not consumed yet
        self._data_left = 0
        self.ended_cleanly = False

    def _fail(self, why: str) -> ReaderError:
        return ReaderError(f"{self._what}: not a valid tar archive: {why} (at byte {self._s.offset})")

    def _read_block_data(self, size: int) -> bytes:
        padded = _padded(size)
        data = self._s.read(padded)
        if len(data) < padded:
            raise self._fail("truncated in the middle of an entry")
        return data[:size]

    def __iter__(self) -> Iterator[Member]:
        s = self._s
        global_pax: dict[str, str] = {}
        pax: dict[str, str] = {}
        longname: str | None = None
        longlink: str | None = None
        first = True
        while True:
            header = s.next_block(self._pending)
            self._pending = 0
            if header is None:
                raise self._fail("truncated in the middle of an entry's data")
            if not header:
                if first:
                    raise self._fail("empty")
                # End of stream at a block boundary without an end-of-archive marker: accepted like Go's
                # archive/tar; the digest check already proved the stream is the one promised.
                self.ended_cleanly = True
                return
            if len(header) < BLOCK:
                raise self._fail("truncated header")
            if header == _ZERO_BLOCK:
                self.ended_cleanly = True
                return
            # The common case inline (this loop runs once per file of the image); odd fields go the slow way.
            field = header[148:156]
            try:
                checksum = int(field.split(b"\0", 1)[0], 8)
            except ValueError:
                checksum = _number(field, self._fail)
            if checksum != sum(header) - sum(field) + 256 and \
                    checksum != sum(struct.unpack_from("148b8x356b", header)) + 256:
                raise self._fail("bad checksum")
            first = False
            t = header[156:157]
            field = header[124:136]
            try:
                size = int(field.split(b"\0", 1)[0], 8)
            except ValueError:
                size = _number(field, self._fail)
            if size < 0:
                raise self._fail("negative size")
            if t in (tarfile.GNUTYPE_LONGNAME, tarfile.GNUTYPE_LONGLINK):
                value = _nts(self._read_block_data(size))
                if t == tarfile.GNUTYPE_LONGNAME:
                    longname = value
                else:
                    longlink = value
                continue
            if t in (tarfile.XHDTYPE, tarfile.SOLARIS_XHDTYPE, tarfile.XGLTYPE):
                records = _parse_pax(self._read_block_data(size), self._fail)
                if t == tarfile.XGLTYPE:
                    global_pax.update(records)
                else:
                    pax.update(records)
                continue
            if t == tarfile.GNUTYPE_SPARSE and header[482]:
                # Old GNU sparse: extension blocks follow the header while their last byte is set.
                while True:
                    ext = s.read(BLOCK)
                    if len(ext) < BLOCK:
                        raise self._fail("truncated sparse header")
                    if not ext[504]:
                        break
            attrs = ({**global_pax, **pax} if global_pax else pax) or None
            if longname is not None:
                name = longname
            else:
                name = _nts(header[0:100])
                if header[345] and header[257:262] == b"ustar" and t not in _GNU_TYPES:
                    name = _nts(header[345:500]) + "/" + name
            if attrs:
                name = attrs.get("GNU.sparse.name") or attrs.get("path") or name
                if "size" in attrs:
                    try:
                        size = int(attrs["size"])
                    except ValueError:
                        raise self._fail(f"bad pax size {attrs['size']!r}") from None
            if t == tarfile.AREGTYPE and name.endswith("/"):
                t = tarfile.DIRTYPE  # V7 tar: a directory is a regular file whose name ends with a slash
            # Unknown types are regular files to tar readers (POSIX), with data that follows; like tarfile, only
            # regular (and unknown) entries carry data, whatever the others' size field says.
            kind = _TYPES.get(t, REGULAR)
            stored = size if kind == REGULAR else 0
            member = Member(name, kind, stored, s.offset, header, attrs, longlink)
            self._pending = (stored + BLOCK - 1) // BLOCK * BLOCK
            self._data_left = stored
            if attrs:
                pax = {}
            longname = longlink = None
            yield member

    def read_data(self, limit: int) -> bytes:
        """Up to ``limit`` bytes of the current entry's data (the rest is skipped)."""
        n = min(limit, self._data_left)
        data = self._s.read(n)
        if len(data) < n:
            raise self._fail("truncated in the middle of an entry's data")
        self._pending -= n
        self._data_left -= n
        return data

    def finish(self) -> None:
        """Consume what follows the end-of-archive marker (so the stream's digest is checked)."""
        self._pending = 0
        self._s.drain()


_GNU_TYPES = (tarfile.GNUTYPE_LONGNAME, tarfile.GNUTYPE_LONGLINK, tarfile.GNUTYPE_SPARSE)


def _number(field: bytes, fail: Any) -> int:
    if field[:1] in (b"\x80", b"\xff"):
        # GNU base-256 for values octal cannot hold (0xff: negative, two's complement).
        n = int.from_bytes(field[1:], "big")
        return n - 256 ** (len(field) - 1) if field[0] == 0xFF else n
    text = field.split(b"\0", 1)[0].strip()
    try:
        return int(text, 8) if text else 0
    except ValueError:
        raise fail("bad number field") from None


def _padded(size: int) -> int:
    return (size + BLOCK - 1) // BLOCK * BLOCK


def _nts(data: bytes) -> str:
    end = data.find(b"\0")
    if end != -1:
        data = data[:end]
    return data.decode("utf-8", "surrogateescape")


def _parse_pax(data: bytes, fail: Any) -> dict[str, str]:
    """``"%d %s=%s\\n"`` records; the length counts the whole record."""
    out: dict[str, str] = {}
    pos = 0
    while pos < len(data):
        if data[pos] == 0:
            break
        sp = data.find(b" ", pos)
        if sp == -1:
            raise fail("malformed pax header")
        try:
            length = int(data[pos:sp])
        except ValueError:
            raise fail("malformed pax header") from None
        if length <= 0 or pos + length > len(data):
            raise fail("malformed pax header")
        record = data[sp + 1:pos + length]
        key, eq, value = record.partition(b"=")
        if not eq or not record.endswith(b"\n"):
            raise fail("malformed pax header")
        out[key.decode("utf-8", "surrogateescape")] = value[:-1].decode("utf-8", "surrogateescape")
        pos += length
    return out


def layer_path(name: str) -> str | None:
    """A layer entry's name as an absolute image path: ``./usr/bin/`` -> ``/usr/bin``; ``None`` when the
    name climbs out of the root (``../etc/passwd``), which Docker refuses to apply."""
    if name.startswith("./"):
        name = name[2:]
    name = name.strip("/")
    if "//" not in name and "/." not in name and not name.startswith("."):
        return "/" + name  # the common case: nothing to clean
    parts: list[str] = []
    for part in name.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            return None
        parts.append(part)
    return "/" + "/".join(parts)


def archive_name(name: str) -> str:
    """A member name of an archive (not a layer): ``./blobs/sha256/ab`` -> ``blobs/sha256/ab``."""
    return posixpath.normpath("/" + name).lstrip("/")


def open_blob_stream(raw: Any, what: str, declared: str | None) -> tuple[ByteStream, str]:
    """A decompressed stream of a layer blob and the compression found by its magic bytes (which wins over
    the media type: registries and tools do mislabel layers)."""
    head = raw.peek(6) if hasattr(raw, "peek") else b""
    compression = sniff(head)
    del declared  # the media type is only a hint; the bytes decide
    return ByteStream(decompressed(raw, compression), what), compression


def iter_file_members(f: BinaryIO, what: str) -> Iterator[Member]:
    """Members of a plain (uncompressed) tar file, seeking over their data."""
    yield from TarScanner(ByteStream(f, what, seekable=True), what)
