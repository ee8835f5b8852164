"""Linting many files on several CPUs: forked workers, each on a run of consecutive files.

Parsing and walking the JSON tree is CPU work under the GIL, so threads would not help. ``fork`` is cheap here
(the parent has imported the parser already, and the child shares it), and it is only used by single-threaded
callers (see :func:`preflight.lint.default_jobs`). The parent works on the first run itself.

- :func:`fork_map`: each worker sends its result back with ``marshal`` (``migrations.lint``, ``preflight
  lint``: the analyses).
- :func:`fork_emit`: each worker writes its own output when its turn comes, in run order (``python -m
  preflight.lint``: megabytes of JSON that would otherwise cross a pipe and be copied twice more).

A worker that fails before it delivers is not trusted: the parent does its run itself.
"""

from __future__ import annotations

import marshal
import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

def shares(costs: Sequence[int], jobs: int) -> list[list[int]]:
    """Indices ``0..len(costs)-1`` cut into at most ``jobs`` runs of consecutive items of about equal cost.
    Equal shares finish first (measured with bench/lint_bench.py): what the parent does besides its share
    comes after every share is done."""
    costs = [c + 200 for c in costs]  # a file costs something whatever its size
    unit = sum(costs) / jobs
    out: list[list[int]] = [[]]
    bound, done = unit, 0.0
    for i, cost in enumerate(costs):
        if done + cost / 2 > bound and len(out) < jobs and out[-1]:
            out.append([])
            bound += unit
        out[-1].append(i)
        done += cost
    return out


def fork_map(runs: list[list[int]], work: Callable[[list[int]], Any]) -> list[Any]:
    """``[work(run) for run in runs]``, each run after the first in a forked worker. ``work``'s result must be
    marshal data (dicts, lists, strings, numbers...)."""
    workers: list[tuple[int, int]] = []
    for run in runs[1:]:
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker
            code = 1
            try:
                os.close(read_fd)
                _send(write_fd, work(run))
                code = 0
            finally:
                os._exit(code)
        os.close(write_fd)
        workers.append((pid, read_fd))
    results = [work(runs[0])] if runs else []
    for run, (pid, read_fd) in zip(runs[1:], workers, strict=True):
        message = _receive(read_fd)
        os.close(read_fd)
        os.waitpid(pid, 0)
        results.append(message[0] if message is not None else work(run))
    return results


class WorkerFailed(RuntimeError):
    """A worker died while writing its output: what was written is incomplete."""


def fork_emit(runs: list[list[int]], prepare: Callable[[list[int]], tuple[Any, Any]],
              proceed: Callable[[list[Any]], bool], emit: Callable[[Any, Any], Any],
              state: Any) -> tuple[list[Any], Any]:
    """Work that ends in writing output in run order, without sending the output through a pipe.

    ``prepare(run)`` returns ``(status, output)``: the status (marshal data) goes to the parent, the output stays
    in the process that prepared it. When every status is in, ``proceed(statuses)`` decides whether to write;
    if so, each run's output is written by ``emit(output, state) -> state`` (which flushes what it writes) in
    the process that holds it, in run order, ``state`` (marshal data) passed from one to the next. Returns the
    statuses and the last state. A worker that fails before it writes is not trusted: the parent prepares and
    writes its run itself; one that fails while writing raises :class:`WorkerFailed`."""
    workers: list[tuple[int, int, int]] = []
    for run in runs[1:]:
        up_r, up_w = os.pipe()  # worker -> parent: its status, then the state after its output
        down_r, down_w = os.pipe()  # parent -> worker: ("go", state) or ("stop", None)
        pid = os.fork()
        if pid == 0:  # the worker
            code = 1
            try:
                os.close(up_r)
                os.close(down_w)
                status, output = prepare(run)
                _send(up_w, status)
                order = _receive(down_r)
                if order is not None and order[0][0] == "go":
                    _send(up_w, emit(output, order[0][1]))
                code = 0
            finally:
                os._exit(code)
        os.close(up_w)
        os.close(down_r)
        workers.append((pid, up_r, down_w))
    status, output = prepare(runs[0])
    statuses: list[Any] = [status]
    held: list[tuple[Any] | None] = [(output,)]  # the outputs this process holds; None: the worker's
    for run, (_, up_r, _) in zip(runs[1:], workers, strict=True):
        message = _receive(up_r)
        if message is None:  # the worker failed: its run is done here
            status, output = prepare(run)
            statuses.append(status)
            held.append((output,))
        else:
            statuses.append(message[0])
            held.append(None)
    go = proceed(statuses)
    for i, mine in enumerate(held):
        worker = workers[i - 1] if i else None
        if mine is not None:
            if go:
                state = emit(mine[0], state)
        elif worker is not None:
            _send(worker[2], ("go", state) if go else ("stop", None))
            if go:
                message = _receive(worker[1])
                if message is None:  # it may have written part of its output: nothing can be trusted now
                    os.waitpid(worker[0], 0)
                    raise WorkerFailed("a worker process failed while writing its output")
                state = message[0]
        if worker is not None:
            os.close(worker[2])
            os.close(worker[1])
            os.waitpid(worker[0], 0)
    return statuses, state


def _send(fd: int, value: Any) -> None:
    data = marshal.dumps((value,))
    view = memoryview(len(data).to_bytes(4, "little") + data)
    while view:
        view = view[os.write(fd, view):]


def _receive(fd: int) -> tuple[Any] | None:
    """``(value,)`` for the next value :func:`_send` wrote, or None when the pipe ends first."""
    header = b""
    while len(header) < 4:
        piece = os.read(fd, 4 - len(header))
        if not piece:
            return None
        header += piece
    need, chunks, size = int.from_bytes(header, "little"), [], 0
    while size < need:
        piece = os.read(fd, min(need - size, 1 << 20))
        if not piece:
            return None
        chunks.append(piece)
        size += len(piece)
    try:
        value = marshal.loads(b"".join(chunks))
    except (EOFError, ValueError, TypeError):
        return None
    return value if isinstance(value, tuple) and len(value) == 1 else None
