"""Migration safety lint: PostgreSQL's parser, one module per rule, a content-hash cache.

- :func:`lint_files` lints SQL files with no database (``preflight lint FILE...``).
- :func:`analyze_sources` is the cached core that ``migrations.lint`` uses too.
- :mod:`preflight.lint.engine` walks one file; :mod:`preflight.lint.rules` holds the rules;
  :mod:`preflight.lint.report` applies rule selection, suppressions and static severities;
  :mod:`preflight.lint.live` refines severities against the live database and evaluates guards.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from preflight.model import Finding

TRANSACTION_MODES = ("file", "implicit", "none")


def _analyze_one(content: bytes, transaction: str, enabled: frozenset[str]) -> dict[str, Any]:
    from preflight.lint.engine import analyze

    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return {"hits": [], "spans": [], "suppressions": [], "guards": [], "statements": 0,
                "error": {"line": 1, "column": 1, "message": "the file is not valid UTF-8"}}
    return analyze(text.removeprefix("\ufeff"), transaction, enabled)


def analyze_sources(sources: Sequence[tuple[bytes, str]], *, use_cache: bool = True,
                    enabled: frozenset[str] | None = None) -> list[dict[str, Any]]:
    """The analysis of each ``(content, transaction mode)`` with the ``enabled`` rules (default: the rules that
    are not opt-in), from the cache where it has one."""
    from preflight.lint import rules
    from preflight.lint.cache import Cache, key

    enabled = rules.default() if enabled is None else enabled
    cache = Cache() if use_cache else None
    analyses = []
    try:
        for content, mode in sources:
            k = key(content, mode, enabled) if cache is not None else ""
            analysis = cache.get(k) if cache is not None else None
            if analysis is None:
                analysis = _analyze_one(content, mode, enabled)
                if cache is not None:
                    cache.put(k, analysis)
            analyses.append(analysis)
    finally:
        if cache is not None:
            cache.flush()
            cache.close()
    return analyses


def migration_name(path: str) -> str:
    """A file's migration name as runners see it: the file name without ``.up.sql`` / ``.sql``."""
    name = os.path.basename(path)
    for suffix in (".up.sql", ".sql"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def lint_files(paths: Iterable[str], runner_transaction: str = "implicit", *, no_cache: bool = False,
               include: Iterable[str] = (), exclude: Iterable[str] = (),
               severity: dict[str, str] | None = None) -> list[Finding]:
    """Lint SQL files with no database: findings with static severities, in file order.

    ``runner_transaction`` is how the files will be run ("file": inside a transaction the runner opens;
    "implicit": as one multi-statement query; "none": outside any transaction). A file that cannot be read
    raises :class:`preflight.errors.ReaderError`; unknown rule ids raise ``ValueError``."""
    from preflight.lint.report import Selection, items, to_finding

    if runner_transaction not in TRANSACTION_MODES:
        raise ValueError(f"runner_transaction: expected one of {', '.join(TRANSACTION_MODES)}, "
                         f"got {runner_transaction!r}")
    selection = Selection(include, exclude, severity)
    paths = list(paths)
    analyses = analyze_sources([(_read(path), runner_transaction) for path in paths], use_cache=not no_cache,
                               enabled=frozenset(selection.enabled))
    findings: list[Finding] = []
    for path, analysis in zip(paths, analyses, strict=True):
        for item in items(analysis, selection):
            findings.append(to_finding(item, file=path, migration=migration_name(path)))
    return findings


def read_bytes(path: str) -> bytes:
    """A file's bytes. Raises ``OSError``."""
    with open(path, "rb") as f:
        return f.read()


def _read(path: str) -> bytes:
    try:
        return read_bytes(path)
    except OSError as e:
        from preflight.errors import ReaderError

        raise ReaderError(f"{path}: cannot read: {e.strerror or e}") from None


__all__ = ["analyze_sources", "lint_files", "migration_name"]
