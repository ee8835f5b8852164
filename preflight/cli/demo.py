"""``preflight demo``: the incident preflight exists for, replayed on a throwaway database in a few seconds.

The story (files in ``examples/incident``): release 103 of an app drops its legacy daily rollup tables, which
an hourly rollup replaces. The hourly rollup's one-shot backfill had never run, and the release image did not
even ship the backfill program. The container ran ``migrate up`` on start and the daily history was gone.

The demo starts a throwaway PostgreSQL (or creates a database on ``--dsn``) and a second one to rehearse the
pending migrations on (preflight never rehearses on the live database's own cluster), applies migrations 101-102
the way golang-migrate does, loads usage events, builds the release image as a ``docker save`` archive from the
example's files, and runs preflight with the example's ``preflight.toml``: blocked, with three causes. Then it
applies the fix (an image that ships the backfill, the backfill run, its watermark stamped) and runs preflight
again: safe to roll out. Everything it starts or writes is removed at the end, also on Ctrl-C or a failure.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    import psycopg

    from preflight.image.build import Entry
    from preflight.model import Report

EXAMPLE = "incident"
APPLIED_UP_TO = 102
"""The database is at the migration before the drop: 101-102 applied, 103_drop_legacy_rollups pending."""
STEPS = 8
PROGRAMS = ("start", "server", "worker", "migrate")
"""What both recipes' runtime stages copy to /app (several into /app/, one by name into the WORKDIR)."""
BACKFILL = "backfill_task_usage_hourly"
EXPECTED_BLOCKERS = ("image.files", "db.watermark", "migrations.lint", "migrations.guards", "migrations.rehearse")
"""The check types whose failures tell the incident's three causes: the missing binary, the watermark gap, and
the destructive pending migration (the lint's row count and the guard's own message); and the rehearsal's: 104
fails on the live data."""

# The events the old release recorded: two weeks of task runs for five teams, every five minutes, a quarter of
# them updated a few minutes later. Fixed timestamps keep the demo's reports the same on every run.
SEED_SQL = """
INSERT INTO task_usage (team_id, task_id, cpu_seconds, created_at, updated_at)
SELECT 1 + n % 5, 100000 + n, round((n % 97) * 1.5, 1), ts,
       CASE WHEN n % 4 = 0 THEN ts + interval '3 minutes' END
FROM generate_series(timestamptz '2024-03-01 00:00:00+00', timestamptz '2024-03-14 23:55:00+00',
                     interval '5 minutes') WITH ORDINALITY AS g(ts, n);

-- What the old worker kept: the daily rollups that 103 drops.
INSERT INTO task_usage_daily_rollup (team_id, day, tasks, cpu_seconds)
SELECT team_id, (created_at AT TIME ZONE 'UTC')::date, count(*), sum(cpu_seconds)
FROM task_usage GROUP BY 1, 2;

INSERT INTO task_usage_daily_totals (day, tasks, cpu_seconds)
SELECT day, sum(tasks), sum(cpu_seconds) FROM task_usage_daily_rollup GROUP BY day;
"""


class DemoFailed(Exception):
    """A step of the demo itself failed (not a preflight verdict)."""


@dataclass
class DemoOutcome:
    first: Report
    second: Report

    @property
    def first_blockers(self) -> list[str]:
        return sorted({c.type for c in self.first.checks if c.blocks})

    @property
    def as_expected(self) -> bool:
        """The story played out: the first run blocked by each cause, the second safe to roll out."""
        return (self.first.exit_code == 1 and set(EXPECTED_BLOCKERS) <= set(self.first_blockers)
                and self.second.exit_code == 0)


def example_dir() -> Path:
    """The incident example: inside the installed package (a wheel), else the source checkout's examples/."""
    here = Path(__file__).resolve().parent.parent  # the preflight package
    for candidate in (here / "_examples" / EXAMPLE, here.parent / "examples" / EXAMPLE):
        if (candidate / "preflight.toml").is_file():
            return candidate
    raise DemoFailed(f"the {EXAMPLE} example is not installed with this copy of preflight "
                     f"(looked in {here / '_examples'} and {here.parent / 'examples'})")


# -- the image ------------------------------------------------------------------------------------------------


BASE_IMAGE = "alpine:3.20"
"""The base image both recipes are built FROM; the demo builds a small stand-in for it."""


def base_layer() -> dict[str, Entry]:
    """The stand-in for alpine:3.20: its shell is what the #!/bin/sh programs need."""
    from preflight.image.build import File, Symlink

    return {
        "/etc/os-release": 'NAME="preflight demo base"\nID=demo\nPRETTY_NAME="stands in for alpine:3.20"\n',
        "/bin/busybox": File(b"placeholder: stands in for alpine's busybox, which provides /bin/sh\n", mode=0o755),
        "/bin/sh": Symlink("/bin/busybox"),
    }


def recipe_view(example: Path, *, fixed: bool, workdir: Path) -> Any:
    """The recipe (Dockerfile, or Dockerfile.fixed with ``fixed``) read by preflight's own ``dockerfile:``
    source, its base image mapped to the stand-in written in ``workdir``. Returns the opened Image."""
    from preflight.image import open_image
    from preflight.image.build import ImageSpec, write_docker_archive
    from preflight.image.target import ImageTarget

    base = write_docker_archive(workdir / "base.tar", [base_layer()], ImageSpec(), tag=BASE_IMAGE)
    recipe = "Dockerfile.fixed" if fixed else "Dockerfile"
    target = ImageTarget(ref=f"dockerfile:{recipe}", base_images={BASE_IMAGE: f"docker-archive:{base}"})
    target.base_dir = example
    return open_image(target)


def image_layers(example: Path, *, fixed: bool) -> list[dict[str, Entry]]:
    """The release image: the stand-in base layer, and one layer of what the recipe's final stage ships, taken
    from the recipe by preflight's ``dockerfile:`` reader (nothing here repeats what the recipe says)."""
    from preflight.image.build import recipe_layer

    with tempfile.TemporaryDirectory(prefix="preflight-demo-base-") as tmp:
        image = recipe_view(example, fixed=fixed, workdir=Path(tmp))
        try:
            layer = recipe_layer(image.single())
        finally:
            image.close()
    return [base_layer(), layer]


def build_release_image(example: Path, out: Path, *, fixed: bool) -> Path:
    from preflight.image.build import ImageSpec, write_docker_archive

    out.parent.mkdir(parents=True, exist_ok=True)
    spec = ImageSpec(entrypoint=["/app/start"], working_dir="/app")
    return write_docker_archive(out, image_layers(example, fixed=fixed), spec,
                                tag="incident/app:103-fixed" if fixed else "incident/app:103")


# -- the database ---------------------------------------------------------------------------------------------


def _connect(dsn: str) -> psycopg.Connection[Any]:
    import psycopg

    try:
        return psycopg.connect(dsn, autocommit=True, connect_timeout=10, application_name="preflight-demo")
    except psycopg.Error as e:
        from preflight.secrets import redact_dsn

        raise DemoFailed(f"cannot connect to {redact_dsn(dsn)}: {' '.join(str(e).split())}") from None


def _with_dbname(dsn: str, dbname: str) -> str:
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    params = conninfo_to_dict(dsn)
    params["dbname"] = dbname
    return make_conninfo("", **params)


@contextlib.contextmanager
def scratch_database(server_dsn: str, name: str) -> Iterator[str]:
    """A new database on the server, dropped (with any session still in it) when the demo ends."""
    from psycopg import sql

    with _connect(server_dsn) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield _with_dbname(server_dsn, name)
    finally:
        with _connect(server_dsn) as admin:
            try:
                admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            except Exception:  # noqa: BLE001 - servers before 13 have no FORCE
                admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s "
                              "AND pid <> pg_backend_pid()", (name,))
                admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


def migrate_up_to(dsn: str, migrations: Path, up_to: int) -> list[str]:
    """Apply ``*.up.sql`` up to version ``up_to`` exactly as golang-migrate's postgres driver does: its tracking
    table, the (version, dirty = true) row written before each file, the file sent as one query, then
    (version, false)."""
    files = []
    for f in migrations.glob("*.up.sql"):
        version = int(f.name.split("_", 1)[0])
        if version <= up_to:
            files.append((version, f))
    applied = []
    with _connect(dsn) as conn:
        conn.execute('CREATE TABLE IF NOT EXISTS "public"."schema_migrations" '
                     "(version bigint not null primary key, dirty boolean not null)")
        for version, f in sorted(files):
            _set_version(conn, version, dirty=True)
            conn.execute(f.read_text(encoding="utf-8").encode())  # one multi-statement query, like lib/pq's Exec
            _set_version(conn, version, dirty=False)
            applied.append(f.name.removesuffix(".up.sql"))
    return applied


def _set_version(conn: psycopg.Connection[Any], version: int, *, dirty: bool) -> None:
    with conn.transaction():
        conn.execute('TRUNCATE "public"."schema_migrations"')
        conn.execute('INSERT INTO "public"."schema_migrations" (version, dirty) VALUES (%s, %s)', (version, dirty))


def load_events(dsn: str) -> tuple[int, int, str]:
    """The old release's data: events and the legacy daily rollups. Returns (events, daily rows, watermark)."""
    with _connect(dsn) as conn:
        conn.execute(SEED_SQL.encode())
        # Row counts in the lint's findings come from the planner's statistics, as on a real server; VACUUM
        # makes the tables' free-space and visibility maps now, so autovacuum does not change their sizes
        # between two runs of the same report.
        conn.execute("VACUUM ANALYZE")
        events = _scalar(conn, "SELECT count(*) FROM task_usage")
        daily = _scalar(conn, "SELECT (SELECT count(*) FROM task_usage_daily_rollup) "
                              "+ (SELECT count(*) FROM task_usage_daily_totals)")
        watermark = _scalar(conn, "SELECT to_char(watermark_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') "
                                  "FROM task_usage_hourly_rollup_state WHERE id = 1")
    return int(events), int(daily), str(watermark)


def run_backfill(dsn: str, example: Path) -> tuple[int, str]:
    """What ``/app/backfill_task_usage_hourly`` does (psql -f its SQL file). Returns (hourly rows, watermark)."""
    sql_file = example / "app" / "sql" / f"{BACKFILL}.sql"
    with _connect(dsn) as conn:
        conn.execute(sql_file.read_text(encoding="utf-8").encode())
        conn.execute("ANALYZE")
        rows = _scalar(conn, "SELECT count(*) FROM task_usage_hourly_rollup")
        watermark = _scalar(conn, "SELECT to_char(watermark_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') "
                                  "FROM task_usage_hourly_rollup_state WHERE id = 1")
    return int(rows), f"{watermark} UTC"


def _scalar(conn: psycopg.Connection[Any], query: str) -> Any:
    row = conn.execute(query.encode()).fetchone()
    return row[0] if row else None


# -- preflight itself -----------------------------------------------------------------------------------------


def run_preflight(config_path: Path, dsn: str, rehearsal_dsn: str = "") -> Report:
    """The example's preflight.toml, run in-process through the engine, as ``preflight run`` would; the
    rehearsal on ``rehearsal_dsn`` (empty: an embedded server started for the run)."""
    from preflight import config as config_mod
    from preflight import engine

    cfg = config_mod.load(config_path, env={**os.environ, "DATABASE_URL": dsn, "REHEARSAL_URL": rehearsal_dsn})
    return engine.run(cfg, engine.RunOptions())


# -- the story ------------------------------------------------------------------------------------------------


class _RehearsalServer:
    """A second throwaway server for the rehearsal, started in the background while the demo sets up: preflight
    refuses to rehearse on the live database's own cluster, and one server for both runs is quicker than an
    embedded one per run."""

    def __init__(self) -> None:
        import threading

        from preflight.db.embedded import ThrowawayPostgres

        self.pg = ThrowawayPostgres()
        self.failure: BaseException | None = None
        self.thread = threading.Thread(target=self._start, name="demo-rehearsal-server", daemon=True)
        self.thread.start()

    def _start(self) -> None:
        try:
            self.pg.start()
        except BaseException as e:  # noqa: BLE001 - raised again in the demo's thread
            self.failure = e

    def dsn(self) -> str:
        self.thread.join()
        if self.failure is not None:
            raise DemoFailed(f"cannot start the rehearsal server: {self.failure}")
        return self.pg.dsn("postgres")

    def stop(self) -> None:
        self.thread.join()
        self.pg.stop()


class Narrator:
    def __init__(self, echo: Callable[[str], None], pause: bool, color: bool):
        self.echo = echo
        self.pause = pause
        self.color = color
        self.step = 0

    def say(self, text: str) -> None:
        self.step += 1
        prefix = f"[{self.step}/{STEPS}]"
        self.echo(click.style(prefix, bold=True) + " " + text if self.color else f"{prefix} {text}")
        if self.pause:
            if sys.stdin.isatty():
                click.echo("      (Enter to go on)", err=True)
            sys.stdout.flush()
            sys.stdin.readline()

    def report(self, report: Report) -> None:
        from preflight.reports import render

        self.echo("")
        for line in render("text", report, color=self.color).rstrip("\n").splitlines():
            self.echo("    " + line if line else "")
        self.echo("")


def play(server_dsn: str | None = None, *, echo: Callable[[str], None] = click.echo, pause: bool = False,
         color: bool = False) -> DemoOutcome:
    """Replay the incident and its fix; everything started or written is removed before this returns."""
    from preflight.secrets import redact_dsn

    example = example_dir()
    n = Narrator(echo, pause, color)
    with contextlib.ExitStack() as stack:
        rehearsal = _RehearsalServer()
        stack.callback(rehearsal.stop)
        if server_dsn is None:
            from preflight.db.embedded import ThrowawayPostgres

            pg = stack.enter_context(ThrowawayPostgres())
            server_dsn = pg.dsn("postgres")
            dbname = EXAMPLE
            with _connect(server_dsn) as conn:
                version = str(_scalar(conn, "SHOW server_version")).split()[0]
            n.say(f"started a throwaway PostgreSQL {version} on 127.0.0.1:{pg.port} (data in {pg.dir}, "
                  "removed when the demo ends), and a second one to rehearse the migrations on")
        else:
            dbname = f"preflight_demo_{uuid.uuid4().hex[:8]}"
            n.say(f"using the server at {redact_dsn(server_dsn)}: database {dbname} is created for the demo "
                  "and dropped when it ends; the migrations are rehearsed on a throwaway server")
        dsn = stack.enter_context(scratch_database(server_dsn, dbname))
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="preflight-demo-")))
        app = work / EXAMPLE
        shutil.copytree(example, app, ignore=shutil.ignore_patterns("build", "__pycache__"))

        applied = migrate_up_to(dsn, example / "migrations", APPLIED_UP_TO)
        n.say(f"applied {', '.join(applied)} the way golang-migrate does: schema_migrations = "
              f"({APPLIED_UP_TO}, clean); 103_drop_legacy_rollups and 104 are the release's pending migrations")
        events, daily, watermark = load_events(dsn)
        n.say(f"loaded {events:,} task_usage events and {daily} rows of legacy daily rollups; the hourly "
              f"backfill never ran (watermark_at = {watermark})")
        image = build_release_image(example, app / "build" / "app.tar", fixed=False)
        n.say(f"built release 103 as build/app.tar (docker save format) from {EXAMPLE}/Dockerfile: its runtime "
              f"stage copies {', '.join(PROGRAMS)} and the migrations, not {BACKFILL}")
        n.say("preflight run: would release 103 be safe to roll out?")
        first = run_preflight(app / "preflight.toml", dsn, rehearsal.dsn())
        n.report(first)

        build_release_image(example, image, fixed=True)
        n.say(f"fix 1/2: rebuilt build/app.tar from {EXAMPLE}/Dockerfile.fixed, which ships "
              f"/app/{BACKFILL} and its SQL")
        rows, stamped = run_backfill(dsn, example)
        n.say(f"fix 2/2: ran /app/{BACKFILL}: {rows:,} hourly rollup rows, watermark stamped at {stamped} "
              "(the newest event)")
        n.say("preflight run, again: the same release, fixed")
        second = run_preflight(app / "preflight.toml", dsn, rehearsal.dsn())
        n.report(second)
    return DemoOutcome(first, second)


def _terminate(signum: int, frame: FrameType | None) -> None:
    # SIGTERM unwinds like Ctrl-C does, so the server and the temporary files are removed on the way out.
    raise SystemExit(128 + signum)


@click.command("demo")
@click.option("--dsn", metavar="DSN",
              help="Use this server instead of a throwaway one: the demo creates its own database there and "
                   "drops it at the end (the DSN's role needs CREATEDB). The rehearsal still runs on a throwaway "
                   "server.")
@click.option("--pause", is_flag=True, help="Wait for Enter after each step, to present it live.")
@click.option("--no-color", is_flag=True, help="No colour (also: the NO_COLOR environment variable).")
def demo(dsn: str | None, pause: bool, no_color: bool) -> None:
    """Replay the incident preflight exists for, then its fix, on a throwaway PostgreSQL.

    A release whose migration drops the legacy rollups while their replacement's backfill has never run, in
    an image that does not ship the backfill: preflight blocks it. Then the fix (the binary shipped, the
    backfill run) and a second run that passes. Exit code 0 when the story played out so.
    """
    from preflight.cli.main import fail, use_color
    from preflight.errors import PreflightError
    from preflight.secrets import scrub

    previous = signal.signal(signal.SIGTERM, _terminate)
    start = time.monotonic()
    try:
        outcome = play(dsn, pause=pause, color=use_color(no_color))
    except (DemoFailed, PreflightError) as e:
        fail(f"demo: {scrub(str(e))}", 1)
    except KeyboardInterrupt:
        click.echo("preflight demo: interrupted; the server and temporary files are removed", err=True)
        sys.exit(130)
    finally:
        signal.signal(signal.SIGTERM, previous)
    took = time.monotonic() - start
    first = f"blocked by {', '.join(outcome.first_blockers)}" if outcome.first_blockers else "not blocked"
    if outcome.as_expected:
        click.echo(f"The first run was {first}; after the fix the second run passed ({took:.1f}s). "
                   "Next: `preflight init` in your project.")
        return
    click.echo(f"preflight demo: the story did not play out as expected: first run {first} "
               f"(exit {outcome.first.exit_code}), second run exit {outcome.second.exit_code}", err=True)
    sys.exit(1)
