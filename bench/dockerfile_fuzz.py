"""Fuzzing the ``dockerfile:`` source longer than the test suite does, with figures.

Runs the properties of tests/test_dockerfile_fuzz.py (recipes made of recipe pieces, garbage text, variable
bombs) for ``--examples`` inputs each and prints: inputs tried, tracebacks (anything but a one-line
ReaderError), the peak memory of the worst input, and the slowest input. The baseline is the issue's bomb: a 1.4
KB recipe of ARGs doubling each other, which took 12.5 GB before expansion was bounded.

    python bench/dockerfile_fuzz.py --examples 3000
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from preflight.errors import ReaderError  # noqa: E402
from preflight.image.dockerfile.view import open_dockerfile  # noqa: E402
from preflight.targets import ImageTarget  # noqa: E402
from tests.test_dockerfile_fuzz import CONTEXT, bomb, garbage, recipes, wellformed  # noqa: E402


class Figures:
    def __init__(self) -> None:
        self.tried = 0
        self.errors = 0
        self.tracebacks: list[str] = []
        self.worst_memory = (0, "")
        self.slowest = (0.0, "")

    def run(self, root: Path, text: str) -> None:
        self.tried += 1
        (root / "Dockerfile").write_text(text, encoding="utf-8", errors="surrogateescape")
        target = ImageTarget(ref="dockerfile:Dockerfile", build_args={"A": "1"})
        target.base_dir = root
        tracemalloc.start()
        started = time.perf_counter()
        try:
            view = open_dockerfile(target).single()
            view.stat(["/app/x", "/app/server", "/", "/a"])
            for p in ("/", "/app"):
                try:
                    view.list_directory(p)
                except ReaderError:
                    pass
        except ReaderError as e:
            self.errors += 1
            if "\n" in str(e):
                self.tracebacks.append(f"multi-line error: {str(e)[:120]!r}")
        except Exception as e:  # noqa: BLE001 - what the figures count
            self.tracebacks.append(f"{type(e).__name__}: {str(e)[:120]} for {text[:80]!r}")
        took = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        if peak > self.worst_memory[0]:
            self.worst_memory = (peak, text[:60])
        if took > self.slowest[0]:
            self.slowest = (took, text[:60])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--examples", type=int, default=1000)
    args = parser.parse_args()
    figures = Figures()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for rel, data in CONTEXT.items():
            p = root / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(data)
        common = settings(max_examples=args.examples, deadline=None, database=None,
                          suppress_health_check=list(HealthCheck))

        @common
        @given(text=recipes)
        def pieces(text: str) -> None:
            figures.run(root, text)

        @common
        @given(text=wellformed)
        def valid(text: str) -> None:
            figures.run(root, text)

        @common
        @given(text=garbage)
        def noise(text: str) -> None:
            figures.run(root, text)

        @settings(max_examples=max(10, args.examples // 10), deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(depth=st.integers(min_value=2, max_value=60), width=st.integers(min_value=2, max_value=6))
        def bombs(depth: int, width: int) -> None:
            figures.run(root, bomb(depth, width))

        started = time.perf_counter()
        pieces()
        valid()
        noise()
        bombs()
        figures.run(root, bomb(40, 2))       # the shape: about 1.4 KB, ARGs doubling each other
        took = time.perf_counter() - started
    print(f"inputs tried:         {figures.tried} in {took:.1f} s")
    print(f"one-line errors:      {figures.errors}")
    print(f"tracebacks:           {len(figures.tracebacks)}")
    for t in figures.tracebacks[:10]:
        print(f"  {t}")
    print(f"worst peak memory:    {figures.worst_memory[0] / 1e6:.1f} MB ({figures.worst_memory[1]!r})")
    print(f"slowest input:        {figures.slowest[0] * 1000:.0f} ms ({figures.slowest[1]!r})")


if __name__ == "__main__":
    main()
