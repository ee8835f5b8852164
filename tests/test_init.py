"""`preflight init`: the runner detected from each runner's example, a Dockerfile, DATABASE_URL referenced and
never copied, no overwrite without --force; every config it writes is one `preflight validate` accepts."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

from tests.helpers import CliRun

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

RUNNER_EXAMPLES = {
    # example directory: (its migrations directory, the runner init must detect)
    "golang-migrate": ("db/migrations", "golang-migrate"),
    "goose": ("migrations", "goose"),
    "dbmate": ("db/migrations", "dbmate"),
    "flyway": ("sql", "flyway"),
    "filename": ("migrations", "filename"),
    "incident": ("migrations", "golang-migrate"),
}


def copy_migrations(example: str, dest: Path) -> str:
    """The example's migration files only (not its preflight.toml), where the example keeps them."""
    mdir, _ = RUNNER_EXAMPLES[example]
    shutil.copytree(EXAMPLES / example / mdir, dest / mdir)
    return mdir


@pytest.fixture(autouse=True)
def no_database_url(monkeypatch: pytest.MonkeyPatch) -> None:
    """init reads DATABASE_URL from the environment: the tests decide whether there is one."""
    monkeypatch.delenv("DATABASE_URL", raising=False)


def written(tmp_path: Path) -> dict:
    return tomllib.loads((tmp_path / "preflight.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("example", sorted(RUNNER_EXAMPLES))
def test_detects_each_runner_from_its_example(example: str, tmp_path: Path, cli: CliRun) -> None:
    mdir = copy_migrations(example, tmp_path)
    out = cli("init")
    assert out.exit_code == 0, out.stderr
    cfg = written(tmp_path)
    assert cfg["targets"]["migrations"] == {"source": mdir, "tracking": RUNNER_EXAMPLES[example][1]}
    assert f'tracking = "{RUNNER_EXAMPLES[example][1]}"' in out.stdout
    uses = [c["uses"] for c in cfg["check"]]
    assert uses == ["db.connect", "migrations.pending", "migrations.lint", "migrations.guards"]
    assert "image" not in cfg["targets"]
    # No DATABASE_URL: the PG* variables.
    assert cfg["targets"]["database"]["dsn"] == ""
    check = cli("validate")
    assert check.exit_code == 0, check.stderr


def test_the_detected_runner_reads_the_files(tmp_path: Path, cli: CliRun, pg_dsn: str) -> None:
    """What init wrote runs: the goose example's three files are pending on a fresh database."""
    copy_migrations("goose", tmp_path)
    assert cli("init", env={"DATABASE_URL": pg_dsn}).exit_code == 0
    out = cli("run", "--only", "migration-state", "--format", "json", env={"DATABASE_URL": pg_dsn})
    assert out.exit_code == 0, out.stdout + out.stderr
    (check,) = out.json["checks"]
    pending = [p["name"] for p in check["details"]["pending"]]
    assert pending == ["20240105093000_create_accounts", "20240212110000_index_accounts_email",
                       "20240301080000_add_accounts_plan"]


def test_database_url_is_referenced_never_copied(tmp_path: Path, cli: CliRun) -> None:
    url = "postgresql://app:s3cr3t-pw@db.internal:5432/app"
    out = cli("init", env={"DATABASE_URL": url})
    assert out.exit_code == 0, out.stderr
    text = (tmp_path / "preflight.toml").read_text(encoding="utf-8")
    assert 'dsn = "${DATABASE_URL}"' in text
    assert "s3cr3t" not in text and "db.internal" not in text
    assert "s3cr3t" not in out.stdout + out.stderr
    assert cli("validate", env={"DATABASE_URL": url}).exit_code == 0


def test_dockerfile_becomes_the_image_target(tmp_path: Path, cli: CliRun) -> None:
    shutil.copy(EXAMPLES / "incident" / "Dockerfile", tmp_path / "Dockerfile")
    copy_migrations("incident", tmp_path)
    out = cli("init")
    assert out.exit_code == 0, out.stderr
    cfg = written(tmp_path)
    assert cfg["targets"]["image"] == {"ref": "dockerfile:Dockerfile"}
    text = (tmp_path / "preflight.toml").read_text(encoding="utf-8")
    assert '# ref = "docker-archive:build/app.tar"' in text
    assert "image.entrypoint" in [c["uses"] for c in cfg["check"]]
    assert cli("validate").exit_code == 0


def test_migrations_found_below_the_usual_places(tmp_path: Path, cli: CliRun) -> None:
    deep = tmp_path / "services" / "billing" / "schema"
    shutil.copytree(EXAMPLES / "flyway" / "sql", deep)
    (tmp_path / "node_modules" / "pkg").mkdir(parents=True)
    (tmp_path / "node_modules" / "pkg" / "V1__vendored.sql").write_text("select 1;\n")
    assert cli("init").exit_code == 0
    assert written(tmp_path)["targets"]["migrations"] == {"source": "services/billing/schema",
                                                          "tracking": "flyway"}


def test_nothing_to_detect_still_writes_a_valid_config(tmp_path: Path, cli: CliRun) -> None:
    out = cli("init")
    assert out.exit_code == 0, out.stderr
    cfg = written(tmp_path)
    assert set(cfg["targets"]) == {"database"}
    assert [c["uses"] for c in cfg["check"]] == ["db.connect"]
    assert "migrations: none found" in out.stdout
    assert cli("validate").exit_code == 0


def test_refuses_to_overwrite_without_force(tmp_path: Path, cli: CliRun) -> None:
    existing = "# mine\n[[check]]\nid = \"x\"\nuses = \"db.connect\"\n"
    (tmp_path / "preflight.toml").write_text(existing)
    copy_migrations("dbmate", tmp_path)
    out = cli("init")
    assert out.exit_code == 2
    assert out.stderr.count("\n") == 1 and "already exists" in out.stderr and "--force" in out.stderr
    assert (tmp_path / "preflight.toml").read_text() == existing
    shown = cli("init", "--stdout")
    assert shown.exit_code == 0 and 'tracking = "dbmate"' in shown.stdout
    assert (tmp_path / "preflight.toml").read_text() == existing
    forced = cli("init", "--force")
    assert forced.exit_code == 0
    assert written(tmp_path)["targets"]["migrations"]["tracking"] == "dbmate"


def test_init_in_another_directory(tmp_path: Path, cli: CliRun) -> None:
    project = tmp_path / "project"
    project.mkdir()
    copy_migrations("filename", project)
    out = cli("init", "project")
    assert out.exit_code == 0, out.stderr
    assert not (tmp_path / "preflight.toml").exists()
    assert written(project)["targets"]["migrations"]["tracking"] == "filename"


def test_golang_migrate_needs_unique_versions(tmp_path: Path, cli: CliRun) -> None:
    """Two up files sharing a version are not golang-migrate's (it refuses them): the stem-recording runner."""
    mdir = tmp_path / "migrations"
    mdir.mkdir()
    (mdir / "1_a.up.sql").write_text("select 1;\n")
    (mdir / "2_b.up.sql").write_text("select 1;\n")
    assert cli("init").exit_code == 0
    assert written(tmp_path)["targets"]["migrations"]["tracking"] == "golang-migrate"
    (mdir / "2_c.up.sql").write_text("select 1;\n")
    assert cli("init", "--force").exit_code == 0
    assert written(tmp_path)["targets"]["migrations"]["tracking"] == "filename"


# Runners told by their project files: the whole example is copied (without its preflight.toml).
PROJECT_EXAMPLES = {
    "alembic": {"source": "alembic/versions", "tracking": "alembic"},
    "django": {"source": ".", "tracking": "django"},
    "prisma": {"source": "prisma/migrations", "tracking": "prisma"},
    "liquibase": {"source": "src/main/resources", "tracking": "liquibase",
                  "changelog": "db/changelog/db.changelog-master.yaml"},
    "rails": {"source": "db/migrate", "tracking": "rails"},
    "knex": {"source": "migrations", "tracking": "knex"},
    "sqitch": {"source": ".", "tracking": "sqitch"},
    "atlas": {"source": "migrations", "tracking": "atlas"},
}


@pytest.mark.parametrize("example", sorted(PROJECT_EXAMPLES))
def test_detects_runners_from_their_project_files(example: str, tmp_path: Path, cli: CliRun) -> None:
    shutil.copytree(EXAMPLES / example, tmp_path / "p", ignore=shutil.ignore_patterns("preflight.toml"))
    out = cli("init", str(tmp_path / "p"))
    assert out.exit_code == 0, out.stderr
    cfg = written(tmp_path / "p")
    assert cfg["targets"]["migrations"] == PROJECT_EXAMPLES[example]
    if example in ("alembic", "django"):
        assert "# sql_command = " in (tmp_path / "p" / "preflight.toml").read_text()
    check = cli("validate", "--config", str(tmp_path / "p" / "preflight.toml"))
    assert check.exit_code == 0, check.stderr


def test_flyway_config_file_is_picked_up(tmp_path: Path, cli: CliRun) -> None:
    copy_migrations("flyway", tmp_path)
    (tmp_path / "flyway.conf").write_text("flyway.locations=filesystem:sql\n")
    out = cli("init")
    assert out.exit_code == 0, out.stderr
    assert written(tmp_path)["targets"]["migrations"] == {"source": "sql", "tracking": "flyway",
                                                          "config_file": "flyway.conf"}
