"""Hostile image archives through the CLI, as a user runs them: tar header bombs (a GNU long name or a pax header
declaring gigabytes in a few megabytes), layers that decompress to gigabytes, tampered layers, counts that grow
without bound, and plain garbage. Each case builds its archive by code (tests/image_fixtures.py: nothing large is
committed), runs ``python -m preflight run`` with one ``image.files`` check in a process of its own, and names
the exit code and what the check's line of the report must say. Every case must also end without a traceback and
with a peak resident memory under :data:`MEMORY_CEILING_MIB`, whatever the archive declares.

``archive_cases()`` and ``run_case()`` are shared with ``bench/image_hostile_bench.py``, which reports the figures.
"""

from __future__ import annotations

import io
import lzma
import os
import random
import subprocess
import sys
import tarfile
import threading
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pytest
import zstandard
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from preflight.errors import ReaderError
from preflight.image.build import compress, sha256
from preflight.image.digest import VerifyingReader
from preflight.image.layers import Layer, LayeredFS
from preflight.image.resolve import FSView
from preflight.image.tarscan import MAX_NAME_BYTES, MAX_PAX_BYTES
from tests.image_fixtures import (
    END,
    Part,
    Zeros,
    compress_parts,
    header,
    hostile_layout,
    member,
    padding,
    parts_digest,
)

MEMORY_CEILING_MIB = 100
GIB = 1 << 30


@dataclass(frozen=True)
class ArchiveCase:
    id: str
    build: Callable[[Path], str]
    """Writes the inputs into the directory; returns the image reference."""
    exit_code: int
    message: str
    """What the check's line of the text report says (a substring of it)."""
    paths: tuple[str, ...] = ("/app/x",)
    timeout: str | None = None


@dataclass
class Outcome:
    exit_code: int
    stdout: str
    stderr: str
    peak_rss_mib: float
    seconds: float


# The process's peak resident memory, read by itself as it exits: VmHWM is the high-water mark of its own
# address space. (``wait4``'s ru_maxrss would not do: Linux carries the parent's high-water mark over to the child
# at exec, and the parent here is the test process that built a gigabyte-declaring archive.)
_MEASURED_MAIN = """
import atexit, runpy, sys
peak_file = sys.argv[1]
def _peak():
    with open("/proc/self/status") as f:
        kib = next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
    with open(peak_file, "w") as out:
        out.write(str(kib))
atexit.register(_peak)
sys.argv = ["preflight", "run"]
runpy.run_module("preflight", run_name="__main__", alter_sys=True)
"""


def run_case(case: ArchiveCase, directory: Path, limit: float = 120) -> Outcome:
    """Build the case's inputs in ``directory`` and run ``preflight run`` there as a process of its own, which
    reports its own peak memory."""
    ref = case.build(directory)
    config = f'[targets.image]\nref = "{ref}"\n\n[[check]]\nid = "files"\nuses = "image.files"\n' \
             f'paths = [{", ".join(repr(p).replace(chr(39), chr(34)) for p in case.paths)}]\n'
    if case.timeout:
        config += f'timeout = "{case.timeout}"\n'
    (directory / "preflight.toml").write_text(config)
    env = {**os.environ, "NO_COLOR": "1", "PREFLIGHT_CACHE_DIR": str(directory / ".cache")}
    env.pop("GITHUB_STEP_SUMMARY", None)
    start = time.monotonic()
    peak_file = directory / ".peak-kib"
    proc = subprocess.Popen([sys.executable, "-c", _MEASURED_MAIN, str(peak_file)], cwd=directory, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    chunks: dict[str, bytes] = {}

    def drain(name: str, stream: IO[bytes]) -> None:
        chunks[name] = stream.read()

    readers = [threading.Thread(target=drain, args=(n, s), daemon=True)
               for n, s in (("out", proc.stdout), ("err", proc.stderr))]
    for t in readers:
        t.start()
    timer = threading.Timer(limit, proc.kill)
    timer.start()
    try:
        proc.wait()
    finally:
        timer.cancel()
    seconds = time.monotonic() - start
    for t in readers:
        t.join()
    peak = int(peak_file.read_text()) / 1024 if peak_file.exists() else float("inf")
    return Outcome(proc.returncode, chunks.get("out", b"").decode("utf-8", "replace"),
                   chunks.get("err", b"").decode("utf-8", "replace"), peak, seconds)


def check_outcome(case: ArchiveCase, out: Outcome) -> None:
    both = out.stdout + out.stderr
    assert "Traceback" not in both, both[-3000:]
    assert out.exit_code == case.exit_code, (case.id, out.exit_code, both[-3000:])
    line = next((x for x in out.stdout.splitlines() if " files " in x), "")
    assert case.message in line, (case.id, out.stdout[-3000:])
    assert out.peak_rss_mib < MEMORY_CEILING_MIB, (case.id, out.peak_rss_mib)


# -- building the inputs ------------------------------------------------------------------------------------------

Parts = list[Part] | Callable[[], list[Part]]
"""A stream's parts, or a function making them (when making them costs seconds, not at collection)."""


def _made(parts: Parts) -> list[Part]:
    return parts() if callable(parts) else parts


def layer_case(parts: Parts, compression: str = "gzip", diff_id: str | None = None) -> Callable[[Path], str]:
    """An OCI layout of one image whose only layer is ``parts``. Its diff_id is the stream's true digest unless
    one is given (hashing gigabytes of zeros costs seconds: cases that never reach the end of the layer give
    a made-up one, which would fail only after the limit under test has been passed)."""
    def build(d: Path) -> str:
        stream = _made(parts)
        blob = compress_parts(stream, compression)  # type: ignore[arg-type]
        hostile_layout(d / "layout", [(diff_id or parts_digest(stream), blob, compression)])
        return "oci:layout"
    return build


def blob_case(tar: bytes, blob: bytes, media: str = "gzip") -> Callable[[Path], str]:
    def build(d: Path) -> str:
        hostile_layout(d / "layout", [(sha256(tar), blob, media)])
        return "oci:layout"
    return build


def archive_case(parts: Parts, name: str, compression: str) -> Callable[[Path], str]:
    """A docker-archive file made of ``parts`` (the outer tar itself hostile)."""
    def build(d: Path) -> str:
        (d / name).write_bytes(compress_parts(_made(parts), compression))  # type: ignore[arg-type]
        return f"docker-archive:{name}"
    return build


MADE_UP = sha256(b"never reached")
APP_X = member("app/x", b"\x7fELF", 0o755)


def with_checksum(block: bytearray) -> bytes:
    block[148:156] = b"        "
    block[148:156] = b"%06o\0 " % sum(block)
    return bytes(block)


def pax(**records: str) -> bytes:
    out = b""
    for key, value in records.items():
        body = f" {key}={value}\n".encode()
        n = len(body) + 1
        while len(str(n)) + len(body) != n:
            n = len(str(n)) + len(body)
        out += str(n).encode() + body
    return out


def many_members(count: int) -> list[Part]:
    return [b"".join(member(f"junk/{i:06d}", b"") for i in range(count)), END]


def sparse_chain() -> bytes:
    block = bytearray(header("sparse", tarfile.GNUTYPE_SPARSE, 0, fmt=tarfile.GNU_FORMAT))
    block[482] = 1  # "an extension block follows"
    ext = bytearray(512)
    ext[504] = 1  # ... and another, to the end of the stream
    return with_checksum(block) + bytes(ext) * 4096


def big_window_case(d: Path) -> str:
    """A zstd layer whose frame asks for a 128 MiB window (what ``zstd --long`` writes)."""
    tar = member("filler", bytes(130 << 20)) + APP_X + END
    params = zstandard.ZstdCompressionParameters.from_level(3, window_log=27)
    hostile_layout(d / "layout", [(sha256(tar), zstandard.ZstdCompressor(compression_params=params).compress(tar),
                                   "zstd")])
    return "oci:layout"


def archive_cases() -> list[ArchiveCase]:
    bomb = "more than the 8192 preflight accepts (a hostile or corrupt archive)"
    longname = header("././@LongLink", tarfile.GNUTYPE_LONGNAME, 3 * GIB)
    longlink = header("././@LongLink", tarfile.GNUTYPE_LONGLINK, 3 * GIB)
    pax_bomb = header("PaxHeaders.0/app/x", tarfile.XHDTYPE, 3 * GIB)
    global_bomb = header("pax_global_header", tarfile.XGLTYPE, 3 * GIB)
    kib = pax(comment="c" * 1000)
    tar_ok = APP_X + END
    climbs = header("../../etc/passwd", tarfile.REGTYPE, 0)
    bad_checksum = bytearray(APP_X)
    bad_checksum[0] ^= 1  # the name changed, the checksum not
    return [
        ArchiveCase("control-a-sound-image-passes", layer_case([APP_X, END]), 0, "PASS"),
        # Header bombs: refused by what the header declares, before any of it is read.
        ArchiveCase("targz-gnu-longname-3gib", archive_case([longname, Zeros(3 * GIB)], "bomb.tar.gz", "gzip"),
                    3, f"docker-archive:bomb.tar.gz: member '././@LongLink' at byte 0: a GNU long name of "
                       f"3221225472 bytes, {bomb}"),
        ArchiveCase("targz-pax-global-3gib", archive_case([global_bomb, Zeros(3 * GIB)], "bomb.tar.gz", "gzip"),
                    3, "member 'pax_global_header' at byte 0: global pax records of 3221225472 bytes, more than "
                       "the 1048576 preflight accepts"),
        ArchiveCase("tar-gnu-longlink-3gib-declared", archive_case([longlink, bytes(4096)], "bomb.tar", "none"),
                    3, "docker-archive:bomb.tar: member '././@LongLink' at byte 0: a GNU long link target of "
                       f"3221225472 bytes, {bomb}"),
        ArchiveCase("layer-gnu-longname-3gib", layer_case([longname, Zeros(2 * GIB)], diff_id=MADE_UP), 3,
                    f"member '././@LongLink' at byte 0: a GNU long name of 3221225472 bytes, {bomb}"),
        # Consistent digests: before the limits, this one read 3 GiB into memory, then passed.
        ArchiveCase("layer-pax-3gib-then-the-file", layer_case([pax_bomb, Zeros(3 * GIB), APP_X, END]), 3,
                    "member 'PaxHeaders.0/app/x' at byte 0: pax extended headers of 3221225472 bytes, more than "
                    "the 1048576 preflight accepts"),
        ArchiveCase("layer-pax-headers-adding-up",
                    layer_case([(header("PaxHeaders.0/app/x", tarfile.XHDTYPE, len(kib)) + kib + padding(len(kib)))
                                * 1100, APP_X, END]), 3, "pax extended headers of"),
        ArchiveCase("layer-pax-path-of-9k", layer_case([
            header("PaxHeaders.0/x", tarfile.XHDTYPE, len(pax(path="p" * 9000))) + pax(path="p" * 9000) +
            padding(len(pax(path="p" * 9000))), APP_X, END]), 3, "pax path of 9000 characters, more than the 8192"),
        # Gigabytes of data: bounded by the check's timeout (the reader stops at the check's deadline). One second:
        # hashing 4 GiB alone takes longer on any CPU, so the deadline, not the end of the layer, stops the read
        # however idle the machine (zstd inflates zeros at gigabytes a second: with 3 s an idle machine got through).
        ArchiveCase("layer-4gib-of-zeros-gzip", layer_case([header("big", tarfile.REGTYPE, 4 * GIB), Zeros(4 * GIB),
                                                           APP_X, END]), 3, "timed out after 1s", timeout="1s"),
        ArchiveCase("layer-4gib-of-zeros-zstd", layer_case([header("big", tarfile.REGTYPE, 4 * GIB), Zeros(4 * GIB),
                                                           APP_X, END], "zstd", diff_id=MADE_UP), 3,
                    "timed out after 1s", timeout="1s"),
        # Decoder memory: what a stream's header asks is not granted past 32 MiB.
        ArchiveCase("layer-zstd-window-of-128mib", big_window_case, 3, "Frame requires too much memory"),
        ArchiveCase("layer-xz-dictionary-of-64mib", blob_case(tar_ok, lzma.compress(tar_ok, preset=9)), 3,
                    "Memory usage limit"),
        # Counts that grow with the archive.
        ArchiveCase("archive-of-120k-members", archive_case(lambda: many_members(120_000), "junk.tar.gz", "gzip"), 3,
                    "docker-archive:junk.tar.gz: more than 100000 members"),
        ArchiveCase("layer-150k-entries-in-one-directory",
                    layer_case(lambda: [b"".join(member(f"app/f{i:06d}", b"") for i in range(150_000)), END]), 3,
                    "/app holds more than 100000 entries"),
        # Tampering and garbage.
        ArchiveCase("layer-rewritten-with-its-manifest", blob_case(tar_ok, compress(tar_ok.replace(b"ELF", b"EVL"),
                                                                                    "gzip")),
                    3, "(uncompressed): digest mismatch"),
        ArchiveCase("layer-bad-checksum", layer_case([bytes(bad_checksum), END]), 3,
                    "not a valid tar archive: bad checksum"),
        ArchiveCase("layer-entry-climbing-out", layer_case([climbs, APP_X, END]), 3,
                    "entry '../../etc/passwd' climbs out of the image root"),
        ArchiveCase("layer-size-past-the-end", layer_case([header("app/x", tarfile.REGTYPE, 1 << 40), bytes(4096)]), 3,
                    "truncated in the middle of an entry's data"),
        ArchiveCase("layer-pax-size-of-2-62", layer_case([
            header("PaxHeaders.0/x", tarfile.XHDTYPE, len(pax(size=str(1 << 62)))) + pax(size=str(1 << 62)) +
            padding(len(pax(size=str(1 << 62)))), APP_X, END]), 3, "truncated in the middle of an entry's data"),
        ArchiveCase("layer-endless-sparse-headers", layer_case([sparse_chain()]), 3, "truncated sparse header"),
        ArchiveCase("layer-random-bytes", blob_case(b"x", compress(random.Random(16).randbytes(1 << 20), "gzip")), 3,
                    "not a valid tar archive"),
        ArchiveCase("layer-empty-blob", blob_case(b"", b"", "none"), 3, "not a valid tar archive: empty"),
        ArchiveCase("layer-gzip-then-garbage", blob_case(tar_ok, compress(tar_ok, "gzip") + b"garbage"), 3,
                    "corrupt or truncated data"),
        ArchiveCase("layer-gzip-cut-short", blob_case(tar_ok, compress(tar_ok, "gzip")[:-12]), 3,
                    "corrupt or truncated data"),
    ]


@pytest.mark.parametrize("case", archive_cases(), ids=lambda c: c.id)
def test_hostile_archive(case: ArchiveCase, tmp_path: Path) -> None:
    out = run_case(case, tmp_path)
    check_outcome(case, out)
    if case.timeout:
        # The check's timeout bounds the run: decompressing 4 GiB would take tens of seconds.
        assert out.seconds < 30, out.seconds


def test_the_cases_are_distinct() -> None:
    ids = [c.id for c in archive_cases()]
    assert len(ids) == len(set(ids))


# -- the tar reader and the layer reader, fuzzed ------------------------------------------------------------------
#
# Archives are generated (headers of every type, with sizes, names and pax records drawn at random, their checksums
# right so that the reading goes past them) and mutated (bytes flipped, cut, repeated, fields overwritten, the
# checksum fixed or not), then read through the layer reader as a check reads an image, with honest digests so
# that only the tar reading stands between the bytes and an answer. What must hold for every input:
#
# - no exception but ReaderError (a one-line error), and no answer built from a read that did not reach the
#   end of the layer;
# - what Python's tarfile reads from the same bytes agrees with every path found (no false "present");
# - garbage (bytes that are not a tar) is never an answer;
# - memory allocated while reading stays bounded, whatever the headers declare.

EXAMPLES = int(os.environ.get("PREFLIGHT_FUZZ_EXAMPLES", "300"))
FUZZ = settings(max_examples=EXAMPLES, deadline=5000, derandomize="PREFLIGHT_FUZZ_EXAMPLES" not in os.environ,
                database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
FUZZ_MEMORY_CEILING = 32 << 20
"""Bytes a single read may allocate (tracemalloc's peak): the inputs are kilobytes; what they declare is not."""

ASKED = ["/app/x", "/app", "/etc/passwd", "/a/b/c", "/"]
TYPES = [tarfile.REGTYPE, tarfile.AREGTYPE, tarfile.DIRTYPE, tarfile.SYMTYPE, tarfile.LNKTYPE, tarfile.CHRTYPE,
         tarfile.FIFOTYPE, tarfile.CONTTYPE, tarfile.GNUTYPE_LONGNAME, tarfile.GNUTYPE_LONGLINK,
         tarfile.XHDTYPE, tarfile.XGLTYPE, tarfile.SOLARIS_XHDTYPE, tarfile.GNUTYPE_SPARSE, b"V", b"Z", b"\0"]
NAMES = ["app/x", "./app/x", "app/", "app", "/app/x", "app//x", "app/./x", "../x", "a/b/c", "a/b/.wh.c",
         "a/.wh..wh..opq", ".wh.app", "etc/passwd", "", ".", "x" * 120]
SIZES = [0, 1, 511, 512, 513, 4096, MAX_NAME_BYTES, MAX_NAME_BYTES + 1, MAX_PAX_BYTES + 1, 3 * GIB, 1 << 40,
         8 ** 11 - 1]


def view_of_layers(blobs: list[tuple[bytes, str]]) -> FSView:
    """A layered image over in-memory layer blobs, verified as a store verifies them (honest digests)."""
    count = len(blobs)
    layers = []
    for i, (tar, compression) in enumerate(blobs):
        blob = compress(tar, compression)  # type: ignore[arg-type]
        digest = sha256(blob)

        def opener(blob: bytes = blob, digest: str = digest) -> VerifyingReader:
            return VerifyingReader(io.BytesIO(blob), digest, "blob", len(blob))  # type: ignore[arg-type]

        layers.append(Layer(i, count, digest, None, opener, diff_id=sha256(tar)))
    return FSView(LayeredFS(layers, "fuzz"), platform=None, config=None)


def fixed(block: bytearray) -> bytes:
    block[148:156] = b"        "
    block[148:156] = b"%06o\0 " % sum(block)
    return bytes(block)


@st.composite
def tar_headers(draw: st.DrawFn) -> bytes:
    """One entry as bytes: a header of any type, its size field anything from 0 to terabytes (octal or
    base-256), its checksum right, followed by some data (rarely as much as declared)."""
    kind = draw(st.sampled_from(TYPES))
    name = draw(st.one_of(st.sampled_from(NAMES), st.text(max_size=20)))
    info = tarfile.TarInfo(name[:100])
    info.type = kind
    info.mode = draw(st.sampled_from([0o644, 0o755, 0o4755, 0]))
    info.linkname = draw(st.sampled_from(["", "app/x", "../../etc/passwd", "/app/x", "a/b"]))
    block = bytearray(info.tobuf(tarfile.GNU_FORMAT, "utf-8", "surrogateescape")[:512])
    size = draw(st.sampled_from(SIZES))
    if size < 8 ** 11:
        block[124:136] = b"%011o\0" % size
    else:
        block[124:136] = b"\x80" + size.to_bytes(11, "big")
    if kind == tarfile.GNUTYPE_SPARSE and draw(st.booleans()):
        block[482] = 1
    data_kind = draw(st.sampled_from(["declared", "pax", "name", "random", "none"]))
    if data_kind == "pax":
        records = {draw(st.sampled_from(["path", "linkpath", "size", "uid", "gid", "mtime", "comment",
                                         "GNU.sparse.name", "x"])): draw(st.sampled_from(
                                             ["app/x", "7", "-1", "99999999999999999999", "", "a" * 200]))
                   for _ in range(draw(st.integers(0, 3)))}
        data = pax(**records) if draw(st.booleans()) else draw(st.binary(max_size=64))
    elif data_kind == "name":
        data = draw(st.sampled_from(NAMES)).encode() + b"\0"
    elif data_kind == "random":
        data = draw(st.binary(max_size=1024))
    elif data_kind == "declared" and size <= 4096:
        data = bytes(size)
    else:
        data = b""
    if data_kind in ("pax", "name") and size < 8 ** 11:
        block[124:136] = b"%011o\0" % len(data)
    return fixed(block) + data + padding(len(data))


@st.composite
def generated_tars(draw: st.DrawFn) -> bytes:
    entries = draw(st.lists(tar_headers(), max_size=8))
    valid = [member("app/x", b"\x7fELF")] if draw(st.booleans()) else []
    ending = draw(st.sampled_from([END, bytes(512), b"", bytes(100)]))
    return b"".join(valid + entries) + ending


@st.composite
def mutated_tars(draw: st.DrawFn) -> bytes:
    """A sound layer (files, directories, links, pax and GNU long names), mutated."""
    long = "a/" + "b" * 150
    members = [(tarfile.TarInfo("app"), b""), (tarfile.TarInfo("app/x"), b"\x7fELF" * 40),
               (tarfile.TarInfo(long), b"long"), (tarfile.TarInfo("etc/passwd"), b"root:x:0:0::/:/bin/sh\n"),
               (tarfile.TarInfo("a/b/.wh.c"), b""), (tarfile.TarInfo("app/link"), b"")]
    members[0][0].type = tarfile.DIRTYPE
    members[5][0].type, members[5][0].linkname = tarfile.SYMTYPE, "x"
    fmt = draw(st.sampled_from([tarfile.PAX_FORMAT, tarfile.GNU_FORMAT]))
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt) as tar:
        for info, data in members:
            info.size, info.mtime = len(data), 1_700_000_000
            tar.addfile(info, io.BytesIO(data) if data else None)
    data = bytearray(buf.getvalue())
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["flip", "field", "cut", "insert", "repeat", "zero"]))
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        if op == "flip":
            data[at] ^= draw(st.integers(1, 255))
        elif op == "field":
            block = at // 512 * 512
            start, width = draw(st.sampled_from([(0, 100), (100, 8), (124, 12), (156, 1), (157, 100), (257, 8),
                                                 (345, 155), (482, 1)]))
            data[block + start:block + start + width] = draw(st.binary(min_size=width, max_size=width))
            if draw(st.booleans()) and block + 512 <= len(data):
                data[block:block + 512] = fixed(data[block:block + 512])
        elif op == "cut":
            del data[at:]
        elif op == "insert":
            data[at:at] = draw(st.binary(max_size=600))
        elif op == "repeat":
            block = at // 512 * 512
            data[block:block] = data[block:block + 512] * draw(st.integers(1, 3))
        else:
            data[at:at + 512] = bytes(min(512, len(data) - at))
    return bytes(data)


def read_as_a_check_does(blobs: list[tuple[bytes, str]]) -> dict[str, str | None] | None:
    """What the check would be told about ASKED (path -> type, None when absent), or None on a ReaderError
    (anything else raised fails the test). The reading's memory is measured as it goes."""
    view = view_of_layers(blobs)
    tracemalloc.start()
    try:
        infos = view.stat(ASKED, follow=False)
        for info in infos:
            if info.exists and info.type == "file":
                view.read_file(info.path, limit=1 << 16)
            if info.exists and info.type == "directory":
                view.list_directory(info.path)
    except ReaderError as e:
        assert "\n" not in str(e) and str(e)
        return None
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert peak < FUZZ_MEMORY_CEILING, peak
    return {i.path: i.type if i.exists else None for i in infos}


def tarfile_view(tar: bytes) -> dict[str, str]:
    """What Python's tarfile reads: the last entry of each path (as extracting would leave it)."""
    from preflight.image.tarscan import layer_path

    kinds = {tarfile.DIRTYPE: "directory", tarfile.SYMTYPE: "symlink", tarfile.LNKTYPE: "hardlink",
             tarfile.CHRTYPE: "char-device", tarfile.BLKTYPE: "block-device", tarfile.FIFOTYPE: "fifo"}
    out: dict[str, str] = {}
    with tarfile.open(fileobj=io.BytesIO(tar), mode="r:") as archive:
        for m in archive:
            path = layer_path(m.name)
            if path is not None:
                out[path] = kinds.get(m.type, "file")
    return out


def _outline(tar: bytes) -> list[tuple[int, bytes, bytes, bytes]]:
    """(offset, name, type, size field) of each block that looks like a header: for failure messages."""
    return [(i, tar[i:i + 20].rstrip(b"\0"), tar[i + 156:i + 157], tar[i + 124:i + 136])
            for i in range(0, len(tar) - 511, 512) if tar[i + 257:i + 262] == b"ustar"]


def check_against_tarfile(tar: bytes, answer: dict[str, str | None]) -> None:
    """Every path the reader says is present, tarfile read too, as the same type (or as a directory that holds
    entries, which a layer need not list)."""
    why = ""
    try:
        reference = tarfile_view(tar)
    except (tarfile.TarError, EOFError, ValueError, OSError, UnicodeError, OverflowError) as e:
        reference, why = None, repr(e)
    # Whether an old-style entry (type "\0") is a directory is decided by its name ending in "/": preflight, like
    # Go's archive/tar (Docker's), looks at the name after a GNU long name or pax path has replaced it; tarfile
    # at the header's own name. Only archives with such headers can tell them apart.
    renamed = any(t in (b"L", b"x", b"X") for _, _, t, _ in _outline(tar))
    for path, kind in answer.items():
        if kind is None or path == "/":
            continue
        assert reference is not None, (path, kind, "tarfile cannot read this archive", why, _outline(tar))
        if path in reference:
            # A hard link is answered as what it links to (never a directory: link(2) refuses them).
            assert reference[path] == kind or (reference[path] == "hardlink" and kind != "directory") or \
                (renamed and {kind, reference[path]} == {"file", "directory"}), (path, kind, reference[path])
        else:
            assert kind == "directory" and any(p.startswith(path + "/") for p in reference), \
                (path, kind, reference, _outline(tar))


@FUZZ
@given(tar=generated_tars(), compression=st.sampled_from(["none", "gzip", "zstd"]))
def test_fuzz_generated_layers(tar: bytes, compression: str) -> None:
    answer = read_as_a_check_does([(tar, compression)])
    if answer is not None:
        check_against_tarfile(tar, answer)


@FUZZ
@given(tar=mutated_tars(), compression=st.sampled_from(["none", "gzip", "zstd"]))
def test_fuzz_mutated_layers(tar: bytes, compression: str) -> None:
    answer = read_as_a_check_does([(tar, compression)])
    if answer is not None:
        check_against_tarfile(tar, answer)


@FUZZ
@given(garbage=st.binary(min_size=1, max_size=4096).filter(lambda b: b[:512].count(0) < 400),
       compression=st.sampled_from(["none", "gzip", "zstd"]))
def test_fuzz_garbage_is_never_an_answer(garbage: bytes, compression: str) -> None:
    assert read_as_a_check_does([(garbage, compression)]) is None


@FUZZ
@given(upper=mutated_tars(), lower=generated_tars())
def test_fuzz_two_layers(upper: bytes, lower: bytes) -> None:
    read_as_a_check_does([(lower, "gzip"), (upper, "none")])
