"""The benchmarks under ``bench/`` import preflight's modules by path; a module moved without them breaks the
figures only when someone next runs a bench. Every preflight import a bench script makes must resolve."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _preflight_imports(script: Path) -> list[tuple[str, str | None]]:
    found: list[tuple[str, str | None]] = []
    for node in ast.walk(ast.parse(script.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, None) for alias in node.names if alias.name.split(".")[0] == "preflight"]
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "preflight":
            found += [(node.module, alias.name) for alias in node.names]
    return found


@pytest.mark.parametrize("script", sorted(BENCH.glob("*.py")), ids=lambda p: p.name)
def test_every_preflight_import_of_a_bench_resolves(script: Path) -> None:
    for module, name in _preflight_imports(script):
        imported = importlib.import_module(module)
        if name is not None and not hasattr(imported, name):
            importlib.import_module(f"{module}.{name}")  # a submodule: raises if it is not there either
