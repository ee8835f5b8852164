"""Migration lint: preflight against squawk on the same corpus, in the same run, one process each.

Usage: python bench/lint_bench.py [--runs N] [--files N] [--squawk PATH]

The corpus is generated into a temporary directory (bench/lint_corpus.py, fixed seed: 430 files, about 0.5 MB of
varied migration SQL). squawk comes from PyPI (``pip install squawk-cli``) into a virtualenv of the bench's own
under bench/out/ (not a test dependency), unless --squawk names a binary.

Cases, each a whole process over every file of the corpus, timed end to end (start-up, reading, parsing,
linting, printing), runs interleaved so that both tools meet the same machine load:

- squawk, default reporter (what a user reads) and ``--reporter json``; squawk has no cache, so its cold and
  warm runs are the same thing;
- ``python -m preflight.lint`` (preflight's lean lint entry point), text and ``--format json``, cold: a fresh,
  empty cache directory for every run (writing the cache is part of the run) - and warm: the cache the cold runs
  filled;
- the same, cold, limited to one process (``--jobs 1``), to show what the second CPU brings (by default
  preflight uses the CPUs that are idle, from the load average).

Each preflight output is compared with squawk's of the same kind: text with squawk's default reporter, JSON
with squawk's JSON reporter. preflight runs from a wheel installed into bench/out/preflight-venv (as users get
it); ``--editable`` times this interpreter's checkout instead, byte-compiled first.

Prints median and best milliseconds per case, the median CPU time (user + system, every process and thread of the
run), and whether preflight is faster than squawk cold.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from lint_corpus import generate  # noqa: E402


def squawk_binary(explicit: str | None) -> str:
    if explicit:
        return explicit
    venv = HERE / "out" / "squawk-venv"
    exe = venv / "bin" / "squawk"
    if not exe.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", "squawk-cli"], check=True)
    return str(exe)


def preflight_python(editable: bool) -> str:
    """A Python with preflight installed the way users get it: a wheel, byte-compiled by pip, in a virtualenv of
    the bench's own (an editable install adds an import hook that costs start-up time users never pay)."""
    if editable:
        return sys.executable
    venv = HERE / "out" / "preflight-venv"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(HERE.parent)], check=True)
    else:  # this checkout's code, not the last bench run's
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--force-reinstall",
                        str(HERE.parent)], check=True)
    return str(python)


def run(cmd: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """Wall time and CPU time (user + system of the process and its workers or threads) in ms; CPU time is what
    other load on the machine inflates less."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    out = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True)
    elapsed = (time.perf_counter() - t0) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode not in (0, 1):
        raise SystemExit(f"{cmd[0]} failed ({out.returncode}): {out.stderr.decode()[:500]}")
    return elapsed, (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--files", type=int, default=430)
    ap.add_argument("--squawk", help="a squawk binary to use instead of installing squawk-cli")
    ap.add_argument("--editable", action="store_true",
                    help="time this interpreter's (editable) preflight instead of a wheel in bench/out/")
    args = ap.parse_args()

    squawk = squawk_binary(args.squawk)
    python = preflight_python(args.editable)
    if args.editable:  # byte-compile, as pip would (PYTHONDONTWRITEBYTECODE would make every run compile)
        subprocess.run([python, "-m", "compileall", "-q", str(HERE.parent / "preflight")], check=True,
                       stdout=subprocess.DEVNULL)
    version = subprocess.run([squawk, "--version"], capture_output=True, text=True).stdout.strip()
    work = Path(tempfile.mkdtemp(prefix="preflight-lint-bench-"))
    try:
        corpus = work / "migrations"
        paths = generate(corpus, files=args.files)
        names = [p.name for p in paths]
        size = sum(p.stat().st_size for p in paths)
        warm_cache = work / "warm-cache"
        env = {k: v for k, v in os.environ.items() if not k.startswith("PREFLIGHT_")}
        env["NO_COLOR"] = "1"
        lint = [python, "-m", "preflight.lint"]
        cases: dict[str, list[str]] = {
            f"{version} (default reporter)": [squawk, *names],
            f"{version} --reporter json": [squawk, "--reporter", "json", *names],
            "preflight cold, text": [*lint, *names],
            "preflight cold, json": [*lint, "--format", "json", *names],
            "preflight cold, json, one process (--jobs 1)": [*lint, "--format", "json", "--jobs", "1", *names],
            "preflight warm, text": [*lint, *names],
            "preflight warm, json": [*lint, "--format", "json", *names],
        }
        timings: dict[str, list[float]] = {name: [] for name in cases}
        cpu: dict[str, list[float]] = {name: [] for name in cases}
        # One untimed round: OS caches, squawk's first start, and the warm cache.
        for cmd in cases.values():
            run(cmd, {**env, "PREFLIGHT_CACHE_DIR": str(warm_cache)}, corpus)
        for i in range(args.runs):
            for n, (name, cmd) in enumerate(cases.items()):
                case_env = dict(env)
                if name.startswith("preflight cold"):
                    case_env["PREFLIGHT_CACHE_DIR"] = str(work / f"cold-{n}-{i}")  # never used before
                else:
                    case_env["PREFLIGHT_CACHE_DIR"] = str(warm_cache)
                wall, used = run(cmd, case_env, corpus)
                timings[name].append(wall)
                cpu[name].append(used)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"corpus: {len(paths)} files, {size / 1e6:.2f} MB; {args.runs} runs per case; {os.cpu_count()} CPUs\n")
    print("| case | median ms | best ms | cpu ms |")
    print("|---|---|---|---|")
    for name, ts in timings.items():
        print(f"| {name} | {statistics.median(ts):.1f} | {min(ts):.1f} | {statistics.median(cpu[name]):.1f} |")
    med = {n: statistics.median(t) for n, t in timings.items()}
    print()
    for ours, theirs in (("preflight cold, text", f"{version} (default reporter)"),
                         ("preflight cold, json", f"{version} --reporter json")):
        verdict = "holds" if med[ours] < med[theirs] else "does NOT hold"
        print(f"goal, {ours} vs {theirs}: {verdict} ({med[ours]:.1f} ms against {med[theirs]:.1f} ms, "
              f"{med[theirs] / med[ours]:.2f}x)")


if __name__ == "__main__":
    main()
