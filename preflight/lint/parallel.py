"""Linting many files on several CPUs: forked workers, results back through a pipe.

Parsing and walking the JSON tree is CPU work under the GIL, so threads would not help. ``fork`` is cheap here
(the parent has imported the parser and the rules already, and the child shares them), and it is only used by
single-threaded callers (see :func:`preflight.lint.analyze_sources`). Each worker analyses a run of consecutive
files (balanced by size) and sends the analyses back with ``marshal``; the parent analyses the first run itself
and yields every analysis in file order. A worker that fails in any way is not trusted: the parent analyses its
share itself.
"""

from __future__ import annotations

import marshal
import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence
    from typing import Any


# The parent's share, relative to a worker's: the parent also reports its files while the workers analyse theirs,
# and then receives the workers' analyses.
PARENT_WEIGHT = 0.8


def _shares(sources: Sequence[tuple[bytes, str]], todo: list[int], jobs: int) -> list[list[int]]:
    """``todo`` cut into ``jobs`` runs of consecutive files of about equal cost (the first, the parent's,
    smaller): analyses come back in file order, so the caller can report the parent's files while the workers
    still work."""
    costs = [len(sources[i][0]) + 200 for i in todo]  # a file costs something whatever its size
    total = sum(costs)
    unit = total / (PARENT_WEIGHT + jobs - 1)
    shares: list[list[int]] = [[]]
    bound, done = unit * PARENT_WEIGHT, 0
    for i, cost in zip(todo, costs, strict=True):
        if done + cost / 2 > bound and len(shares) < jobs and shares[-1]:
            shares.append([])
            bound += unit
        shares[-1].append(i)
        done += cost
    return shares


def run(sources: Sequence[tuple[bytes, str]], todo: list[int], jobs: int,
        analyze: Callable[[bytes, str], dict[str, Any]]) -> Iterator[tuple[int, dict[str, Any]]]:
    shares = _shares(sources, todo, jobs)
    children: list[tuple[int, int, list[int]]] = []
    for share in shares[1:]:
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker
            status = 1
            try:
                os.close(read_fd)
                out = []
                for i in share:
                    content, mode = sources[i]
                    out.append(analyze(content, mode))
                data = marshal.dumps(out)
                view = memoryview(data)
                while view:
                    n = os.write(write_fd, view)
                    view = view[n:]
                status = 0
            finally:
                os._exit(status)
        os.close(write_fd)
        children.append((pid, read_fd, share))
    for i in shares[0]:
        content, mode = sources[i]
        yield i, analyze(content, mode)
    for pid, read_fd, share in children:
        chunks = []
        with os.fdopen(read_fd, "rb") as f:
            while True:
                chunk = f.read(1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
        _, status = os.waitpid(pid, 0)
        results = None
        if status == 0:
            try:
                results = marshal.loads(b"".join(chunks))
            except (EOFError, ValueError, TypeError):
                results = None
        if not isinstance(results, list) or len(results) != len(share):
            results = [analyze(*sources[i]) for i in share]
        yield from zip(share, results, strict=True)
