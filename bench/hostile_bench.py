"""The hostile corpus, measured: every case of tests/hostile/corpus.py as its own process, with its peak memory.

Usage: python bench/hostile_bench.py [--fuzz N] [--only SUBSTRING]

For each case (a malformed config, a NUL byte, an unreadable migration entry, SQL nested thousands deep...) it
runs the command a user would, in a fresh directory, and reads the process's peak resident memory from
``wait4`` (that process alone). Baseline in the same run: ``python -m preflight --version`` (the interpreter and
preflight's start-up, nothing read). Then, with ``--fuzz N``, the Hypothesis fuzz tests of tests/hostile run with N
examples each, in one pytest process whose peak memory is read the same way.

Prints: inputs tried, exit codes that differ from the expected ones, tracebacks (any "Traceback" on stdout or
stderr), and the cases with the highest peak memory against the baseline.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hostile.corpus import Case, all_cases, check_outcome, run  # noqa: E402

FUZZ_TESTS = ["tests/hostile/test_hostile_config.py", "tests/hostile/test_hostile_migrations.py"]


def baseline() -> int:
    case = Case("baseline: preflight --version", lambda d: None, ("--version",), 0, "preflight", stream="stdout")
    with tempfile.TemporaryDirectory() as d:
        return run(case, Path(d)).peak_rss_kib


def fuzz(examples: int) -> tuple[int, int, float, str]:
    """(peak KiB, pytest's exit code, seconds, its last line) of the fuzz tests with ``examples`` each."""
    env = {**os.environ, "PREFLIGHT_FUZZ_EXAMPLES": str(examples)}
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-k", "fuzz",
                             *FUZZ_TESTS], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert proc.stdout is not None
    output = proc.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stdout.close()
    last = output.strip().splitlines()[-1] if output.strip() else ""
    return usage.ru_maxrss, proc.returncode, time.monotonic() - started, last


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--fuzz", type=int, default=0, help="examples per fuzz test (0: no fuzz run)")
    ap.add_argument("--only", default="", help="run only the cases whose id contains this")
    args = ap.parse_args()

    base = baseline()
    cases = [c for c in all_cases() if args.only in c.id]
    rows: list[tuple[str, int, int, float]] = []
    wrong: list[str] = []
    wrong_exit: list[str] = []
    tracebacks = 0
    for case in cases:
        d = Path(tempfile.mkdtemp(prefix="preflight-hostile-bench-"))
        try:
            started = time.monotonic()
            out = run(case, d)
            took = time.monotonic() - started
        finally:
            for p in d.rglob("*"):  # a case may leave a file with no permissions: give them back to delete it
                if not p.is_symlink():
                    p.chmod(0o700)
            shutil.rmtree(d, ignore_errors=True)
        if "Traceback" in out.stdout + out.stderr:
            tracebacks += 1
        if out.exit_code != case.exit_code:
            wrong_exit.append(f"{case.id}: exit {out.exit_code}, expected {case.exit_code}")
        try:
            check_outcome(case, out)
        except AssertionError as e:
            wrong.append(f"{case.id}: {' '.join(str(e).split())[:160]}")
        rows.append((case.id, out.exit_code, out.peak_rss_kib, took))

    print(f"baseline (python -m preflight --version): peak {base / 1024:.1f} MiB")
    print(f"inputs tried: {len(rows)} cases; exit code not as expected: {len(wrong_exit)}; exit code or message "
          f"not as expected: {len(wrong)}; tracebacks: {tracebacks}")
    for line in wrong_exit or wrong:
        print("  " + line)
    print(f"{'case (highest peak memory first)':52} {'exit':>4} {'peak MiB':>9} {'over baseline':>14} {'s':>6}")
    for case_id, code, rss, took in sorted(rows, key=lambda r: -r[2])[:12]:
        print(f"{case_id:52} {code:>4} {rss / 1024:9.1f} {(rss - base) / 1024:+13.1f} {took:6.2f}")
    if args.fuzz:
        rss, code, took, last = fuzz(args.fuzz)
        print(f"fuzz: {args.fuzz} examples per test, pytest exit {code} ({last}), {took:.0f}s, "
              f"peak {rss / 1024:.1f} MiB ({(rss - base) / 1024:+.1f} over baseline)")


if __name__ == "__main__":
    main()
