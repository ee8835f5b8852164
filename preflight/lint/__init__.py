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

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence
    from typing import Any

    from preflight.model import Finding

TRANSACTION_MODES = ("file", "implicit", "none")
# Below this many files to analyse, a second process costs more than it saves.
PARALLEL_MIN_FILES = 40


def _decode(content: bytes) -> str | None:
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _analyze_one(content: bytes, transaction: str, enabled: frozenset[str] | None = None) -> dict[str, Any]:
    from preflight.lint.engine import analyze

    text = _decode(content)
    if text is None:
        return {"hits": [], "spans": [], "suppressions": [], "guards": [], "statements": 0,
                "error": {"line": 1, "column": 1, "message": "the file is not valid UTF-8"}}
    return analyze(text.removeprefix("\ufeff"), transaction, enabled)


def analyze_sources(sources: Sequence[tuple[bytes, str]], *, use_cache: bool = True, jobs: int | None = None,
                    enabled: frozenset[str] | None = None) -> list[dict[str, Any]]:
    """The analysis of each ``(content, transaction mode)`` with the ``enabled`` rules (default: the rules that
    are not opt-in), from the cache where it has one.

    ``jobs``: processes to use for the files not in the cache (default: :func:`default_jobs`)."""
    return list(iter_analyses(sources, use_cache=use_cache, jobs=jobs, enabled=enabled))


def iter_analyses(sources: Sequence[tuple[bytes, str]], *, use_cache: bool = True, jobs: int | None = None,
                  enabled: frozenset[str] | None = None) -> Iterator[dict[str, Any]]:
    """:func:`analyze_sources`, each analysis yielded as soon as it and those of the files before it are ready
    (a caller can report the first files while workers analyse the others). Consume it to the end: the cache is
    written last."""
    from preflight.lint.cache import Cache, key
    from preflight.lint.rules import DEFAULT

    rules = DEFAULT if enabled is None else enabled
    cache = Cache() if use_cache else None
    results: list[dict[str, Any] | None] = [None] * len(sources)
    keys: list[bytes] = []
    todo: list[int] = []
    rules_key = ",".join(sorted(rules)).encode()
    for i, (content, mode) in enumerate(sources):
        k = key(content, mode, rules_key) if cache is not None else b""
        keys.append(k)
        hit = cache.get(k) if cache is not None else None
        if hit is not None:
            results[i] = hit
        else:
            todo.append(i)
    ready = 0  # results[:ready] are yielded
    if todo:
        for i, analysis in _analyze_many(sources, todo, jobs, rules):  # in file order, as it happens
            results[i] = analysis
            if cache is not None:
                cache.put(keys[i], analysis)
            while ready < len(results) and (ready_one := results[ready]) is not None:
                yield ready_one
                ready += 1
        if cache is not None:
            cache.flush()
    for analysis_ in results[ready:]:
        assert analysis_ is not None
        yield analysis_


def _analyze_many(sources: Sequence[tuple[bytes, str]], todo: list[int], jobs: int | None,
                  rules: frozenset[str]) -> Iterable[tuple[int, dict[str, Any]]]:
    if jobs is None:
        jobs = default_jobs()
    if jobs > 1 and len(todo) >= PARALLEL_MIN_FILES and hasattr(os, "fork"):
        import preflight.lint.engine  # noqa: F401 - imported once, before the fork: the workers share it
        from preflight.lint import parallel

        yield from parallel.run(sources, todo, jobs, lambda content, mode: _analyze_one(content, mode, rules))
        return
    for i in todo:
        content, mode = sources[i]
        yield i, _analyze_one(content, mode, rules)


def default_jobs() -> int:
    """Processes worth using: every CPU unless the machine is already saturated (then a second process is a
    loss), and only in a single-threaded caller (forking a threaded process is not safe). The one-minute load
    average lags: a machine that was busy a few seconds ago still shows load on CPUs that are idle now, so only
    a load of at least one per CPU counts as saturated."""
    import threading

    cpus = os.cpu_count() or 1
    if cpus < 2 or threading.active_count() != 1:
        return 1
    try:
        busy = os.getloadavg()[0]
    except OSError:
        busy = 0.0
    return 1 if busy >= cpus else cpus


def migration_name(path: str) -> str:
    """A file's migration name as runners see it: the file name without ``.up.sql`` / ``.sql``."""
    name = os.path.basename(path)
    for suffix in (".up.sql", ".sql"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def lint_files(paths: Iterable[str], runner_transaction: str = "implicit", *, no_cache: bool = False,
               include: Iterable[str] = (), exclude: Iterable[str] = (),
               severity: dict[str, str] | None = None, jobs: int | None = None) -> list[Finding]:
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
    contents = [(_read(p), runner_transaction) for p in paths]
    analyses = analyze_sources(contents, use_cache=not no_cache, jobs=jobs, enabled=frozenset(selection.enabled))
    findings: list[Finding] = []
    for path, analysis in zip(paths, analyses, strict=True):
        for item in items(analysis, selection):
            findings.append(to_finding(item, file=path, migration=migration_name(path)))
    return findings


def _read(path: str) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        from preflight.errors import ReaderError

        raise ReaderError(f"{path}: cannot read: {e.strerror or e}") from None


__all__ = ["analyze_sources", "iter_analyses", "lint_files", "migration_name"]
