"""Hostile image archives, measured: every case of tests/hostile/test_hostile_archives.py as its own process, with
its peak memory, then the fuzz tests of the tar and layer readers with N examples each.

Usage: python bench/image_hostile_bench.py [--fuzz N] [--only SUBSTRING]

For each case (a tar header bomb, a layer of 4 GiB of zeros, a tampered layer, garbage...) it runs
``preflight run`` with one ``image.files`` check in a fresh directory; the process reads its own peak resident
memory (VmHWM) as it exits. Baseline in the same run: the sound image of the table (`control-a-sound-image-passes`),
read the same way. Prints the inputs tried, the outcomes that differ from the expected ones, tracebacks, and the
cases with the highest peak memory.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hostile.test_hostile_archives import archive_cases, check_outcome, run_case  # noqa: E402

FUZZ_TESTS = ["test_fuzz_generated_layers", "test_fuzz_mutated_layers", "test_fuzz_garbage_is_never_an_answer",
              "test_fuzz_two_layers"]


def fuzz(examples: int) -> tuple[int, str, float]:
    """(exit code, last line of pytest's output, seconds) of the fuzz tests run with ``examples`` each."""
    env = {**os.environ, "PREFLIGHT_FUZZ_EXAMPLES": str(examples)}
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "tests/hostile/test_hostile_archives.py", "-k", " or ".join(FUZZ_TESTS), "-W", "ignore"],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    return proc.returncode, lines[-1] if lines else proc.stderr[-500:], time.monotonic() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fuzz", type=int, default=2000, help="examples per fuzz test (default 2000; 0: none)")
    parser.add_argument("--only", default="", help="run only the cases whose id contains this")
    args = parser.parse_args()
    cases = [c for c in archive_cases() if args.only in c.id]
    results = []
    wrong = []
    tracebacks = 0
    for case in cases:
        with tempfile.TemporaryDirectory() as d:
            out = run_case(case, Path(d))
        if "Traceback" in out.stdout + out.stderr:
            tracebacks += 1
        try:
            check_outcome(case, out)
        except AssertionError as e:
            wrong.append(f"{case.id}: {str(e)[:300]}")
        results.append((case, out))
        print(f"{case.id}: exit {out.exit_code}, {out.seconds:.1f}s, peak {out.peak_rss_mib:.0f} MiB", file=sys.stderr)
    print(f"archive cases run: {len(results)}; outcomes other than expected: {len(wrong)}; tracebacks: {tracebacks}")
    for w in wrong:
        print(f"  WRONG {w}")
    baseline = next((o.peak_rss_mib for c, o in results if c.id.startswith("control")), None)
    if baseline is not None:
        print(f"baseline (a sound image read the same way): peak {baseline:.0f} MiB")
    print("highest peak memory:")
    for case, out in sorted(results, key=lambda r: -r[1].peak_rss_mib)[:5]:
        print(f"  {out.peak_rss_mib:.0f} MiB  {case.id} (exit {out.exit_code}, {out.seconds:.1f}s)")
    if args.fuzz:
        code, last, seconds = fuzz(args.fuzz)
        print(f"fuzz: {len(FUZZ_TESTS)} tests x {args.fuzz} examples ({len(FUZZ_TESTS) * args.fuzz} inputs), "
              f"{seconds:.0f}s, pytest exit {code}: {last}")


if __name__ == "__main__":
    main()
