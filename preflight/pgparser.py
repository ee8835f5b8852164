"""PostgreSQL's parser (pglast's C extension), loaded without pglast's Python node classes.

``import pglast.parser`` normally runs ``pglast/__init__``, which imports ``pglast.ast`` and ``pglast.enums``:
about 20 ms of Python classes that preflight never uses, since it reads the JSON tree (``parse_sql_json``) that
the C parser builds without them. A ``preflight lint`` run is short enough for that start-up to matter (and
``preflight migrations`` parses migrations while it waits for nothing else), so when pglast is not imported yet, the extension is loaded into a package object whose ``__init__`` runs on first use of any
other name (``pglast.parse_sql``, ``pglast.__version__``...), and whose submodules (``pglast.ast``,
``pglast.enums``) import normally. Code elsewhere in the process that imports pglast gets the complete package.
Anything unexpected falls back to the plain import.
"""

from __future__ import annotations

import sys
from types import ModuleType

TYPE_CHECKING = False  # typing is not imported at run time: lint start-up is measured in milliseconds
if TYPE_CHECKING:
    from typing import Any


class _LazyPackage(ModuleType):
    """The ``pglast`` package, whose ``__init__`` code runs on first access to a name it defines."""

    _initialised = False

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__"):
            raise AttributeError(attr)
        if not self._initialised:
            self._initialised = True
            spec = self.__spec__
            assert spec is not None and spec.origin is not None
            with open(spec.origin, encoding="utf-8") as f:
                code = compile(f.read(), spec.origin, "exec")
            exec(code, self.__dict__)  # noqa: S102 - pglast's own __init__, run once, in its own package
            if attr in self.__dict__:
                return self.__dict__[attr]
        import importlib

        try:  # a submodule nobody imported yet, as the real package would have it (`pglast.ast`)
            return importlib.import_module(f"{self.__name__}.{attr}")
        except ModuleNotFoundError:
            raise AttributeError(attr) from None


class _LazyModule(ModuleType):
    """Stands for ``pglast.ast`` / ``pglast.enums`` in the parser's globals until first used."""

    def __getattr__(self, attr: str) -> Any:
        import importlib

        return getattr(importlib.import_module(self.__name__), attr)


def _load() -> ModuleType:
    if "pglast" in sys.modules:
        import pglast.parser

        return pglast.parser
    import importlib
    from importlib.machinery import PathFinder

    try:
        spec = PathFinder.find_spec("pglast")
        if spec is None or not spec.submodule_search_locations or not spec.origin:
            raise ImportError("pglast is not installed")
        package = _LazyPackage("pglast")
        package.__path__ = list(spec.submodule_search_locations)
        package.__spec__ = spec
        package.__file__ = spec.origin
        package.__package__ = "pglast"
        sys.modules["pglast"] = package
        # The parser binds `ast` and `enums` when it loads; it needs them only to build Python nodes.
        standins = {name: _LazyModule(f"pglast.{name}") for name in ("ast", "enums")}
        for name, module in standins.items():
            sys.modules[f"pglast.{name}"] = module
            package.__dict__[name] = module
        try:
            error = importlib.import_module("pglast.error")
            package.__dict__["Error"] = error.Error
            parser = importlib.import_module("pglast.parser")
        finally:
            for name in standins:
                del sys.modules[f"pglast.{name}"], package.__dict__[name]
        package.__dict__["error"] = error
        package.__dict__["parser"] = parser
        return parser
    except Exception:  # noqa: BLE001 - any surprise in pglast's layout: the ordinary, slower import
        for name in [m for m in sys.modules if m == "pglast" or m.startswith("pglast.")]:
            if name != "pglast.parser":
                del sys.modules[name]
        if "pglast.parser" in sys.modules:
            raise
        import pglast.parser

        return pglast.parser


_parser = _load()
parse_sql_json = _parser.parse_sql_json
parse_plpgsql_json = _parser.parse_plpgsql_json
scan = _parser.scan
ParseError: type[Exception] = _parser.ParseError

__all__ = ["ParseError", "parse_plpgsql_json", "parse_sql_json", "scan"]
