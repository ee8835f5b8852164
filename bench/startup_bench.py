"""Start-up cost of `preflight --version` against the baseline `python -c pass`, in the same run.

Usage: python bench/startup_bench.py [--runs N]
Prints the median and best wall time of each, and preflight's overhead over the bare interpreter.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time


def measure(cmd: list[str], runs: int) -> list[float]:
    subprocess.run(cmd, check=True, capture_output=True)  # warm the OS caches once
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append((time.perf_counter() - t0) * 1000)
    return times


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=30)
    args = ap.parse_args()
    exe = shutil.which("preflight")
    cases = {
        "baseline: python -c pass": [sys.executable, "-c", "pass"],
        "preflight --version (console script)": [exe] if exe else [sys.executable, "-m", "preflight", "--version"],
        "preflight --help": [exe, "--help"] if exe else [sys.executable, "-m", "preflight", "--help"],
    }
    if exe:
        cases["preflight --version (console script)"] = [exe, "--version"]
    results = {name: measure(cmd, args.runs) for name, cmd in cases.items()}
    base = statistics.median(results["baseline: python -c pass"])
    print(f"{'case':40} {'median ms':>10} {'best ms':>8} {'over baseline':>14}")
    for name, times in results.items():
        med = statistics.median(times)
        print(f"{name:40} {med:10.1f} {min(times):8.1f} {med - base:+13.1f}")


if __name__ == "__main__":
    main()
