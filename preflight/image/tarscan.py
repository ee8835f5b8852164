"""Streaming tar reading: headers only, data skipped, any compression a layer may use, bounded whatever the
archive declares.

Layers are read as streams: nothing is extracted, and memory stays bounded whatever the layer's size. Headers
are decoded here rather than by :mod:`tarfile`, for three reasons:

- safety: tarfile reads a GNU long name or a pax extended header into memory whole, whatever size its header
  declares (a 3 MB ``.tar.gz`` can declare a 3 GiB one), and its iteration keeps every member in memory and
  ends silently at a corrupt header. Here a special header is read only up to a sane limit
  (:data:`MAX_NAME_BYTES`, :data:`MAX_PAX_BYTES`); beyond it the archive is refused with a one-line error
  naming the archive, the header's member name and its offset; a corrupt header is an error, never an end;
- speed: a layer of 300,000 small files is 300,000 headers; decoding one here costs a few slices and
  :func:`_byte_sum` (``TarInfo.frombuf`` decodes every field and costs several times more);
- time: every chunk read checks the running check's deadline (:mod:`preflight.deadline`), so a layer that
  decompresses to gigabytes stops at the check's timeout instead of running on.

tarfile's constants name the entry types, and the header layout is POSIX ustar's, with the GNU and pax
extensions (GNU long names and links, pax per-file and global records, old GNU sparse headers, base-256
numbers).
"""

from __future__ import annotations

import bz2
import contextlib
import lzma
import posixpath
import struct
import sys
import tarfile
import threading
import zlib
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Protocol

import zstandard

from preflight import deadline
from preflight.errors import ReaderError

BLOCK = 512
_ZERO_BLOCK = bytes(BLOCK)

MAX_NAME_BYTES = 8192
"""The longest GNU long name or link target (``L``/``K`` header) or pax ``path``/``linkpath`` accepted: twice
Linux's PATH_MAX. No runtime can create a longer path, so a longer one is a hostile or corrupt archive."""
MAX_PAX_BYTES = 1 << 20
"""The largest pax extended header accepted (``x``, and the ``g`` records of a whole archive together), like
Go's archive/tar (which containerd uses to apply layers). Real ones hold a few names, times and xattrs."""

GZIP_MAGIC = b"\x1f\x8b"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
BZIP2_MAGIC = b"BZh"
XZ_MAGIC = b"\xfd7zXZ\x00"

CHUNK = 1 << 20
"""Bytes decompressed per read: memory per stream, and how often the deadline is looked at."""
READ_AHEAD = 4 << 20
"""Bytes a read-ahead thread reads at a time: large, so that the threads hand the GIL to each other seldom."""

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
_LONG_TYPES = (tarfile.GNUTYPE_LONGNAME, tarfile.GNUTYPE_LONGLINK)
_PAX_TYPES = (tarfile.XHDTYPE, tarfile.SOLARIS_XHDTYPE, tarfile.XGLTYPE)
_GNU_TYPES = (tarfile.GNUTYPE_LONGNAME, tarfile.GNUTYPE_LONGLINK, tarfile.GNUTYPE_SPARSE)


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
    each other, with zero padding between them, as gzip(1) accepts. A read returns at most ``n`` bytes, however
    well the input compresses."""

    def __init__(self, raw: Any, chunk: int = CHUNK):
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


class StreamsReader:
    """bzip2 or xz decompression (one stream after another, as their tools accept), a read returning at most
    ``n`` bytes. Written here rather than with :class:`lzma.LZMAFile`, which cannot bound the memory an xz
    header may ask for (its dictionary size)."""

    def __init__(self, raw: Any, new: Any, chunk: int = CHUNK):
        self._raw = raw
        self._new = new
        self._chunk = chunk
        self._d = new()
        self._input = b""

    def read(self, n: int = -1) -> bytes:
        if n is None or n < 0:
            n = self._chunk
        while True:
            if self._d.eof:
                pending = self._d.unused_data + self._input
                while True:
                    pending = pending.lstrip(b"\0")  # xz streams may be followed by padding
                    if pending:
                        break
                    pending = self._raw.read(self._chunk)
                    if not pending:
                        return b""
                self._d = self._new()
                self._input = pending
            data = b""
            if self._d.needs_input:
                data, self._input = self._input or self._raw.read(self._chunk), b""
                if not data:
                    raise EOFError("the compressed data ends before its end-of-stream marker")
            out = self._d.decompress(data, n)
            if out:
                return out  # type: ignore[no-any-return]

    def close(self) -> None:
        self._raw.close()


MAX_DECODER_MEMORY = 32 << 20
"""The most memory a zstd frame (its window) or an xz stream (its dictionary) may ask of the decompressor. zstd
up to level 19 and ``xz -7`` need 8 to 16 MiB; a stream that asks more (``zstd --ultra -22``, ``--long``,
``xz -9``) is refused rather than allowed to take hundreds of megabytes on the say-so of its header."""


def decompressed(raw: Any, compression: str) -> Readable:
    """A reader of ``raw`` decompressed; memory is bounded by the read size whatever the ratio, and by
    :data:`MAX_DECODER_MEMORY` whatever the stream's header asks for."""
    if compression == "gzip":
        return GzipReader(raw)
    if compression == "zstd":
        return zstandard.ZstdDecompressor(max_window_size=MAX_DECODER_MEMORY).stream_reader(
            raw, read_size=CHUNK, read_across_frames=True, closefd=False)
    if compression == "bzip2":
        return StreamsReader(raw, bz2.BZ2Decompressor)
    if compression == "xz":
        return StreamsReader(raw, lambda: lzma.LZMADecompressor(memlimit=MAX_DECODER_MEMORY))
    return raw  # type: ignore[no-any-return]


HANDOFF_SECONDS = 0.0002
"""The interpreter's thread switch interval while a layer is read ahead (:func:`sys.setswitchinterval`; Python's
default is 5 ms)."""

_handoff_lock = threading.Lock()
_handoff_users = 0
_handoff_saved = 0.0


@contextlib.contextmanager
def _quick_handoffs() -> Iterator[None]:
    """The GIL handed over within :data:`HANDOFF_SECONDS` while any layer is read ahead, then the interval the
    process had.

    The read-ahead thread needs the GIL back after each C call (a file read, a digest update, a decompression)
    while this thread holds it to scan headers; at Python's default 5 ms it waits that long each time, and on a
    layer of small files the waits added up to half the time of the read (measured: 300,000 files in gzip,
    4.2 s at 5 ms, 2.1 s at 0.2 ms; in zstd, 1.9 s and 1.3 s). Process-wide, so it is set by the first reader
    and restored by the last."""
    global _handoff_users, _handoff_saved
    with _handoff_lock:
        if _handoff_users == 0:
            _handoff_saved = sys.getswitchinterval()
            if _handoff_saved > HANDOFF_SECONDS:  # a process that asked for shorter slices keeps them
                sys.setswitchinterval(HANDOFF_SECONDS)
        _handoff_users += 1
    try:
        yield
    finally:
        with _handoff_lock:
            _handoff_users -= 1
            if _handoff_users == 0 and _handoff_saved > HANDOFF_SECONDS:
                sys.setswitchinterval(_handoff_saved)


class ReadAhead:
    """Reads the next chunk of ``src`` in a worker thread while the caller works on the one before.

    Reading a layer chunk is C work that releases the GIL (the file read, both digests' hashing, the
    decompression), and scanning its headers is Python work: with one chunk read ahead they overlap on two
    cores instead of adding up (with the GIL handed over quickly: :func:`_quick_handoffs`). One chunk ahead at
    most, so memory stays at two chunks."""

    def __init__(self, src: Readable, chunk: int = READ_AHEAD):
        self._src = src
        self._chunk = chunk
        self._handoffs = contextlib.ExitStack()
        self._handoffs.enter_context(_quick_handoffs())
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="preflight-read-ahead")
        self._next: Future[bytes] | None = self._pool.submit(src.read, chunk)

    def read(self, n: int = -1) -> bytes:
        """The next chunk (of the read-ahead size, whatever ``n``; empty at the end)."""
        if self._next is None:
            return b""
        data = self._next.result()
        self._next = self._pool.submit(self._src.read, self._chunk) if data else None
        return data

    def close(self) -> None:
        """Waits for the chunk being read (the source must not be closed under it)."""
        self._next = None
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._handoffs.close()

    def __enter__(self) -> ReadAhead:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_DECOMPRESSION_ERRORS: tuple[type[BaseException], ...] = (
    OSError, EOFError, zlib.error, lzma.LZMAError, zstandard.ZstdError, ValueError,
)


class ByteStream:
    """A forward-only buffered reader over a (decompressing) stream that knows its offset.

    ``skip`` seeks when the source is a plain seekable file (the outer tar of an archive), and otherwise reads and
    discards, so that a verifying reader underneath still hashes every byte. Every chunk read from the source
    first checks the running check's deadline."""

    def __init__(self, src: Any, what: str, *, seekable: bool = False, chunk: int = CHUNK):
        self._src = src
        self.what = what
        self._seekable = seekable
        self._chunk = chunk
        self._buf = b""
        self._pos = 0
        self.offset = 0

    def _more(self, n: int) -> bytes:
        deadline.check(self.what)
        try:
            return self._src.read(n)  # type: ignore[no-any-return]
        except ReaderError:
            raise
        except _DECOMPRESSION_ERRORS as e:
            raise ReaderError(f"{self.what}: corrupt or truncated data: {_why(e)}") from None

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
    from the header only when asked."""

    __slots__ = ("name", "type", "size", "offset", "_header", "_attrs", "_longlink", "_what")

    def __init__(self, name: str, kind: str, size: int, offset: int, header: bytes,
                 attrs: dict[str, str] | None = None, longlink: str | None = None, what: str = "tar archive"):
        self.name = name
        self.type = kind
        self.size = size
        self.offset = offset
        """Where the entry's data starts in the (decompressed) stream."""
        self._header = header
        self._attrs = attrs
        self._longlink = longlink
        self._what = what

    @property
    def mode(self) -> int:
        return self._field("mode", 100) & 0o7777

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
        return self._field(key, at)

    def _field(self, key: str, at: int) -> int:
        field = self._header[at:at + 8]
        try:
            return int(field.split(b"\0", 1)[0], 8)
        except ValueError:
            return _number(field, lambda why: ReaderError(f"{self._what}: entry {self.name!r}: bad {key} field "
                                                          f"{field!r}"))

    @property
    def linkname(self) -> str:
        if self._attrs and "linkpath" in self._attrs:
            return self._attrs["linkpath"]
        if self._longlink is not None:
            return self._longlink
        return _nts(self._header[157:257])


_FIELDS = struct.Struct("100s48s8s1s172x16s")
"""The fields every header is read for: name, the numbers (mode, uid, gid, size, mtime), checksum, type, and the
device numbers."""
_OCTAL = b"01234567 \0"
_NUMBER_FIELDS = ((100, 8, "mode"), (108, 8, "uid"), (116, 8, "gid"), (124, 12, "size"), (136, 12, "mtime"),
                  (329, 8, "devmajor"), (337, 8, "devminor"))
def _byte_sum(block: bytes) -> int:
    """The sum of a 512-byte header's bytes, as its checksum counts them.

    ``sum(block)`` walks 512 Python ints: a few microseconds, the largest cost of a header, paid 300,000 times
    on a layer of small files. zlib's Adler-32 computes the same sum in C, modulo 65521 (its low 16 bits hold
    1 + the sum): exact for each half of the block, whose sum is at most 256 * 255 = 65280."""
    return (zlib.adler32(block[:256]) & 0xFFFF) + (zlib.adler32(block[256:]) & 0xFFFF) - 2


class TarScanner:
    """Iterates a tar stream's entries; the data of an entry is skipped unless :meth:`read_data` is called
    before the next one."""

    def __init__(self, stream: ByteStream, what: str):
        self._s = stream
        self._what = what
        self._pending = 0  # data (padded) of the current member not consumed yet
        self._data_left = 0
        self._current: tuple[str, str, int, int, bytes, dict[str, str] | None, str | None] = \
            ("", REGULAR, 0, 0, _ZERO_BLOCK, None, None)

    def _fail(self, why: str) -> ReaderError:
        return ReaderError(f"{self._what}: not a valid tar archive: {why} (at byte {self._s.offset})")

    def _too_big(self, header: bytes, size: int, limit: int, kind: str) -> ReaderError:
        name = _nts(header[0:100])
        return ReaderError(f"{self._what}: member {name!r} at byte {self._s.offset - BLOCK}: {kind} of {size} "
                           f"bytes, more than the {limit} preflight accepts (a hostile or corrupt archive)")

    def _special(self, size: int) -> bytes:
        """The data of a GNU long name or pax header (its size already checked against the limits)."""
        padded = (size + BLOCK - 1) // BLOCK * BLOCK
        data = self._s.read(padded)
        if len(data) < padded:
            raise self._fail("truncated in the middle of an entry")
        return data[:size]

    def __iter__(self) -> Iterator[Member]:
        for _ in self.entries():
            yield self.member()

    def member(self) -> Member:
        """The entry :meth:`entries` yielded last, with its header decoded on demand."""
        return Member(*self._current, self._what)

    def entries(self) -> Iterator[tuple[str, str]]:
        """(name, type) of each entry; :meth:`member` says more about the last one. Most entries of a layer
        concern no question: for those, nothing is decoded beyond the name and type."""
        s = self._s
        global_pax: dict[str, str] = {}
        global_bytes = 0
        pax: dict[str, str] = {}
        pax_bytes = 0
        longname: str | None = None
        longlink: str | None = None
        special = False  # a long name or pax header read, its entry not yet
        first = True
        while True:
            header = s.next_block(self._pending)
            self._pending = 0
            if header is None:
                raise self._fail("truncated in the middle of an entry's data")
            if len(header) < BLOCK:
                if not header and not first:
                    # End of stream at a block boundary without an end-of-archive marker: accepted like Go's
                    # archive/tar; the digest check already proved the stream is the one promised.
                    self._end(special)
                    return
                raise self._fail("empty" if not header else "truncated header")
            # This loop runs once per file of the image: the common case is written inline, odd headers
            # (other number encodings, the end marker) take the slow way when the quick reading fails.
            name_field, numbers, sum_field, t, devices = _FIELDS.unpack_from(header)
            # The checksum counts its own field as spaces; compared in the form tar, Go and Python write it.
            if sum_field != b"%06o\0 " % (_byte_sum(header) - sum(sum_field) + 256):
                if header == _ZERO_BLOCK:
                    self._end(special)
                    return
                self._check_sum_slowly(header)
            first = False
            # Every number field must read as one, as tarfile and Go's archive/tar (which Docker applies layers
            # with) require, though only the size is needed for most entries.
            if (numbers + devices).translate(None, _OCTAL):
                self._check_numbers_slowly(header)
            size_field = numbers[24:36]
            try:
                size = int(size_field.rstrip(b"\0 "), 8)
            except ValueError:
                size = _number(size_field, self._fail)
                if size < 0:
                    raise self._fail("negative size") from None
            kind = _TYPES.get(t)
            if kind is None:
                special = t in _LONG_TYPES or t in _PAX_TYPES
                if t in _LONG_TYPES:
                    # Checked before anything is read: the declared size is what a header bomb lies about.
                    what = "a GNU long name" if t == tarfile.GNUTYPE_LONGNAME else "a GNU long link target"
                    if size > MAX_NAME_BYTES:
                        raise self._too_big(header, size, MAX_NAME_BYTES, what)
                    value = _nts(self._special(size))
                    if t == tarfile.GNUTYPE_LONGNAME:
                        longname = value
                    else:
                        longlink = value
                    continue
                if t in _PAX_TYPES:
                    if t == tarfile.XGLTYPE:
                        global_bytes += size
                        if global_bytes > MAX_PAX_BYTES:
                            raise self._too_big(header, global_bytes, MAX_PAX_BYTES, "global pax records")
                        global_pax.update(self._parse_pax(self._special(size)))
                    else:
                        # Several pax headers in a row add up: one member's records are bounded together.
                        pax_bytes += size
                        if pax_bytes > MAX_PAX_BYTES:
                            raise self._too_big(header, pax_bytes, MAX_PAX_BYTES, "pax extended headers")
                        pax.update(self._parse_pax(self._special(size)))
                    continue
                # Unknown types are regular files to tar readers (POSIX), with data that follows.
                kind = REGULAR
            elif t == tarfile.GNUTYPE_SPARSE:
                self._check_sparse(header)
            if longname is not None:
                name = longname
            else:
                name = name_field.split(b"\0", 1)[0].decode("utf-8", "surrogateescape")
                if header[345] and header[257:262] == b"ustar" and t not in _GNU_TYPES:
                    name = _nts(header[345:500]) + "/" + name
            attrs = ({**global_pax, **pax} if global_pax else pax) or None
            if attrs:
                name = attrs.get("GNU.sparse.name") or attrs.get("path") or name
                if "size" in attrs:
                    try:
                        size = int(attrs["size"])
                    except ValueError:
                        raise self._fail(f"bad pax size {attrs['size'][:40]!r}") from None
                    if size < 0:
                        raise self._fail("negative size")
            if t == tarfile.AREGTYPE and name.endswith("/"):
                kind = DIRECTORY  # V7 tar: a directory is a regular file whose name ends with a slash
            # Like tarfile, only regular (and unknown) entries carry data, whatever the others' size field says.
            stored = size if kind == REGULAR else 0
            self._current = (name, kind, stored, s.offset, header, attrs, longlink)
            self._pending = (stored + BLOCK - 1) // BLOCK * BLOCK
            self._data_left = stored
            if pax:
                pax = {}
            pax_bytes = 0
            longname = longlink = None
            special = False
            yield name, kind

    def _end(self, special: bool) -> None:
        if special:
            # What a truncated or spliced archive looks like; tarfile refuses it too.
            raise self._fail("a long name or pax header with no entry after it")

    def _check_sparse(self, header: bytes) -> None:
        """An old GNU sparse entry: its map (4 places in the header, 21 in each extension block that follows
        while the previous block's flag is set) and its real size must read as numbers, as Go's archive/tar
        requires. The data that follows is the entry's, skipped like any other."""
        fields = [header[p:p + 12] for p in range(386, 482, 12)] + [header[483:495]]
        more = header[482]
        while more:
            ext = self._s.read(BLOCK)
            if len(ext) < BLOCK:
                raise self._fail("truncated sparse header")
            fields += [ext[p:p + 12] for p in range(0, 504, 12)]
            more = ext[504]
        for field in fields:
            _number(field, lambda why: self._fail("bad sparse header"))

    def _check_numbers_slowly(self, header: bytes) -> None:
        """Number fields in other forms than octal digits: GNU base-256 is one; anything else is an error."""
        name = _nts(header[0:100])
        for start, width, key in _NUMBER_FIELDS:
            _number(header[start:start + width], lambda why, key=key: self._fail(f"entry {name!r}: bad {key} field"))

    def _check_sum_slowly(self, header: bytes) -> None:
        """The checksum in its other forms: any number encoding, and the signed sum some old tars wrote."""
        field = header[148:156]
        checksum = _number(field, self._fail)
        if checksum != sum(header) - sum(field) + 256 and \
                checksum != sum(struct.unpack_from("148b8x356b", header)) + 256:
            raise self._fail("bad checksum")

    def _parse_pax(self, data: bytes) -> dict[str, str]:
        records = _parse_pax(data, self._fail)
        for key in ("path", "linkpath", "GNU.sparse.name"):
            value = records.get(key)
            if value is not None and len(value) > MAX_NAME_BYTES:
                raise self._fail(f"pax {key} of {len(value)} characters, more than the {MAX_NAME_BYTES} "
                                 f"preflight accepts")
        return records

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
        sp = data.find(b" ", pos, pos + 20)
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
    if name[:1] not in ("", ".", "/") and "/." not in name and "//" not in name and name[-1:] != "/":
        return "/" + name  # the common case: nothing to clean
    if name.startswith("./"):
        name = name[2:]
    name = name.strip("/")
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
