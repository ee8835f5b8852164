"""Flyway's checksum, cross-checked against the JDK running Flyway's own algorithm.

Flyway's ``ChecksumCalculator`` reads a script with ``BufferedReader.readLine`` (UTF-8), strips a byte-order
mark from the first line, feeds each line's UTF-8 bytes to ``java.util.zip.CRC32`` and casts the value to
``int``. The Java program below is that method, run by the real JDK on the same files, so line splitting
(``\\n``, ``\\r``, ``\\r\\n``), decoding and the signed cast are Java's own, not a re-implementation's.
"""

from __future__ import annotations

import shutil
import subprocess
import zlib
from pathlib import Path

import pytest

from preflight.migrations.runners.flyway import flyway_checksum

JAVA = r"""
import java.io.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.zip.CRC32;

public class FlywayChecksum {
    // org.flywaydb.core.internal.resolver.ChecksumCalculator.calculateChecksumForResource, with
    // BomFilter.FilterBomFromString and StringUtils.trimLineBreak inlined.
    static int checksum(Path path) throws IOException {
        final CRC32 crc32 = new CRC32();
        try (BufferedReader bufferedReader = new BufferedReader(
                new InputStreamReader(Files.newInputStream(path), StandardCharsets.UTF_8), 4096)) {
            String line = bufferedReader.readLine();
            if (line != null) {
                if (!line.isEmpty() && line.charAt(0) == '\uFEFF') {
                    line = line.substring(1);
                }
                do {
                    StringBuilder buf = new StringBuilder(line);
                    while (buf.length() > 0 && (buf.charAt(buf.length() - 1) == '\n'
                            || buf.charAt(buf.length() - 1) == '\r')) {
                        buf.deleteCharAt(buf.length() - 1);
                    }
                    crc32.update(buf.toString().getBytes(StandardCharsets.UTF_8));
                } while ((line = bufferedReader.readLine()) != null);
            }
        }
        return (int) crc32.getValue();
    }

    public static void main(String[] args) throws IOException {
        for (String a : args) {
            System.out.println(checksum(Paths.get(a)));
        }
    }
}
"""

SAMPLES: dict[str, bytes] = {
    "lf.sql": b"create table t (\n  id int\n);\n",
    "crlf.sql": b"create table t (\r\n  id int\r\n);\r\n",
    "cr.sql": b"create table t (\r  id int\r);\r",
    "no_final_newline.sql": b"select 1;\nselect 2;",
    "blank_lines.sql": b"\n\nselect 1;\n\n\n",
    "bom.sql": b"\xef\xbb\xbfselect 1;\n",
    "bom_only.sql": b"\xef\xbb\xbf",
    "bom_twice.sql": b"\xef\xbb\xbf\xef\xbb\xbfselect 1;\n",
    "empty.sql": b"",
    "utf8.sql": "insert into t values ('größe', '日本', '😀');\n".encode(),
    "invalid_utf8.sql": b"select '\xff\xfe x \xc3';\n",
    "mixed_endings.sql": b"a\r\nb\nc\rd\n\re",
    "trailing_spaces.sql": b"select 1;   \n\t\n",
    "nul.sql": b"select 1;\x00\n",
}


@pytest.fixture(scope="module")
def java_checksums(tmp_path_factory: pytest.TempPathFactory) -> dict[str, int]:
    java = shutil.which("java")
    assert java, "the JDK is needed for this cross-check (.ci/apt-packages.txt: openjdk-17-jdk-headless)"
    d = tmp_path_factory.mktemp("flyway")
    (d / "FlywayChecksum.java").write_text(JAVA)
    for name, data in SAMPLES.items():
        (d / name).write_bytes(data)
    out = subprocess.run([java, str(d / "FlywayChecksum.java"), *(str(d / n) for n in SAMPLES)],
                         capture_output=True, text=True, timeout=120, check=True)
    values = [int(v) for v in out.stdout.split()]
    return dict(zip(SAMPLES, values, strict=True))


@pytest.mark.parametrize("name", list(SAMPLES))
def test_checksum_matches_the_jdk(name: str, java_checksums: dict[str, int]) -> None:
    assert flyway_checksum(SAMPLES[name]) == java_checksums[name]


def test_known_values() -> None:
    # An empty script has the CRC32 of nothing; line endings never count; the value is a signed int.
    assert flyway_checksum(b"") == 0
    assert flyway_checksum(b"select 1;\n") == flyway_checksum(b"select 1;\r\n") == zlib.crc32(b"select 1;") - 2**32
    assert flyway_checksum(b"123456789") == 0xCBF43926 - 2**32  # the CRC-32 check value, as a Java int
    assert -(2**31) <= flyway_checksum(Path(__file__).read_bytes()) < 2**31
