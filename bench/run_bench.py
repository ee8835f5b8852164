"""`preflight run` of the incident example (examples/incident), as an operator types it.

Usage: python bench/run_bench.py [--runs N] [--dsn DSN] [--baseline REF]

The example's state is set up as the demo and tests/test_incident_report.py do: its release image built as a
`docker save` archive, migrations applied up to 102 the way golang-migrate does, the events and legacy rollups
loaded (the hourly backfill never ran). Each case is a whole `preflight run` process (six checks: the database,
the pending migrations, their lint against the live database, their guards, the backfill watermark, the image's
files), text and JSON reports, all blocked (exit 1) as they must be. preflight is the console script of a wheel
installed into bench/out/ (bench/installs.py); with ``--baseline REF`` (e.g. ``main``) that git ref's install runs
too, interleaved. Baseline in the same run: `python -c pass`.

The database is --dsn, else PREFLIGHT_TEST_DSN, else a throwaway embedded PostgreSQL (the tests' default).
Budget: under 500 ms (best of the runs).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import uuid
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
    with server(args.dsn) as server_dsn, tempfile.TemporaryDirectory(prefix="preflight-run-bench-") as tmp:
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
            env = {**os.environ, "DATABASE_URL": dsn, "NO_COLOR": "1"}
            env = {k: v for k, v in env.items() if k != "PREFLIGHT_CACHE_DIR"}
            cases = {"baseline: python -c pass": [str(bins[None] / "python"), "-c", "pass"]}
            for ref, b in bins.items():
                cases[f"preflight run, text ({label(ref)})"] = [str(b / "preflight"), "run", "--quiet"]
                cases[f"preflight run --format json ({label(ref)})"] = [str(b / "preflight"), "run", "--quiet",
                                                                       "--format", "json"]
            for cmd in cases.values():  # warm the OS caches and the lint's cache once
                timed_once(cmd, example, env)
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
        best = min(wall[f"preflight run, text ({label(ref)})"])
        print(f"{label(ref)}: preflight run, best of {args.runs}: {best:.1f} ms; budget {BUDGET_MS:.0f} ms "
              f"{'holds' if best < BUDGET_MS else 'does NOT hold'}")


if __name__ == "__main__":
    main()
