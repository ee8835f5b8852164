"""Targets: what is about to ship and the database it will meet, declared once and shared by every check.

``[targets.database]``, ``[targets.image]`` and ``[targets.migrations]`` are declared here as typed tables.
:class:`Targets` opens each reader lazily, once per run, and hands the same reader to every check that asks
for it, so two checks on the same image or database never open or read it twice.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from preflight.deadline import DeadlinePassed
from preflight.errors import ReaderError, TargetMissing
from preflight.rehearsal.target import RehearsalTarget
from preflight.typed import Duration, doc

if TYPE_CHECKING:
    from preflight.db.target import Database
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
class DatabaseTarget(_RelativePaths):
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


@dataclass
class ImageTarget(_RelativePaths):
    ref: str = doc('The image, named like skopeo\'s transports: "docker-archive:PATH", "oci:DIR[:TAG]", '
                   '"oci-archive:PATH[:TAG]", "dir:PATH", "docker://REGISTRY/REPO:TAG" or "@sha256:...", '
                   '"dockerfile:PATH".')
    platform: str | None = doc('Which image of a multi-platform index, e.g. "linux/amd64" or "linux/arm64/v8"; '
                               '"all" checks each.', default=None)
    insecure: bool = doc("Allow plain HTTP to a registry that is not on loopback.", default=False)
    context: str | None = doc('dockerfile: only. The build context the recipe\'s COPY/ADD read from, like the '
                              'PATH of `docker build PATH` (default: the Dockerfile\'s directory).', default=None)
    build_args: dict[str, str] = doc('dockerfile: only. Build arguments, like `docker build --build-arg`, e.g. '
                                     '{ GO_VERSION = "1.22" }.', default_factory=dict)
    base_images: dict[str, str] = doc('dockerfile: only. Base images to read, by the name the recipe uses, e.g. '
                                      '{ "alpine:3.21" = "docker-archive:alpine.tar" }: what they hold is known; '
                                      'an unmapped base image is not read.', default_factory=dict)

    def __post_init__(self) -> None:
        for name, ref in self.base_images.items():
            if not isinstance(ref, str) or not ref.strip():
                raise ValueError(f"base_images: {name!r} maps to no image ref")
            if ref.strip().startswith("dockerfile:"):
                raise ValueError(f"base_images: {name!r}: a base image must be a built image, not a dockerfile: "
                                 "ref")

    def check_ref(self) -> None:
        """ValueError when the reference names no transport preflight reads, or lacks what its transport needs
        (the path, the registry), without opening anything."""
        from preflight.image.refs import TRANSPORTS

        ref = self.ref.strip()
        transport, sep, rest = ref.partition(":")
        forms = ('docker-archive:PATH, oci:DIR[:TAG], oci-archive:PATH[:TAG], dir:PATH, '
                 'docker://REGISTRY/REPO:TAG, dockerfile:PATH')
        if not ref:
            raise ValueError(f"empty; expected one of {forms}")
        if not sep or transport not in TRANSPORTS:
            shown = f"unknown transport {transport!r}" if sep and transport else "no transport"
            raise ValueError(f"{shown} in {ref!r}; expected one of {forms}")
        if transport == "docker":
            if not rest.startswith("//") or not rest[2:].strip("/"):
                raise ValueError(f"{ref!r}: expected docker://REGISTRY/REPO:TAG or docker://REGISTRY/REPO@sha256:...")
        elif not rest:
            raise ValueError(f"{ref!r}: no path after {transport}:")

    def check_platform(self) -> None:
        """ValueError when ``platform`` is neither "all" nor "os/architecture[/variant]"."""
        if self.platform is None or self.platform.strip() == "all":
            return
        from preflight.errors import ReaderError
        from preflight.image.oci import Platform

        try:
            Platform.parse(self.platform)
        except ReaderError as e:
            raise ValueError(e.message) from None


_USERINFO = re.compile(r"(://[^:/@\s]*:)[^@\s]*@")
_SSLMODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")


Tracking = Literal["golang-migrate", "goose", "dbmate", "flyway", "filename", "alembic", "django", "prisma",
                   "liquibase", "rails", "knex", "sqitch", "atlas"]


@dataclass
class MigrationsTarget(_RelativePaths):
    tracking: Tracking = doc(
        "The migration runner: decides file naming, run order and the tracking table.")
    source: str = doc('A directory of migration files, or "image:/path" to read them from the image target. '
                      "Required, except for flyway with a config_file naming filesystem: locations.", default="")
    schema: str | None = doc("Schema of the tracking table (default: the runner's, usually the search_path).",
                             default=None)
    table: str | None = doc("Name of the tracking table (default: the runner's).", default=None)
    columns: dict[str, str] = doc(
        "Overrides of the tracking table's column names by role, e.g. { version = \"id\" }. Roles: golang-migrate "
        "version, dirty; goose id, version_id, is_applied; dbmate, filename and rails version; flyway "
        "installed_rank, version, description, type, script, checksum, success; the others: see the README's "
        "section on the runner.", default_factory=dict)
    transaction: Literal["file", "none", "implicit"] | None = doc(
        'How the runner executes a file: "file" (inside a transaction it opens), "implicit" (one multi-statement '
        'query) or "none". Default: the runner\'s own behaviour.', default=None)
    sql_command: str | None = doc(
        "alembic, django, rails: a command that prints the SQL a migration runs, for the lint and the guards "
        "(only they run it, and only for pending migrations), e.g. \"alembic upgrade {from}:{to} --sql\" or "
        "\"python manage.py sqlmigrate {app} {name}\". Placeholders: {from} {to} (alembic), {app} {name} "
        "(django), {version} {name} {file} (all). It runs without a shell, in the config file's directory. "
        "Unset: those migrations are listed but named as not linted.", default=None)
    config_file: str | None = doc(
        "flyway: flyway.conf or flyway.toml, read for locations, table, schemas, placeholders, outOfOrder and "
        "mixed (relative to this file).", default=None)
    changelog: str | None = doc(
        "liquibase: the root changelog as given to Liquibase's --changelog-file, relative to source (its search "
        "path), e.g. \"db/changelog/db.changelog-master.yaml\".", default=None)

    def __post_init__(self) -> None:
        from preflight.migrations.runners import check_columns, check_options

        if not self.source.strip() and not (self.tracking == "flyway" and self.config_file):
            raise ValueError("source: required: name the directory of migration files (or \"image:/path\")")
        check_columns(self.tracking, self.columns)
        check_options(self.tracking, {"sql_command": self.sql_command, "config_file": self.config_file,
                                      "changelog": self.changelog})


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
