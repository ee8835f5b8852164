"""Work on several CPUs in forked processes.

Parsing migrations and walking their JSON trees is CPU work under the GIL, so threads would not help. ``fork``
is cheap (the worker shares what the parent has imported already), and it is only used by single-threaded
callers (see :func:`default_jobs`), where it is safe. The parent always does a share itself.

- :func:`fork_map`: each worker sends its result back with ``marshal`` (``migrations.lint``, ``preflight
  lint``: the analyses).
- :func:`fork_emit`: each worker writes its own output when its turn comes, in run order (``python -m
  preflight.lint``: megabytes of JSON that would otherwise cross a pipe and be copied twice more).
- :class:`Aside`: a worker that starts on one call at once and then answers more (``preflight migrations``: the
  tracking table read while the source is, then the database session's further queries, so that the parent
  never imports psycopg).

How items are divided (:func:`runs`): two processes share them as they go (:class:`Shared`), the parent taking
items from the front and the worker from the back until they meet, so that neither waits for the other at the
end; more than two take equal runs up front (:func:`shares`).

A worker that fails before it delivers is not trusted: the parent does its work itself.
"""

from __future__ import annotations

import marshal
import os
from functools import partial

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence
    from typing import Any, TypeAlias

    Run: TypeAlias = "list[int] | Claims"  # a process's share of the items

# How many groups a shared run cuts its items into. Each is one read from a pipe (several microseconds on a VM),
# and the two ends can finish at most a group apart: 64 groups of a 100 ms lint differ by 1.5 ms at most. A
# pipe holds at least one page (4096 bytes), so writing them before the fork never blocks.
CLAIMS = 64


def default_jobs() -> int:
    """Processes worth using: every CPU unless the machine is already saturated (then a second process is a
    loss), and only in a single-threaded caller (forking a threaded process is not safe) on a system that
    forks."""
    import threading

    if threading.active_count() != 1 or not hasattr(os, "fork"):
        return 1
    return idle_cpus()


def idle_cpus() -> int:
    """Every CPU, unless the machine is saturated (then 1). The one-minute load average lags: a machine that
    was busy a few seconds ago still shows load on CPUs that are idle now, so only a load of at least one per CPU
    counts as saturated."""
    cpus = os.cpu_count() or 1
    if cpus < 2:
        return 1
    try:
        busy = os.getloadavg()[0]
    except OSError:
        busy = 0.0
    return 1 if busy >= cpus else cpus


def runs(count: int, jobs: int, costs: Sequence[int] | None = None) -> Sequence[Run]:
    """How ``jobs`` processes divide items ``0..count-1``: the first run is the parent's. Two processes share the
    items as they go (:class:`Shared`); more take runs of about equal ``costs`` (default: equal counts) up
    front."""
    if jobs == 2:
        shared = Shared(count)
        return [shared.front, shared.back]
    return shares(costs if costs is not None else [1] * count, jobs)


class Shared:
    """Items ``0..count-1`` taken group by group by two processes as they go, one from the front
    (:attr:`front`, the parent) and one from the back (:attr:`back`, the worker), until they meet: each still
    ends with a run of consecutive items, and neither waits for the other at the end. With a fixed half each,
    one CPU stood idle for 10-35 ms of a 140 ms lint of 430 files on a shared machine, where either process can
    be slowed at any moment.

    The items are cut into at most ``claims`` groups (default :data:`CLAIMS`), and a pipe holds one byte per
    group: reading a byte (pipe reads are atomic) is the right to take the next group from one's own end, so
    the two ends meet exactly when the bytes run out."""

    def __init__(self, count: int, claims: int = CLAIMS):
        self.count = count
        self.group = max(1, -(-count // max(1, min(claims, 4096))))  # items per claim
        self.claims = -(-count // self.group)
        self.fd, write = os.pipe()
        try:
            write_all(write, b"." * self.claims)
        finally:
            os.close(write)  # once the bytes are gone, a read says so at once (end of file)
        self.front = Claims(self, True)
        self.back = Claims(self, False)

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


class Claims:
    """One end of a :class:`Shared` run: iterating it takes items from that end for as long as there are any."""

    def __init__(self, shared: Shared, front: bool):
        self.shared = shared
        self.front = front
        self.taken = 0  # claims taken by this end, in this process

    def __iter__(self) -> Iterator[int]:
        s = self.shared
        while os.read(s.fd, 1):
            k = self.taken if self.front else s.claims - 1 - self.taken
            self.taken += 1
            items = range(k * s.group, min((k + 1) * s.group, s.count))
            yield from (items if self.front else reversed(items))

    def leftover(self) -> list[int]:
        """The back end's items, as the front end (in this process) left them: for redoing a failed worker's
        share once the front is done."""
        s = self.shared
        return list(range(s.front.taken * s.group, s.count))


def _leftover(run: Run) -> list[int]:
    return run.leftover() if isinstance(run, Claims) else run


def _close(runs: Sequence[Run]) -> None:
    for run in runs:
        if isinstance(run, Claims):
            run.shared.close()


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


def fork_map(runs: Sequence[Run], work: Callable[[Run], list[Any]]) -> list[list[Any]]:
    """``[work(run) for run in runs]``, each run after the first in a forked worker. ``work`` returns one result
    per item of the run, in the order the run gives them, as marshal data (dicts, lists, strings, numbers...);
    each list comes back in item order."""
    workers: list[tuple[int, int]] = []
    for run in runs[1:]:
        pid, read_fd, down = _spawn(partial(_deliver, work, run))
        os.close(down)
        workers.append((pid, read_fd))
    try:
        results = [_in_order(runs[0], work(runs[0]))] if runs else []
    except BaseException:  # the workers' results are of no use now: reap them (a write to the closed pipe ends one)
        for pid, read_fd in workers:
            os.close(read_fd)
            os.waitpid(pid, 0)
        _close(runs)
        raise
    for run, (pid, read_fd) in zip(runs[1:], workers, strict=True):
        message = _receive(read_fd)
        os.close(read_fd)
        os.waitpid(pid, 0)
        results.append(message[0] if message is not None else work(_leftover(run)))
    _close(runs)
    return results


def _deliver(work: Callable[[Run], list[Any]], run: Run, up: int, _down: int) -> None:
    _send(up, _in_order(run, work(run)))


def _in_order(run: Run, results: list[Any]) -> list[Any]:
    """A run's results in item order (the back end of a shared run gives its items last first)."""
    return results[::-1] if isinstance(run, Claims) and not run.front else results


class Aside:
    """A forked worker that starts on ``first()`` at once, then answers calls to ``handlers`` by name, one at a
    time, until closed (then it calls ``finish()``). Each answer is ``(result,)``, or None when the call raised,
    its result is not marshal data, or the worker is gone: the caller then does the work itself, and meets any
    error there, as it would have without the worker."""

    def __init__(self, first: Callable[[], Any], handlers: dict[str, Callable[..., Any]],
                 finish: Callable[[], Any] = lambda: None):
        def serve(up: int, down: int) -> None:  # answers up, requests (name, args) down
            _reply(up, first, ())
            while (request := _receive(down)) is not None:
                name, args = request[0]
                _reply(up, handlers[name], args)
            finish()

        import threading  # not at the top: the lean lint command never needs it

        pid, self._up, self._down = _spawn(serve)
        self._pid: int | None = pid
        self._lock = threading.Lock()

    def first(self) -> tuple[Any] | None:
        """The answer of ``first()``: ask for it once, before any :meth:`call`."""
        with self._lock:
            return self._answer()

    def call(self, name: str, *args: Any) -> tuple[Any] | None:
        with self._lock:
            if self._pid is None:
                return None
            try:
                _send(self._down, (name, args))
            except (OSError, ValueError):  # the worker is gone, or the arguments are not marshal data
                return None
            return self._answer()

    def _answer(self) -> tuple[Any] | None:
        message = _receive(self._up)
        if message is None:
            self._end()
            return None
        return message[0]  # type: ignore[no-any-return]

    def close(self, kill: bool = False) -> None:
        """End the worker: it finishes once it has read the end of its requests; with ``kill``, at once."""
        with self._lock:
            self._end(kill)

    def _end(self, kill: bool = False) -> None:
        if self._pid is not None:
            os.close(self._down)
            os.close(self._up)
            if kill:
                import signal

                os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
            self._pid = None


def _reply(fd: int, call: Callable[..., Any], args: Any) -> None:
    """Send ``(call(*args),)``, or None when the call raises or its result is not marshal data (nothing is
    written then: :func:`_send` encodes before it writes)."""
    try:
        _send(fd, (call(*args),))
    except Exception:  # noqa: BLE001 - the parent does the work itself and meets the error there
        _send(fd, None)


class WorkerFailed(RuntimeError):
    """A worker died while writing its output: what was written is incomplete."""


def fork_emit(runs: Sequence[Run], prepare: Callable[[Run], tuple[Any, Any]],
              proceed: Callable[[list[Any]], bool], emit: Callable[[Any, Any], Any],
              state: Any) -> tuple[list[Any], Any]:
    """Work that ends in writing output in run order, without sending the output through a pipe.

    ``prepare(run)`` returns ``(status, output)``: the status (marshal data) goes to the parent, the output stays
    in the process that prepared it, in item order whatever order the run gives its items in. When every status
    is in, ``proceed(statuses)`` decides whether to write; if so, each run's output is written by
    ``emit(output, state) -> state`` (which flushes what it writes) in the process that holds it, in run order,
    ``state`` (marshal data) passed from one to the next. Returns the statuses and the last state. A worker
    that fails before it writes is not trusted: the parent prepares and writes its run itself; one that fails
    while writing raises :class:`WorkerFailed`."""
    workers: list[tuple[int, int, int]] = []

    def work(run: Run, up: int, down: int) -> None:  # up: its status, then the state after its output
        status, output = prepare(run)
        _send(up, status)
        order = _receive(down)  # ("go", state) or ("stop", None)
        if order is not None and order[0][0] == "go":
            _send(up, emit(output, order[0][1]))

    for run in runs[1:]:
        workers.append(_spawn(partial(work, run)))
    status, output = prepare(runs[0])
    statuses: list[Any] = [status]
    held: list[tuple[Any] | None] = [(output,)]  # the outputs this process holds; None: the worker's
    for run, (_, up_r, _) in zip(runs[1:], workers, strict=True):
        message = _receive(up_r)
        if message is None:  # the worker failed: its run is done here
            status, output = prepare(_leftover(run))
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
    _close(runs)
    return statuses, state


def _spawn(body: Callable[[int, int], None]) -> tuple[int, int, int]:
    """Fork a worker that runs ``body(up, down)``, writing to this process on ``up`` and reading from it on
    ``down``, then exits: 1 if the body raised, without a traceback, atexit handlers or this process's buffered
    output. Returns ``(pid, the read end of up, the write end of down)``."""
    up_r, up_w = os.pipe()
    down_r, down_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker
        code = 1
        try:
            os.close(up_r)
            os.close(down_w)
            body(up_w, down_r)
            code = 0
        finally:
            os._exit(code)
    os.close(up_w)
    os.close(down_r)
    return pid, up_r, down_w


def _send(fd: int, value: Any) -> None:
    data = marshal.dumps((value,))
    write_all(fd, len(data).to_bytes(4, "little") + data)


def write_all(fd: int, data: bytes) -> None:
    """Write all of ``data`` to ``fd``, however many writes that takes."""
    view = memoryview(data)
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
