"""What a migration plan is made of: migrations as the runner sees them, and what the database says about them.

Every runner module produces these same shapes, so the check, the ``preflight migrations`` command and the
later checks (lint, guards, watermark, activity) never need to know which runner is in use.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal

Transaction = Literal["file", "implicit", "none"]


@dataclass(frozen=True)
class Migration:
    """One migration file as its runner will execute it."""

    version: str
    """As the runner records it: "103", "20240101120000", "1.10"; for ``filename`` the file's stem; "" for a
    Flyway repeatable migration (Flyway records no version for those)."""
    name: str
    """The file name without its runner's suffix (``.up.sql``, ``.sql``): ``when_pending`` globs match this."""
    file: str
    """The path as shown to users: relative to the config's directory when under it, ``image:/dir/x.sql`` for
    a migration read from the image."""
    path: str
    """Absolute path on disk, or the path inside the image."""
    sha256: str
    line_count: int
    sql: str
    """Exactly the SQL the runner executes for "up" (goose, dbmate: the up section only)."""
    sql_line: int
    """1-based line of ``file`` where ``sql`` starts: the file line of an offset in ``sql`` is ``sql_line`` plus
    the newlines before that offset."""
    transaction: Transaction
    """"file": inside a transaction the runner opens; "implicit": sent as one multi-statement query (an
    implicit transaction); "none": outside any transaction."""
    repeatable: bool = False
    """A Flyway ``R__`` migration: re-run whenever its checksum changes."""
    checksum: int | None = None
    """The checksum the runner records for this file (Flyway's CRC32), where it records one."""
    description: str | None = None
    """The description the runner records (Flyway), where it records one."""
    not_sql: str | None = None
    """Why preflight has no SQL for this migration (a Java or Python migration, a Liquibase change that is not
    SQL), or None when ``sql`` is what runs. The lint names such a migration as not linted."""
    checksum_text: str | None = None
    """The checksum the runner records, where it is text (Prisma's SHA-256, Liquibase's MD5SUM)."""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "version": self.version,
            "name": self.name,
            "file": self.file,
            "sha256": self.sha256,
            "line_count": self.line_count,
            "transaction": self.transaction,
        }
        if self.repeatable:
            out["repeatable"] = True
        if self.checksum is not None:
            out["checksum"] = self.checksum
        if self.checksum_text is not None:
            out["checksum"] = self.checksum_text
        if self.not_sql is not None:
            out["sql_unknown"] = self.not_sql
        return out


@dataclass(frozen=True)
class Applied:
    """One migration the tracking table says is applied."""

    version: str
    """As recorded (for a Flyway repeatable migration: its description)."""
    migration: Migration | None
    """The same migration in this release's source, or None when the release does not have it."""
    script: str | None = None
    """What the table records besides the version, e.g. Flyway's ``script`` column."""

    @property
    def label(self) -> str:
        if self.migration is not None:
            return self.migration.name
        return self.script or self.version

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"version": self.version, "in_release": self.migration is not None}
        if self.migration is not None:
            out["name"] = self.migration.name
            out["file"] = self.migration.file
        elif self.script:
            out["script"] = self.script
        return out


ProblemKind = Literal[
    "dirty",  # golang-migrate: a run stopped half-way
    "failed",  # Flyway: success = false
    "ahead",  # the database has applied migrations this release does not have
    "skipped",  # pending migrations the runner will not run (below the recorded version)
    "out-of-order",  # pending migrations the runner refuses to run, or will run out of order
    "checksum-mismatch",  # an applied migration whose file has changed since (where the runner records checksums)
    "description-mismatch",  # Flyway validates descriptions as well as checksums
    "duplicate-version",  # two files with one version where versions must be unique
    "unparsable",  # a file the runner cannot parse: it will stop there
    "tracking",  # the tracking table itself is in a state the runner does not produce
    "locked",  # the runner's lock is held (Knex, Liquibase): a run is under way, or one died holding it
    "multiple-heads",  # Alembic: several heads (`alembic upgrade head` refuses; `upgrade heads` runs them all)
    "inconsistent",  # Django: an applied migration whose dependency is not applied
    "integrity",  # Atlas: atlas.sum does not match the directory
]


@dataclass(frozen=True)
class Problem:
    """Something about the migration state that makes the rollout unsafe, or (severity "info") worth knowing."""

    kind: ProblemKind
    message: str
    remediation: str
    migration: str | None = None
    file: str | None = None
    line: int | None = None
    severity: Literal["failure", "info"] = "failure"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "severity": self.severity, "message": self.message,
                               "remediation": self.remediation}
        if self.migration is not None:
            out["migration"] = self.migration
        if self.file is not None:
            out["file"] = self.file
        if self.line is not None:
            out["line"] = self.line
        return out


@dataclass
class Scan:
    """What a runner made of the source, before any database is read."""

    migrations: list[Migration] = field(default_factory=list)
    """Every migration, in the order the runner runs them on an empty database."""
    unmatched: list[str] = field(default_factory=list)
    """Files (as shown to users) that match no naming rule of the runner: the runner ignores them."""
    problems: list[Problem] = field(default_factory=list)
    """Problems visible in the source alone (duplicate versions, files the runner cannot parse)."""
    extra_versions: set[str] = field(default_factory=set)
    """Versions the runner knows without a runnable migration (golang-migrate: a version with only a down
    file), so a database at one of them is not ahead of the release."""
    notes: list[str] = field(default_factory=list)
    """What preflight presumed or left out reading the source (contexts not evaluated, apps outside the source),
    shown with the pending list."""
    context: dict[str, Any] = field(default_factory=dict)
    """What a runner keeps from the scan for judging the tracking rows (a revision graph, a plan)."""


@dataclass
class TrackingState:
    """What the tracking table says, judged the way the runner judges it."""

    table: str
    """The tracking table as named to users."""
    table_exists: bool
    rows: int
    applied: list[Applied]
    """Applied migrations, oldest first."""
    pending: list[Migration]
    """What ``migrate up`` will run, in run order."""
    problems: list[Problem] = field(default_factory=list)
    current: str | None = None
    """The runner's idea of the database's version (golang-migrate, goose, Flyway), if it has one."""
    assumed_applied: list[Migration] = field(default_factory=list)
    """golang-migrate only: migrations the runner takes as applied only because their version is at or below
    the recorded one (it keeps no history)."""

    @property
    def last_applied(self) -> Applied | None:
        return self.applied[-1] if self.applied else None


def file_facts(data: bytes) -> tuple[str, int]:
    """sha256 and line count of a file's bytes (a last line without a newline counts)."""
    lines = data.count(b"\n")
    if data and not data.endswith(b"\n"):
        lines += 1
    return hashlib.sha256(data).hexdigest(), lines


def decode(data: bytes) -> str:
    """Migration files are UTF-8; a stray byte must not stop preflight from reporting on the rest."""
    return data.decode("utf-8", errors="replace")
