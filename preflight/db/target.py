"""The database target: ``[targets.database]`` (:class:`DatabaseTarget`) and its reader, read-only sessions with
timeouts shared by every check of a run.

Every session preflight opens is read-only (``default_transaction_read_only``, and psycopg opens each
transaction ``READ ONLY``), with ``statement_timeout``, ``lock_timeout``, ``idle_in_transaction_session_timeout``,
``connect_timeout`` and ``application_name = 'preflight'``. Connections are pooled for the run: checks borrow one,
and a failure to connect is remembered so that every check on a down database reports the same cause at once.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from preflight.errors import ReaderError
from preflight.secrets import dsn_password, redact_dsn, register_secret, scrub
from preflight.typed import Duration, RelativePaths, doc

if TYPE_CHECKING:
    import psycopg


@dataclass
class FleetConfig:
    """``[targets.database.fleet]``: the databases one rollout meets, each a named member."""

    members: dict[str, str] = doc('Named DSNs, e.g. { eu-1 = "${EU1_URL}", us-1 = "${US1_URL}" }.',
                                  default_factory=dict)
    file: str | None = doc('A file of members: "NAME DSN" lines (# comments), a JSON object {"NAME": "DSN"} or '
                           'array of {"name", "dsn"}, or a TOML table NAME = "DSN". ${VAR} expands in DSNs.',
                           default=None)
    query: str | None = doc("One SELECT returning name and dsn columns, run read-only against control_dsn, e.g. "
                            "\"select name, dsn from tenants where active\".", default=None)
    control_dsn: str = doc("The database that query runs against (empty: the PG* environment variables).",
                           default="")
    max_unreachable: int | str = doc('Members that may be unreachable without blocking: a count, or a percentage '
                                     'of the members checked, e.g. "5%". They are reported, never dropped.',
                                     default=0)

    def __post_init__(self) -> None:
        given = [k for k, v in (("members", self.members), ("file", self.file), ("query", self.query)) if v]
        if len(given) != 1:
            raise ValueError("members: give exactly one of members, file or query"
                             + (f" (got {', '.join(given)})" if given else ""))
        from preflight.fleet.members import parse_allowance

        parse_allowance(self.max_unreachable)

    @property
    def source(self) -> str:
        """Where the member list comes from, as the report names it."""
        if self.file:
            return f"file {self.file}"
        if self.query:
            return "query"
        return "members"


@dataclass
class DatabaseTarget(RelativePaths):
    dsn: str = doc("A libpq connection string (URI or key=value). Empty: the PG* environment variables and "
                   "service files.", default="")
    statement_timeout: Duration = doc("statement_timeout of every session preflight opens.",
                                      default=Duration(10))
    lock_timeout: Duration = doc("lock_timeout of every session preflight opens.", default=Duration(2))
    connect_timeout: Duration = doc("How long to wait for the server to answer.", default=Duration(5))
    max_connections: int = doc("Most sessions preflight opens to the database at once; every check shares them.",
                               default=1)
    untrusted_role: str | None = doc(
        "An existing role that user-written SQL (db.sql queries, migration guards) runs as, by SET LOCAL ROLE: "
        "one with read privileges only. Default: pg_read_all_data (PostgreSQL 14 and later).", default=None)

    fleet: FleetConfig | None = doc("Many databases in one gate: { members | file | query, control_dsn, "
                                    "max_unreachable }. Each member gets its own sessions with the settings "
                                    "above (see \"Fleets\" in the README).", default=None)

    deferred_dsn_check: Callable[[], None] | None = field(default=None, init=False, repr=False, compare=False)
    """Set by the config loader when it leaves the DSN's syntax to whoever reads the database first."""

    def __post_init__(self) -> None:
        if self.max_connections < 1:
            raise ValueError("max_connections: must be at least 1")
        if self.fleet is not None and self.dsn:
            raise ValueError("dsn: a fleet names its members' DSNs; leave dsn out (or use --dsn to check "
                             "one database instead of the fleet)")

    def check_dsn_once(self) -> None:
        """Run the DSN check the loader deferred (a :class:`ConfigError`, as the loader would have raised)."""
        check, self.deferred_dsn_check = self.deferred_dsn_check, None
        if check is not None:
            check()

    def check_dsn(self) -> None:
        """ValueError (one line, password never shown) when the DSN is not a libpq connection string, or names
        a port or sslmode libpq would refuse when connecting: a config error, not a run that cannot decide."""
        if not self.dsn.strip():
            return
        from psycopg import ProgrammingError
        from psycopg.conninfo import conninfo_to_dict

        from preflight.secrets import dsn_password, redact_dsn

        try:
            params = conninfo_to_dict(self.dsn)
        except ProgrammingError as e:
            why = " ".join(str(e).split())
            password = dsn_password(self.dsn)
            for secret in (self.dsn, password):
                if secret and secret in why:
                    why = why.replace(secret, redact_dsn(self.dsn) if secret == self.dsn else "***")
            why = _USERINFO.sub(r"\1***@", why)
            raise ValueError(f"not a valid connection string: {why}") from None
        for port in str(params.get("port") or "").split(","):
            if port.strip() and not (port.strip().isdigit() and 0 < int(port) < 65536):
                raise ValueError(f"port {port.strip()!r} is not a port number (1-65535)")
        sslmode = params.get("sslmode")
        if sslmode is not None and sslmode not in _SSLMODES:
            raise ValueError(f"sslmode {sslmode!r} is not one of {', '.join(_SSLMODES)}")


_USERINFO = re.compile(r"(://[^:/@\s]*:)[^@\s]*@")
_SSLMODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")


APPLICATION_NAME = "preflight"


def _ms(seconds: float) -> str:
    return f"{max(1, round(seconds * 1000))}ms"


class Database:
    def __init__(self, target: DatabaseTarget, pool_size: int = 1):
        self.target = target
        self.dsn = target.dsn
        register_secret(dsn_password(self.dsn))
        self._pool_size = pool_size
        self._idle: list[psycopg.Connection[Any]] = []
        self._open = 0
        self._cond = threading.Condition()
        self._connect_error: ReaderError | None = None
        self._cache: dict[str, Any] = {}
        self._cache_lock = threading.Lock()
        self._held = threading.local()

    @property
    def display_dsn(self) -> str:
        return redact_dsn(self.dsn) or "(PG* environment)"

    def _connect(self) -> psycopg.Connection[Any]:
        import psycopg

        options = " ".join([
            "-c default_transaction_read_only=on",
            f"-c statement_timeout={_ms(self.target.statement_timeout)}",
            f"-c lock_timeout={_ms(self.target.lock_timeout)}",
            f"-c idle_in_transaction_session_timeout={_ms(max(60.0, self.target.statement_timeout * 2))}",
        ])
        try:
            conn = psycopg.connect(
                self.dsn,
                connect_timeout=max(1, round(self.target.connect_timeout)),
                application_name=APPLICATION_NAME,
                options=options,
                autocommit=False,
            )
        except psycopg.Error as e:
            raise ReaderError(f"cannot connect to the database {self.display_dsn}: {_one_line(e)}") from None
        password = conn.info.password
        register_secret(password)
        conn.read_only = True
        # A DSN's own `options` could have overridden ours: re-assert the session settings before any use.
        with conn.cursor() as cur:
            cur.execute("select set_config('default_transaction_read_only', 'on', false)")
            cur.execute("select set_config('statement_timeout', %s, false)", (_ms(self.target.statement_timeout),))
            cur.execute("select set_config('lock_timeout', %s, false)", (_ms(self.target.lock_timeout),))
        conn.commit()
        return conn

    @contextmanager
    def connection(self) -> Iterator[psycopg.Connection[Any]]:
        """Borrow a read-only connection. The transaction is rolled back when it is returned."""
        import psycopg

        held = getattr(self._held, "conn", None)
        if held is not None:
            # Re-entrant: a check that holds a session and asks again (say, for the pending list) gets the same
            # one. With one connection per run, a second borrow by the same thread would wait for itself.
            yield held
            return
        conn = self._checkout()
        self._held.conn = conn
        broken = False
        try:
            yield conn
        except psycopg.OperationalError:
            broken = True
            raise
        finally:
            self._held.conn = None
            self._checkin(conn, broken)

    def _checkout(self) -> psycopg.Connection[Any]:
        with self._cond:
            while True:
                if self._connect_error is not None:
                    raise self._connect_error
                if self._idle:
                    return self._idle.pop()
                if self._open < self._pool_size:
                    self._open += 1
                    break
                self._cond.wait()
        try:
            return self._connect()
        except ReaderError as e:
            with self._cond:
                self._open -= 1
                self._connect_error = e
                self._cond.notify_all()
            raise

    def _checkin(self, conn: psycopg.Connection[Any], broken: bool) -> None:
        if not broken and not conn.closed:
            try:
                conn.rollback()
            except Exception:  # noqa: BLE001 - a connection that cannot roll back is dropped
                broken = True
        with self._cond:
            if broken or conn.closed:
                self._open -= 1
                try:
                    conn.close()
                except Exception:  # noqa: BLE001
                    pass
            else:
                self._idle.append(conn)
            self._cond.notify()

    def query(self, sql: Any, params: Any = None) -> list[tuple[Any, ...]]:
        """Run one read-only query and return its rows."""
        with self.connection() as conn, conn.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall() if cur.description else []

    def run_untrusted(self, sql: str, max_rows: int = 20) -> tuple[list[str], list[tuple[Any, ...]], bool]:
        """Run one statement written by a user (a ``db.sql`` query, a migration's guard) so that it cannot write.

        It goes through the untrusted-SQL gate (:mod:`preflight.db.untrusted_sql`): what it calls is resolved and
        vetted first, and it runs confined, in a ``READ ONLY`` transaction that has already run a query (after
        which read-write mode can no longer be set), through the extended protocol (exactly one statement), and
        the transaction is rolled back. Raises ``Refused`` when the gate will not run it. Returns (column names,
        at most ``max_rows`` rows, truncated).
        """
        from preflight.db.untrusted_sql import untrusted
        from preflight.sql.calls import query_calls

        with self.connection() as conn, conn.cursor() as cur, untrusted(cur, self, query_calls(sql), "the query"):
            cur.execute(sql, binary=True)
            if cur.description is None:
                return [], [], False
            columns = [d.name for d in cur.description]
            rows = cur.fetchmany(max_rows + 1)
            return columns, rows[:max_rows], len(rows) > max_rows

    def cached(self, key: str, compute: Any) -> Any:
        """A value read once per run and shared by all checks (e.g. the server version). Computed outside the lock:
        ``compute`` may need a connection, which another check may hold while it asks for a cached value (two checks
        that ask at once may both compute it; the first value kept is every caller's)."""
        with self._cache_lock:
            if key in self._cache:
                return self._cache[key]
        value = compute()
        with self._cache_lock:
            return self._cache.setdefault(key, value)

    def server_version_num(self) -> int:
        return int(self.cached("server_version_num", lambda: self.query("show server_version_num")[0][0]))

    def close(self) -> None:
        with self._cond:
            for conn in self._idle:
                try:
                    conn.close()
                except Exception:  # noqa: BLE001
                    pass
            self._idle.clear()


def _one_line(e: BaseException) -> str:
    text = " ".join(str(e).split())
    return scrub(text) or type(e).__name__


def describe_db_error(e: BaseException) -> str:
    """A database exception as one scrubbed line."""
    return _one_line(e)
