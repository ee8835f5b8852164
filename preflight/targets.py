"""Targets: what is about to ship and the database it will meet, declared once and shared by every check.

``[targets.database]``, ``[targets.image]`` and ``[targets.migrations]`` are typed tables declared beside their
readers (:mod:`preflight.db.target`, :mod:`preflight.image.target`, :mod:`preflight.migrations.target`); the
readers import nothing from here but types. :class:`Targets` opens each reader lazily, once per run, and hands the same reader to every check that asks
for it, so two checks on the same image or database never open or read it twice.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from preflight.db.target import DatabaseTarget, FleetConfig
from preflight.deadline import DeadlinePassed
from preflight.errors import ReaderError, TargetMissing
from preflight.image.target import ImageTarget
from preflight.migrations.target import MigrationsTarget
from preflight.rehearsal.target import RehearsalTarget

if TYPE_CHECKING:
    from preflight.db.target import Database
    from preflight.image import Image
    from preflight.migrations import MigrationPlan


@dataclass
class TargetsConfig:
    database: DatabaseTarget | None = None
    image: ImageTarget | None = None
    migrations: MigrationsTarget | None = None
    rehearsal: RehearsalTarget | None = None


class _Lazy:
    """One reader, opened on first use under a lock; a failure to open is remembered and re-raised, so every
    check that needs a broken target reports the same one-line cause without retrying it."""

    def __init__(self, factory: Callable[[], Any]):
        self._factory = factory
        self._lock = threading.Lock()
        self._value: Any = None
        self._error: BaseException | None = None
        self._done = False

    def get(self) -> Any:
        with self._lock:
            if not self._done:
                try:
                    self._value = self._factory()
                except DeadlinePassed:
                    # The timeout of the check that was opening it, not a fault of the target: the next
                    # check tries again within its own time.
                    raise
                except BaseException as e:
                    self._error = e
                self._done = True
        if self._error is not None:
            raise self._error
        return self._value

    @property
    def opened(self) -> bool:
        return self._done and self._error is None


class Targets:
    """The shared readers of one run."""

    def __init__(self, config: TargetsConfig):
        self.config = config
        self._database = _Lazy(self._open_database)
        self._image = _Lazy(self._open_image)
        self._migrations = _Lazy(self._open_migrations)
        self._owned = [self._database, self._image, self._migrations]
        """The readers this object opened, and so closes (a fleet member's borrows the image and migrations)."""

    def for_member(self, dsn: str) -> Targets:
        """The targets as one fleet member meets them: its own database (own sessions, same settings), the image
        shared with the whole run, and the migrations read and parsed once for the whole run, whose plan (what is
        applied, what is pending) is this member's."""
        import dataclasses

        assert self.config.database is not None
        database = dataclasses.replace(self.config.database, dsn=dsn, fleet=None)
        member = Targets(dataclasses.replace(self.config, database=database))
        member._image = self._image
        member._migrations = _Lazy(lambda: self.migrations.for_database(member))
        member._owned = [member._database, member._migrations]
        return member

    # -- readers --------------------------------------------------------------------------------------------

    @property
    def database(self) -> Database:
        return self._database.get()  # type: ignore[no-any-return]

    @property
    def image(self) -> Image:
        return self._image.get()  # type: ignore[no-any-return]

    @property
    def migrations(self) -> MigrationPlan:
        """The migration plan: every migration in the source, what the database has applied, and the pending
        list in run order."""
        return self._migrations.get()  # type: ignore[no-any-return]

    def pending_migration_names(self) -> list[str]:
        """Names (file stems and versions) of the pending migrations, for ``when_pending``."""
        return self.migrations.pending_names()

    def _open_database(self) -> Database:
        if self.config.database is None:
            raise TargetMissing("no database target: add [targets.database] or pass --dsn")
        if self.config.database.fleet is not None:
            raise TargetMissing("[targets.database] is a fleet, not one database: checks that read the database run "
                                "once per member (a check type says it reads it with needs = (\"database\",)); "
                                "to read one database, pass --dsn")
        from preflight.db.target import Database

        return Database(self.config.database, pool_size=self.config.database.max_connections)

    def _open_image(self) -> Image:
        if self.config.image is None:
            raise TargetMissing("no image target: add [targets.image] or pass --image")
        from preflight.image import open_image

        return open_image(self.config.image)

    def _open_migrations(self) -> MigrationPlan:
        if self.config.migrations is None:
            raise TargetMissing("no migrations target: add [targets.migrations] or pass --migrations")
        from preflight.migrations import load_plan

        return load_plan(self.config.migrations, self)

    def close(self) -> None:
        for lazy in self._owned:
            if lazy.opened:
                closer = getattr(lazy.get(), "close", None)
                if closer is not None:
                    try:
                        closer()
                    except Exception:  # noqa: BLE001 - closing must not mask the run's result
                        pass

    def describe(self) -> dict[str, Any]:
        """The targets as the report shows them, passwords removed."""
        from preflight.secrets import redact_dsn

        out: dict[str, Any] = {}
        if self.config.database is not None:
            fleet = self.config.database.fleet
            if fleet is None:
                out["database"] = {"dsn": redact_dsn(self.config.database.dsn)}
            else:
                # The members and their DSNs are in the report's "fleet" section.
                out["database"] = {"dsn": redact_dsn(fleet.control_dsn) if fleet.query else "",
                                   "fleet": fleet.source}
        if self.config.image is not None:
            img: dict[str, Any] = {"ref": self.config.image.ref}
            if self.config.image.platform:
                img["platform"] = self.config.image.platform
            out["image"] = img
        if self.config.migrations is not None:
            out["migrations"] = {"source": self.config.migrations.source,
                                 "tracking": self.config.migrations.tracking}
        return out


__all__ = ["DatabaseTarget", "FleetConfig", "ImageTarget", "MigrationsTarget", "ReaderError", "RehearsalTarget",
           "Targets", "TargetsConfig"]
