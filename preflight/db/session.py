"""One check's database session: a borrowed read-only connection, held to the check's time budget, whose
database errors come out as one-line reader errors (the check ends as ``error``: fail closed)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import psycopg
from psycopg import errors

from preflight.db.target import describe_db_error
from preflight.errors import ReaderError
from preflight.typed import human_duration

if TYPE_CHECKING:
    from preflight.plugin import CheckContext


@contextmanager
def check_session(ctx: CheckContext) -> Iterator[psycopg.Cursor[Any]]:
    """A cursor on a read-only connection for the whole check (one transaction, rolled back at the end).

    When the check has less time left than the session's statement_timeout, the transaction's own timeout is
    lowered to what is left, so a slow query ends on the server rather than outliving the check."""
    db = ctx.database
    target = db.target
    left = ctx.remaining()
    try:
        with db.connection() as conn, conn.cursor() as cur:
            if left < target.statement_timeout:
                cur.execute("select set_config('statement_timeout', %s, true)", (f"{max(1, round(left * 1000))}ms",))
            yield cur
    except psycopg.Error as e:
        raise ReaderError(explain_error(e, statement_timeout=min(float(target.statement_timeout), left),
                                        lock_timeout=float(target.lock_timeout))) from None


def explain_error(e: psycopg.Error, *, statement_timeout: float, lock_timeout: float) -> str:
    """A database error as the one line a user needs: what happened, and what to do."""
    text = describe_db_error(e)
    if isinstance(e, errors.LockNotAvailable):
        return (f"gave up waiting for a lock after lock_timeout ({human_duration(lock_timeout)}): another session "
                f"holds a conflicting lock (DDL in progress?): {text}")
    if isinstance(e, errors.QueryCanceled):
        return f"query stopped by statement_timeout ({human_duration(statement_timeout)}): {text}"
    if isinstance(e, errors.ReadOnlySqlTransaction):
        return f"refused: the query attempted a write, and preflight only reads: {text}"
    if isinstance(e, errors.InsufficientPrivilege):
        return f"permission denied (grant the preflight role SELECT on what it reads): {text}"
    if isinstance(e, psycopg.OperationalError):
        return f"lost the database connection: {text}"
    sqlstate = getattr(e, "sqlstate", None)
    return f"database error{f' {sqlstate}' if sqlstate else ''}: {text}"
