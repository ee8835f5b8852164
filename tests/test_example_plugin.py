"""A third-party check end to end (``examples/plugin``, the README's "Writing a check"): the distribution installs
with pip, preflight finds its check type by its entry point, documents it, runs it, and the plug-in's own unit
tests pass against the installed copy."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "plugin"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example installed by pip (offline) into a directory of its own."""
    target = tmp_path_factory.mktemp("acme-site")
    done = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
                           "--no-index", "--target", str(target), str(EXAMPLE)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (target / "acme_checks" / "non_root.py").is_file()
    return target


def preflight(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(site), "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "preflight", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120)


def test_the_installed_check_type_is_listed_and_documented(site: Path, tmp_path: Path) -> None:
    listed = preflight(site, tmp_path, "checks")
    assert listed.returncode == 0, listed.stderr
    assert "acme.non-root" in listed.stdout and "Fails when the image runs as root" in listed.stdout
    explained = preflight(site, tmp_path, "explain", "acme.non-root")
    assert explained.returncode == 0, explained.stderr
    assert "A process that runs as root in its container" in explained.stdout and "allow" in explained.stdout


@pytest.mark.parametrize(("user", "exit_code", "says"), [
    ("USER app", 0, "runs as app"),
    ("USER root", 1, "runs as root: 'root'"),
])
def test_a_run_uses_the_installed_check(site: Path, tmp_path: Path, user: str, exit_code: int, says: str) -> None:
    (tmp_path / "Dockerfile").write_text(f"FROM scratch\nCOPY app /app\n{user}\n", encoding="utf-8")
    (tmp_path / "app").write_text("app\n", encoding="utf-8")
    (tmp_path / "preflight.toml").write_text('[targets.image]\nref = "dockerfile:Dockerfile"\n\n'
                                             '[[check]]\nid = "runs-as-app"\nuses = "acme.non-root"\n',
                                             encoding="utf-8")
    out = preflight(site, tmp_path, "run")
    assert out.returncode == exit_code, out.stdout + out.stderr
    assert says in out.stdout


def test_the_plugins_own_unit_tests_pass_against_the_installed_copy(site: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(site)}
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir",
                           str(tmp_path), str(EXAMPLE / "tests")], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert " passed" in done.stdout and "failed" not in done.stdout
