"""`preflight demo`: the incident, end to end on the embedded server (blocked with its three causes, then pass
after the fix), on an existing server through --dsn, and interrupted: nothing left behind."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg
import pytest

from preflight.model import CheckReport, Report, Status
from preflight.reports.json_report import render
from tests.helpers import CliRun, validate_report

REPO = Path(__file__).resolve().parent.parent


def by_type(report: Report) -> dict[str, CheckReport]:
    return {c.type: c for c in report.checks}


def assert_blocked_with_the_three_causes(first: Report) -> None:
    assert first.exit_code == 1
    checks = by_type(first)
    blocking = sorted(c.type for c in first.checks if c.blocks)
    assert blocking == ["db.watermark", "image.files", "migrations.guards", "migrations.lint",
                        "migrations.rehearse"]

    # 1. The missing binary: named, with what /app does hold.
    image = checks["image.files"]
    assert "/app/backfill_task_usage_hourly" in image.summary
    missing = [f for f in image.findings if "/app/backfill_task_usage_hourly" in f.message]
    assert missing and "server" in missing[0].message and "migrate" in missing[0].message

    # 2. The watermark gap: never-run backfill (1970) against the newest event (2024-03-14).
    watermark = checks["db.watermark"]
    assert watermark.status is Status.FAIL
    flat = repr(watermark.details)
    assert "1970-01-01" in flat and "2024-03-14" in flat

    # 3. The destructive pending migration: its row count, and its guard's own message.
    lint = checks["migrations.lint"]
    drops = [f for f in lint.findings if f.migration == "103_drop_legacy_rollups" and f.severity == "failure"]
    assert {t for f in drops for t in ("task_usage_daily_rollup", "task_usage_daily_totals") if t in f.message} \
        == {"task_usage_daily_rollup", "task_usage_daily_totals"}
    # 70 rows (5 teams x 14 days) and 14 rows: counts from the live database.
    assert any(re.search(r"\b70\b", f.message) for f in drops), [f.message for f in drops]
    assert any(re.search(r"\b14\b", f.message) for f in drops), [f.message for f in drops]
    guards = checks["migrations.guards"]
    assert guards.status is Status.FAIL
    assert "refusing to drop the daily rollups" in guards.summary + " ".join(f.message for f in guards.findings)
    guard_findings = [f for f in guards.findings if f.migration == "103_drop_legacy_rollups"]
    assert guard_findings and guard_findings[0].location is not None and guard_findings[0].location.line == 6

    # Not causes: the database answers and the migration state is clean.
    assert checks["db.connect"].status is Status.PASS
    assert checks["migrations.pending"].status is Status.PASS
    pending = [p["name"] for p in checks["migrations.pending"].details["pending"]]
    assert pending == ["103_drop_legacy_rollups", "104_require_backfilled_watermark"]

    # 4. The rehearsal: 104's CHECK fails on the live state row, counted by the probe, before anything runs.
    rehearsal = checks["migrations.rehearse"]
    assert rehearsal.status is Status.FAIL
    (violated,) = [f for f in rehearsal.findings if f.rule == "precondition-violated"]
    assert violated.migration == "104_require_backfilled_watermark" and "1 row violates it" in violated.message
    assert "id=1" in violated.message
    (fails,) = [f for f in rehearsal.findings if f.rule == "migration-fails"]
    assert "23514" in fails.message and "golang-migrate records version 104 as dirty" in fails.message


def assert_safe_after_the_fix(second: Report) -> None:
    assert second.exit_code == 0
    checks = by_type(second)
    for kind in ("image.files", "db.watermark", "migrations.guards", "db.connect", "migrations.pending",
                 "migrations.rehearse"):
        assert checks[kind].status is Status.PASS, (kind, checks[kind].summary)
    # The drop is still data loss, but its guard holds now: a warning that names the guard, not a failure.
    lint = checks["migrations.lint"]
    assert lint.status in (Status.PASS, Status.WARN)
    assert not [f for f in lint.findings if f.severity == "failure"]


def test_demo_on_the_embedded_server(monkeypatch: pytest.MonkeyPatch) -> None:
    from preflight.cli.demo import STEPS, play

    lines: list[str] = []
    # A private temporary directory, to see that the demo leaves nothing in it. The server runs as an
    # unprivileged user under root: it must be able to reach its directory.
    tmp = Path(tempfile.mkdtemp(prefix="demo-embedded-"))
    tmp.chmod(0o755)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    outcome = play(None, echo=lines.append)

    assert_blocked_with_the_three_causes(outcome.first)
    assert_safe_after_the_fix(outcome.second)
    assert outcome.as_expected
    for report in (outcome.first, outcome.second):
        validate_report(json.loads(render(report)))

    steps = [line for line in lines if re.match(r"\[\d+/\d+\] ", line)]
    assert [s.split("]")[0] + "]" for s in steps] == [f"[{i}/{STEPS}]" for i in range(1, STEPS + 1)]
    text = "\n".join(lines)
    assert "BLOCKED" in text and "SAFE TO ROLL OUT" in text
    # Nothing left behind: the server's directory and the demo's working directory are gone.
    data_dir = re.search(r"data in (\S+),", steps[0])
    assert data_dir and not Path(data_dir.group(1)).exists()
    assert list(tmp.iterdir()) == []
    tmp.rmdir()


def test_demo_command_on_an_existing_server(cli: CliRun, pg_server: str) -> None:
    out = cli("demo", "--dsn", pg_server, "--no-color")
    assert out.exit_code == 0, out.stdout + out.stderr
    assert "[1/8] using the server at" in out.stdout
    assert "after the fix the second run passed" in out.stdout
    name = re.search(r"database (preflight_demo_[0-9a-f]+) is created", out.stdout)
    assert name
    with psycopg.connect(pg_server) as conn:
        left = conn.execute("select count(*) from pg_database where datname = %s", (name.group(1),)).fetchone()
    assert left == (0,), "the demo drops the database it created"


def test_demo_reports_a_server_it_cannot_reach(cli: CliRun) -> None:
    from preflight.db.embedded import free_port

    out = cli("demo", "--dsn", f"postgresql://demo:hunter22@127.0.0.1:{free_port()}/postgres")
    assert out.exit_code == 1
    assert out.stderr.count("\n") == 1 and "cannot connect" in out.stderr
    assert "hunter22" not in out.stdout + out.stderr


def _processes_mentioning(text: str) -> list[int]:
    pids = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if text in cmdline:
            pids.append(int(proc.name))
    return pids


def _stop(proc: subprocess.Popen[str], tmp: Path) -> None:
    """When the test fails half-way: stop the demo the gentle way first (SIGKILL would orphan its server), then
    whatever this test's demo started that is still running, by its directory."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    for pid in _processes_mentioning(str(tmp)):
        try:
            os.kill(pid, signal.SIGINT)  # a postmaster's fast shutdown
        except ProcessLookupError:
            pass


@pytest.mark.parametrize("at_step", [1, 4])
def test_ctrl_c_leaves_no_server_and_no_temporary_directory(at_step: int) -> None:
    """Ctrl-C while the server is up (right after it started; with the image built and the demo's directory
    in place): the process exits 130 and leaves no server process and no temporary directory behind."""
    tmp = Path(tempfile.mkdtemp(prefix="demo-sigint-"))
    # The server runs as an unprivileged user under root: it must be able to reach its directory.
    tmp.chmod(0o755)
    env = {**os.environ, "TMPDIR": str(tmp), "NO_COLOR": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "preflight", "demo", "--pause"], cwd=tmp, env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        assert proc.stdout is not None and proc.stdin is not None
        seen = []
        while True:  # pytest-timeout bounds this
            line = proc.stdout.readline()
            if not line:
                break
            seen.append(line)
            if line.startswith(f"[{at_step}/"):
                break
            if line.startswith("["):
                proc.stdin.write("\n")  # Enter: on to the next step
                proc.stdin.flush()
        assert seen and seen[-1].startswith(f"[{at_step}/"), "".join(seen) + proc.stderr.read()
        data_dir = re.search(r"data in (\S+),", seen[0])
        assert data_dir
        server_dir = data_dir.group(1)
        assert Path(server_dir).is_dir() and _processes_mentioning(server_dir), "the server is up"
        # What a terminal's Ctrl-C does: SIGINT to the foreground process group.
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        _stop(proc, tmp)
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    assert not Path(server_dir).exists()
    assert not _processes_mentioning(server_dir)
    assert list(tmp.iterdir()) == [], "no temporary directory left behind"
    tmp.rmdir()
