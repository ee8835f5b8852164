"""Config loading: discovery, env expansion, typed keys, and errors that name file, line, check and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from preflight import config as config_mod
from preflight.errors import ConfigError
from tests.helpers import CliRun, write_config


def load_text(tmp_path: Path, text: str, env: dict[str, str] | None = None) -> config_mod.Config:
    return config_mod.load(write_config(tmp_path, text), env=env or {})


def error_of(tmp_path: Path, text: str, env: dict[str, str] | None = None) -> str:
    with pytest.raises(ConfigError) as e:
        load_text(tmp_path, text, env)
    return str(e.value)


def test_unknown_key_names_file_line_check_and_key(tmp_path: Path) -> None:
    msg = error_of(tmp_path, '[[check]]\nid = "a"\nuses = "test.outcome"\n\n[[check]]\nid = "b"\n'
                             'uses = "test.outcome"\nstatuss = "pass"\n')
    assert msg.startswith(f"{tmp_path / 'preflight.toml'}:8: ")
    assert "check 'b'" in msg and "key 'statuss'" in msg and "unknown key" in msg


def test_wrong_type_names_the_key(tmp_path: Path) -> None:
    msg = error_of(tmp_path, '[[check]]\nid = "a"\nuses = "test.outcome"\ncount = "three"\n')
    assert ":4: check 'a': key 'count': expected integer, got a string" in msg


def test_nested_key_error_names_the_full_path(tmp_path: Path) -> None:
    msg = error_of(tmp_path, '[[check]]\nid = "a"\nuses = "test.outcome"\n'
                             'findings = [{ severity = "failure", line = "x" }]\n')
    assert "key 'findings[0].line'" in msg and ":4:" in msg


@pytest.mark.parametrize(("text", "where"), [
    ('[targets.image]\nref = "dockerfile:Docker\\u0000file"\n', ":2: key 'targets.image.ref'"),
    ('[targets.migrations]\ntracking = "golang-migrate"\nsource = "db\\u0000"\n', ":3: key 'targets.migrations.source'"),
    ('[[check]]\nid = "a"\nuses = "test.outcome"\nfindings = [{ severity = "failure", file = "x\\u0000" }]\n',
     ":4: check 'a': key 'findings[0].file'"),
])
def test_a_nul_character_in_a_string_names_the_key(tmp_path: Path, text: str, where: str) -> None:
    """No path, name or query can hold a NUL: the config says so, instead of a check failing on it later."""
    msg = error_of(tmp_path, text)
    assert where in msg and "NUL character" in msg, msg


def test_missing_required_waiver_key(tmp_path: Path) -> None:
    msg = error_of(tmp_path, '[[check]]\nid = "a"\nuses = "test.outcome"\n\n[[waiver]]\ncheck = "a"\n'
                             'expires = 2099-01-01\n')
    assert "key 'waiver[0].reason'" in msg and "missing required key" in msg and ":5:" in msg


def test_unknown_check_type(tmp_path: Path) -> None:
    msg = error_of(tmp_path, '[[check]]\nid = "a"\nuses = "nope.nothing"\n')
    assert "unknown check type 'nope.nothing'" in msg and "key 'uses'" in msg and ":3:" in msg


def test_broken_plugin_is_a_config_error_not_a_crash(tmp_path: Path) -> None:
    msg = error_of(tmp_path, '[[check]]\nid = "a"\nuses = "test.broken"\n')
    assert "cannot be loaded" in msg and "ModuleNotFoundError" in msg


def test_duplicate_id(tmp_path: Path) -> None:
    msg = error_of(tmp_path, '[[check]]\nid = "a"\nuses = "test.outcome"\n[[check]]\nid = "a"\nuses = "test.outcome"\n')
    assert "duplicate check id" in msg and ":4:" in msg


def test_check_needing_a_missing_target(tmp_path: Path) -> None:
    msg = error_of(tmp_path, '[[check]]\nid = "db"\nuses = "db.connect"\n')
    assert "needs [targets.database]" in msg and "check 'db'" in msg


def test_when_pending_needs_migrations_target(tmp_path: Path) -> None:
    msg = error_of(tmp_path, '[[check]]\nid = "a"\nuses = "test.outcome"\nwhen_pending = ["103_*"]\n')
    assert "when_pending needs [targets.migrations]" in msg


def test_env_expansion_with_and_without_default(tmp_path: Path) -> None:
    cfg = load_text(tmp_path, '[targets.database]\ndsn = "postgresql://${DB_USER}@${DB_HOST:-localhost}/app"\n'
                              '[[check]]\nid = "a"\nuses = "test.outcome"\nsummary = "cost $${NOT_EXPANDED}"\n',
                    env={"DB_USER": "svc"})
    assert cfg.targets.database is not None
    assert cfg.targets.database.dsn == "postgresql://svc@localhost/app"
    assert cfg.checks[0].config.summary == "cost ${NOT_EXPANDED}"


def test_unset_env_without_default_names_the_key(tmp_path: Path) -> None:
    msg = error_of(tmp_path, '[targets.database]\ndsn = "${DATABASE_URL}"\n')
    assert "key 'targets.database.dsn'" in msg and "${DATABASE_URL} is not set" in msg and ":2:" in msg


def test_relative_paths_resolve_against_the_config_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sub = tmp_path / "deploy"
    sub.mkdir()
    (sub / "preflight.toml").write_text('[targets.image]\nref = "docker-archive:build/app.tar"\n'
                                        '[targets.migrations]\nsource = "db/migrations"\ntracking = "goose"\n')
    monkeypatch.chdir(tmp_path)
    cfg = config_mod.load(Path("deploy/preflight.toml"), env={})
    assert cfg.targets.migrations is not None and cfg.targets.image is not None
    assert cfg.targets.migrations.resolve(cfg.targets.migrations.source) == sub / "db" / "migrations"
    assert cfg.targets.image.resolve("build/app.tar") == sub / "build" / "app.tar"


def test_command_line_overrides_resolve_against_the_working_directory(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    sub = tmp_path / "deploy"
    sub.mkdir()
    (sub / "preflight.toml").write_text('[targets.migrations]\nsource = "db"\ntracking = "goose"\n')
    monkeypatch.chdir(tmp_path)
    cfg = config_mod.load(Path("deploy/preflight.toml"), env={},
                          overrides={"migrations": "other/migrations", "dsn": "dbname=x"})
    assert cfg.targets.migrations is not None and cfg.targets.database is not None
    assert cfg.targets.migrations.resolve(cfg.targets.migrations.source) == tmp_path / "other" / "migrations"
    assert cfg.targets.database.dsn == "dbname=x"


def test_unknown_tracking_value_is_a_config_error(tmp_path: Path) -> None:
    msg = error_of(tmp_path, '[targets.migrations]\nsource = "db"\ntracking = "sqlx"\n')
    assert "key 'targets.migrations.tracking'" in msg and "sqlx" in msg and ":3:" in msg


def test_discovery_walks_up_and_reads_pyproject(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.preflight]\n\n'
                                             '[[tool.preflight.check]]\nid = "a"\nuses = "test.outcome"\n'
                                             'count = "bad"\n')
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    found = config_mod.find_config()
    assert found == (tmp_path / "pyproject.toml", True)
    with pytest.raises(ConfigError) as e:
        config_mod.load(env={})
    assert "pyproject.toml:9: check 'a': key 'count'" in str(e.value)


def test_preflight_toml_wins_over_pyproject_in_the_same_directory(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.preflight]\n')
    (tmp_path / "preflight.toml").write_text('')
    assert config_mod.find_config(tmp_path) == (tmp_path / "preflight.toml", False)


def test_invalid_toml_is_one_line(cli: CliRun, tmp_path: Path) -> None:
    write_config(tmp_path, '[[check]\nid = "a"\n')
    out = cli("validate")
    assert out.exit_code == 2
    assert out.stderr.count("\n") == 1 and "invalid TOML" in out.stderr and "Traceback" not in out.stderr


def test_validate_reports_ok(cli: CliRun, tmp_path: Path) -> None:
    write_config(tmp_path, '[[check]]\nid = "a"\nuses = "test.outcome"\n')
    out = cli("validate")
    assert out.exit_code == 0 and "ok (1 checks" in out.stdout


def test_durations(tmp_path: Path) -> None:
    cfg = load_text(tmp_path, '[run]\ndeadline = "2m"\ntimeout = "500ms"\n[[check]]\nid = "a"\n'
                              'uses = "test.outcome"\ntimeout = "1h"\n')
    assert cfg.run.deadline == 120 and cfg.run.timeout == 0.5 and cfg.checks[0].timeout == 3600
    msg = error_of(tmp_path, '[[check]]\nid = "a"\nuses = "test.outcome"\ntimeout = "soon"\n')
    assert "key 'timeout'" in msg and "duration" in msg
