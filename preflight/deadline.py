"""The running check's deadline, where the readers that stream can see it.

The engine runs each check in a thread of its own and abandons it at its timeout; without more, a check that
is decompressing a 4 GiB layer would go on doing so in the background, holding a core and the image's lock.
So the engine also sets the check's deadline (a :func:`time.monotonic` value) in a context variable for as long
as the check runs (:func:`until`), and readers of the outside world call :func:`check` between the chunks they
read: past the deadline the read stops with :class:`DeadlinePassed`, a one-line :class:`ReaderError` (the check
ends ``error``: fail closed). Code that runs outside a check (``preflight migrations``, the tests) has no
deadline unless it sets one.

A context variable, not a parameter, because the deadline belongs to the check that is running, while the
readers are shared by every check of the run (the image is opened once): each check's reads stop at its own
deadline. Threads do not inherit it; the readers read in the check's own thread.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from contextvars import ContextVar

from preflight.errors import ReaderError

_DEADLINE: ContextVar[float | None] = ContextVar("preflight_deadline", default=None)


class DeadlinePassed(ReaderError):
    """A read stopped because the check's timeout passed."""


@contextlib.contextmanager
def until(deadline: float | None) -> Iterator[None]:
    """Reads made inside the block stop once ``time.monotonic()`` reaches ``deadline`` (None: no deadline)."""
    token = _DEADLINE.set(deadline)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def remaining() -> float | None:
    """Seconds left before the deadline (0 when it has passed); None when there is none."""
    deadline = _DEADLINE.get()
    return None if deadline is None else max(0.0, deadline - time.monotonic())


def check(what: str) -> None:
    """Raise :class:`DeadlinePassed`, naming ``what`` was being read, once the deadline has passed."""
    deadline = _DEADLINE.get()
    if deadline is not None and time.monotonic() >= deadline:
        raise DeadlinePassed(f"{what}: reading stopped at the check's timeout")
