"""sqitch: a project made with `sqitch init/add/tag/rework` and deployed by sqitch itself (Debian's sqitch, the pg
engine), then the plan against the same registry."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from preflight.migrations.runners.sqitch import parse_plan
from tests.migrations_helpers import names, plan_for
from tests.runner_tools import sqitch, sqitch_target


def make_project(root: Path) -> Path:
    project = root / "db"
    project.mkdir()
    sqitch(project, "init", "flipr", "--engine", "pg")
    sqitch(project, "add", "users", "-n", "Creates table\nto track users.")
    (project / "deploy" / "users.sql").write_text("BEGIN;\ncreate table users (nickname text primary key);\nCOMMIT;\n")
    sqitch(project, "add", "flips", "--requires", "users", "-n", "Adds flips")
    (project / "deploy" / "flips.sql").write_text("BEGIN;\ncreate table flips (id bigint, nickname text);\nCOMMIT;\n")
    sqitch(project, "tag", "v1.0", "-n", "First release")
    sqitch(project, "rework", "users", "-n", "Adds users.twitter")
    (project / "deploy" / "users.sql").write_text(
        "BEGIN;\nalter table users add column if not exists twitter text;\nCOMMIT;\n")
    return project


def test_plan_ids_order_and_rework_as_sqitch_deploys(tmp_path: Path, pg_dsn: str, pg_admin: Any) -> None:
    project = make_project(tmp_path)
    plan, targets = plan_for(pg_dsn, "db", "sqitch", tmp_path)
    try:
        assert names(plan.pending) == ["users@v1.0", "flips", "users"] and not plan.state.table_exists
        assert plan.pending[0].file == "db/deploy/users@v1.0.sql" and plan.pending[2].file == "db/deploy/users.sql"
        assert {m.transaction for m in plan.migrations} == {"none"}
    finally:
        targets.close()
    sqitch(project, "deploy", sqitch_target(pg_dsn), "--to", "flips")
    # The change ids preflight computes are the ones sqitch recorded.
    recorded = [r[0] for r in pg_admin.execute("select change_id from sqitch.changes order by committed_at")]
    parsed = parse_plan((project / "sqitch.plan").read_text())
    assert recorded == [c.id for c in parsed.changes[:2]]
    plan, targets = plan_for(pg_dsn, "db", "sqitch", tmp_path)
    try:
        assert names(plan.pending) == ["users"] and plan.problems == [] and plan.state.current == "flips"
    finally:
        targets.close()
    sqitch(project, "deploy", sqitch_target(pg_dsn))
    plan, targets = plan_for(pg_dsn, "db", "sqitch", tmp_path)
    try:
        assert plan.pending == [] and plan.problems == []
    finally:
        targets.close()


def test_skipped_change_edited_script_and_database_ahead(tmp_path: Path, pg_dsn: str, pg_admin: Any) -> None:
    project = make_project(tmp_path)
    sqitch(project, "deploy", sqitch_target(pg_dsn))
    # A change added to the plan before the last deployed one (merged late): sqitch never deploys it.
    text = (project / "sqitch.plan").read_text()
    line = "widgets 2024-01-02T03:04:05Z Ada Lovelace <ada@example.com> # Adds widgets\n"
    head, sep, tail = text.partition("@v1.0")
    (project / "sqitch.plan").write_text(head + line + sep + tail)
    (project / "deploy" / "widgets.sql").write_text("BEGIN;\ncreate table widgets (id int);\nCOMMIT;\n")
    (project / "deploy" / "flips.sql").write_text("BEGIN;\ncreate table flips (id bigint);\nCOMMIT;\n")
    plan, targets = plan_for(pg_dsn, "db", "sqitch", tmp_path)
    try:
        kinds = {p.kind for p in plan.problems}
        # Inserting a change re-parents every later one: their ids change, and the database is "ahead".
        assert "ahead" in kinds
    finally:
        targets.close()
    out = sqitch(project, "deploy", sqitch_target(pg_dsn), ok=False)
    assert out.returncode != 0 and "Cannot find" in out.stderr + out.stdout  # sqitch refuses too
    # Append instead (the way `sqitch add` does): the new change is plainly pending.
    (project / "sqitch.plan").write_text(text + line.replace("2024-01-02", "2030-01-02"))
    plan, targets = plan_for(pg_dsn, "db", "sqitch", tmp_path)
    try:
        assert names(plan.pending) == ["widgets"]
        (problem,) = plan.problems
        assert problem.kind == "checksum-mismatch" and problem.migration == "flips"
    finally:
        targets.close()
    # A change recorded as deployed that the plan does not have, newest: `sqitch deploy` stops.
    (project / "sqitch.plan").write_text(text)
    sqitch(project, "add", "late", "-n", "Late")
    (project / "deploy" / "late.sql").write_text("BEGIN;\nselect 1;\nCOMMIT;\n")
    sqitch(project, "deploy", sqitch_target(pg_dsn))
    (project / "sqitch.plan").write_text(text)
    plan, targets = plan_for(pg_dsn, "db", "sqitch", tmp_path)
    try:
        ahead = next(p for p in plan.problems if p.kind == "ahead")
        assert "late" in ahead.message and "Cannot find change" in ahead.message
    finally:
        targets.close()
    out = sqitch(project, "deploy", sqitch_target(pg_dsn), ok=False)
    assert out.returncode != 0 and "Cannot find" in out.stderr + out.stdout


def test_a_change_inserted_before_the_last_deployed_is_skipped(tmp_path: Path, pg_dsn: str) -> None:
    project = make_project(tmp_path)
    sqitch(project, "deploy", sqitch_target(pg_dsn), "--to", "users@v1.0")
    text = (project / "sqitch.plan").read_text()
    # Inserted between users@v1.0 (deployed) and flips: flips' parent changes, so flips is a new change; the
    # inserted one comes before nothing deployed, so nothing is skipped yet...
    lines = text.splitlines(keepends=True)
    at = next(i for i, ln in enumerate(lines) if ln.startswith("flips"))
    lines.insert(at, "widgets 2024-01-02T03:04:05Z Ada Lovelace <ada@example.com> # Adds widgets\n")
    (project / "sqitch.plan").write_text("".join(lines))
    (project / "deploy" / "widgets.sql").write_text("BEGIN;\nselect 1;\nCOMMIT;\n")
    plan, targets = plan_for(pg_dsn, "db", "sqitch", tmp_path)
    try:
        assert names(plan.pending) == ["widgets", "flips", "users"] and plan.problems == []
    finally:
        targets.close()
