"""A fleet of the incident app's databases, every check, one `preflight run`: wall time and peak memory by size.

Usage: python bench/fleet_bench.py [--dsn SERVER_DSN] [--sizes 10,50,100] [--runs 3] [--fleet-jobs 8]

Creates max(--sizes) databases on the server (default: the machine's PostgreSQL on 127.0.0.1:5432), each a copy of
the incident's database as `preflight demo` builds it (migrations 101-102 applied the way golang-migrate does,
two weeks of events, the legacy daily rollups, the backfill never run, so 103_drop_legacy_rollups is pending and
every check has work to do), and the release image as a `docker save` archive. Then, for each size, it runs the
incident's preflight.toml against a fleet of that many members (a member file), as a fresh process each time,
and prints the median wall time and the process's peak RSS. Baseline, in the same run: `preflight run` against
one of those databases alone, and the same single-database run repeated once per member (what a loop over the
fleet in a shell script costs). Every database is dropped at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from preflight.cli import demo

PREFIX = "preflight_fleet_bench"


def dsn_for(server: str, dbname: str) -> str:
    params = conninfo_to_dict(server)
    params["dbname"] = dbname
    return make_conninfo("", **params)


def create_fleet(server: str, size: int) -> list[str]:
    example = demo.example_dir()
    template = f"{PREFIX}_template"
    with psycopg.connect(server, autocommit=True) as admin:
        drop_fleet(admin, size)
        admin.execute(sql.SQL("create database {}").format(sql.Identifier(template)))
        demo.migrate_up_to(dsn_for(server, template), example / "migrations", demo.APPLIED_UP_TO)
        demo.load_events(dsn_for(server, template))
        names = []
        for i in range(size):
            name = f"{PREFIX}_{i:04d}"
            admin.execute(sql.SQL("create database {} template {}").format(sql.Identifier(name),
                                                                           sql.Identifier(template)))
            names.append(name)
    return names


def drop_fleet(admin: psycopg.Connection, size: int) -> None:  # type: ignore[type-arg]
    rows = admin.execute("select datname from pg_database where datname like %s", (f"{PREFIX}_%",)).fetchall()
    for (name,) in rows:
        admin.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)))


def config(directory: Path, image: Path, fleet_file: Path | None, fleet_jobs: int) -> Path:
    """The incident example's preflight.toml, its database target turned into a fleet (or kept single)."""
    text = (demo.example_dir() / "preflight.toml").read_text(encoding="utf-8")
    if fleet_file is not None:
        text = text.replace('dsn = "${DATABASE_URL}"', f'[targets.database.fleet]\nfile = "{fleet_file}"')
    text = text.replace('ref = "docker-archive:build/app.tar"', f'ref = "docker-archive:{image}"')
    text = text.replace('[run]\n', f'[run]\nfleet_jobs = {fleet_jobs}\n')
    path = directory / ("fleet.toml" if fleet_file is not None else "single.toml")
    path.write_text(text, encoding="utf-8")
    return path


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, int, dict]:  # type: ignore[type-arg]
    """(wall seconds, peak RSS in MiB, the JSON report) of one `preflight run` process."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env)
        # wait4, not Popen.wait: the child's own resource usage (its peak RSS), not the sum of all children's.
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"preflight exited {proc.returncode}: {err.read().decode()[-2000:]}")
        return wall, usage.ru_maxrss // 1024, json.loads(out.read())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dsn", default=os.environ.get("PREFLIGHT_BENCH_DSN", "postgresql://postgres@127.0.0.1:5432/postgres"))
    ap.add_argument("--sizes", default="10,50,100")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--fleet-jobs", type=int, default=8)
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    exe = shutil.which("preflight")
    base_cmd = [exe] if exe else [sys.executable, "-m", "preflight"]
    work = Path(tempfile.mkdtemp(prefix="preflight-fleet-bench-"))
    t0 = time.perf_counter()
    names = create_fleet(args.dsn, max(sizes))
    image = demo.build_release_image(demo.example_dir(), work / "app.tar", fixed=False)
    print(f"created {len(names)} incident databases in {time.perf_counter() - t0:.1f}s; "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; fleet_jobs = {args.fleet_jobs}")
    env = {**os.environ, "NO_COLOR": "1"}
    try:
        # Baseline: one database alone, then once per member in a loop (10 of them, scaled to each size).
        single = config(work, image, None, args.fleet_jobs)
        env_single = {**env, "DATABASE_URL": dsn_for(args.dsn, names[0])}
        cmd = [*base_cmd, "run", "--config", str(single), "--format", "json", "--quiet"]
        run(cmd, env_single)  # warm the lint cache and the OS caches once
        singles = [run(cmd, env_single) for _ in range(args.runs)]
        one = statistics.median(s[0] for s in singles)
        loop_start = time.perf_counter()
        for name in names[:10]:
            run(cmd, {**env, "DATABASE_URL": dsn_for(args.dsn, name)})
        per_db = (time.perf_counter() - loop_start) / 10
        print(f"{'case':46} {'median s':>9} {'best s':>7} {'peak RSS MiB':>13} {'per member ms':>14}")
        print(f"{'baseline: one database alone':46} {one:9.2f} {min(s[0] for s in singles):7.2f} "
              f"{max(s[1] for s in singles):13d} {one * 1000:14.0f}")
        print(f"{'baseline: a loop of single runs, per database':46} {per_db:9.2f} {'':>7} {'':>13} "
              f"{per_db * 1000:14.0f}")
        for size in sizes:
            fleet_file = work / f"fleet-{size}.txt"
            fleet_file.write_text("".join(f"m{i:04d} {dsn_for(args.dsn, n)}\n" for i, n in enumerate(names[:size])))
            path = config(work, image, fleet_file, args.fleet_jobs)
            cmd = [*base_cmd, "run", "--config", str(path), "--format", "json", "--quiet"]
            results = [run(cmd, env) for _ in range(args.runs)]
            doc = results[-1][2]
            check = next(c for c in doc["checks"] if c["id"] == "hourly-rollup-caught-up")
            assert doc["fleet"]["checked"] == size and len(check["members"]) == size, "not every member checked"
            assert doc["fleet"]["tally"]["fail"] == size, doc["fleet"]["tally"]
            med = statistics.median(r[0] for r in results)
            print(f"{f'fleet of {size} (loop of single runs: {per_db * size:.1f}s)':46} {med:9.2f} "
                  f"{min(r[0] for r in results):7.2f} {max(r[1] for r in results):13d} {med * 1000 / size:14.0f}")
        print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    finally:
        with psycopg.connect(args.dsn, autocommit=True) as admin:
            drop_fleet(admin, max(sizes))
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
