"""`preflight lint` as users type it, side by side with squawk on the same corpus, and a 20 MB migration's memory.

Usage: python bench/lint_bench.py [--runs N] [--files N] [--big-mb N] [--baseline REF] [--squawk PATH]

The corpus is generated into a temporary directory (bench/lint_corpus.py, fixed seed: 430 files, about 0.5 MB of
varied migration SQL). squawk comes from PyPI (``pip install squawk-cli``) into a virtualenv of the bench's own
under bench/out/ (not a test dependency), unless --squawk names a binary. preflight is the ``preflight`` console
script of a wheel installed into bench/out/ (bench/installs.py); with ``--baseline REF`` (e.g. ``main``) the same
cases also run for that git ref, interleaved with this checkout's, so that both meet the same machine load.

Cases, each a whole process over every file of the corpus, timed end to end (start-up, reading, parsing,
linting, printing), runs interleaved:

- squawk, default reporter and ``--reporter json``; squawk has no cache, so its cold and warm runs are the same;
- ``preflight lint`` and ``preflight lint --format json``, cold (a fresh, empty cache directory for every run:
  writing the cache is part of the run) and warm (the cache the cold runs filled).

Then one migration of ``--big-mb`` MB of seed data (a table and one INSERT per row, as ``pg_dump --inserts``
writes it), linted with ``--no-cache``: wall time and the process's peak memory (its maximum resident set), against
a one-line migration's.

Prints best and median milliseconds and median CPU time (user + system) per case, and the budget: the cold
``preflight lint`` of the corpus under 300 ms (best of the runs); the big file's peak memory under 4x its size.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from installs import OUT, label, preflight_bin  # noqa: E402
from lint_corpus import generate  # noqa: E402

COLD_BUDGET_MS = 300.0


def squawk_binary(explicit: str | None) -> str:
    if explicit:
        return explicit
    venv = OUT / "squawk-venv"
    exe = venv / "bin" / "squawk"
    if not exe.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", "squawk-cli"], check=True)
    return str(exe)


def run(cmd: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, int]:
    """Wall time and CPU time (user + system) in ms, and peak resident memory in KiB, of one process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = (time.perf_counter() - t0) * 1000
    proc.returncode = os.waitstatus_to_exitcode(status)
    stderr = proc.stderr.read() if proc.stderr else b""
    if proc.stderr:
        proc.stderr.close()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd[:3])} failed ({proc.returncode}): {stderr.decode()[:500]}")
    return elapsed, (usage.ru_utime + usage.ru_stime) * 1000, usage.ru_maxrss


def big_migration(path: Path, megabytes: float) -> int:
    """A seed-data migration of about ``megabytes`` MB; returns its size in bytes."""
    with path.open("w", encoding="utf-8") as f:
        f.write("CREATE TABLE app.countries (id bigint PRIMARY KEY, code text NOT NULL, name text NOT NULL, "
                "population bigint, updated_at timestamptz);\n")
        n = 0
        while f.tell() < megabytes * 1e6:
            n += 1
            f.write(f"INSERT INTO app.countries (id, code, name, population, updated_at) VALUES ({n}, 'C{n:06d}', "
                    f"'Country number {n}', {n * 7919 % 100_000_000}, '2024-01-01 00:00:00+00');\n")
    return path.stat().st_size


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--files", type=int, default=430)
    ap.add_argument("--big-mb", type=float, default=20.0, help="the big migration's size (0: none)")
    ap.add_argument("--baseline", metavar="REF", help="also time this git ref (e.g. main), interleaved")
    ap.add_argument("--squawk", help="a squawk binary to use instead of installing squawk-cli")
    args = ap.parse_args()

    squawk = squawk_binary(args.squawk)
    version = subprocess.run([squawk, "--version"], capture_output=True, text=True).stdout.strip()
    refs: list[str | None] = [None] if args.baseline is None else [args.baseline, None]
    installs = {ref: str(preflight_bin(ref) / "preflight") for ref in refs}
    work = Path(tempfile.mkdtemp(prefix="preflight-lint-bench-"))
    timings: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    peak: dict[str, list[int]] = {}
    try:
        corpus = work / "migrations"
        paths = generate(corpus, files=args.files)
        names = [p.name for p in paths]
        size = sum(p.stat().st_size for p in paths)
        big = work / "big" / "0001_seed_countries.sql"
        big.parent.mkdir()
        big_size = big_migration(big, args.big_mb) if args.big_mb else 0
        small = work / "big" / "0002_one_line.sql"
        small.write_text("CREATE TABLE app.t (id bigint PRIMARY KEY);\n")
        env = {k: v for k, v in os.environ.items() if not k.startswith("PREFLIGHT_")}
        env["NO_COLOR"] = "1"
        cases: dict[str, tuple[list[str], str, Path]] = {  # name -> (command, cache, directory)
            f"{version} (default reporter)": ([squawk, *names], "none", corpus),
            f"{version} --reporter json": ([squawk, "--reporter", "json", *names], "none", corpus),
        }
        for ref, exe in installs.items():
            who = f"preflight lint ({label(ref)})"
            cases[f"{who}, cold, text"] = ([exe, "lint", *names], "cold", corpus)
            cases[f"{who}, cold, json"] = ([exe, "lint", "--format", "json", *names], "cold", corpus)
            cases[f"{who}, warm, text"] = ([exe, "lint", *names], f"warm-{ref}", corpus)
            cases[f"{who}, warm, json"] = ([exe, "lint", "--format", "json", *names], f"warm-{ref}", corpus)
            if args.big_mb:
                cases[f"{who}, {big_size / 1e6:.0f} MB migration"] = ([exe, "lint", "--no-cache", big.name], "none",
                                                                       big.parent)
                cases[f"{who}, one-line migration"] = ([exe, "lint", "--no-cache", small.name], "none", big.parent)
        if args.big_mb:
            cases[f"{version}, {big_size / 1e6:.0f} MB migration"] = ([squawk, big.name], "none", big.parent)
        # One untimed round: OS caches, squawk's first start, and the warm caches.
        for cmd, cache, cwd in cases.values():
            run(cmd, {**env, "PREFLIGHT_CACHE_DIR": str(work / cache)}, cwd)
        for i in range(args.runs):
            for n, (name, (cmd, cache, cwd)) in enumerate(cases.items()):
                cache_dir = work / (f"cold-{n}-{i}" if cache == "cold" else cache)
                wall, used, rss = run(cmd, {**env, "PREFLIGHT_CACHE_DIR": str(cache_dir)}, cwd)
                timings.setdefault(name, []).append(wall)
                cpu.setdefault(name, []).append(used)
                peak.setdefault(name, []).append(rss)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"corpus: {len(paths)} files, {size / 1e6:.2f} MB; big migration {big_size / 1e6:.1f} MB; "
          f"{args.runs} runs per case, interleaved; {os.cpu_count()} CPUs; load average before: "
          f"{os.getloadavg()[0]:.1f}\n")
    print("| case | best ms | median ms | median cpu ms | peak RSS MiB |")
    print("|---|---|---|---|---|")
    for name, ts in timings.items():
        print(f"| {name} | {min(ts):.1f} | {statistics.median(ts):.1f} | {statistics.median(cpu[name]):.1f} | "
              f"{max(peak[name]) / 1024:.0f} |")
    print()
    best = {n: min(t) for n, t in timings.items()}
    for ref in refs:
        who = f"preflight lint ({label(ref)})"
        cold = best[f"{who}, cold, text"]
        verdict = "holds" if cold < COLD_BUDGET_MS else "does NOT hold"
        print(f"{who}: cold text {cold:.1f} ms, budget {COLD_BUDGET_MS:.0f} ms {verdict}; "
              f"{cold / best[f'{version} (default reporter)']:.2f}x squawk's default reporter, cold json "
              f"{best[f'{who}, cold, json'] / best[f'{version} --reporter json']:.2f}x squawk --reporter json")
        if not args.big_mb:
            continue
        rss = max(peak[f"{who}, {big_size / 1e6:.0f} MB migration"]) * 1024
        base = max(peak[f"{who}, one-line migration"]) * 1024
        print(f"{who}: {big_size / 1e6:.1f} MB migration peaks at {rss / 1e6:.0f} MB "
              f"({rss / big_size:.1f}x its size; {(rss - base) / big_size:.1f}x over the one-line migration's "
              f"{base / 1e6:.0f} MB); budget 4x {'holds' if rss < 4 * big_size else 'does NOT hold'}")


if __name__ == "__main__":
    main()
