"""The layers the folders show hold in the code: nothing below the command line imports it, the built-in checks
use only the public API (as a third-party check would), and the target config imports no reader at run time.

Imports are read from the source (every ``import`` statement, those inside functions included; those under
``if TYPE_CHECKING:`` are types only and never run)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "preflight"
CHECKS = REPO / "checks"

ENTRY_POINTS = {"preflight.__main__", "preflight.lint.__main__"}
"""``python -m preflight`` and ``python -m preflight.lint``: the command line's own entry points."""


def module_name(path: Path) -> str:
    if path.is_relative_to(CHECKS):
        parts = ("preflight", "checks", *path.relative_to(CHECKS).with_suffix("").parts)
    else:
        parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    found = {module_name(p): p for p in [*PACKAGE.rglob("*.py"), *CHECKS.glob("*.py")]}
    assert "preflight.api" in found and "preflight.checks.db_connect" in found
    return found


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports(path: Path, *, runtime: bool = True) -> Iterator[tuple[int, str]]:
    """(line, module) of each import in the file: ``from a.b import c`` yields ``a.b`` and ``a.b.c``, since ``c``
    may be a module. ``runtime``: leave out what is imported under ``if TYPE_CHECKING:``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]

    def walk(node: ast.AST) -> Iterator[tuple[int, str]]:
        for child in ast.iter_child_nodes(node):
            if runtime and isinstance(child, ast.If) and _type_checking(child):
                yield from (x for orelse in child.orelse for x in walk_one(orelse))
                continue
            yield from walk_one(child)

    def walk_one(node: ast.AST) -> Iterator[tuple[int, str]]:
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            yield node.lineno, base
            for alias in node.names:
                yield node.lineno, f"{base}.{alias.name}"
        yield from walk(node)

    yield from walk(tree)


def test_the_source_tree_is_read_whole() -> None:
    """The helpers above see the imports this file relies on (a guard against a silently empty scan)."""
    found = dict((m, line) for line, m in imports(PACKAGE / "cli" / "main.py"))
    assert "click" in found and "preflight.config.Config" not in found
    assert "preflight.config.Config" in dict((m, n) for n, m in imports(PACKAGE / "cli" / "main.py", runtime=False))


def test_nothing_outside_the_command_line_imports_it() -> None:
    offenders = [f"{path.relative_to(REPO)}:{line}: imports {imported}"
                 for name, path in modules().items()
                 if not (name == "preflight.cli" or name.startswith("preflight.cli.")) and name not in ENTRY_POINTS
                 for line, imported in imports(path, runtime=False)
                 if imported == "preflight.cli" or imported.startswith("preflight.cli.")]
    assert not offenders, "\n".join(offenders)


def test_click_is_imported_only_by_the_command_line() -> None:
    """The text reports' colours (click.style, honouring NO_COLOR) are the one use outside cli/."""
    allowed = {"preflight.reports.templating"}
    offenders = [f"{path.relative_to(REPO)}:{line}"
                 for name, path in modules().items()
                 if not name.startswith("preflight.cli") and name not in allowed
                 for line, imported in imports(path, runtime=False) if imported.split(".")[0] == "click"]
    assert not offenders, "\n".join(offenders)


def test_the_builtin_checks_import_only_the_public_api() -> None:
    offenders = [f"{path.relative_to(REPO)}:{line}: imports {imported}"
                 for path in sorted(CHECKS.glob("*.py"))
                 for line, imported in imports(path, runtime=False)
                 if imported.split(".")[0] == "preflight" and not imported.startswith("preflight.api")]
    assert not offenders, "\n".join(offenders)


def test_nothing_imports_a_top_level_checks_package() -> None:
    """The built-in checks install as preflight.checks: an import of `checks` works only from a source checkout
    (its root on sys.path), never from an installed wheel."""
    offenders = [f"{path.relative_to(REPO)}:{line}: imports {imported}"
                 for path in [*PACKAGE.rglob("*.py"), *CHECKS.glob("*.py"), *(REPO / "tests").rglob("*.py"),
                              *(REPO / "bench").glob("*.py")]
                 if "image_corpus" not in path.parts
                 for line, imported in imports(path, runtime=False) if imported.split(".")[0] == "checks"]
    assert not offenders, "\n".join(offenders)


def test_the_readers_import_the_target_config_for_types_only() -> None:
    """preflight.targets opens the readers; a reader that imported it back at run time would close a cycle
    (the config classes live beside their readers, so a reader never needs it but for types)."""
    readers = ("preflight.db.", "preflight.image.", "preflight.migrations.", "preflight.rehearsal.",
               "preflight.sql.", "preflight.lint.", "preflight.fleet.")
    offenders = [f"{path.relative_to(REPO)}:{line}: imports {imported}"
                 for name, path in modules().items() if name.startswith(readers)
                 for line, imported in imports(path) if imported.startswith("preflight.targets")]
    assert not offenders, "\n".join(offenders)


def test_the_target_config_classes_import_no_reader() -> None:
    """Reading the config never imports a reader: the modules of the target config classes import, at run time
    and at import time alike, nothing that opens a database, an image or a migration source."""
    config_modules = ["preflight.targets", "preflight.db.target", "preflight.image.target",
                      "preflight.migrations.target", "preflight.rehearsal.target"]
    heavy = ("preflight.image.sources", "preflight.image.layers", "preflight.migrations.plan",
             "preflight.migrations.runners", "psycopg")
    found = modules()
    offenders = [f"{name}:{line}: imports {imported}"
                 for name in config_modules
                 for line, imported in _module_level(found[name])
                 if imported.startswith(heavy)]
    assert not offenders, "\n".join(offenders)


def _module_level(path: Path) -> Iterator[tuple[int, str]]:
    """The imports that run when the module is imported (not those inside functions)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Import):
            yield from ((node.lineno, a.name) for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.lineno, node.module
            yield from ((node.lineno, f"{node.module}.{a.name}") for a in node.names)


def test_there_are_no_import_cycles_between_packages_at_import_time() -> None:
    """Module-level imports between preflight's packages form no cycle (lazy imports inside functions may point
    back up, as the engine's lookups do)."""
    found = modules()

    def package(name: str) -> str:
        parts = name.split(".")
        return ".".join(parts[:2]) if len(parts) > 1 else name

    edges: dict[str, set[str]] = {}
    for name, path in found.items():
        for _, imported in _module_level(path):
            target = next((m for m in (imported, imported.rpartition(".")[0]) if m in found), None)
            if target is not None and package(target) != package(name):
                edges.setdefault(package(name), set()).add(package(target))
    # preflight itself (its __init__) is every package's parent, imported first: leave it out.
    edges = {k: {v for v in vs if v != "preflight"} for k, vs in edges.items() if k != "preflight"}
    cycles = []
    for start in edges:
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in edges.get(node, ()):
                if nxt == start:
                    cycles.append(" -> ".join([*path, start]))
                elif nxt not in path:
                    stack.append((nxt, [*path, nxt]))
    assert not cycles, "\n".join(sorted(set(cycles)))
