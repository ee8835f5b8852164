"""Liquibase's MD5SUM of a changeset of SQL changes, in the two formats Liquibase writes.

A changeset's checksum is MD5 over the checksums of its changes, each followed by ``:`` (``CheckSum.compute``:
line endings made ``\\n``, U+FFFD removed, Unicode NFC), written ``<version>:<hex>``. A SQL change's own
checksum (``AbstractSQLChange.generateCheckSum``):

- version 9 (Liquibase 4.22 and later): MD5 of the SQL's UTF-8 bytes with every space, tab, ``\\r`` and ``\\n``
  removed;
- version 8: MD5 of ``<endDelimiter>:<splitStatements>:<stripComments>:`` followed by the SQL with leading and
  trailing whitespace dropped and every run of whitespace made one space (``NormalizingStreamV8``).

Liquibase 4.22+ validates an ``8:`` row with the version 8 algorithm and then rewrites it as ``9:``; older
versions (7 and below) are not checked here.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

_WS = re.compile(rb"[ \t\r\n]+")


@dataclass(frozen=True)
class SqlChange:
    sql: str
    """The SQL as Liquibase holds it (trimmed; properties expanded)."""
    end_delimiter: str | None = None
    split_statements: bool | None = True
    strip_comments: bool | None = False


def _compute(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufffd", "")
    return hashlib.md5(unicodedata.normalize("NFC", text).encode("utf-8")).hexdigest()


def _bool(value: bool | None) -> str:
    return "null" if value is None else ("true" if value else "false")


def change_checksum(change: SqlChange, version: int) -> str:
    data = change.sql.encode("utf-8")
    if version >= 9:
        return f"9:{hashlib.md5(_WS.sub(b'', data)).hexdigest()}"
    delimiter = "null" if change.end_delimiter is None else change.end_delimiter
    header = f"{delimiter}:{_bool(change.split_statements)}:{_bool(change.strip_comments)}:"
    body = _WS.sub(b" ", data).strip(b" ")
    return f"8:{hashlib.md5(header.encode('utf-8') + body).hexdigest()}"


def changeset_checksum(changes: list[SqlChange], version: int = 9) -> str:
    inner = "".join(change_checksum(c, version) + ":" for c in changes)
    return f"{9 if version >= 9 else 8}:{_compute(inner)}"


def checksum_version(recorded: str) -> int | None:
    head, sep, _ = recorded.partition(":")
    return int(head) if sep and head.isdigit() else None
