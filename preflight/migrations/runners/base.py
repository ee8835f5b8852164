"""What every runner module provides, and the judgements they share."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from preflight.migrations.model import Applied, Migration, Problem, Scan, TrackingState, Transaction

if TYPE_CHECKING:
    from preflight.migrations.source import Source
    from preflight.targets import MigrationsTarget, Targets

Row = dict[str, Any]


class Runner:
    """One migration runner: its file naming, run order, up-section extraction, transaction mode and tracking
    table. Subclasses fill in the class attributes and :meth:`scan` / :meth:`evaluate`."""

    name: ClassVar[str]
    naming: ClassVar[str] = ""
    """The file names the runner runs forward, as a user reads them (``preflight lint`` says it of a file it
    skips)."""
    table: ClassVar[str]
    """Default tracking table."""
    columns: ClassVar[dict[str, str]]
    """The tracking table's columns the runner reads: role -> default column name (``columns`` overrides)."""
    column_types: ClassVar[dict[str, str]]
    """role -> the family of types the runner writes there: "int", "text" or "bool"."""
    column_sql: ClassVar[str]
    """How the runner declares the table, for error messages."""
    order_by: ClassVar[str | None] = None
    """Role whose column orders the rows (history tables are read oldest first)."""
    default_transaction: ClassVar[Transaction] = "file"
    recursive: ClassVar[bool] = False
    """Whether the runner also reads subdirectories of the source directory."""
    schema: ClassVar[str | None] = None
    """Schema of the tracking table when the runner puts it in one of its own (sqitch, Atlas); None: the
    session's search_path, as the runner's own session would find it."""
    lock: ClassVar[tuple[str, str] | None] = None
    """(table, column) of a lock table the runner keeps beside the tracking table (Knex, Liquibase), read
    after it in the same session; ``{table}`` in the name stands for the tracking table's name."""
    options: ClassVar[tuple[str, ...]] = ()
    """The optional ``[targets.migrations]`` keys this runner reads (``sql_command``, ``config_file``,
    ``changelog``): any other one set is a config error, not silently ignored."""

    def __init__(self, target: MigrationsTarget):
        self.target = target
        self.transaction: Transaction = target.transaction or self.default_transaction

    def table_name(self) -> str:
        return self.target.table or self.table

    def schema_name(self) -> str | None:
        return self.target.schema or self.schema

    def open_source(self, targets: Targets) -> Source:
        """The files the runner reads: ``source`` (a runner whose own config names its locations overrides)."""
        from preflight.migrations.source import open_source

        return open_source(self.target, targets, recursive=self.recursive)

    def lock_table(self) -> tuple[str, str] | None:
        if self.lock is None:
            return None
        table, column = self.lock
        return table.format(table=self.table_name()), column

    def fill_sql(self, migrations: list[Migration], scan: Scan, state: TrackingState | None) -> list[Migration]:
        """These migrations with the SQL they run where preflight can learn it only by running something
        (the configured ``sql_command``); the default has nothing to add."""
        return migrations

    def column_names(self) -> dict[str, str]:
        return {role: self.target.columns.get(role, default) for role, default in self.columns.items()}

    def scan(self, source: Source) -> Scan:
        raise NotImplementedError

    def evaluate(self, scan: Scan, rows: list[Row] | None, table: str) -> TrackingState:
        """Judge the tracking rows (None: no tracking table) against the source, as the runner would."""
        raise NotImplementedError


def ahead_problems(runner: str, table: str, applied: Iterable[Applied], newest: Migration | None) -> list[Problem]:
    """Applied migrations this release does not have: an older release rolling out against a newer schema."""
    missing = [a for a in applied if a.migration is None]
    if not missing:
        return []
    names = ", ".join(a.label for a in missing[:10]) + (f" and {len(missing) - 10} more" if len(missing) > 10 else "")
    newest_text = f" (its newest is {newest.name})" if newest is not None else " (it has none)"
    return [Problem(
        kind="ahead",
        message=(f"the database is ahead of this release: {table} records {len(missing)} applied migration"
                 f"{'s' if len(missing) != 1 else ''} this release does not have{newest_text}: {names}"),
        remediation=("an older release is rolling out against a newer schema: roll out a release that contains "
                     f"these migrations; if they were removed on purpose, delete their rows from {table} with "
                     f"{runner}'s own tooling first"),
        migration=missing[0].label,
    )]


def duplicate_problem(runner: str, version: str, files: list[str], consequence: str) -> Problem:
    return Problem(
        kind="duplicate-version",
        message=f"version {version} is used by {len(files)} files ({', '.join(files)}): {consequence}",
        remediation=f"give each migration its own version ({runner} requires unique versions)",
        migration=version,
        file=files[1],
    )


def unparsable_problem(runner: str, file: str, name: str, why: str, line: int | None = None) -> Problem:
    return Problem(
        kind="unparsable",
        message=f"{runner} cannot parse {file}: {why}",
        remediation=f"fix the file: {runner} stops at it, and every migration after it stays unapplied",
        migration=name,
        file=file,
        line=line,
    )

