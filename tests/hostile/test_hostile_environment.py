"""A hostile environment: the throwaway PostgreSQL of the demo and the tests, started as root with TMPDIR
pointing at a private (0700) directory, which the unprivileged server user cannot reach."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from preflight.db import embedded
from preflight.db.embedded import ThrowawayPostgres, reachable, workspace_base
from preflight.errors import PreflightError

NOBODY = (65534, 65534)


@pytest.fixture
def open_tmp() -> Iterator[Path]:
    """A directory every user can reach (pytest's own tmp_path lives under a private one)."""
    d = Path(tempfile.mkdtemp(prefix="preflight-hostile-", dir="/tmp"))
    d.chmod(0o755)
    try:
        yield d
    finally:
        shutil.rmtree(d, ignore_errors=True)


def test_reachability_follows_every_directory_above(open_tmp: Path) -> None:
    open_dir = open_tmp / "open"
    (open_dir / "inner").mkdir(parents=True)
    assert reachable(open_dir / "inner", *NOBODY)
    open_dir.chmod(0o700)  # owned by someone else: nobody cannot pass through it
    assert not reachable(open_dir / "inner", *NOBODY)
    assert reachable(open_dir / "inner", open_dir.stat().st_uid, 0)  # its owner can
    open_dir.chmod(0o755)


def test_a_private_tmpdir_falls_back_to_a_reachable_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    base = workspace_base(*NOBODY)
    assert base != private and str(base) in embedded.FALLBACK_DIRS and reachable(base, *NOBODY)
    # The same user as the one running: TMPDIR is used as it is.
    assert workspace_base(None, None) == private


def test_no_reachable_directory_says_in_one_line_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    monkeypatch.setattr(embedded, "FALLBACK_DIRS", (str(private),))
    with pytest.raises(PreflightError) as e:
        workspace_base(*NOBODY)
    assert "\n" not in e.value.message
    assert e.value.message.endswith("set TMPDIR to a directory every user can traverse, e.g. TMPDIR=/tmp, or pass "
                                    "--dsn to use an existing server")


def test_the_embedded_server_starts_wherever_tmpdir_points(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Under root the server runs as an unprivileged user, who cannot enter a 0700 TMPDIR; under another user it
    # runs as that user, who can. Either way it must start, answer, and leave nothing behind.
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    with ThrowawayPostgres() as pg:
        assert pg.dir is not None and pg.dir.exists()
        used = pg.dir
        with psycopg.connect(pg.dsn("postgres"), connect_timeout=10) as conn:
            assert conn.execute("select 1").fetchone() == (1,)
    assert not used.exists()
    assert list(private.iterdir()) == []
