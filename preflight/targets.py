"""Targets: what is about to ship and the database it will meet, declared once and shared by every check.

``[targets.database]``, ``[targets.image]`` and ``[targets.migrations]`` are declared here as typed tables.
:class:`Targets` opens each reader lazily, once per run, and hands the same reader to every check that asks
for it, so two checks on the same image or database never open or read it twice.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from preflight.deadline import DeadlinePassed
from preflight.errors import ReaderError, TargetMissing
from preflight.typed import Duration, doc

if TYPE_CHECKING:
    from preflight.database import Database
    from preflight.image import Image
    from preflight.migrations import MigrationPlan


class _RelativePaths:
    """Relative paths in a target resolve against the config file's directory (or, for a command-line
    override, the working directory); the loader sets ``base_dir``."""

    base_dir: Path = Path(".")

    def resolve(self, path: str) -> Path:
        p = Path(path).expanduser()
        return p if p.is_absolute() else (self.base_dir / p).absolute()


@dataclass
class DatabaseTarget:
    dsn: str = doc("A libpq connection string (URI or key=value). Empty: the PG* environment variables and "
                   "service files.", default="")
    statement_timeout: Duration = doc("statement_timeout of every session preflight opens.",
                                      default=Duration(10))
    lock_timeout: Duration = doc("lock_timeout of every session preflight opens.", default=Duration(2))
    connect_timeout: Duration = doc("How long to wait for the server to answer.", default=Duration(5))
    max_connections: int = doc("Most sessions preflight opens to the database at once; every check shares them.",
                               default=1)

    def __post_init__(self) -> None:
        if self.max_connections < 1:
            raise ValueError("max_connections: must be at least 1")


@dataclass
class ImageTarget(_RelativePaths):
    ref: str = doc('The image, named like skopeo\'s transports: "docker-archive:PATH", "oci:DIR[:TAG]", '
                   '"oci-archive:PATH[:TAG]", "dir:PATH", "docker://REGISTRY/REPO:TAG" or "@sha256:...", '
                   '"dockerfile:PATH".')
    platform: str | None = doc('Which image of a multi-platform index, e.g. "linux/amd64" or "linux/arm64/v8"; '
                               '"all" checks each.', default=None)
    insecure: bool = doc("Allow plain HTTP to a registry that is not on loopback.", default=False)


@dataclass
class MigrationsTarget(_RelativePaths):
    source: str = doc('A directory of migration files, or "image:/path" to read them from the image target.')
    tracking: Literal["golang-migrate", "goose", "dbmate", "flyway", "filename"] = doc(
        "The migration runner: decides file naming, run order and the tracking table.")
    schema: str | None = doc("Schema of the tracking table (default: the runner's, usually the search_path).",
                             default=None)
    table: str | None = doc("Name of the tracking table (default: the runner's).", default=None)
    columns: dict[str, str] = doc(
        "Overrides of the tracking table's column names by role, e.g. { version = \"id\" }. Roles: golang-migrate "
        "version, dirty; goose id, version_id, is_applied; dbmate and filename version; flyway installed_rank, "
        "version, description, type, script, checksum, success.", default_factory=dict)
    transaction: Literal["file", "none", "implicit"] | None = doc(
        'How the runner executes a file: "file" (inside a transaction it opens), "implicit" (one multi-statement '
        'query) or "none". Default: the runner\'s own behaviour.', default=None)

    def __post_init__(self) -> None:
        from preflight.migrations.runners import check_columns

        check_columns(self.tracking, self.columns)


@dataclass
class TargetsConfig:
    database: DatabaseTarget | None = None
    image: ImageTarget | None = None
    migrations: MigrationsTarget | None = None


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
        from preflight.database import Database

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
        for lazy in (self._database, self._image, self._migrations):
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
            out["database"] = {"dsn": redact_dsn(self.config.database.dsn)}
        if self.config.image is not None:
            img: dict[str, Any] = {"ref": self.config.image.ref}
            if self.config.image.platform:
                img["platform"] = self.config.image.platform
            out["image"] = img
        if self.config.migrations is not None:
            out["migrations"] = {"source": self.config.migrations.source,
                                 "tracking": self.config.migrations.tracking}
        return out


__all__ = ["DatabaseTarget", "ImageTarget", "MigrationsTarget", "ReaderError", "Targets", "TargetsConfig"]
