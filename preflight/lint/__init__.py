"""Migration safety lint: PostgreSQL's parser, one module per rule, a content-hash cache.

- :func:`lint_files` lints SQL files with no database (``preflight lint FILE...``).
- :func:`analyze_sources` is the cached, parallel core that ``migrations.lint`` uses too.
- :mod:`preflight.lint.engine` walks one file; :mod:`preflight.lint.rules` holds the rules;
  :mod:`preflight.lint.report` applies rule selection, suppressions and static severities;
  :mod:`preflight.lint.live` refines severities against the live database and evaluates guards.

Start-up matters (a lint run is a few tens of milliseconds), so this package imports little at module level.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence
    from typing import Any

    from preflight.lint.cache import Cache
    from preflight.model import Finding

TRANSACTION_MODES = ("file", "implicit", "none")
# The fields of a hit (a tuple) in an analysis: see preflight.lint.engine.
HIT_FIELDS = ("rule", "kind", "line", "column", "statement", "message", "alternative", "target", "if_exists",
              "context", "new", "severity", "extra")


def hit_dict(hit: tuple[Any, ...]) -> dict[str, Any]:
    """A hit (a tuple, see :mod:`preflight.lint.engine`) as a dict keyed by ``HIT_FIELDS``."""
    return dict(zip(HIT_FIELDS, hit, strict=True))


# Below this many files, a second process costs more than it saves.
PARALLEL_MIN_FILES = 40


def _decode(content: bytes) -> str | None:
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _unanalysable(message: str, line: int = 1, column: int = 1) -> dict[str, Any]:
    """The analysis of a file that could not be analysed at all: ``error`` says why (``unparsed``: not a
    syntax error PostgreSQL would report, but a file preflight could not read as SQL)."""
    return {"hits": [], "spans": [], "suppressions": [], "guards": [], "statements": 0,
            "error": {"line": line, "column": column, "message": message, "unparsed": True}}


def _analyze_one(content: bytes, transaction: str, enabled: frozenset[str] | None = None) -> dict[str, Any]:
    """One file's analysis; a file that cannot be analysed (not UTF-8, a NUL byte, nesting deeper than Python's
    stack allows) gets an analysis whose ``error`` says why, never an exception."""
    from preflight.lint.engine import analyze
    from preflight.sql_file import nul_problem

    text = _decode(content)
    if text is None:
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


def analyze_sources(sources: Sequence[tuple[bytes, str]], *, use_cache: bool = True, jobs: int | None = None,
                    enabled: frozenset[str] | None = None) -> list[dict[str, Any]]:
    """The analysis of each ``(content, transaction mode)`` with the ``enabled`` rules (default: the rules that
    are not opt-in), from the cache where it has one.

    ``jobs``: processes to use for the files not in the cache (default: :func:`preflight.parallel.default_jobs`)."""
    return list(iter_analyses(sources, use_cache=use_cache, jobs=jobs, enabled=enabled))


def iter_analyses(sources: Sequence[tuple[bytes, str]], *, use_cache: bool = True, jobs: int | None = None,
                  enabled: frozenset[str] | None = None) -> Iterator[dict[str, Any]]:
    """:func:`analyze_sources`, one analysis at a time, in order."""
    from preflight.lint.cache import Cache
    from preflight.parallel import default_jobs

    cache = Cache() if use_cache else None
    jobs, keys = plan(len(sources), default_jobs() if jobs is None else jobs, cache,
                      lambda: [cache_key(content, mode, enabled) for content, mode in sources])
    if jobs > 1:
        from preflight import parallel

        before_fork(enabled)
        parts = parallel.fork_map(
            parallel.runs(len(sources), jobs, [len(c) for c, _ in sources]),
            lambda run: _cached_analyses(((*sources[i], keys[i] if keys else None) for i in run), cache, enabled))
    else:
        parts = [_cached_analyses(((c, m, keys[i] if keys else None) for i, (c, m) in enumerate(sources)), cache,
                                  enabled)]
    for analyses in parts:
        yield from analyses


def before_fork(enabled: frozenset[str] | None) -> None:
    """Import the engine and the enabled rules once, before forking: the processes share them, where each
    would otherwise import them again (the rules alone: 2-4 ms of a 430-file lint)."""
    import preflight.lint.engine
    import preflight.lint.plpgsql  # noqa: F401
    from preflight.lint import rules

    rules.load(enabled)


def plan(count: int, jobs: int, cache: Cache | None,
         keys: Callable[[], list[bytes]]) -> tuple[int, list[bytes] | None]:
    """The processes to analyse ``count`` files with (``jobs`` at most, 1 when a second one does not pay), and
    the files' cache keys when deciding needed them: with a warm cache, a second process pays only for enough
    files that are not in it (``keys()`` computes their keys)."""
    if jobs < 2 or count < PARALLEL_MIN_FILES or not hasattr(os, "fork"):
        return 1, None
    if cache is None or not cache.entries():
        return jobs, None
    known = keys()
    return (jobs if sum(1 for k in known if not cache.has(k)) >= PARALLEL_MIN_FILES else 1), known


def cache_key(content: bytes, transaction: str, enabled: frozenset[str] | None) -> bytes:
    """The cache key of one file's analysis with the ``enabled`` rules (default: the default rules)."""
    from preflight.lint.cache import key
    from preflight.lint.rules import DEFAULT

    return key(content, transaction, rules_key(DEFAULT if enabled is None else enabled))


_rules_keys: dict[frozenset[str], bytes] = {}


def rules_key(rules: frozenset[str]) -> bytes:
    k = _rules_keys.get(rules)
    if k is None:
        k = _rules_keys[rules] = ",".join(sorted(rules)).encode()
    return k


def _cached_analyses(sources: Iterable[tuple[bytes, str, bytes | None]], cache: Cache | None,
                     enabled: frozenset[str] | None) -> list[dict[str, Any]]:
    return list(iter_cached_analyses(sources, cache, enabled))


def iter_cached_analyses(sources: Iterable[tuple[bytes, str, bytes | None]], cache: Cache | None,
                         enabled: frozenset[str] | None) -> Iterator[dict[str, Any]]:
    """The analyses of ``sources``, ``(content, transaction mode, cache key or None when not known yet)`` each,
    from ``cache`` where it has them; the new ones are added to it when the last one is consumed. Each process
    of a parallel run writes its own new entries (one append each, see :meth:`Cache.flush`), rather than
    sending them to the parent to write."""
    from preflight.lint.rules import DEFAULT

    rules = DEFAULT if enabled is None else enabled
    if cache is None:
        for content, mode, _ in sources:
            yield _analyze_one(content, mode, rules)
        return
    from preflight.lint.cache import key

    rk = rules_key(rules)
    for content, mode, k in sources:
        if k is None:
            k = key(content, mode, rk)
        analysis = cache.get(k)
        if analysis is None:
            analysis = _analyze_one(content, mode, rules)
            cache.put(k, analysis)
        yield analysis
    cache.flush()


def migration_name(path: str) -> str:
    """A file's migration name as runners see it: the file name without ``.up.sql`` / ``.sql``."""
    name = path[path.rfind("/") + 1:] if os.altsep is None and os.sep == "/" else os.path.basename(path)
    for suffix in (".up.sql", ".sql"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def lint_files(paths: Iterable[str], runner_transaction: str = "implicit", *, no_cache: bool = False,
               include: Iterable[str] = (), exclude: Iterable[str] = (),
               severity: dict[str, str] | None = None, jobs: int | None = None,
               on_unknown: str = "error") -> list[Finding]:
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
    paths = list(paths)
    contents = [(_read(p), runner_transaction) for p in paths]
    analyses = analyze_sources(contents, use_cache=not no_cache, jobs=jobs, enabled=frozenset(selection.enabled))
    findings: list[Finding] = []
    for path, analysis in zip(paths, analyses, strict=True):
        for item in items(analysis, selection):
            findings.append(to_finding(item, file=path, migration=migration_name(path)))
    return findings


def read_bytes(path: str) -> bytes:
    """A file's bytes, in four system calls (open, fstat, read, close): a lint reads hundreds of small files, and
    Python's buffered ``open`` makes five more calls for each (``isatty``, ``lseek``, a second ``fstat``, a
    second ``read``), about 5% of a cold lint of 430 files here. Raises ``OSError``."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        size = os.fstat(fd).st_size
        data = os.read(fd, size + 1)
        if len(data) == size:  # the whole file, and nothing after it
            return data
        chunks = [data]  # not a regular file of that size (a pipe, a file being written): read to the end
        while data:
            data = os.read(fd, 1 << 20)
            chunks.append(data)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _read(path: str) -> bytes:
    """The file's bytes; :class:`preflight.errors.ReaderError` naming it when it cannot be read, or holds a NUL
    byte (which would cut the SQL short where PostgreSQL's parser reads it)."""
    from preflight.errors import ReaderError
    from preflight.sql_file import nul_problem

    try:
        data = read_bytes(path)
    except OSError as e:
        raise ReaderError(f"{path}: cannot read: {e.strerror or e}") from None
    nul = nul_problem(data)
    if nul is not None:
        raise ReaderError(f"{path}: {nul}")
    return data


__all__ = ["analyze_sources", "iter_analyses", "lint_files", "migration_name"]
