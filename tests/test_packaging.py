"""Packaging: preflight's own Dockerfile (checked with preflight's `dockerfile:` reader), the pre-commit hook,
the composite GitHub Action (its script run here as a runner would), and the wheel carrying the demo's files."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest
import yaml

from tests.helpers import CliRun, write_config

REPO = Path(__file__).resolve().parent.parent


def pyproject() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


# -- the Dockerfile ------------------------------------------------------------------------------------------


def test_own_dockerfile_ships_an_executable_entrypoint(cli: CliRun, tmp_path: Path) -> None:
    write_config(tmp_path, f"""
[targets.image]
ref = "dockerfile:{REPO / 'Dockerfile'}"

[[check]]
id = "entrypoint"
uses = "image.entrypoint"
on_unknown = "warn"

[[check]]
id = "programs"
uses = "image.files"
paths = ["/usr/local/bin/preflight", "/opt/preflight"]
""")
    out = cli("run", "--format", "json")
    assert out.exit_code == 0, out.stdout + out.stderr
    checks = {c["id"]: c for c in out.json["checks"]}
    # The entrypoint script is shipped by COPY --chmod=0755 from the build context: known, mode and all.
    programs = checks["programs"]
    assert programs["status"] == "pass", programs
    script = programs["details"]["paths"]["/usr/local/bin/preflight"]
    assert (script["presence"], script["mode"], script["from"]) == ("present", "0755",
                                                                   f"{REPO / 'Dockerfile'}:22 (COPY)")
    # Whether python:3.12-slim (not read) has a directory /usr/local/bin/preflight is presumed: it has not.
    assert script["presumed"] == ["present"]
    assert script["grounds"][-1].endswith("/usr/local/bin/preflight, written without a trailing /, names the "
                                          "file itself")
    # The virtual environment a RUN builds ships (COPY --from=build of it cannot fail to), its type presumed.
    venv = programs["details"]["paths"]["/opt/preflight"]
    assert venv["presence"] == "present" and venv["presumed"] == ["file"]
    # ENTRYPOINT ["preflight"] is looked up on PATH, whose first directory python:3.12-slim (not read) decides:
    # the check cannot decide, and says so without blocking (on_unknown = "warn").
    entrypoint = checks["entrypoint"]
    assert entrypoint["status"] == "warn", entrypoint
    assert entrypoint["details"]["entrypoint"] == ["preflight"]
    assert "python:3.12-slim is not read" in entrypoint["summary"]


def test_own_dockerfile_runs_as_a_non_root_user() -> None:
    from preflight.image import open_image
    from preflight.targets import ImageTarget

    image = open_image(ImageTarget(ref=f"dockerfile:{REPO / 'Dockerfile'}"))
    config = image.single().config
    assert config is not None
    assert config.entrypoint == ("preflight",)
    assert config.user and config.user not in ("root", "0") and not config.user.startswith("0:")
    assert config.working_dir == "/work"


def test_dockerfile_build_context_holds_what_it_copies() -> None:
    """Every COPY from the build context names a file or directory in the repository that .dockerignore lets
    through (the docker build would fail on a missing one)."""
    from preflight.image.dockerfile.view import parse_dockerfile

    instructions, _ = parse_dockerfile((REPO / "Dockerfile").read_text(encoding="utf-8"))
    allowed = [line[1:].rstrip("/") for line in (REPO / ".dockerignore").read_text().splitlines()
               if line.startswith("!")]
    sources = []
    for ins in instructions:
        if ins.cmd in ("COPY", "ADD") and not any(f.startswith("--from") for f in ins.flags):
            sources += [s.rstrip("/") for s in ins.value[:-1]]
    assert "pyproject.toml" in sources
    # The wheel needs what pyproject.toml names (its readme) and the demo's files.
    readme = pyproject()["project"]["readme"]
    assert readme in sources and "examples/incident" in sources
    for src in sources:
        assert (REPO / src).exists(), f"the Dockerfile copies {src}, which the repository does not have"
        assert src in allowed, f".dockerignore keeps {src} out of the build context"


# -- pre-commit ----------------------------------------------------------------------------------------------


def test_pre_commit_hook_runs_preflight_lint(tmp_path: Path) -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = [h for h in hooks if h["id"] == "preflight-lint"]
    assert hook["language"] == "python"
    command, *args = hook["entry"].split()
    assert command in pyproject()["project"]["scripts"]
    assert args == ["lint"]
    files = re.compile(hook["files"])
    assert files.search("db/migrations/000002_index_accounts_email.up.sql")
    assert not files.search("app/models.py")

    # pre-commit appends the staged files' names to the entry.
    safe = REPO / "examples" / "golang-migrate" / "db" / "migrations" / "000001_create_accounts.up.sql"
    unsafe = tmp_path / "004_drop_accounts.up.sql"
    unsafe.write_text("DROP TABLE accounts;\n")
    run = [sys.executable, "-m", "preflight", *args]
    ok = subprocess.run([*run, str(safe)], capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bad = subprocess.run([*run, str(safe), str(unsafe)], capture_output=True, text=True, timeout=60)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "004_drop_accounts.up.sql:1" in bad.stdout


# -- the GitHub Action ---------------------------------------------------------------------------------------


def action() -> dict:
    return yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))


def test_action_declares_its_inputs_and_outputs() -> None:
    doc = action()
    assert doc["runs"]["using"] == "composite"
    assert {"config", "args", "format", "sarif"} <= set(doc["inputs"])
    assert {"exit-code", "sarif"} <= set(doc["outputs"])
    for step in doc["runs"]["steps"]:
        if "run" in step:
            # Inputs reach scripts through env: never `${{ inputs.x }}` inside the script (injection).
            assert "${{" not in step["run"], step["id"]
    formats = doc["inputs"]["format"]["description"]
    from preflight.cli.main import FORMAT_NAMES

    for name in FORMAT_NAMES:
        assert name in formats


def run_action_step(workdir: Path, inputs: dict[str, str]) -> tuple[subprocess.CompletedProcess[str], dict[str, str],
                                                                   str]:
    """The action's `run` step, executed by bash the way the runner does, with the step's env."""
    doc = action()
    (step,) = [s for s in doc["runs"]["steps"] if s.get("id") == "run"]
    script = workdir / "step.sh"
    script.write_text(step["run"])
    summary = workdir / "summary.md"
    outputs = workdir / "outputs.txt"
    summary.write_text("")
    outputs.write_text("")
    defaults = {name: str(spec.get("default", "")) for name, spec in doc["inputs"].items()}
    values = {**defaults, **inputs}
    env = {**os.environ, "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": str(outputs), "NO_COLOR": "1",
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    for key, template in step["env"].items():
        m = re.fullmatch(r"\$\{\{ inputs\.([a-z-]+) \}\}", template)
        assert m, template
        env[key] = values[m.group(1)]
    proc = subprocess.run(["bash", "-e", str(script)], cwd=workdir, env=env, capture_output=True, text=True,
                          timeout=120)
    parsed = dict(line.split("=", 1) for line in outputs.read_text().splitlines() if "=" in line)
    return proc, parsed, summary.read_text()


@pytest.mark.parametrize("blocked", [False, True])
def test_action_script_writes_summary_and_sarif(tmp_path: Path, pg_dsn: str, blocked: bool) -> None:
    (tmp_path / "deploy").mkdir()
    write_config(tmp_path / "deploy", f"""
[targets.database]
dsn = "{pg_dsn}"

[[check]]
id = "database-reachable"
uses = "db.connect"
min_version = "{'99' if blocked else '13'}"
""")
    proc, outputs, summary = run_action_step(tmp_path, {"config": "deploy/preflight.toml",
                                                        "args": "--only database-reachable --quiet",
                                                        "sarif": "out/preflight.sarif"})
    want = 1 if blocked else 0
    assert proc.returncode == want, proc.stdout + proc.stderr
    assert outputs == {"exit-code": str(want), "sarif": "out/preflight.sarif"}
    assert "database-reachable" in summary and summary.lstrip().startswith("#")
    import json

    sarif = json.loads((tmp_path / "out" / "preflight.sarif").read_text())
    assert sarif["version"] == "2.1.0"
    results = sarif["runs"][0]["results"]
    assert bool(results) is blocked
    assert "database-reachable" in proc.stdout  # the text report in the log


# -- the wheel -----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built offline from a copy of the files the sdist carries."""
    tmp_path = tmp_path_factory.mktemp("wheel")
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", pyproject()["project"]["readme"]):
        shutil.copy(REPO / name, src / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "build")
    for tree in ("preflight", "checks", "examples/incident"):
        shutil.copytree(REPO / tree, src / tree, ignore=ignore)
    dist = tmp_path / "dist"
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                            "-w", str(dist), str(src)], capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stdout + build.stderr
    (built,) = dist.glob("preflight-*.whl")
    return built


def test_wheel_holds_every_module_under_preflight_and_no_top_level_checks(wheel: Path) -> None:
    """Every file of preflight/ is in the wheel, modules and data alike (the report templates, the JSON schemas:
    a package missing from pyproject's list would be left out), the built-in checks are there as
    preflight.checks (never a top-level `checks` that would collide with another distribution's), and each
    check's entry point names a module the wheel holds."""
    expected = {p.relative_to(REPO).as_posix() for p in (REPO / "preflight").rglob("*")
                if p.is_file() and "__pycache__" not in p.parts}
    assert any(n.endswith(".j2") for n in expected) and any(n.endswith(".json") for n in expected)
    expected |= {"preflight/checks/" + p.name for p in (REPO / "checks").glob("*.py")}
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        entry_points = zf.read(next(n for n in names if n.endswith(".dist-info/entry_points.txt"))).decode()
    assert expected - names == set()
    assert {n.split("/", 1)[0] for n in names if not n.startswith("preflight-")} == {"preflight"}
    modules = re.findall(r"^[\w.]+ = ([\w.]+)$", entry_points, re.MULTILINE)
    assert modules and all(m.startswith("preflight.checks.") for m in modules)
    assert {m.replace(".", "/") + ".py" for m in modules} <= names


def test_wheel_ships_the_demo_files(wheel: Path, tmp_path: Path) -> None:
    """`pip install .` users can run the demo: the wheel holds examples/incident byte for byte (programs still
    executable), and the demo finds it there."""
    example = REPO / "examples" / "incident"
    expected = sorted(p.relative_to(example).as_posix() for p in example.rglob("*")
                      if p.is_file() and "build" not in p.relative_to(example).parts)
    with zipfile.ZipFile(wheel) as zf:
        prefix = "preflight/_examples/incident/"
        shipped = sorted(n[len(prefix):] for n in zf.namelist() if n.startswith(prefix))
        assert shipped == expected
        for rel in expected:
            assert zf.read(prefix + rel) == (example / rel).read_bytes(), rel
            mode = (zf.getinfo(prefix + rel).external_attr >> 16) & 0o777
            assert bool(mode & 0o100) == bool((example / rel).stat().st_mode & 0o100), rel
        zf.extractall(tmp_path / "site")
    # -S: without site's .pth files, so the checkout's editable install does not shadow the unpacked wheel; the
    # dependencies still come from this environment's site-packages.
    path = os.pathsep.join([str(tmp_path / "site"), sysconfig.get_paths()["purelib"]])
    found = subprocess.run([sys.executable, "-S", "-c",
                            "from preflight.cli.demo import example_dir; print(example_dir())"],
                           capture_output=True, text=True, timeout=60, cwd=tmp_path,
                           env={**os.environ, "PYTHONPATH": path})
    assert found.returncode == 0, found.stderr
    assert Path(found.stdout.strip()) == tmp_path / "site" / "preflight" / "_examples" / "incident"
