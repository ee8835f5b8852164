"""The session-start step that installs the Debian packages the tests need (tests/system_packages.py)."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests import system_packages

ABSENT = "preflight-no-such-package"


def test_the_list_and_what_is_missing(tmp_path: Path) -> None:
    listing = tmp_path / "apt-packages.txt"
    listing.write_text(f"# what the tests need\n\ndpkg\n{ABSENT}   # an absent one\n")
    assert system_packages.listed(listing) == ["dpkg", ABSENT]
    assert system_packages.missing(["dpkg", ABSENT]) == [ABSENT]
    assert system_packages.missing(system_packages.listed(system_packages.LIST)) == []  # installed here


def test_without_root_a_missing_package_stops_the_session_with_the_command(tmp_path: Path) -> None:
    listing = tmp_path / "apt-packages.txt"
    listing.write_text(f"dpkg\n{ABSENT}\n")
    with pytest.raises(pytest.exit.Exception) as stopped:
        system_packages.ensure(listing, root=False)
    assert str(stopped.value) == (f"the tests need Debian packages that are not installed: {ABSENT}; run: sudo "
                                  f"apt-get install -y -q --no-install-recommends {ABSENT}")
    system_packages.ensure(system_packages.LIST, root=False)  # nothing missing: nothing to do


def test_the_session_start_hook_reads_the_list_of_the_environment(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """tests/conftest.py checks the list that PREFLIGHT_TEST_APT_PACKAGES names (else .ci/apt-packages.txt), in
    the controller only: pytest-xdist's workers leave it to the controller."""
    from tests import conftest

    listing = tmp_path / "apt-packages.txt"
    listing.write_text(f"{ABSENT}\n")
    monkeypatch.setenv(system_packages.LIST_VARIABLE, str(listing))
    monkeypatch.setattr(os, "geteuid", lambda: 1000)  # a user without root
    with pytest.raises(pytest.exit.Exception, match=f"not installed: {ABSENT}; run: sudo apt-get install"):
        conftest.pytest_sessionstart(SimpleNamespace(config=SimpleNamespace()))  # type: ignore[arg-type]
    conftest.pytest_sessionstart(SimpleNamespace(config=SimpleNamespace(workerinput={})))  # type: ignore[arg-type]
    monkeypatch.delenv(system_packages.LIST_VARIABLE)
    conftest.pytest_sessionstart(SimpleNamespace(config=SimpleNamespace()))  # type: ignore[arg-type]
