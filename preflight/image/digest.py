"""Content digests: every blob preflight reads is hashed while it streams, and a mismatch is an error."""

from __future__ import annotations

import hashlib
import re
from typing import BinaryIO

from preflight import deadline
from preflight.errors import ReaderError

_DIGEST_RE = re.compile(r"^(sha256|sha512):([0-9a-f]+)$")
_HEX_LEN = {"sha256": 64, "sha512": 128}


def check_digest(digest: object, what: str) -> str:
    """The digest if it is a well-formed ``sha256:`` or ``sha512:`` digest, else ReaderError naming ``what``."""
    if not isinstance(digest, str):
        raise ReaderError(f"{what}: missing or malformed digest")
    m = _DIGEST_RE.match(digest)
    if not m or len(m.group(2)) != _HEX_LEN[m.group(1)]:
        raise ReaderError(f"{what}: malformed digest {digest[:80]!r}")
    return digest


def short(digest: str | None) -> str:
    """``sha256:0123456789ab`` - enough to recognise a layer in a report."""
    if not digest:
        return "?"
    alg, _, hexpart = digest.partition(":")
    return f"{alg}:{hexpart[:12]}"


def digest_of(data: bytes, algorithm: str = "sha256") -> str:
    return f"{algorithm}:{hashlib.new(algorithm, data).hexdigest()}"


class PlainReader:
    """A reader with ``peek`` and ``drain``, for content whose digest is checked elsewhere (a legacy ``docker
    save`` layer is verified uncompressed, against its diff_id). :class:`VerifyingReader` adds the hashing."""

    def __init__(self, raw: BinaryIO, what: str = "blob"):
        self._raw = raw
        self._prefix = b""
        self.what = what

    def peek(self, n: int) -> bytes:
        """The next ``n`` bytes without consuming them (for sniffing compression)."""
        while len(self._prefix) < n:
            more = self._read_raw(n - len(self._prefix))
            if not more:
                break
            self._prefix += more
        return self._prefix[:n]

    def read(self, n: int = -1) -> bytes:
        if self._prefix:
            if n is None or n < 0 or n >= len(self._prefix):
                data, self._prefix = self._prefix, b""
                return data
            data, self._prefix = self._prefix[:n], self._prefix[n:]
            return data
        return self._read_raw(n)

    def readinto(self, b: bytearray | memoryview) -> int:
        data = self.read(len(b))
        b[: len(data)] = data
        return len(data)

    def _read_raw(self, n: int) -> bytes:
        return self._raw.read(n)

    def drain(self) -> None:
        """Read to the end (verifying, where the reader verifies), within the check's deadline."""
        while self.read(1 << 20):
            deadline.check(self.what)

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self._raw.close()


class VerifyingReader(PlainReader):
    """Reads ``raw`` while hashing it; at end of file the digest (and the size, when known) must match.

    A reader that is closed before its end was never verified: callers that stop early call :meth:`drain`
    so that what they did read is proven to belong to the blob they were promised."""

    def __init__(self, raw: BinaryIO, digest: str, what: str, size: int | None = None):
        alg, _, self._expected = check_digest(digest, what).partition(":")
        super().__init__(raw, what)
        self._hash = hashlib.new(alg)
        self._digest = digest
        self.digest = digest
        """The digest the content must have."""
        self._what = what
        self._size = size
        self._read = 0
        self.verified = False

    def _read_raw(self, n: int) -> bytes:
        try:
            data = self._raw.read(n if n is not None and n >= 0 else -1)
        except OSError as e:
            raise ReaderError(f"{self._what}: cannot read: {e.strerror or e}") from None
        if data:
            self._hash.update(data)
            self._read += len(data)
            if self._size is not None and self._read > self._size:
                raise ReaderError(f"{self._what}: longer than the {self._size} bytes its descriptor states "
                                  f"(corrupt or tampered)")
        elif n != 0:
            self._finish()
        return data

    def _finish(self) -> None:
        if self.verified:
            return
        if self._size is not None and self._read != self._size:
            raise ReaderError(f"{self._what}: truncated: {self._read} of {self._size} bytes")
        got = self._hash.hexdigest()
        if got != self._expected:
            raise ReaderError(f"{self._what}: digest mismatch: expected {short(self._digest)}, content is "
                              f"{short(self._hash.name + ':' + got)} (corrupt or tampered)")
        self.verified = True

    def __enter__(self) -> VerifyingReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_verified(raw: BinaryIO, digest: str, what: str, size: int | None = None,
                  limit: int = 16 << 20) -> bytes:
    """A whole small blob (a manifest, a config), verified."""
    if size is not None and size > limit:
        raise ReaderError(f"{what}: {size} bytes is larger than the {limit} bytes preflight accepts for it")
    with VerifyingReader(raw, digest, what, size) as r:
        chunks = []
        total = 0
        while True:
            data = r.read(1 << 20)
            if not data:
                break
            total += len(data)
            if total > limit:
                raise ReaderError(f"{what}: larger than the {limit} bytes preflight accepts for it")
            chunks.append(data)
        return b"".join(chunks)
