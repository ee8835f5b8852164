"""Check types are plugins: modules registered under the entry-point group ``preflight.checks``.

A check type is one module::

    '''Passes when the database answers.   <- the module docstring is the user documentation

    More paragraphs...
    '''
    from dataclasses import dataclass
    from preflight.api import CheckContext, Result, doc

    api_version = 1                      # optional: the preflight.api version it was written for
    needs = ("database",)                # targets the check reads (validated before the run)

    def reads_database(config) -> bool:  # optional: in a fleet, run once per member (default: from `needs`)
        ...

    @dataclass
    class Config:                        # the check type's own keys, typed, with defaults
        min_version: str | None = doc("Lowest server version accepted, e.g. \"14\".", default=None)

    def run(config: Config, ctx: CheckContext) -> Result:
        ...

and is registered in its distribution's ``pyproject.toml``::

    [project.entry-points."preflight.checks"]
    "db.connect" = "preflight.checks.db_connect"

The built-in checks are registered exactly this way; the engine imports no check by name. A module is checked
when it is loaded (:func:`shape_fault`): one that is not a check type is a config error naming the fault, never a
crash mid-run. ``examples/plugin`` is a third-party check end to end, and :mod:`preflight.testing` builds a
:class:`CheckContext` for a check's own unit tests.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import inspect
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING, Any

from preflight.errors import ConfigError

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

    from preflight.db.target import Database
    from preflight.image import Image
    from preflight.migrations import MigrationPlan
    from preflight.model import Result
    from preflight.targets import Targets

GROUP = "preflight.checks"
TARGET_NAMES = ("database", "image", "migrations")


@dataclass
class CheckType:
    name: str
    module_name: str
    module: ModuleType | None = None
    load_error: str | None = None

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.module.__doc__ or "") if self.module else ""

    @property
    def summary(self) -> str:
        if self.load_error:
            return f"(cannot load: {self.load_error})"
        return self.doc.strip().splitlines()[0] if self.doc.strip() else ""

    @property
    def config_class(self) -> Any:
        return getattr(self.module, "Config", None)

    @property
    def needs(self) -> tuple[str, ...]:
        return tuple(getattr(self.module, "needs", ()))

    def reads_database(self, config: Any) -> bool:
        """Whether a run of this check with ``config`` reads the database, so that a fleet runs it once per member
        (any other check runs once). The module's ``reads_database(config)`` decides when it has one; otherwise a
        check that needs the database or the migrations does (the pending list comes from the database)."""
        hook = getattr(self.module, "reads_database", None)
        if callable(hook):
            return bool(hook(config))
        return "database" in self.needs or "migrations" in self.needs

    @property
    def run(self) -> Callable[[Any, CheckContext], Result]:
        assert self.module is not None
        return self.module.run  # type: ignore[no-any-return]


def _load(name: str, module_name: str, loader: Callable[[], Any]) -> CheckType:
    try:
        obj = loader()
    except Exception as e:  # noqa: BLE001 - a broken plugin must not break the others
        return CheckType(name, module_name, None, f"{type(e).__name__}: {e}")
    module = obj if isinstance(obj, ModuleType) else importlib.import_module(obj.__module__)
    fault = shape_fault(module)
    if fault is not None:
        return CheckType(name, module_name, None, fault)
    return CheckType(name, module_name, module)


def shape_fault(module: ModuleType) -> str | None:
    """Why ``module`` is not a check type, in one line; None when it is one.

    Checked when the module is loaded, so that a plug-in written wrong is a config error naming the fault
    (``preflight validate`` finds it) rather than a crash in the middle of a run: ``run`` takes ``(config, ctx)``,
    ``Config`` (when there is one) is a dataclass, ``needs`` names targets that exist, ``reads_database`` (when
    there is one) is callable, and ``api_version`` (when there is one) is not newer than this preflight's.
    """
    from preflight.api import API_VERSION

    run = getattr(module, "run", None)
    if not callable(run):
        return "the module has no run(config, ctx) function"
    try:
        signature = inspect.signature(run)
    except ValueError:  # no signature to inspect (a builtin): let the call decide
        signature = None
    if signature is not None:
        try:
            signature.bind(None, None)
        except TypeError:
            return f"run({', '.join(signature.parameters)}) does not take (config, ctx)"
    config = getattr(module, "Config", None)
    if config is not None and not (isinstance(config, type) and dataclasses.is_dataclass(config)):
        return "Config is not a dataclass"
    needs = getattr(module, "needs", ())
    if isinstance(needs, str) or not isinstance(needs, tuple | list):
        return f"needs must be a tuple of target names ({', '.join(TARGET_NAMES)}), not {needs!r}"
    unknown = [n for n in needs if n not in TARGET_NAMES]
    if unknown:
        return f"needs names {', '.join(map(repr, unknown))}, not a target (targets: {', '.join(TARGET_NAMES)})"
    if not callable(getattr(module, "reads_database", callable)):
        return "reads_database is not a function of the config"
    version = getattr(module, "api_version", API_VERSION)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        return f"api_version must be a positive integer, not {version!r}"
    if version > API_VERSION:
        return (f"written for preflight's check API version {version}; this preflight has version {API_VERSION} "
                "(upgrade preflight)")
    return None


@functools.cache
def _entry_points() -> dict[str, EntryPoint]:
    """The installed check types by name, sorted, not imported yet (the first registration of a name wins)."""
    from importlib.metadata import entry_points

    found: dict[str, EntryPoint] = {}
    for ep in entry_points(group=GROUP):
        found.setdefault(ep.name, ep)
    return dict(sorted(found.items()))


def names() -> list[str]:
    """The names of the installed check types, sorted, without importing them."""
    return list(_entry_points())


@functools.cache
def get(name: str) -> CheckType | None:
    """One check type, its module imported on first use; None when none of that name is installed."""
    ep = _entry_points().get(name)
    return None if ep is None else _load(ep.name, ep.value, ep.load)


def registry() -> dict[str, CheckType]:
    """All installed check types by name, sorted: imports every one (for listing and documenting them)."""
    return {name: ct for name in names() if (ct := get(name)) is not None}


def require(name: str, *, file: str | None = None, check: str | None = None, line: int | None = None) -> CheckType:
    ct = get(name)
    if ct is None:
        known = ", ".join(names()) or "none installed"
        raise ConfigError(f"unknown check type {name!r} (known: {known})", file=file, check=check, key="uses",
                          line=line)
    if ct.module is None:
        raise ConfigError(f"check type {name!r} cannot be loaded: {ct.load_error}", file=file, check=check,
                          key="uses", line=line)
    return ct


@dataclass
class CheckContext:
    """What a running check can reach: the shared readers of its run and its own time budget."""

    check_id: str
    targets: Targets
    deadline: float
    """``time.monotonic()`` value by which the check must finish."""
    debug: bool = False
    options: dict[str, Any] = field(default_factory=dict)
    """Run-wide options a check may honour, e.g. ``no_cache`` for the lint's parse cache."""

    @property
    def database(self) -> Database:
        return self.targets.database

    @property
    def image(self) -> Image:
        return self.targets.image

    @property
    def migrations(self) -> MigrationPlan:
        return self.targets.migrations

    def remaining(self) -> float:
        return max(0.0, self.deadline - time.monotonic())
