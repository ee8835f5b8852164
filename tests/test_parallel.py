"""Work in forked processes: runs shared as they go, output written in order, calls done aside, and workers
that fail."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest

from preflight import parallel


def test_fork_map_redoes_the_share_of_a_failed_worker() -> None:
    parent = os.getpid()

    def work(run: list[int]) -> list[int]:
        if os.getpid() != parent:
            os._exit(3)  # a worker that dies without a result
        return [i * 10 for i in run]

    runs = parallel.shares([100] * 9, 3)
    assert [i for run in runs for i in run] == list(range(9)) and len(runs) == 3
    assert parallel.fork_map(runs, work) == [[i * 10 for i in run] for run in runs]


@pytest.mark.parametrize("failing", [None, 1, 2])
def test_fork_emit_writes_in_run_order_from_each_process(tmp_path: Path, failing: int | None) -> None:
    """Each run's output is written by the process that prepared it, in run order, with the state passed along;
    a worker that dies before writing has its run redone by the parent."""
    out = tmp_path / "out"
    parent = os.getpid()
    runs = [[0, 1], [2, 3], [4]]

    def prepare(run: list[int]) -> tuple[Any, Any]:
        if failing is not None and os.getpid() != parent and run == runs[failing]:
            os._exit(3)
        return sum(run), [f"{i}" for i in run]

    def emit(output: list[str], count: int) -> int:
        with open(out, "a") as f:
            f.write(f"{os.getpid() == parent}:" + ",".join(output) + ";")
        return count + len(output)

    statuses, count = parallel.fork_emit(runs, prepare, lambda s: True, emit, 0)
    assert statuses == [1, 5, 4] and count == 5
    written = [piece.split(":") for piece in out.read_text().split(";")[:-1]]
    assert [numbers for _, numbers in written] == ["0,1", "2,3", "4"]
    assert [who == "True" for who, _ in written] == [True, failing == 1, failing == 2]
    out.unlink()
    statuses, count = parallel.fork_emit(runs, prepare, lambda s: False, emit, 0)  # nothing is written
    assert statuses == [1, 5, 4] and count == 0 and not out.exists()


def test_two_processes_share_the_items_as_they_go(tmp_path: Path) -> None:
    """The parent takes items from the front and the worker from the back until they meet: a slowed parent
    leaves most of them to the worker, each ends with a run of consecutive items, and the output is in order."""
    out = tmp_path / "out"
    parent = os.getpid()

    def prepare(run: parallel.Run) -> tuple[Any, Any]:
        taken = []
        for i in run:
            if os.getpid() == parent:
                time.sleep(0.01)
            taken.append(i)
        return taken, ",".join(map(str, sorted(taken)))

    def emit(output: str, count: int) -> int:
        with open(out, "a") as f:
            f.write(output + ";")
        return count + 1

    statuses, count = parallel.fork_emit(parallel.runs(60, 2), prepare, lambda s: True, emit, 0)
    mine, theirs = statuses
    assert mine == list(range(len(mine))) and theirs == list(range(59, len(mine) - 1, -1))
    assert len(theirs) > 40 and count == 2
    assert out.read_text().replace(";", ",").strip(",") == ",".join(map(str, range(60)))
    # fork_map gives each process's results in item order too.
    parts = parallel.fork_map(parallel.runs(60, 2), lambda run: [i * 10 for i in run])
    assert [x for part in parts for x in part] == [i * 10 for i in range(60)] and len(parts) == 2


def test_shared_items_in_groups_and_a_failed_worker_redone() -> None:
    # More items than claims: each claim takes a group, and the two ends still meet exactly.
    count = 2 * parallel.CLAIMS + 5
    shared = parallel.Shared(count)
    assert shared.group == 3 and shared.claims == 45  # at most CLAIMS reads of the pipe
    front = iter(shared.front)
    first = [next(front) for _ in range(9)]  # three claims
    back = list(shared.back)
    assert first + back[::-1] == list(range(count)) and list(front) == []
    assert shared.back.leftover() == list(range(9, count))
    shared.close()
    # A worker that dies after taking some items: the parent does them once it has done its own.
    parent = os.getpid()

    def prepare(run: parallel.Run) -> tuple[Any, Any]:
        taken = []
        for i in run:
            if os.getpid() != parent and len(taken) == 3:
                os._exit(3)
            if os.getpid() == parent:
                time.sleep(0.005)
            taken.append(i)
        return sorted(taken), None

    statuses, _ = parallel.fork_emit(parallel.runs(40, 2), prepare, lambda s: True, lambda out, st: st, 0)
    assert statuses[0] + statuses[1] == list(range(40)) and len(statuses[1]) >= 4


def test_fork_emit_fails_loudly_when_a_worker_dies_while_writing(tmp_path: Path) -> None:
    parent = os.getpid()

    def emit(output: str, state: int) -> int:
        if os.getpid() != parent:
            os._exit(3)
        return state + 1

    with pytest.raises(parallel.WorkerFailed, match="while writing its output"):
        parallel.fork_emit([[0], [1]], lambda run: (run, "x"), lambda s: True, emit, 0)


def test_aside_starts_at_once_then_answers_calls_until_closed(tmp_path: Path) -> None:
    finished = tmp_path / "finished"
    parent = os.getpid()
    calls = {"double": lambda x: 2 * x, "pid": os.getpid, "fails": lambda: 1 / 0, "odd": lambda: object()}
    aside = parallel.Aside(lambda: ("first", os.getpid()), calls, finish=lambda: finished.write_text("yes"))
    first = aside.first()
    assert first is not None and first[0][0] == "first" and first[0][1] != parent
    assert aside.call("double", 21) == (42,)
    assert aside.call("pid") == (first[0][1],)  # the same worker, still there
    assert aside.call("fails") is None and aside.call("odd") is None  # the caller does those itself
    assert aside.call("double", object()) is None  # arguments that cannot be sent
    assert aside.call("double", 2) == (4,)
    aside.close()
    assert finished.read_text() == "yes" and aside.call("double", 1) is None


def test_aside_whose_worker_dies_answers_none() -> None:
    aside = parallel.Aside(lambda: os._exit(3), {"double": lambda x: 2 * x})
    assert aside.first() is None and aside.call("double", 1) is None
    aside.close()


def test_aside_closed_with_kill_does_not_wait_for_its_work() -> None:
    aside = parallel.Aside(lambda: time.sleep(30), {})
    started = time.monotonic()
    aside.close(kill=True)
    assert time.monotonic() - started < 10 and aside.call("anything") is None
