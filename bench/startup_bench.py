"""Start-up: `preflight --version` and `--help` against a bare `python -c pass`, in the same run.

Usage: python bench/startup_bench.py [--runs N] [--baseline REF]

preflight is the console script of a wheel installed into bench/out/ (bench/installs.py), as users get it; its
virtualenv's python is the baseline. With ``--baseline REF`` (e.g. ``main``) that git ref's install is timed too,
interleaved. Prints best and median wall time and median CPU time per case, and whether ``--version`` stays under
3x the bare interpreter (best of the runs).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from installs import label, preflight_bin  # noqa: E402

BUDGET_RATIO = 3.0


def run(cmd: list[str]) -> tuple[float, float]:
    """Wall and CPU (user + system) milliseconds of one process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed")
    return (time.perf_counter() - t0) * 1000, (usage.ru_utime + usage.ru_stime) * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--baseline", metavar="REF", help="also time this git ref (e.g. main), interleaved")
    args = ap.parse_args()
    refs: list[str | None] = [None] if args.baseline is None else [args.baseline, None]
    bins = {ref: preflight_bin(ref) for ref in refs}
    cases = {"baseline: python -c pass": [str(bins[None] / "python"), "-c", "pass"]}
    for ref, b in bins.items():
        cases[f"preflight --version ({label(ref)})"] = [str(b / "preflight"), "--version"]
        cases[f"preflight --help ({label(ref)})"] = [str(b / "preflight"), "--help"]
    for cmd in cases.values():  # warm the OS caches once
        run(cmd)
    wall: dict[str, list[float]] = {name: [] for name in cases}
    cpu: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(args.runs):
        for name, cmd in cases.items():
            w, c = run(cmd)
            wall[name].append(w)
            cpu[name].append(c)
    print(f"{args.runs} runs per case, interleaved; load average before: {os.getloadavg()[0]:.1f}\n")
    print("| case | best ms | median ms | median cpu ms | best over `python -c pass` |")
    print("|---|---|---|---|---|")
    base = min(wall["baseline: python -c pass"])
    for name, times in wall.items():
        print(f"| {name} | {min(times):.1f} | {statistics.median(times):.1f} | {statistics.median(cpu[name]):.1f} | "
              f"{min(times) / base:.2f}x |")
    print()
    for ref in refs:
        ratio = min(wall[f"preflight --version ({label(ref)})"]) / base
        print(f"preflight --version ({label(ref)}): {ratio:.2f}x a bare python; budget {BUDGET_RATIO:.0f}x "
              f"{'holds' if ratio < BUDGET_RATIO else 'does NOT hold'}")


if __name__ == "__main__":
    main()
