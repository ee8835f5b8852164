"""Migration safety lint: PostgreSQL's parser, one module per rule, a content-hash cache.

- :func:`lint_files` lints SQL files with no database (``preflight lint FILE...``); what the files given before a
  file do settles its conditions (:mod:`preflight.lint.history`).
- :func:`analyze_sources` is the cached core that ``migrations.lint`` uses too.
- :mod:`preflight.lint.engine` walks one file; :mod:`preflight.lint.rules` holds the rules;
  :mod:`preflight.lint.report` applies rule selection, suppressions and static severities;
  :mod:`preflight.lint.live` refines severities against the live database and evaluates guards.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from preflight.model import Finding

TRANSACTION_MODES = ("file", "implicit", "none")


def _unanalysable(message: str, line: int = 1, column: int = 1) -> dict[str, Any]:
    """The analysis of a file that could not be analysed at all: ``error`` says why (``unparsed``: not a
    syntax error PostgreSQL would report, but a file preflight could not read as SQL)."""
    return {"hits": [], "spans": [], "suppressions": [], "guards": [], "statements": 0,
            "error": {"line": line, "column": column, "message": message, "unparsed": True}}


def _analyze_one(content: bytes, transaction: str, enabled: frozenset[str]) -> dict[str, Any]:
    """One file's analysis; a file that cannot be analysed (not UTF-8, a NUL byte, nesting deeper than Python's
    stack allows) gets an analysis whose ``error`` says why, never an exception."""
    from preflight.lint.engine import analyze
    from preflight.sql.file import nul_problem

    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return _unanalysable("the file is not valid UTF-8")
    nul = nul_problem(content)
    if nul is not None:  # the readers refuse such files; a caller with the bytes in hand gets this
        line = content.count(b"\n", 0, content.find(b"\0")) + 1
        return _unanalysable(f"the file {nul}", line)
    try:
        return analyze(text.removeprefix("\ufeff"), transaction, enabled)
    except RecursionError:
        # PostgreSQL's parser bounds its own depth; its tree for an expression nested a thousand levels deep
        # (a + b + ... , IF inside IF) is still deeper than Python's stack can walk.
        return _unanalysable(f"the SQL nests deeper than preflight can analyse (Python's limit of "
                             f"{sys.getrecursionlimit()} nested calls): split the statement, or the block")


def analyze_sources(sources: Sequence[tuple[bytes, str]], *, use_cache: bool = True,
                    enabled: frozenset[str] | None = None) -> list[dict[str, Any]]:
    """The analysis of each ``(content, transaction mode)`` with the ``enabled`` rules (default: the rules that
    are not opt-in), from the cache where it has one."""
    from preflight.lint import rules
    from preflight.lint.cache import Cache, key

    enabled = rules.default() if enabled is None else enabled
    cache = Cache() if use_cache else None
    try:
        keys = [key(content, mode, enabled) if cache is not None else "" for content, mode in sources]
        analyses = [cache.get(k) if cache is not None else None for k in keys]
        misses = [i for i, a in enumerate(analyses) if a is None]
        fresh = _analyze_many([sources[i] for i in misses], enabled)
        for i, (analysis, text) in zip(misses, fresh, strict=True):
            analyses[i] = analysis
            if cache is not None:
                cache.put(keys[i], analysis, text)
    finally:
        if cache is not None:
            cache.flush()
            cache.close()
    assert all(a is not None for a in analyses)
    return analyses  # type: ignore[return-value]


PARALLEL_FROM = 40
"""Files to analyse from which a second process pays for its start (fork, and the results sent back)."""


def _analyze_many(sources: Sequence[tuple[bytes, str]],
                  enabled: frozenset[str]) -> list[tuple[dict[str, Any], str | None]]:
    """The analyses of files not in the cache, each with its JSON text when it has one: in this process, or, for
    many files where a second CPU is free, in a pool of forked processes (one per CPU) that inherit the rules this
    process has imported. A worker sends its analysis as the JSON the cache keeps (:func:`_analyze_json`)."""
    from preflight.lint.cache import from_json

    workers = _workers(len(sources))
    if workers < 2:
        return [(_analyze_one(content, mode, enabled), None) for content, mode in sources]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from preflight.lint import engine, rules

    del engine  # imported, with the rules' dispatch table built, before the fork: once for every worker
    rules.dispatch(enabled)

    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        chunk = max(1, len(sources) // (workers * 8))
        # Decoded as they come, while the workers go on with the next files.
        return [(from_json(text), text) for text in pool.map(
            _analyze_json, [c for c, _ in sources], [m for _, m in sources], [enabled] * len(sources),
            chunksize=chunk)]


def _analyze_json(content: bytes, transaction: str, enabled: frozenset[str]) -> str:
    """:func:`_analyze_one` as JSON: the workers encode the analyses for the cache, side by side, and this process
    decodes each once (instead of receiving a pickle and encoding the JSON itself, one file after another)."""
    import json

    return json.dumps(_analyze_one(content, transaction, enabled))


def _workers(files: int) -> int:
    """Processes for ``files`` uncached files: one per CPU (at most 4) from :data:`PARALLEL_FROM` files, on Linux
    (where a forked child is safe and cheap) and from a process with one thread (forking a process whose other
    threads may hold locks, such as ``preflight run``'s checks, is not)."""
    import threading

    if files < PARALLEL_FROM or not sys.platform.startswith("linux") or threading.active_count() > 1:
        return 1
    return min(len(os.sched_getaffinity(0)), 4)


def migration_name(path: str) -> str:
    """A file's migration name as runners see it: the file name without ``.up.sql`` / ``.sql``."""
    name = os.path.basename(path)
    for suffix in (".up.sql", ".sql"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def lint_files(paths: Iterable[str], runner_transaction: str = "implicit", *, no_cache: bool = False,
               include: Iterable[str] = (), exclude: Iterable[str] = (),
               severity: dict[str, str] | None = None, on_unknown: str = "error") -> list[Finding]:
    """Lint SQL files with no database: findings with static severities, in file order.

    ``runner_transaction`` is how the files will be run ("file": inside a transaction the runner opens;
    "implicit": as one multi-statement query; "none": outside any transaction). A file that cannot be read
    raises :class:`preflight.errors.ReaderError`; unknown rule ids raise ``ValueError``. A file that does not parse
    is an "error" finding (could not decide), a "warning" with ``on_unknown="warn"``."""
    from preflight.lint.report import Selection, items, to_finding

    if runner_transaction not in TRANSACTION_MODES:
        raise ValueError(f"runner_transaction: expected one of {', '.join(TRANSACTION_MODES)}, "
                         f"got {runner_transaction!r}")
    selection = Selection(include, exclude, severity, on_unknown=on_unknown)
    from preflight.lint.history import settle

    paths = list(paths)
    contents = [_read(path) for path in paths]
    analyses = analyze_sources([(content, runner_transaction) for content in contents], use_cache=not no_cache,
                               enabled=selection.to_analyse(live=False))
    per_file = [items(analysis, selection) for analysis in analyses]
    # What the earlier files (and statements) do settles conditions: applied to this run's items, never to a
    # file's cached analysis, which depends on its own content only.
    settle(list(zip(paths, analyses, strict=True)), per_file, fixed=set(selection.severity))
    findings: list[Finding] = []
    for path, its in zip(paths, per_file, strict=True):
        for item in its:
            findings.append(to_finding(item, file=path, migration=migration_name(path)))
    return findings


def read_bytes(path: str) -> bytes:
    """A file's bytes. Raises ``OSError``."""
    with open(path, "rb") as f:
        return f.read()


def _read(path: str) -> bytes:
    """The file's bytes; :class:`preflight.errors.ReaderError` naming it when it cannot be read, or holds a NUL
    byte (which would cut the SQL short where PostgreSQL's parser reads it)."""
    from preflight.errors import ReaderError
    from preflight.sql.file import nul_problem

    try:
        data = read_bytes(path)
    except OSError as e:
        raise ReaderError(f"{path}: cannot read: {e.strerror or e}") from None
    nul = nul_problem(data)
    if nul is not None:
        raise ReaderError(f"{path}: {nul}")
    return data


__all__ = ["analyze_sources", "lint_files", "migration_name"]
