"""Hostile image archives through the CLI, as a user runs them: tar header bombs (a GNU long name or a pax header
declaring gigabytes in a few megabytes), layers that decompress to gigabytes, tampered layers, counts that grow
without bound, and plain garbage. Each case builds its archive by code (tests/image_fixtures.py: nothing large is
committed), runs ``python -m preflight run`` with one ``image.files`` check in a process of its own, and names
the exit code and what the check's line of the report must say. Every case must also end without a traceback and
with a peak resident memory under :data:`MEMORY_CEILING_MIB`, whatever the archive declares.

``archive_cases()`` and ``run_case()`` are shared with ``bench/image_hostile_bench.py``, which reports the figures.
"""

from __future__ import annotations

import lzma
import os
import random
import subprocess
import sys
import tarfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pytest
import zstandard

from preflight.image.build import compress, sha256
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
        # Gigabytes of data: bounded by the check's timeout (the reader stops at the check's deadline).
        ArchiveCase("layer-4gib-of-zeros-gzip", layer_case([header("big", tarfile.REGTYPE, 4 * GIB), Zeros(4 * GIB),
                                                           APP_X, END]), 3, "timed out after 3s", timeout="3s"),
        ArchiveCase("layer-4gib-of-zeros-zstd", layer_case([header("big", tarfile.REGTYPE, 4 * GIB), Zeros(4 * GIB),
                                                           APP_X, END], "zstd", diff_id=MADE_UP), 3,
                    "timed out after 3s", timeout="3s"),
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
