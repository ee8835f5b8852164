"""The plug-in API: a check module's shape is checked when it loads, the public surface resolves, and
``preflight.testing`` builds a context a plug-in's own tests can run a check with."""

from __future__ import annotations

import dataclasses
import importlib.util
import tempfile
import textwrap
import types
from pathlib import Path

import pytest

from preflight import api, plugin
from preflight.api import CheckContext, Result, Status
from tests.helpers import CliRun, write_config


def module(source: str) -> types.ModuleType:
    """A check module imported from a file holding ``source``."""
    path = Path(tempfile.mkdtemp(prefix="acme-check-")) / "acme_check.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("acme_check", path)
    assert spec is not None and spec.loader is not None
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    return m


GOOD = textwrap.dedent("""
    from dataclasses import dataclass
    from preflight.api import CheckContext, Result, Status, doc

    needs = ("image",)

    @dataclass
    class Config:
        path: str = doc("A path.", default="/")

    def run(config: Config, ctx: CheckContext) -> Result:
        return Result(Status.PASS, "fine")
""")


def test_a_well_formed_check_module_has_no_fault() -> None:
    assert plugin.shape_fault(module(GOOD)) is None


@pytest.mark.parametrize(("change", "fault"), [
    (("def run(config: Config, ctx: CheckContext)", "def run(config: Config)"),
     "run(config) does not take (config, ctx)"),
    (("def run(config: Config, ctx: CheckContext)", "def run(config, ctx, extra)"),
     "run(config, ctx, extra) does not take (config, ctx)"),
    (("def run(config: Config, ctx: CheckContext)", "def walk(config: Config, ctx: CheckContext)"),
     "the module has no run(config, ctx) function"),
    (("@dataclass\n", ""), "Config is not a dataclass"),
    (('needs = ("image",)', 'needs = ("imagee",)'),
     "needs names 'imagee', not a target (targets: database, image, migrations)"),
    (('needs = ("image",)', 'needs = "image"'),
     "needs must be a tuple of target names (database, image, migrations), not 'image'"),
    (('needs = ("image",)', 'needs = ("image",)\napi_version = 99'),
     f"written for preflight's check API version 99; this preflight has version {api.API_VERSION} "
     "(upgrade preflight)"),
    (('needs = ("image",)', 'needs = ("image",)\napi_version = "1"'),
     "api_version must be a positive integer, not '1'"),
    (('needs = ("image",)', 'needs = ("image",)\nreads_database = True'),
     "reads_database is not a function of the config"),
])
def test_a_misshapen_check_module_is_refused_naming_its_fault(change: tuple[str, str], fault: str) -> None:
    old, new = change
    assert old in GOOD
    assert plugin.shape_fault(module(GOOD.replace(old, new))) == fault


def test_a_check_written_for_this_api_version_loads() -> None:
    assert plugin.shape_fault(module(GOOD + f"\napi_version = {api.API_VERSION}\n")) is None


def test_an_installed_misshapen_plugin_is_a_config_error_naming_the_fault(cli: CliRun, tmp_path: Path) -> None:
    """Through the entry point, as a user meets it: `preflight validate` exits 2 with one line."""
    write_config(tmp_path, '[[check]]\nid = "w"\nuses = "test.misshapen"\n')
    out = cli("validate")
    assert out.exit_code == 2
    assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr
    assert "check type 'test.misshapen' cannot be loaded: needs names 'warehouse', not a target" in out.stderr


def test_every_public_name_resolves_and_is_listed() -> None:
    """Everything ``preflight.api`` lists is importable from it (the lazily imported names included)."""
    for name in api.__all__:
        assert getattr(api, name) is not None, name
    with pytest.raises(AttributeError):
        api.no_such_name  # noqa: B018


def test_testing_builds_a_context_a_check_runs_with(tmp_path: Path) -> None:
    """A plug-in's unit test: build the check's Config from a TOML-like table, a context on real targets, run."""
    from preflight.image.build import File, write_docker_archive
    from preflight.testing import check_context, config_of

    archive = write_docker_archive(tmp_path / "app.tar", [{"app/run": File(b"#!/bin/sh\n", mode=0o755)}])
    checked = module(GOOD + textwrap.dedent("""
        def run(config: Config, ctx: CheckContext) -> Result:
            (info,) = ctx.image.single().stat([config.path])
            return Result(Status.PASS if info.exists else Status.FAIL, f"{config.path}: {info.exists}")
    """))
    config = config_of(checked, {"path": "/app/run"})
    assert dataclasses.is_dataclass(config) and config.path == "/app/run"
    with check_context(image=f"docker-archive:{archive}", timeout=30) as ctx:
        assert isinstance(ctx, CheckContext) and ctx.remaining() > 0
        result = checked.run(config, ctx)
    assert isinstance(result, Result) and result.status is Status.PASS, result.summary
    with check_context(image=f"docker-archive:{archive}") as ctx:
        assert checked.run(config_of(checked, {"path": "/app/missing"}), ctx).status is Status.FAIL
    with pytest.raises(ValueError, match="unknown key"):
        config_of(checked, {"paht": "/"})
