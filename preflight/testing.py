"""Helpers for a check plug-in's own unit tests: its ``Config`` from a table, and a :class:`CheckContext` on real
targets, closed afterwards.

A test of a check module calls its ``run`` exactly as the engine does::

    from preflight.testing import check_context, config_of
    import acme_checks.non_root as check

    def test_an_image_that_runs_as_root_fails(tmp_path):
        config = config_of(check, {"allow": ["/usr/sbin/nginx"]})      # the keys of its [[check]] table
        with check_context(image="docker-archive:app.tar") as ctx:      # or database=DSN, migrations={...}
            result = check.run(config, ctx)
        assert result.status.value == "fail"

Each target is given as the config file gives it: a string (the database's DSN, the image's ref) or a table of
its keys (``{"source": "migrations", "tracking": "golang-migrate"}``); relative paths resolve against
``base_dir`` (default: the working directory). Nothing is mocked: the readers are the ones a run uses, opened
lazily when the check first asks for them.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

from preflight.plugin import CheckContext
from preflight.targets import DatabaseTarget, ImageTarget, MigrationsTarget, Targets, TargetsConfig
from preflight.typed import KeyError_, build


def config_of(check: ModuleType, table: dict[str, Any] | None = None) -> Any:
    """The check module's ``Config`` built from ``table`` (its own keys, as in a ``[[check]]`` table), typed and
    validated as the config loader does it; ``None`` for a check without a ``Config``. A bad key raises
    ``ValueError("key: why")``."""
    config_class = getattr(check, "Config", None)
    table = table or {}
    try:
        if config_class is None:
            if table:
                raise KeyError_(next(iter(table)), "unknown key: the check type takes no keys of its own")
            return None
        return build(config_class, table)
    except KeyError_ as e:
        raise ValueError(f"{e.key}: {e.message}") from None


def _target(cls: Any, given: Any, key: str, base_dir: Path) -> Any:
    if given is None or isinstance(given, cls):
        target = given
    else:
        table = {key: given} if isinstance(given, str) else dict(given)
        try:
            target = build(cls, table)
        except KeyError_ as e:
            raise ValueError(f"{e.key}: {e.message}") from None
    if target is not None:
        target.base_dir = base_dir
    return target


@contextmanager
def check_context(*, database: str | dict[str, Any] | DatabaseTarget | None = None,
                  image: str | dict[str, Any] | ImageTarget | None = None,
                  migrations: dict[str, Any] | MigrationsTarget | None = None,
                  check_id: str = "test", timeout: float = 60.0, options: dict[str, Any] | None = None,
                  base_dir: str | Path | None = None) -> Iterator[CheckContext]:
    """A context with these targets and ``timeout`` seconds to run in; its readers are closed on exit. A target
    left out is missing, as in a config without it: a check that needs it gets the same error a run reports."""
    base = Path(base_dir or Path.cwd()).absolute()
    config = TargetsConfig(database=_target(DatabaseTarget, database, "dsn", base),
                           image=_target(ImageTarget, image, "ref", base),
                           migrations=_target(MigrationsTarget, migrations, "source", base))
    targets = Targets(config)
    try:
        yield CheckContext(check_id=check_id, targets=targets, deadline=time.monotonic() + timeout,
                           options=dict(options or {}))
    finally:
        targets.close()


__all__ = ["check_context", "config_of"]
