"""The tar reader's limits: what an archive declares never decides how much is read into memory, and a read stops
at the check's deadline. The archives are built here byte for byte (tests/image_fixtures.py): a header may declare
gigabytes that never follow, and zero runs of gigabytes are a few kilobytes of concatenated gzip members."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import random
import sys
import tarfile
import threading
import time
from pathlib import Path

import pytest
import zstandard

from preflight import deadline
from preflight.errors import ReaderError
from preflight.image import layers as layers_module
from preflight.image import stores as stores_module
from preflight.image.build import File, compress, layer_tar, sha256
from preflight.image.tarscan import (
    HANDOFF_SECONDS,
    MAX_NAME_BYTES,
    MAX_PAX_BYTES,
    ByteStream,
    ReadAhead,
    TarScanner,
    decompressed,
)
from tests.helpers import run_cli, write_config
from tests.image_fixtures import (
    END,
    Zeros,
    header,
    hostile_layer_layout,
    hostile_layout,
    member,
    open_ref,
    padding,
)

GIB3 = 3 << 30


def scan(data: bytes, what: str = "layer") -> list[tuple[str, str]]:
    return list(TarScanner(ByteStream(io.BytesIO(data), what), what).entries())


def pax_records(**records: str) -> bytes:
    out = b""
    for key, value in records.items():
        body = f" {key}={value}\n".encode()
        n = len(body) + 1
        while len(str(n)) + len(body) != n:
            n = len(str(n)) + len(body)
        out += str(n).encode() + body
    return out


def one_line(e: pytest.ExceptionInfo[ReaderError]) -> str:
    text = str(e.value)
    assert "\n" not in text
    return text


# -- special headers are refused by their declared size, before any of it is read -----------------------------

@pytest.mark.parametrize(("name", "kind", "what"), [
    ("././@LongLink", tarfile.GNUTYPE_LONGNAME, "a GNU long name"),
    ("././@LongLink", tarfile.GNUTYPE_LONGLINK, "a GNU long link target"),
    ("PaxHeaders.0/app/x", tarfile.XHDTYPE, "pax extended headers"),
    ("PaxHeaders.0/app/x", tarfile.SOLARIS_XHDTYPE, "pax extended headers"),
    ("pax_global_header", tarfile.XGLTYPE, "global pax records"),
])
def test_a_special_header_declaring_gigabytes_is_refused_naming_the_member(name: str, kind: bytes,
                                                                           what: str) -> None:
    # Only 4 KiB follow the header: reading what it declares would end as "truncated", not with this message.
    bomb = member("app/ok", b"ok") + header(name, kind, GIB3) + bytes(4096)
    with pytest.raises(ReaderError) as e:
        scan(bomb, "app.tar.gz")
    limit = MAX_NAME_BYTES if "GNU" in what else MAX_PAX_BYTES
    assert one_line(e) == (f"app.tar.gz: member {name!r} at byte 1024: {what} of {GIB3} bytes, more than the "
                           f"{limit} preflight accepts (a hostile or corrupt archive)")


def test_a_long_name_up_to_the_limit_is_read_and_one_byte_more_is_refused() -> None:
    longest = "a/" + "n" * (MAX_NAME_BYTES - 3)  # plus the NUL tar writes after it
    assert len(longest.encode()) + 1 == MAX_NAME_BYTES
    data = longest.encode() + b"\0"
    archive = header("././@LongLink", tarfile.GNUTYPE_LONGNAME, len(data)) + data + padding(len(data)) + \
        member("short", b"x") + END
    assert scan(archive) == [(longest, "file")]
    longer = data[:-1] + b"nn"
    with pytest.raises(ReaderError, match="a GNU long name of 8193 bytes, more than the 8192"):
        scan(header("././@LongLink", tarfile.GNUTYPE_LONGNAME, len(longer)) + longer + padding(len(longer)))


def test_pax_headers_that_add_up_past_the_limit_are_refused() -> None:
    chunk = pax_records(comment="c" * 1000)
    one = header("PaxHeaders.0/x", tarfile.XHDTYPE, len(chunk)) + chunk + padding(len(chunk))
    assert scan(one * 3 + member("x", b"x") + END) == [("x", "file")]
    with pytest.raises(ReaderError, match="pax extended headers of 1049[0-9]{3} bytes, more than the 1048576"):
        scan(one * (MAX_PAX_BYTES // len(chunk) + 1) + member("x", b"x") + END)
    glob = header("pax_global_header", tarfile.XGLTYPE, len(chunk)) + chunk + padding(len(chunk))
    # Global records count for the whole archive, whatever lies between them.
    with pytest.raises(ReaderError, match="global pax records of"):
        scan((glob + member("x", b"x")) * (MAX_PAX_BYTES // len(chunk) + 1) + END)


def test_a_pax_path_longer_than_any_path_is_refused() -> None:
    records = pax_records(path="a/" + "p" * MAX_NAME_BYTES)
    archive = header("PaxHeaders.0/x", tarfile.XHDTYPE, len(records)) + records + padding(len(records)) + \
        member("x", b"x") + END
    with pytest.raises(ReaderError, match=f"pax path of {MAX_NAME_BYTES + 2} characters, more than the 8192"):
        scan(archive)


def test_a_bad_mode_field_is_a_reader_error_naming_the_entry(tmp_path: Path) -> None:
    block = bytearray(header("app/x", tarfile.REGTYPE, 0))
    block[100:108] = b"9999999\0"  # not octal
    block[148:156] = b"        "
    block[148:156] = b"%06o\0 " % sum(block)
    hostile_layer_layout(tmp_path / "layout", [bytes(block), END])
    view = open_ref("oci:layout", tmp_path).single()
    with pytest.raises(ReaderError) as e:
        view.stat(["/app/x"])
    assert "entry 'app/x': bad mode field" in one_line(e)


def test_headers_of_every_shape_still_read_as_tarfile_reads_them() -> None:
    # The quick checksum path and its slow way: a header whose link and prefix fields are set, and a signed
    # checksum as some old tars wrote it.
    long_link = "/" + "l" * 99
    archive = header("bin/sh", tarfile.SYMTYPE, 0, linkname=long_link)
    signed = bytearray(header("caf\xe9", tarfile.REGTYPE, 0, fmt=tarfile.USTAR_FORMAT))
    signed[0:4] = b"\xff\xfe\xfd\xfc"
    signed[148:156] = b"        "
    signed_sum = sum(v - 256 if v > 127 else v for v in signed)
    signed[148:156] = b"%06o\0 " % signed_sum
    got = scan(archive + bytes(signed) + END)
    assert got[0] == ("bin/sh", "symlink") and len(got) == 2


# -- compression is bounded by what preflight allows, not by what a stream asks -------------------------------

def test_a_zstd_frame_asking_for_a_huge_window_is_refused() -> None:
    params = zstandard.ZstdCompressionParameters.from_level(19, window_log=27)
    blob = zstandard.ZstdCompressor(compression_params=params).compress(
        member("app/x", bytes(100 << 20)) + END)
    with pytest.raises(ReaderError, match="corrupt or truncated data: .*too much memory"):
        list(TarScanner(ByteStream(decompressed(io.BytesIO(blob), "zstd"), "layer"), "layer").entries())


def test_an_xz_stream_asking_for_a_huge_dictionary_is_refused_and_small_ones_read() -> None:
    tar = member("app/x", b"x") + END
    ok = lzma.compress(tar) + lzma.compress(tar)
    assert len(list(TarScanner(ByteStream(decompressed(io.BytesIO(ok), "xz"), "l"), "l").entries())) == 1
    big = lzma.compress(tar, preset=9)  # a 64 MiB dictionary
    with pytest.raises(ReaderError, match="Memory usage limit"):
        list(TarScanner(ByteStream(decompressed(io.BytesIO(big), "xz"), "l"), "l").entries())
    assert bz2.decompress(bz2.compress(tar)) == tar
    bz = bz2.compress(tar) + bz2.compress(tar)
    assert list(TarScanner(ByteStream(decompressed(io.BytesIO(bz), "bzip2"), "l"), "l").entries()) == \
        [("app/x", "file")]


def test_data_after_the_compressed_stream_is_an_error(tmp_path: Path) -> None:
    tar = layer_tar({"/app/x": File("x", 0o755)})
    blob = compress(tar, "gzip") + b"trailing garbage"
    from preflight.image.build import sha256

    hostile_layout(tmp_path / "layout", [(sha256(tar), blob, "gzip")])
    with pytest.raises(ReaderError, match="corrupt or truncated data"):
        open_ref("oci:layout", tmp_path).single().stat(["/app/x"])


# -- counts that grow with what an archive holds are bounded too --------------------------------------------------

def test_an_archive_of_too_many_members_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stores_module, "MAX_ARCHIVE_MEMBERS", 50)
    with tarfile.open(tmp_path / "app.tar", "w") as tar:
        for i in range(51):
            tar.addfile(tarfile.TarInfo(f"junk/{i}"))
    with pytest.raises(ReaderError, match="app.tar: more than 50 members"):
        open_ref("docker-archive:app.tar", tmp_path)


def test_listing_a_directory_of_too_many_entries_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(layers_module, "MAX_DIRECTORY_ENTRIES", 100)
    monkeypatch.setattr(layers_module, "FULL_INDEX_LAYER_LIMIT", 10)
    parts: list[bytes | Zeros] = [*(member(f"d/f{i:04d}", b"") for i in range(150)), END]
    hostile_layer_layout(tmp_path / "layout", parts)
    view = open_ref("oci:layout", tmp_path).single()
    assert [i.exists for i in view.stat(["/d/f0001", "/d/f0149"])] == [True, True]
    with pytest.raises(ReaderError) as e:
        view.stat(["/d/missing"])  # a missing path names what its directory holds: a listing
    assert "oci:layout: layer 1/1" in one_line(e) and "/d holds more than 100 entries" in str(e.value)


# -- time: reading stops at the check's deadline ------------------------------------------------------------------

FOUR_GIB = 4 << 30


def zero_layer(tmp_path: Path, compression: str) -> Path:
    """A 4 GiB regular file of zeros, then /app/x: a few megabytes that take tens of seconds to read. The diff_id
    is made up (hashing 4 GiB here would cost seconds): a read that reached the end would fail on it, with
    another message than the deadline's."""
    from preflight.image.build import sha256
    from tests.image_fixtures import compress_parts

    parts: list[bytes | Zeros] = [header("big", tarfile.REGTYPE, FOUR_GIB), Zeros(FOUR_GIB),
                                  member("app/x", b"x"), END]
    return hostile_layout(tmp_path / "layout", [(sha256(b"made up"), compress_parts(parts, compression),  # type: ignore[arg-type]
                                                 compression)])


@pytest.mark.parametrize("compression", ["gzip", "zstd"])
def test_a_read_stops_at_the_deadline(tmp_path: Path, compression: str) -> None:
    zero_layer(tmp_path, compression)
    view = open_ref("oci:layout", tmp_path).single()
    start = time.monotonic()
    with deadline.until(start + 0.5), pytest.raises(deadline.DeadlinePassed) as e:
        view.stat(["/app/x"])
    assert one_line(e).startswith("oci:layout: layer 1/1 (sha256:")
    assert one_line(e).endswith(": reading stopped at the check's timeout")
    assert time.monotonic() - start < 20  # reading it whole takes far longer (and fails on the diff_id)


def test_a_check_past_its_timeout_stops_reading(tmp_path: Path) -> None:
    zero_layer(tmp_path, "gzip")
    config = write_config(tmp_path, '[targets.image]\nref = "oci:layout"\n\n[[check]]\nid = "files"\n'
                                    'uses = "image.files"\npaths = ["/app/x"]\ntimeout = "1s"\n')
    out = run_cli(["run", "-c", str(config), "--format", "json"])
    assert out.exit_code == 3
    (check,) = out.json["checks"]
    # The same words whether the engine noticed the timeout first or the reader did.
    assert check["status"] == "error" and check["summary"] == "timed out after 1s (timeout)"
    # The engine reports the timeout and abandons the check's thread; the reader, seeing the deadline, stops
    # too instead of decompressing gigabytes in the background.
    until = time.monotonic() + 10
    while time.monotonic() < until and any(t.name == "check:files" for t in threading.enumerate()):
        time.sleep(0.05)
    assert not any(t.name in ("check:files", "preflight-read-ahead_0") for t in threading.enumerate())


# -- two threads: the GIL is handed over quickly while a layer is read ahead -----------------------------------

def _blob(tar: bytes, compression: str) -> bytes:
    """``tar`` compressed as its tool writes it; gzip as two members and xz as two streams, as appending does."""
    half = len(tar) // 2
    if compression == "gzip":
        return gzip.compress(tar[:half], mtime=0) + gzip.compress(tar[half:], mtime=0)
    if compression == "xz":
        return lzma.compress(tar[:half], preset=0) + lzma.compress(tar[half:], preset=0)
    if compression == "bzip2":
        return bz2.compress(tar, 1)
    if compression == "zstd":
        return zstandard.ZstdCompressor(level=1).compress(tar)
    return tar


@pytest.mark.parametrize("compression", ["none", "gzip", "zstd", "bzip2", "xz"])
def test_a_layer_of_any_compression_is_read_across_the_reading_threads_and_its_diff_id_checked(
        tmp_path: Path, compression: str) -> None:
    # Incompressible megabytes: the blob spans several chunks of the thread that reads it, and of the one that
    # decompresses it, before the file the question is about.
    big = random.Random(7).randbytes(9 << 20)
    tar = member("app/big", big, 0o644) + member("app/x", b"#!/bin/sh\n") + END
    blob = _blob(tar, compression)
    assert len(blob) > 8 << 20
    # bzip2 and xz have no media type of their own: Docker loads them as a plain layer tar, by their magic.
    media_type = compression if compression in ("none", "gzip", "zstd") else "application/vnd.docker.image.rootfs.diff.tar"
    hostile_layout(tmp_path / "good", [(sha256(tar), blob, media_type)])
    big_info, x_info = open_ref("oci:good", tmp_path).single().stat(["/app/big", "/app/x"])
    assert (big_info.size, big_info.mode) == (9 << 20, 0o644)
    assert (x_info.size, x_info.mode) == (10, 0o755)
    # The same blob where the config names another tar stream: read to its end, and refused there.
    hostile_layout(tmp_path / "bad", [(sha256(tar + b"\0"), blob, media_type)])
    with pytest.raises(ReaderError) as e:
        open_ref("oci:bad", tmp_path).single().stat(["/app/x"])
    assert "(uncompressed): digest mismatch" in one_line(e)


class _Chunks:
    """A source whose reads report the switch interval they ran under, and fail when told to."""

    def __init__(self, fail_at: int | None = None):
        self.seen: list[float] = []
        self.fail_at = fail_at

    def read(self, n: int = -1) -> bytes:
        self.seen.append(sys.getswitchinterval())
        if len(self.seen) == self.fail_at:
            raise OSError("the disk went away")
        return b"x" if len(self.seen) < 4 else b""


def test_the_switch_interval_is_short_while_any_layer_is_read_ahead_and_restored_after_the_last() -> None:
    before = sys.getswitchinterval()
    assert before > HANDOFF_SECONDS  # Python's default, 5 ms
    first, second = _Chunks(), _Chunks()
    with ReadAhead(first) as a:
        with ReadAhead(second) as b:
            while b.read():
                pass
        # One reader still reads: the interval stays short for it.
        assert sys.getswitchinterval() == pytest.approx(HANDOFF_SECONDS)
        while a.read():
            pass
    assert first.seen and second.seen
    assert all(s == pytest.approx(HANDOFF_SECONDS) for s in first.seen + second.seen)
    assert sys.getswitchinterval() == before


def test_the_switch_interval_is_restored_when_a_read_fails_and_never_raised() -> None:
    before = sys.getswitchinterval()
    with pytest.raises(OSError, match="the disk went away"), ReadAhead(_Chunks(fail_at=2)) as ahead:
        while ahead.read():
            pass
    assert sys.getswitchinterval() == before
    sys.setswitchinterval(HANDOFF_SECONDS / 2)  # a process that asked for shorter slices keeps them
    try:
        source = _Chunks()
        with ReadAhead(source) as ahead:
            while ahead.read():
                pass
        assert all(s == pytest.approx(HANDOFF_SECONDS / 2) for s in source.seen)
        assert sys.getswitchinterval() == pytest.approx(HANDOFF_SECONDS / 2)
    finally:
        sys.setswitchinterval(before)


def test_a_target_that_could_not_be_opened_in_time_is_tried_again_by_the_next_check() -> None:
    from preflight.targets import _Lazy

    calls: list[int] = []

    def factory() -> str:
        calls.append(1)
        if len(calls) == 1:
            raise deadline.DeadlinePassed("app.tar.gz: reading stopped at the check's timeout")
        if len(calls) == 2:
            raise ReaderError("app.tar.gz: not a valid tar archive")
        return "opened"

    lazy = _Lazy(factory)
    with pytest.raises(deadline.DeadlinePassed):
        lazy.get()  # the first check's timeout: not the target's fault
    with pytest.raises(ReaderError, match="not a valid tar archive"):
        lazy.get()  # the target's own fault: remembered ...
    with pytest.raises(ReaderError, match="not a valid tar archive"):
        lazy.get()
    assert len(calls) == 2  # ... and not tried again
