"""``[targets.migrations]``: the migration files and the runner that applies them, as the config file names them
(their reader: :mod:`preflight.migrations`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from preflight.typed import RelativePaths, doc

Tracking = Literal["golang-migrate", "goose", "dbmate", "flyway", "filename", "alembic", "django", "prisma",
                   "liquibase", "rails", "knex", "sqitch", "atlas"]


@dataclass
class MigrationsTarget(RelativePaths):
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
