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
                    enabled: frozenset[str] | None = None, processes: int = 1) -> list[dict[str, Any]]:
    """The analysis of each ``(content, transaction mode)`` with the ``enabled`` rules (default: the rules that
    are not opt-in), from the cache where it has one.

    ``processes``: with more than one, and at least :data:`PROCESSES_FROM` files not in the cache, those files are
    analysed in that many worker processes. They are forked, which is safe only in a single-threaded program
    (``preflight lint``); the checks of ``preflight run`` run in threads and leave it at 1."""
    from preflight.lint import rules
    from preflight.lint.cache import Cache, key

    enabled = rules.default() if enabled is None else enabled
    cache = Cache() if use_cache else None
    try:
        keys = [key(content, mode, enabled) for content, mode in sources] if cache is not None else []
        found: list[dict[str, Any] | None] = ([cache.get(k) for k in keys] if cache is not None
                                              else [None] * len(sources))
        todo = [i for i, analysis in enumerate(found) if analysis is None]
        made = _analyze_all([sources[i] for i in todo], enabled, processes)
        for i, analysis in zip(todo, made, strict=True):
            found[i] = analysis
            if cache is not None:
                cache.put(keys[i], analysis)
    finally:
        if cache is not None:
            cache.flush()
            cache.close()
    return [analysis for analysis in found if analysis is not None]


# Below this many files to analyse, starting worker processes costs more than a second CPU saves.
PROCESSES_FROM = 40


def _analyze_all(sources: list[tuple[bytes, str]], enabled: frozenset[str], processes: int) -> list[dict[str, Any]]:
    """The analyses of ``sources``, in order; in ``processes`` forked worker processes when there are enough."""
    if processes < 2 or len(sources) < PROCESSES_FROM:
        return [_analyze_one(content, mode, enabled) for content, mode in sources]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from itertools import repeat

    import preflight.lint.plpgsql  # noqa: F401 - with the engine: imported here once, for every worker
    from preflight.lint import rules

    rules.dispatch(enabled)
    contents, modes = zip(*sources, strict=True)
    with ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(_analyze_one, contents, modes, repeat(enabled),
                             chunksize=-(-len(sources) // (processes * 4))))


def migration_name(path: str) -> str:
    """A file's migration name as runners see it: the file name without ``.up.sql`` / ``.sql``."""
    name = os.path.basename(path)
    for suffix in (".up.sql", ".sql"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def lint_files(paths: Iterable[str], runner_transaction: str = "implicit", *, no_cache: bool = False,
               include: Iterable[str] = (), exclude: Iterable[str] = (),
               severity: dict[str, str] | None = None, processes: int = 1) -> list[Finding]:
    """Lint SQL files with no database: findings with static severities, in file order (``processes``: see
    :func:`analyze_sources`).

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
                               enabled=frozenset(selection.enabled), processes=processes)
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
