"""A fleet of real databases for the tests and the benchmark: each one the incident app's database, as the demo
builds it (migrations 101-102 applied the way golang-migrate does, two weeks of events, the legacy rollups, the
backfill never run), copied from one template database so a fleet of many is quick to make."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from preflight.cli import demo


def dsn_for(server_dsn: str, dbname: str, **kw: Any) -> str:
    params = conninfo_to_dict(server_dsn)
    params["dbname"] = dbname
    params.update(kw)
    return make_conninfo("", **params)


def _drop(admin: psycopg.Connection[Any], name: str) -> None:
    admin.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)))


@contextlib.contextmanager
def incident_fleet(server_dsn: str, names: list[str], *, backfilled: tuple[str, ...] = (),
                   prefix: str | None = None) -> Iterator[dict[str, str]]:
    """``{member name: DSN}``, one incident database per name (``backfilled`` ones have run the hourly backfill,
    so only the image and the lint still block them); every database is dropped afterwards."""
    prefix = prefix or f"pft_fleet_{uuid.uuid4().hex[:8]}"
    template = f"{prefix}_template"
    example = demo.example_dir()
    created: list[str] = []
    with psycopg.connect(server_dsn, autocommit=True) as admin:
        try:
            admin.execute(sql.SQL("create database {}").format(sql.Identifier(template)))
            created.append(template)
            template_dsn = dsn_for(server_dsn, template)
            demo.migrate_up_to(template_dsn, example / "migrations", demo.APPLIED_UP_TO)
            demo.load_events(template_dsn)
            out: dict[str, str] = {}
            for i, name in enumerate(names):
                db = f"{prefix}_{i}"
                admin.execute(sql.SQL("create database {} template {}").format(sql.Identifier(db),
                                                                               sql.Identifier(template)))
                created.append(db)
                out[name] = dsn_for(server_dsn, db)
                if name in backfilled:
                    demo.run_backfill(out[name], example)
            yield out
        finally:
            for db in reversed(created):
                _drop(admin, db)


def incident_image(directory: Path, *, fixed: bool = False) -> Path:
    """The release image of the incident, as a ``docker save`` archive (``fixed``: it ships the backfill)."""
    return demo.build_release_image(demo.example_dir(), directory / "app.tar", fixed=fixed)


def fleet_config(members: dict[str, str], image: Path | None, *, extra_fleet: str = "", run: str = "",
                 checks: str | None = None, database: str = "") -> str:
    """The incident example's checks, against a fleet of ``members`` (the image from ``image``); ``database``:
    more keys of ``[targets.database]``."""
    table = ", ".join(f'"{name}" = "{dsn}"' for name, dsn in members.items())
    out = ["[targets.database]", database, "", "[targets.database.fleet]", f"members = {{ {table} }}", extra_fleet,
           ""]
    if image is not None:
        out += ["[targets.image]", f'ref = "docker-archive:{image}"', ""]
    out += ["[targets.migrations]", 'source = "image:/app/migrations"' if image is not None
            else f'source = "{demo.example_dir() / "migrations"}"', 'tracking = "golang-migrate"', ""]
    if run:
        out += ["[run]", run, ""]
    out.append(checks if checks is not None else INCIDENT_CHECKS if image is not None else DATABASE_CHECKS)
    return "\n".join(out) + "\n"


DATABASE_CHECKS = '''
[[check]]
id = "database-reachable"
uses = "db.connect"

[[check]]
id = "migration-state"
uses = "migrations.pending"

[[check]]
id = "migration-safety"
uses = "migrations.lint"

[[check]]
id = "migration-guards"
uses = "migrations.guards"

[[check]]
id = "hourly-rollup-caught-up"
uses = "db.watermark"
when_pending = ["103_*"]
watermark = { table = "task_usage_hourly_rollup_state", column = "watermark_at", where = { id = 1 } }
source = { table = "task_usage", columns = ["updated_at", "created_at"] }
max_lag = "1h"
'''

INCIDENT_CHECKS = DATABASE_CHECKS + '''
[[check]]
id = "backfill-binary"
uses = "image.files"
paths = ["/app/backfill_task_usage_hourly", "/app/migrate"]
executable = true
'''
