"""The command line surface: lazy imports, checks, explain, schema, errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.helpers import CliRun

HEAVY = ("psycopg", "pglast", "jinja2")


def imported_after(args: list[str], cwd: Path | None = None, packages: bool = True) -> set[str]:
    """The modules a command imports (with ``packages``, their top-level packages)."""
    code = ("import sys\nfrom preflight.cli.main import main\n"
            f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
            f"print('MODULES', ' '.join(sorted({{m.split('.')[0] if {packages} else m for m in sys.modules}})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=cwd)
    return set(out.stdout.rsplit("MODULES", 1)[1].split())


def test_version_and_help_do_not_import_heavy_modules() -> None:
    for args in (["--version"], ["--help"], ["run", "--help"]):
        loaded = imported_after(args)
        assert "click" in loaded
        for heavy in HEAVY:
            assert heavy not in loaded, f"`preflight {' '.join(args)}` imported {heavy}"


def test_a_command_imports_only_the_checks_its_config_names(tmp_path: Path) -> None:
    """Looking up a check type imports its module alone; `preflight migrations` without a database imports no
    database driver and no report templates."""
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "001_a.sql").write_text("create table a (id int);\n")
    (tmp_path / "preflight.toml").write_text('[targets.migrations]\nsource = "m"\ntracking = "filename"\n\n'
                                             '[[check]]\nid = "lint"\nuses = "migrations.lint"\nscope = "all"\n')
    loaded = imported_after(["migrations"], cwd=tmp_path, packages=False)
    assert "preflight.cli.migrations" in loaded and "preflight.checks.migrations_lint" in loaded
    assert not {m for m in loaded if m.startswith("preflight.checks.") and m != "preflight.checks.migrations_lint"}
    assert not {m for m in loaded if m.split(".")[0] in ("psycopg", "jinja2")}


def test_version_output(cli: CliRun) -> None:
    from preflight import __version__

    out = cli("--version")
    assert out.exit_code == 0 and out.stdout == f"preflight {__version__}\n"


def test_the_console_script_answers_version_without_loading_the_command_line() -> None:
    """`preflight --version` prints what the click command prints (test_version_output), without importing click."""
    from preflight import __version__

    for flag in ("--version", "-V"):
        code = (f"import sys\nsys.argv = ['preflight', {flag!r}]\nfrom preflight.cli.console import main\nmain()\n"
                "print(sorted(m for m in sys.modules if m.split('.')[0] == 'click'))")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        assert out.stdout == f"preflight {__version__}\n[]\n"
    # Anything else is the click command line.
    code = "import sys\nsys.argv = ['preflight', 'schema']\nfrom preflight.cli.console import main\nmain()\n"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0 and '"$schema"' in out.stdout


def test_help_lists_lazy_commands(cli: CliRun) -> None:
    out = cli("--help")
    for name in ("run", "checks", "explain", "validate", "schema", "migrations", "lint", "demo", "init"):
        assert f"  {name} " in out.stdout


def test_checks_lists_installed_types_with_summaries(cli: CliRun) -> None:
    out = cli("checks")
    assert out.exit_code == 0
    line = next(x for x in out.stdout.splitlines() if x.startswith("db.connect"))
    assert "Passes when the database answers" in line
    assert any(x.startswith("test.outcome") for x in out.stdout.splitlines())


def test_explain_prints_the_docstring_and_keys(cli: CliRun) -> None:
    out = cli("explain", "db.connect")
    assert out.exit_code == 0
    assert out.stdout.startswith("db.connect\n==========\n\nPasses when the database answers")
    assert "min_version (string; default (none))" in out.stdout
    assert "extensions (list of string; default [])" in out.stdout
    assert "when_pending" in out.stdout and "Needs targets: database" in out.stdout


def test_explain_unknown_name(cli: CliRun) -> None:
    out = cli("explain", "nope")
    assert out.exit_code == 2 and "no check type or lint rule named 'nope'" in out.stderr


def test_options_belong_to_the_subcommand(cli: CliRun) -> None:
    out = cli("--format", "json", "run")
    assert out.exit_code == 2


def test_explain_prints_a_lint_rule_page(cli: CliRun) -> None:
    out = cli("explain", "ban-drop-table")
    assert out.exit_code == 0
    assert out.stdout.startswith("ban-drop-table  (data-loss;") and "Safe alternative:" in out.stdout
    # squawk's names resolve to preflight's rules
    assert "require-lock-timeout" in cli("explain", "require-timeout-settings").stdout


def test_progress_line_names_the_running_checks(capsys) -> None:  # type: ignore[no-untyped-def]
    from preflight.cli.main import Progress

    p = Progress(2, enabled=True)
    p("start", "db", None)
    p("start", "image", None)
    p("done", "db", None)
    err = capsys.readouterr().err
    assert "[0/2] running: db, image" in err and "[1/2] running: image" in err
    p.clear()
    capsys.readouterr()
    quiet = Progress(2, enabled=False)
    quiet("start", "db", None)
    assert capsys.readouterr().err == ""


def test_no_progress_line_when_stderr_is_not_a_tty(cli: CliRun, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.helpers import write_config

    write_config(tmp_path, '[[check]]\nid = "ok"\nuses = "test.outcome"\n')
    out = cli("run")
    assert out.exit_code == 0 and out.stderr == ""
