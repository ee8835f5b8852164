"""The migration runners preflight knows, by their ``tracking`` name: one module each."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from preflight.migrations.runners.base import Runner

RUNNERS: dict[str, str] = {
    "golang-migrate": "preflight.migrations.runners.golang_migrate:GolangMigrate",
    "goose": "preflight.migrations.runners.goose:Goose",
    "dbmate": "preflight.migrations.runners.dbmate:Dbmate",
    "flyway": "preflight.migrations.runners.flyway:Flyway",
    "filename": "preflight.migrations.runners.filename:Filename",
    "alembic": "preflight.migrations.runners.alembic:Alembic",
    "django": "preflight.migrations.runners.django:Django",
    "prisma": "preflight.migrations.runners.prisma:Prisma",
    "liquibase": "preflight.migrations.runners.liquibase:Liquibase",
    "rails": "preflight.migrations.runners.rails:Rails",
    "knex": "preflight.migrations.runners.knex:Knex",
    "sqitch": "preflight.migrations.runners.sqitch:Sqitch",
    "atlas": "preflight.migrations.runners.atlas:Atlas",
}


def runner_class(tracking: str) -> type[Runner]:
    module_name, _, attr = RUNNERS[tracking].partition(":")
    cls: type[Runner] = getattr(importlib.import_module(module_name), attr)
    return cls


def check_columns(tracking: str, columns: dict[str, str]) -> None:
    """ValueError("columns: ...") for a column override the runner does not read."""
    if not columns or tracking not in RUNNERS:
        return
    known = runner_class(tracking).columns
    for key, value in columns.items():
        if key not in known:
            raise ValueError(f"columns: {tracking} has no column role {key!r} (known: {', '.join(known)})")
        if not value.strip():
            raise ValueError(f"columns: the name given for {key!r} is empty")


def check_options(tracking: str, options: dict[str, str | None]) -> None:
    """ValueError("key: ...") for a runner-specific key set for a runner that does not read it, or left empty."""
    if tracking not in RUNNERS:
        return
    accepted = runner_class(tracking).options
    for key, value in options.items():
        if value is None:
            continue
        if key not in accepted:
            readers = sorted(name for name in RUNNERS if key in runner_class(name).options)
            raise ValueError(f"{key}: {tracking} does not read it (only {', '.join(readers)})")
        if not value.strip():
            raise ValueError(f"{key}: is empty")
