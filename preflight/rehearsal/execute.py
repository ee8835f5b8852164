"""Running the pending migrations on the copy exactly as the runner would, observing every statement.

The order is the runner's (the migration plan's pending list), on one session, stopping at the first error.
The transaction boundaries come from each migration's transaction mode:

- ``"file"`` (goose, Flyway, dbmate by default; the filename runner when configured): ``BEGIN``, the
  statements one by one, ``COMMIT``; an error rolls the whole migration back.
- ``"implicit"`` (golang-migrate, the filename runner by default; dbmate's ``transaction:false``, whose up
  block is still one ``Exec``): the file is one multi-statement query, which PostgreSQL runs as one implicit
  transaction. It is rehearsed statement by statement inside ``BEGIN`` ... ``COMMIT``, which is what an implicit
  transaction is, so that each statement can be observed. What PostgreSQL does in an implicit block is kept:
  a ``COMMIT`` in the file commits and the statements after it start a new block; a ``BEGIN`` makes the block
  explicit; ``CREATE INDEX CONCURRENTLY`` and the like fail ("cannot run inside a transaction block") unless the
  file is that one statement alone, which then runs on its own. ``SAVEPOINT``, ``RELEASE``, ``ROLLBACK TO`` and
  ``PREPARE TRANSACTION`` behave differently in an implicit block (PostgreSQL refuses them there), so a file
  using them outside an explicit ``BEGIN`` is sent as one query exactly like the runner sends it, and observed as
  a whole: its outcome, error position and rewrites, but not the locks of each statement.
- ``"none"`` (goose ``NO TRANSACTION``, Flyway's non-transactional migrations, golang-migrate's
  ``x-multi-statement``): each statement commits on its own. To read its locks, a statement runs inside
  ``BEGIN`` ... ``COMMIT`` (the same thing for a single statement), unless it behaves differently in a
  transaction block: transaction control, ``LOCK``, ``SET LOCAL``, ``DECLARE``, ``DO`` and ``CALL`` (which may
  ``COMMIT``), and statements PostgreSQL refuses inside a block (``CREATE INDEX CONCURRENTLY``, ``VACUUM``...:
  tried in a block, refused with SQLSTATE 25001 before doing anything, then run on their own). Those run bare:
  their locks end with them and are reported as not observed.

The runner's own writes to its tracking table are not replayed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from preflight.errors import ReaderError
from preflight.rehearsal import observe

if TYPE_CHECKING:
    import psycopg

    from preflight.migrations import Migration
    from preflight.sql.schema_changes import Statement

ONE_QUERY_WITHOUT_TRANSACTION = frozenset({"dbmate"})
"""Runners that send a migration as one query even without a transaction: dbmate's ``transaction:false`` up
block is one ``Exec``, a multi-statement simple query, hence an implicit transaction."""

_FIRST_QUERY = {"TransactionStmt", "VariableSetStmt", "VariableShowStmt"}
"""Statements that may need to be the first of their transaction (``SET TRANSACTION``) and touch no relation:
nothing is read around them."""
_BLOCK_SENSITIVE = {"TransactionStmt", "LockStmt", "DeclareCursorStmt", "DoStmt", "CallStmt", "ConstraintsSetStmt"}
_DML = {"SelectStmt", "InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt", "DoStmt", "CallStmt", "CopyStmt",
        "ExplainStmt"}
_SAVEPOINTS = {"TRANS_STMT_SAVEPOINT", "TRANS_STMT_RELEASE", "TRANS_STMT_ROLLBACK_TO", "TRANS_STMT_PREPARE",
               "TRANS_STMT_COMMIT_PREPARED", "TRANS_STMT_ROLLBACK_PREPARED"}
_BEGINS = {"TRANS_STMT_BEGIN", "TRANS_STMT_START"}


@dataclass
class ErrorInfo:
    sqlstate: str
    message: str
    detail: str | None
    hint: str | None
    line: int
    column: int
    timeout: bool = False
    """Cut by the rehearsal session's statement_timeout: the copy could not tell."""


@dataclass
class StatementResult:
    index: int
    line: int
    column: int
    text: str
    kind: str
    outcome: str = "not-run"
    """"ok", "error" or "not-run"."""
    error: ErrorInfo | None = None
    locks: dict[int, str] = field(default_factory=dict)
    """Locks the statement took: relation oid -> strongest new mode."""
    held: dict[int, str] = field(default_factory=dict)
    """Every lock of the transaction when the statement ends: relation oid -> strongest mode."""
    rewritten: dict[int, str] = field(default_factory=dict)
    scanned: list[int] = field(default_factory=list)
    held_until: str | None = None
    """"transaction" (its locks last to the end of the transaction), "statement", or None (not observed)."""
    transaction: int | None = None
    """Number of the transaction it ran in (statements of one share their locks' end)."""
    note: str | None = None
    locks_observed: bool = True
    """False for a statement that ran outside a transaction block: its locks ended with it."""
    concurrently: bool = False
    """A CONCURRENTLY form (index, reindex, refresh): its lock, known without observing it, lets writes go on."""
    duration_ms: float = 0.0


@dataclass
class MigrationResult:
    migration: Migration
    mode: str
    """The effective transaction mode: "file", "implicit" or "none"."""
    how: str
    """How it was sent, for the report."""
    outcome: str = "not-run"
    """"applied", "failed", "not-run" or "not-rehearsed"."""
    statements: list[StatementResult] = field(default_factory=list)
    note: str | None = None
    duration_ms: float = 0.0


def effective_mode(runner: str, transaction: str) -> str:
    if transaction == "none" and runner in ONE_QUERY_WITHOUT_TRANSACTION:
        return "implicit"
    return transaction


HOW = {
    "file": "in one transaction (BEGIN ... COMMIT), statement by statement",
    "implicit": "as one multi-statement query: one implicit transaction",
    "none": "statement by statement, each committing on its own (no transaction)",
}


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


class Executor:
    """One rehearsal session running the pending list."""

    def __init__(self, conn: psycopg.Connection[Any], runner: str):
        self.conn = conn
        self.runner = runner
        self.transaction = 0
        self.observer = observe.Observer(conn)

    # -- the session --------------------------------------------------------------------------------------------

    def _status(self) -> str:
        from psycopg import pq

        status = self.conn.info.transaction_status
        if status == pq.TransactionStatus.IDLE:
            return "idle"
        if status == pq.TransactionStatus.INTRANS:
            return "in"
        if status == pq.TransactionStatus.INERROR:
            return "error"
        raise ReaderError("the rehearsal server closed the connection")

    def _send(self, text: str, *, ours: bool = False) -> tuple[Any, float]:
        """Run ``text`` as the runner sends it (a simple query, no parameters); (error or None, seconds). A
        transaction it opens gets the next number; one it ends (a COMMIT or ROLLBACK in the file) leaves the
        storage readings to be read again."""
        import psycopg

        was_idle = self._status() == "idle"
        start = time.perf_counter()
        error: psycopg.Error | None = None
        try:
            self.conn.execute(text.encode("utf-8"), prepare=False)
        except psycopg.OperationalError as e:
            if self.conn.closed or self.conn.broken:
                raise ReaderError(f"the rehearsal server closed the connection: {' '.join(str(e).split())}") from None
            error = e
        except psycopg.Error as e:
            error = e
        took = time.perf_counter() - start
        now_idle = self._status() == "idle"
        if was_idle and not now_idle:
            self.transaction += 1
            self.observer.transaction_started()
        elif not was_idle and now_idle and not ours:
            self.observer.transaction_ended(committed=False)
        return error, took

    def _begin(self) -> None:
        error, _ = self._send("BEGIN", ours=True)
        if error is not None:
            raise ReaderError(f"the rehearsal session cannot BEGIN: {error}")

    def _end(self, commit: bool) -> Any:
        status = self._status()
        if status == "idle":
            return None
        error, _ = self._send("COMMIT" if commit and status == "in" else "ROLLBACK", ours=True)
        self.observer.transaction_ended(committed=error is None and commit and status == "in")
        return error

    # -- one statement ------------------------------------------------------------------------------------------

    def _error(self, e: Any, st: Statement, m: Migration, whole: bool = False) -> ErrorInfo:
        diag = e.diag
        offset = st.start
        position = diag.statement_position
        if position and str(position).isdigit():
            offset = (0 if whole else st.start) + int(position) - 1
        line, column = _file_position(m, offset)
        return ErrorInfo(e.sqlstate or "", diag.message_primary or " ".join(str(e).split()), diag.message_detail,
                         diag.message_hint, line, column, timeout=e.sqlstate == "57014")

    def observed(self, st: Statement, m: Migration, res: StatementResult) -> bool:
        """Run ``st`` in the open transaction and read what it did; False on an error."""
        kind = st.kind
        ddl = kind not in _DML and kind not in _FIRST_QUERY
        if kind not in _FIRST_QUERY:
            # Nothing is read before a statement that must be its transaction's first (SET TRANSACTION).
            self.observer.catalog()
            if ddl:
                self.observer.before_ddl()
        error, took = self._send(st.text)
        res.duration_ms = _ms(took)
        res.transaction = self.transaction
        if error is not None:
            res.outcome, res.error = "error", self._error(error, st, m)
            return False
        res.outcome = "ok"
        if kind not in _FIRST_QUERY and self._status() == "in":
            seen = self.observer.after(truncate=kind == "TruncateStmt", scans=ddl)
            res.locks, res.held, res.rewritten, res.scanned = seen.locks, seen.held, seen.rewritten, seen.scanned
            res.held_until = "transaction"
        return True

    def bare(self, st: Statement, m: Migration, res: StatementResult, why: str) -> bool:
        """Run ``st`` outside any transaction block, as the runner does: its rewrites are read, its locks are
        gone by then."""
        self.observer.catalog()
        error, took = self._send(st.text)
        res.duration_ms = _ms(took)
        res.transaction = self.transaction if self._status() == "in" else None
        if error is not None:
            res.outcome, res.error = "error", self._error(error, st, m)
            self.observer.transaction_ended(committed=False)
            return False
        res.outcome = "ok"
        if st.kind in _FIRST_QUERY:
            return True
        res.rewritten = self.observer.after_bare(truncate=st.kind == "TruncateStmt").rewritten
        res.note, res.locks_observed = why, False
        res.concurrently = bool(st.node.get("concurrent")) or any(
            isinstance(p, dict) and p.get("DefElem", {}).get("defname") == "concurrently"
            for p in st.node.get("params") or [])
        return True

    def own_transaction(self, st: Statement, m: Migration, res: StatementResult) -> bool:
        """A statement that commits on its own: inside BEGIN ... COMMIT to read its locks, unless it behaves
        differently in a block."""
        if st.kind in _BLOCK_SENSITIVE:
            return self.bare(st, m, res, "ran outside a transaction block (it behaves differently inside one): "
                                         "its locks end with it and were not observed")
        self._begin()
        ok = self.observed(st, m, res)
        if not ok and res.error is not None and res.error.sqlstate == "25001":
            self._end(commit=False)
            res.error, res.outcome = None, "not-run"
            return self.bare(st, m, res, "runs only outside a transaction block: its locks end with it and were "
                                         "not observed")
        if not ok:
            self._end(commit=False)
            return False
        error = self._end(commit=True)
        if error is not None:
            res.outcome, res.error = "error", self._error(error, st, m)
            return False
        if res.held_until == "transaction":
            res.held_until = "statement"
        return True

    # -- one migration ------------------------------------------------------------------------------------------

    def run(self, m: Migration, statements: list[Statement], parse_error: str | None) -> MigrationResult:
        mode = effective_mode(self.runner, m.transaction)
        result = MigrationResult(m, mode, HOW[mode])
        if mode != m.transaction:
            result.how += f" ({self.runner} sends a transaction:false block as one Exec)"
        start = time.perf_counter()
        try:
            if parse_error is not None or (mode == "implicit" and _needs_whole_query(statements)):
                why = (f"the SQL does not parse with preflight's parser ({parse_error})" if parse_error else
                       "it uses SAVEPOINT/RELEASE/PREPARE TRANSACTION outside an explicit BEGIN, which PostgreSQL "
                       "treats differently in an implicit transaction")
                ok = self._whole(m, statements, result, why)
            elif mode == "file":
                ok = self._file(m, statements, result)
            elif mode == "implicit" and len(statements) > 1:
                ok = self._implicit(m, statements, result)
            else:
                ok = self._none(m, statements, result)
        finally:
            result.duration_ms = _ms(time.perf_counter() - start)
        result.outcome = "applied" if ok else "failed"
        return result

    def _results(self, m: Migration, statements: list[Statement]) -> list[StatementResult]:
        out = []
        for i, st in enumerate(statements):
            line, column = _file_position(m, st.start)
            out.append(StatementResult(i, line, column, st.text, st.kind))
        return out

    def _file(self, m: Migration, statements: list[Statement], result: MigrationResult) -> bool:
        result.statements = self._results(m, statements)
        self._begin()
        for st, res in zip(statements, result.statements, strict=True):
            ok = self.observed(st, m, res) if self._status() != "idle" else self.own_transaction(st, m, res)
            if not ok:
                self._end(commit=False)
                return False
        return self._commit(m, statements, result)

    def _implicit(self, m: Migration, statements: list[Statement], result: MigrationResult) -> bool:
        result.statements = self._results(m, statements)
        for st, res in zip(statements, result.statements, strict=True):
            if self._status() == "idle" and not _is(st, _BEGINS):
                self._begin()  # the implicit block, or a new one after the file's own COMMIT
            ok = self.observed(st, m, res)
            if not ok:
                self._end(commit=False)
                return False
        return self._commit(m, statements, result)

    def _none(self, m: Migration, statements: list[Statement], result: MigrationResult) -> bool:
        result.statements = self._results(m, statements)
        for st, res in zip(statements, result.statements, strict=True):
            ok = self.observed(st, m, res) if self._status() == "in" else self.own_transaction(st, m, res)
            if not ok:
                self._end(commit=False)
                return False
        return self._commit(m, statements, result)

    def _commit(self, m: Migration, statements: list[Statement], result: MigrationResult) -> bool:
        """End the migration's transaction, if one is still open: deferred constraints are checked here."""
        if self._status() == "idle":
            return True
        error = self._end(commit=True)
        if error is None:
            if result.mode != "file" and _leaves_open(statements):
                result.note = ("the file leaves a transaction open (BEGIN without COMMIT): the runner's next "
                               "statement on the session commits it; committed here")
            return True
        last = result.statements[-1] if result.statements else None
        line, column = (last.line, last.column) if last else (m.sql_line, 1)
        commit = StatementResult(len(result.statements), line, column, "COMMIT", "TransactionStmt", "error")
        commit.error = ErrorInfo(error.sqlstate or "", error.diag.message_primary or str(error),
                                 error.diag.message_detail, error.diag.message_hint, line, column)
        commit.note = "the end of the migration's transaction: deferred constraints are checked here"
        result.statements.append(commit)
        return False

    def _whole(self, m: Migration, statements: list[Statement], result: MigrationResult, why: str) -> bool:
        """The file as one query, exactly as sent: observed as a whole."""
        from preflight.sql.schema_changes import Statement as Stmt

        text = m.sql
        first = statements[0].start if statements else 0
        line, column = _file_position(m, first)
        res = StatementResult(0, line, column, text.strip(), "", note=f"sent as one query and observed as a whole: "
                                                                      f"{why}")
        result.statements = [res]
        whole = Stmt("", {}, 0, len(text), line, text)
        self.observer.catalog()
        error, took = self._send(text)
        res.duration_ms = _ms(took)
        if error is not None:
            res.outcome, res.error = "error", self._error(error, whole, m, whole=True)
            self._end(commit=False)
            return False
        res.outcome = "ok"
        if self._status() != "idle":
            error = self._end(commit=True)
            if error is not None:
                res.outcome, res.error = "error", self._error(error, whole, m, whole=True)
                return False
        res.rewritten = self.observer.after_bare(truncate=False).rewritten
        return True


def _is(st: Statement, kinds: set[str]) -> bool:
    return st.kind == "TransactionStmt" and st.node.get("kind") in kinds


def _leaves_open(statements: list[Statement]) -> bool:
    """Whether the file opens a transaction (BEGIN) that it does not end."""
    open_ = False
    for st in statements:
        if st.kind == "TransactionStmt":
            kind = st.node.get("kind")
            if kind in _BEGINS:
                open_ = True
            elif kind in ("TRANS_STMT_COMMIT", "TRANS_STMT_ROLLBACK", "TRANS_STMT_PREPARE"):
                open_ = False
    return open_


def _needs_whole_query(statements: list[Statement]) -> bool:
    """A savepoint (or two-phase) command while the implicit block has not been made explicit by a BEGIN."""
    explicit = False
    for st in statements:
        if st.kind != "TransactionStmt":
            continue
        kind = st.node.get("kind")
        if kind in _BEGINS:
            explicit = True
        elif kind in ("TRANS_STMT_COMMIT", "TRANS_STMT_ROLLBACK"):
            explicit = False
        elif kind in _SAVEPOINTS and not explicit:
            return len(statements) > 1
    return False


def _file_position(m: Migration, offset: int) -> tuple[int, int]:
    """The file's 1-based line and column of a character offset into ``m.sql``."""
    before = m.sql[:offset]
    line = m.sql_line + before.count("\n")
    column = offset - (before.rfind("\n") + 1) + 1
    return line, column
