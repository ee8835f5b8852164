"""The Debian packages the tests run for real (a registry, htpasswd, openssl, a JDK): listed in
``.ci/apt-packages.txt``, installed when a test session starts without them.

As root (a container, CI), the missing ones are installed with apt-get; otherwise the session stops at once with
one line naming the command to run, rather than failing test by test later.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

LIST = Path(__file__).resolve().parent.parent / ".ci" / "apt-packages.txt"
# Another list (a file of package names, one a line), e.g. to try this module with a package that is absent.
LIST_VARIABLE = "PREFLIGHT_TEST_APT_PACKAGES"


def listed(path: Path) -> list[str]:
    """The package names in a list file: one a line, ``#`` comments and blank lines ignored."""
    names = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [name for name in names if name]


def missing(packages: list[str]) -> list[str]:
    """The packages dpkg does not have installed."""
    out = []
    for name in packages:
        status = subprocess.run(["dpkg-query", "-W", "-f=${Status}", name], capture_output=True, text=True)
        if status.returncode != 0 or not status.stdout.endswith(" installed"):
            out.append(name)
    return out


def ensure(path: Path, *, root: bool) -> None:
    """Install the packages of ``path`` that are missing (as root), or stop the session with one line naming the
    command that installs them."""
    packages = listed(path)
    if shutil.which("dpkg-query") is None or shutil.which("apt-get") is None:
        pytest.exit(f"the tests need these Debian packages ({path.name}): {' '.join(packages)}; this system has no "
                    "dpkg/apt-get to install them with", returncode=pytest.ExitCode.USAGE_ERROR)
    need = missing(packages)
    if not need:
        return
    command = ["apt-get", "install", "-y", "-q", "--no-install-recommends", *need]
    if not root:
        pytest.exit(f"the tests need Debian packages that are not installed: {' '.join(need)}; run: sudo "
                    f"{' '.join(command)}", returncode=pytest.ExitCode.USAGE_ERROR)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    print(f"\ninstalling the Debian packages the tests need: {' '.join(command)}", flush=True)
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:  # a fresh system has no package lists yet
        subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True, text=True)
        done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0 or missing(need):
        why = (done.stderr.strip().splitlines() or ["it did not install them"])[-1]
        pytest.exit(f"could not install the Debian packages the tests need ({' '.join(command)}): {why}",
                    returncode=pytest.ExitCode.USAGE_ERROR)
