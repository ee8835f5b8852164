"""The incident example through `preflight run`: every kind of check in one run, a JSON report that validates and
is byte-identical between runs (apart from timing), in every format."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from preflight.cli import demo
from tests.helpers import CliRun, validate_report


def strip_timing(text: str) -> str:
    return re.sub(r'"duration_ms": \d+', '"duration_ms": 0', text)


def test_incident_run_is_deterministic_in_every_format(cli: CliRun, tmp_path: Path, pg_dsn: str,
                                                      rehearsal_server: str) -> None:
    example = tmp_path / "incident"
    shutil.copytree(demo.example_dir(), example)
    demo.build_release_image(example, example / "build" / "app.tar", fixed=False)
    demo.migrate_up_to(pg_dsn, example / "migrations", 102)
    demo.load_events(pg_dsn)
    # The rehearsal runs on the session's second cluster (an embedded one per run would only make this slower).
    env = {"DATABASE_URL": pg_dsn, "REHEARSAL_URL": rehearsal_server}
    config = str(example / "preflight.toml")

    first = cli("run", "--config", config, "--format", "json", env=env)
    second = cli("run", "--config", config, "--format", "json", env=env)
    assert first.exit_code == 1, first.stdout + first.stderr
    validate_report(first.json)
    assert strip_timing(first.stdout) == strip_timing(second.stdout)
    blocking = sorted(c["type"] for c in first.json["checks"] if c["status"] == "fail")
    assert blocking == ["db.watermark", "image.files", "migrations.guards", "migrations.lint",
                        "migrations.rehearse"]

    from preflight.cli.main import FORMAT_NAMES

    for fmt in FORMAT_NAMES:
        a = cli("run", "--config", config, "--format", fmt, env=env)
        b = cli("run", "--config", config, "--format", fmt, env=env)
        assert a.exit_code == b.exit_code == 1
        if fmt in ("text", "markdown", "github", "sarif"):
            assert a.stdout == b.stdout, fmt
        if fmt == "junit":
            assert re.sub(r'time="[0-9.]+"', "", a.stdout) == re.sub(r'time="[0-9.]+"', "", b.stdout)
