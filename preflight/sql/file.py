"""What a file must be before preflight reads it as SQL: text without a NUL byte.

PostgreSQL's parser (and the wire protocol's query message) reads a C string: a NUL byte ends the SQL there.
``select 1;\\0drop table important;`` would lint as ``select 1;`` and hide the drop, and the server would
refuse it at rollout anyway. So a migration or lint input holding a NUL byte is refused whole, with the file,
line and column named: never cut.
"""

from __future__ import annotations


def nul_problem(data: bytes) -> str | None:
    """Why ``data`` cannot be read as SQL (``contains a NUL byte at line L, column C``), or None when it can."""
    at = data.find(b"\0")
    if at < 0:
        return None
    line = data.count(b"\n", 0, at) + 1
    line_start = data.rfind(b"\n", 0, at) + 1
    column = len(data[line_start:at].decode("utf-8", errors="replace")) + 1
    return (f"contains a NUL byte at line {line}, column {column}: PostgreSQL's parser would stop there and "
            "hide the rest of the file, so preflight refuses it")


__all__ = ["nul_problem"]
