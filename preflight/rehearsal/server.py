"""The rehearsal server and the throwaway database preflight creates on it.

By default an embedded PostgreSQL is started for the run (:class:`preflight.db.embedded.ThrowawayPostgres`);
``[targets.rehearsal] dsn`` names a server the user provides instead. Either way preflight creates its own
database (``preflight_rehearsal_<random>``) and, for the roles the live schema names, placeholder roles
(``NOLOGIN``, no attributes, no memberships) that do not exist there yet. :meth:`RehearsalServer.close` drops the
database (``WITH (FORCE)``: a statement still running in it is ended) and the roles it created, and stops the
embedded server. It runs on a normal exit, on an error, on Ctrl-C, and at interpreter exit for a rehearsal whose
check thread was abandoned at its timeout.
"""

from __future__ import annotations

import atexit
import contextlib
import threading
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from preflight.errors import ReaderError
from preflight.secrets import dsn_password, redact_dsn, register_secret, scrub

if TYPE_CHECKING:
    import psycopg

    from preflight.db.embedded import ThrowawayPostgres
    from preflight.rehearsal.target import RehearsalTarget

APPLICATION_NAME = "preflight-rehearsal"
DATABASE_PREFIX = "preflight_rehearsal_"

_open: set[RehearsalServer] = set()
_open_lock = threading.Lock()
_exiting = False
"""Set at interpreter exit: a rehearsal abandoned before it reached :meth:`RehearsalServer.start` (still reading
the live schema) must not start one while the interpreter finishes, after the servers were closed."""


def _close_all_at_exit() -> None:
    global _exiting
    with _open_lock:
        _exiting = True
        servers = list(_open)
    for server in servers:
        server.close()


atexit.register(_close_all_at_exit)


def with_dbname(dsn: str, dbname: str, **extra: Any) -> str:
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    params = conninfo_to_dict(dsn)
    params["dbname"] = dbname
    params.update(extra)
    return make_conninfo("", **params)


@dataclass
class DatabaseShape:
    """How the live database is made, so that the copy compares and sorts text the same way."""

    encoding: str = "UTF8"
    collate: str | None = None
    ctype: str | None = None
    icu_locale: str | None = None
    """Set when the live database uses the ICU provider."""


@dataclass(eq=False)
class RehearsalServer:
    """``with RehearsalServer(target) as server: server.create_database(...)``."""

    target: RehearsalTarget | None
    embedded: ThrowawayPostgres | None = None
    admin_dsn: str = ""
    version: str = ""
    version_num: int = 0
    database: str | None = None
    created_roles: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What could not be made like the live database (collation, roles), for the report."""
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _closing: threading.Lock = field(default_factory=threading.Lock)
    _closed: bool = False
    """Set by :meth:`close`: from then on nothing is created (a check thread still running after Ctrl-C)."""

    @property
    def kind(self) -> str:
        return "embedded" if self.target is None or not self.target.dsn else "dsn"

    @property
    def display(self) -> str:
        if self.kind == "embedded":
            return "an embedded PostgreSQL started for this run"
        return redact_dsn(self.admin_dsn)

    @property
    def major(self) -> int:
        return self.version_num // 10000

    def start(self, shape: DatabaseShape | None = None) -> RehearsalServer:
        """Start the embedded server (its cluster shaped like ``shape``), or reach the user's."""
        with _open_lock:
            if _exiting:
                self._closed = True
            else:
                _open.add(self)
        self._refuse_if_closed()
        if self.kind == "embedded":
            self.embedded = self._start_embedded(shape or DatabaseShape())
            self.admin_dsn = self.embedded.dsn("postgres")
        else:
            assert self.target is not None
            self.admin_dsn = self.target.dsn
            register_secret(dsn_password(self.admin_dsn))
        with self.admin() as conn:
            row = conn.execute("select current_setting('server_version'), "
                               "current_setting('server_version_num')::int").fetchone()
            assert row is not None
            self.version, self.version_num = str(row[0]).split()[0], int(row[1])
        return self

    def _start_embedded(self, shape: DatabaseShape) -> ThrowawayPostgres:
        from preflight.db.embedded import ThrowawayPostgres
        from preflight.errors import PreflightError

        wanted = shape.icu_locale or (shape.collate if shape.collate == shape.ctype else None)
        attempts = [ThrowawayPostgres(encoding=shape.encoding, locale=None if shape.icu_locale else wanted,
                                      icu_locale=shape.icu_locale)]
        if wanted:
            attempts.append(ThrowawayPostgres(encoding=shape.encoding))
        for i, pg in enumerate(attempts):
            with self._lock:
                self._refuse_if_closed()
                # Known before it starts, so that close() (which waits for a start under way) stops it.
                self.embedded = pg
            try:
                pg.start()
            except PreflightError as e:
                pg.stop()
                if i + 1 < len(attempts):
                    continue
                raise ReaderError(f"cannot start the rehearsal server: {e.message}") from None
            if i > 0:
                self.notes.append(f"the embedded server cannot use the live database's locale {wanted!r}: the "
                                  "copy sorts and compares text with the server's default collation")
            return pg
        raise AssertionError("unreachable")

    def admin(self, dbname: str | None = None) -> psycopg.Connection[Any]:
        """An autocommit connection to the rehearsal server (its own database with ``dbname``)."""
        import psycopg

        dsn = self.admin_dsn if dbname is None else with_dbname(self.admin_dsn, dbname)
        timeout = 10.0 if self.target is None else float(self.target.connect_timeout)
        try:
            conn = psycopg.connect(dsn, autocommit=True, connect_timeout=max(1, round(timeout)),
                                   application_name=APPLICATION_NAME)
        except psycopg.Error as e:
            raise ReaderError(f"cannot connect to the rehearsal server {self.display}: "
                              f"{scrub(' '.join(str(e).split()))}") from None
        register_secret(conn.info.password)
        return conn

    def dsn(self) -> str:
        assert self.database is not None
        return with_dbname(self.admin_dsn, self.database)

    def create_database(self, shape: DatabaseShape) -> str:
        """Create the throwaway database, shaped like the live one where this server can; its name. The
        embedded cluster is shaped at initdb, and its own database serves (the cluster is removed whole)."""
        import psycopg
        from psycopg import sql

        if self.embedded is not None:
            self.database = "postgres"
            return self.database

        name = DATABASE_PREFIX + uuid.uuid4().hex[:12]
        base = sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING {}").format(
            sql.Identifier(name), sql.Literal(shape.encoding))
        attempts: list[tuple[sql.Composed, str | None]] = []
        if shape.icu_locale and self.version_num >= 150000:
            attempts.append((base + sql.SQL(" LOCALE_PROVIDER icu ICU_LOCALE {}").format(
                sql.Literal(shape.icu_locale)), None))
        elif shape.collate and shape.ctype:
            attempts.append((base + sql.SQL(" LC_COLLATE {} LC_CTYPE {}").format(
                sql.Literal(shape.collate), sql.Literal(shape.ctype)), None))
        wanted = shape.icu_locale or shape.collate
        attempts.append((base, f"the rehearsal server has no locale {wanted!r}: the copy sorts and compares text "
                               "with the server's default collation" if wanted else None))
        with self.admin() as conn:
            last: psycopg.Error | None = None
            for statement, note in attempts:
                try:
                    with self._lock:
                        self._refuse_if_closed()
                        conn.execute(statement)
                        self.database = name
                except psycopg.Error as e:
                    last = e
                    continue
                if note and len(attempts) > 1:
                    self.notes.append(note)
                return name
        raise ReaderError(f"cannot create the rehearsal database on {self.display}: "
                          f"{scrub(' '.join(str(last).split()))} (the role needs CREATEDB)")

    def create_roles(self, names: list[str]) -> list[str]:
        """Placeholders for the roles the live schema names that this server lacks; the names it could not
        create (no CREATEROLE)."""
        import psycopg
        from psycopg import sql

        if not names:
            return []
        failed: list[str] = []
        with self.admin() as conn:
            existing = {r[0] for r in conn.execute("select rolname from pg_roles where rolname = any(%s)",
                                                   (names,)).fetchall()}
            for name in sorted(set(names) - existing):
                with self._lock:
                    self._refuse_if_closed()
                    try:
                        conn.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(name)))
                    except psycopg.errors.DuplicateObject:
                        continue  # created meanwhile by someone else: theirs, not ours to drop
                    except psycopg.Error:
                        failed.append(name)
                        continue
                    self.created_roles.append(name)
        return failed

    def close(self) -> None:
        """Drop what this run created; stop the embedded server. Safe to call twice, from any thread.

        A close under way in another thread (a check abandoned at its timeout unwinds in its own thread while
        the run reports and exits) is waited for: the server stays registered until its close has finished, so
        the exit handler's close blocks here rather than let the interpreter end the drop halfway."""
        with self._closing:
            try:
                self._close()
            finally:
                with _open_lock:
                    _open.discard(self)

    def _close(self) -> None:
        with self._lock:
            self._closed = True
            database, self.database = self.database, None
            roles, self.created_roles = self.created_roles, []
            embedded, self.embedded = self.embedded, None
        if embedded is not None:
            # The whole cluster goes: nothing to drop one by one. stop() waits for a start under way.
            embedded.stop()
            return
        if not self.admin_dsn or (database is None and not roles):
            return
        with contextlib.suppress(Exception), self.admin() as conn:
            from psycopg import sql

            if database is not None:
                self._drop(conn, database)
            for role in roles:
                with contextlib.suppress(Exception):
                    conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))

    def _drop(self, conn: psycopg.Connection[Any], database: str) -> None:
        """Drop the rehearsal database. New connections are refused first: a rehearsal thread whose session was
        just ended (an abandoned check, at exit) may open another one, and DROP fails while anyone is in it."""
        import time

        import psycopg
        from psycopg import sql

        name = sql.Identifier(database)
        with contextlib.suppress(psycopg.Error):
            conn.execute(sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS false").format(name))
        for attempt in range(5):
            try:
                conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s "
                             "AND pid <> pg_backend_pid()", (database,))
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(name)
                             + (sql.SQL(" WITH (FORCE)") if self.version_num >= 130000 else sql.SQL("")))
                return
            except psycopg.Error:
                if attempt == 4:
                    raise
                time.sleep(0.2 * (attempt + 1))

    def _refuse_if_closed(self) -> None:
        if self._closed:
            raise ReaderError("the rehearsal was stopped (interrupted, or its check timed out)")

    def __enter__(self) -> RehearsalServer:
        try:
            return self.start()
        except BaseException:
            self.close()
            raise

    def __exit__(self, *exc: object) -> None:
        self.close()
