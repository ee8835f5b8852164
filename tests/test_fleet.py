"""Fleets: one gate for many real databases (the incident app's, copied per member), through `preflight run`.

Each member is a database of its own on the test server; the incident's members fail the way the demo's database
does, a backfilled member does not. What is asserted: checks that read the database run once per member with the
member's own session and pending list, the image and the migration files are read and parsed once, members are
grouped by outcome in text and Markdown, an unreachable member is an error unless max_unreachable allows it, and
no password reaches any output.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql

from preflight.cli.main import FORMAT_NAMES
from tests.fleet_support import DATABASE_CHECKS, fleet_config, incident_fleet, incident_image
from tests.helpers import CliRun, validate_report, write_config

MEMBERS = ["eu-1", "eu-2", "us-1"]


@pytest.fixture(scope="module")
def fleet(pg_server: str) -> Iterator[dict[str, str]]:
    """eu-1 and eu-2: the incident (backfill never run); us-1: backfilled."""
    with incident_fleet(pg_server, MEMBERS, backfilled=("us-1",)) as members:
        yield members


@pytest.fixture(scope="module")
def image(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return incident_image(tmp_path_factory.mktemp("image"))


def run_json(cli: CliRun, *args: str) -> tuple[int, dict[str, Any]]:
    out = cli("run", "--format", "json", "--quiet", *args)
    assert out.stdout, out.stderr
    doc = out.json
    validate_report(doc)
    assert doc["exit_code"] == out.exit_code
    return out.exit_code, doc


def checks_by_id(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["id"]: c for c in doc["checks"]}


def member_statuses(check: dict[str, Any]) -> dict[str, str]:
    return {m["member"]: m["status"] for m in check["members"]}


def test_database_checks_run_per_member_and_the_image_once(cli: CliRun, tmp_path: Path, fleet: dict[str, str],
                                                            image: Path) -> None:
    write_config(tmp_path, fleet_config(fleet, image))
    code, doc = run_json(cli)
    assert code == 1 and doc["verdict"] == "fail"
    checks = checks_by_id(doc)
    # The image check ran once: no members, its own findings.
    assert "members" not in checks["backfill-binary"] and checks["backfill-binary"]["status"] == "fail"
    # Every database check ran on every member, sorted by name, each in its own database, read-only.
    connect = checks["database-reachable"]
    assert [m["member"] for m in connect["members"]] == MEMBERS
    for m in connect["members"]:
        assert m["details"]["read_only"] is True
        assert m["details"]["database"] == fleet[m["member"]].split("dbname=")[1].split()[0]
    # The verdict of the worst member: us-1 has backfilled, eu-1 and eu-2 have not.
    assert member_statuses(checks["hourly-rollup-caught-up"]) == {"eu-1": "fail", "eu-2": "fail", "us-1": "pass"}
    assert member_statuses(checks["migration-guards"]) == {"eu-1": "fail", "eu-2": "fail", "us-1": "pass"}
    # us-1's guard passes, so its drops only warn (acknowledged by the guard): per-member data-aware severities.
    assert member_statuses(checks["migration-safety"]) == {"eu-1": "fail", "eu-2": "fail", "us-1": "warn"}
    assert checks["migration-safety"]["status"] == "fail"
    assert checks["migration-safety"]["member_tally"] == {"pass": 0, "warn": 1, "fail": 2, "error": 0, "skip": 0,
                                                          "waived": 0, "unreachable": 0}
    assert "2 fail, 1 warn" in checks["migration-safety"]["summary"]
    fleet_doc = doc["fleet"]
    assert fleet_doc["size"] == fleet_doc["checked"] == 3 and fleet_doc["source"] == "members"
    assert fleet_doc["tally"] == {"pass": 0, "warn": 1, "fail": 2, "error": 0, "skip": 0, "waived": 0,
                                  "unreachable": 0}
    assert [(m["name"], m["state"]) for m in fleet_doc["members"]] == [("eu-1", "fail"), ("eu-2", "fail"),
                                                                      ("us-1", "warn")]
    assert doc["targets"]["database"] == {"dsn": "", "fleet": "members"}


def test_image_and_migration_files_are_read_and_parsed_once(tmp_path: Path, fleet: dict[str, str], image: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """However many members, one image opened, one migration source read and each file parsed once per rule
    set (the lint's and the guards'), while every member's tracking table is read."""
    import preflight.image
    import preflight.lint
    import preflight.migrations.plan as plan_module
    import preflight.migrations.tracking as tracking
    from preflight import config as config_mod
    from preflight import engine
    from preflight.migrations.runners.base import Runner

    calls: dict[str, int] = {"image": 0, "source": 0, "parsed": 0, "tracking": 0}

    def counting(name: str, fn: Any, count: Any = lambda *a, **k: 1) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            calls[name] += count(*args, **kwargs)
            return fn(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(preflight.image, "open_image", counting("image", preflight.image.open_image))
    monkeypatch.setattr(Runner, "open_source", counting("source", Runner.open_source))
    monkeypatch.setattr(preflight.lint, "analyze_sources",
                        counting("parsed", preflight.lint.analyze_sources, lambda sources, **k: len(sources)))
    monkeypatch.setattr(plan_module, "read_rows", counting("tracking", tracking.read_rows))
    write_config(tmp_path, fleet_config(fleet, image))
    cfg = config_mod.load(tmp_path / "preflight.toml")
    report = engine.run(cfg, engine.RunOptions(options={"no_cache": True}))
    assert report.exit_code == 1
    # Two pending migrations (103, 104), each analysed once for the lint's rules and once for the guards',
    # whatever the number of members: four parses in all.
    assert calls == {"image": 1, "source": 1, "parsed": 4, "tracking": 3}


def test_text_and_markdown_group_members_by_outcome(cli: CliRun, tmp_path: Path, fleet: dict[str, str]) -> None:
    write_config(tmp_path, fleet_config(fleet, None))
    out = cli("run", "--no-color")
    assert out.exit_code == 1
    text = out.stdout
    # The two failing members share one outcome: one block naming both, the finding in full.
    block = re.search(r"^FAIL   hourly-rollup-caught-up .*\n((?:       .*\n)+)", text, re.M)
    assert block, text
    lines = block.group(1).splitlines()
    assert lines[0].startswith("       fail   eu-1, eu-2: backfill behind: watermark 1970-01-01")
    assert lines[1] == "       pass   1 member: us-1"
    assert "fleet: 3 members: 2 fail, 1 warn" in text
    md = cli("run", "--format", "markdown").stdout
    assert "❌ **fail** on 2 members (eu-1, eu-2): backfill behind" in md
    assert "✅ **pass** on 1 member: us-1" in md


def test_passing_members_are_one_line(cli: CliRun, tmp_path: Path, pg_server: str) -> None:
    names = [f"tenant-{i:02d}" for i in range(8)]
    with incident_fleet(pg_server, names, backfilled=tuple(names)) as members:
        write_config(tmp_path, fleet_config(members, None, checks='''
[[check]]
id = "caught-up"
uses = "db.watermark"
watermark = { table = "task_usage_hourly_rollup_state", column = "watermark_at", where = { id = 1 } }
source = { table = "task_usage", columns = ["updated_at", "created_at"] }
'''))
        out = cli("run", "--no-color")
    assert out.exit_code == 0, out.stdout
    assert "PASS   caught-up  8 members: all pass\n       pass   8 members: tenant-00, tenant-01, tenant-02, " \
           "tenant-03, tenant-04 and 3 more\n" in out.stdout


def test_when_pending_is_decided_per_member(cli: CliRun, tmp_path: Path, fleet: dict[str, str],
                                            pg_server: str) -> None:
    """A member that has applied 103 already skips the check gated on it; the others run it."""
    with incident_fleet(pg_server, ["done"]) as extra:
        with psycopg.connect(extra["done"], autocommit=True) as conn:
            conn.execute("update schema_migrations set version = 103")
        write_config(tmp_path, fleet_config({**fleet, **extra}, None))
        code, doc = run_json(cli, "--only", "hourly-rollup-caught-up")
    check = checks_by_id(doc)["hourly-rollup-caught-up"]
    assert member_statuses(check) == {"done": "skip", "eu-1": "fail", "eu-2": "fail", "us-1": "pass"}
    done = next(m for m in check["members"] if m["member"] == "done")
    assert "not applicable" in done["summary"]


def test_a_lint_of_every_file_runs_once(cli: CliRun, tmp_path: Path, fleet: dict[str, str]) -> None:
    """migrations.lint with scope "all" reads no database (its reads_database says so): it runs once."""
    write_config(tmp_path, fleet_config(fleet, None, checks='''
[[check]]
id = "lint-all"
uses = "migrations.lint"
scope = "all"

[[check]]
id = "lint-pending"
uses = "migrations.lint"
'''))
    _, doc = run_json(cli)
    checks = checks_by_id(doc)
    assert "members" not in checks["lint-all"]
    assert len(checks["lint-pending"]["members"]) == 3


def test_unreachable_member_is_an_error_unless_allowed(cli: CliRun, tmp_path: Path, fleet: dict[str, str]) -> None:
    members = {"us-1": fleet["us-1"], "zz-down": "postgresql://preflight@127.0.0.1:1/nowhere?connect_timeout=2"}
    only = ("--only", "database-reachable", "--only", "migration-state")
    write_config(tmp_path, fleet_config(members, None))
    code, doc = run_json(cli, *only)
    assert code == 3 and doc["verdict"] == "error"
    check = checks_by_id(doc)["database-reachable"]
    down = next(m for m in check["members"] if m["member"] == "zz-down")
    assert down["status"] == "error" and down["unreachable"] is True and down["allowed"] is False
    assert down["summary"].startswith("unreachable: cannot connect to the database")
    assert doc["fleet"]["unreachable"] == 1 and doc["fleet"]["unreachable_allowed"] == 0
    assert doc["fleet"]["members"][1] == {"name": "zz-down", "dsn": members["zz-down"], "state": "unreachable",
                                          "unreachable": True}

    for allowance in ("1", '"50%"'):
        write_config(tmp_path, fleet_config(members, None, extra_fleet=f"max_unreachable = {allowance}"))
        code, doc = run_json(cli, *only)
        assert code == 0, doc
        check = checks_by_id(doc)["database-reachable"]
        assert check["status"] == "warn"  # not verified, allowed: never a plain pass
        assert "1 unreachable (allowed by max_unreachable = " in check["summary"]
        assert next(m for m in check["members"] if m["member"] == "zz-down")["allowed"] is True
        text = cli("run", "--no-color", *only).stdout
        assert "error  zz-down: unreachable (allowed by max_unreachable)" in text
        assert "unreachable zz-down: cannot connect to the database" in text

    # 49% of 2 members allows none.
    write_config(tmp_path, fleet_config(members, None, extra_fleet='max_unreachable = "49%"'))
    assert run_json(cli, *only)[0] == 3


def test_fleet_jobs_bounds_members_checked_at_once(cli: CliRun, tmp_path: Path, pg_server: str) -> None:
    """Each member's check sleeps, then counts the preflight sessions active in the fleet's databases."""
    prefix = f"pft_jobs_{uuid.uuid4().hex[:6]}"
    query = ("with s as materialized (select pg_sleep(0.4)) select count(*) from pg_stat_activity, s "
             f"where application_name = 'preflight' and datname like '{prefix}%' and state = 'active'")
    checks = f'[[check]]\nid = "sessions"\nuses = "db.sql"\nquery = "{query}"\nexpect = {{ max = 2 }}\n'
    # User-written SQL runs as a role without pg_read_all_stats unless told otherwise: other sessions would be
    # hidden from it, so the untrusted-SQL gate refuses pg_stat_activity. A role that may see them:
    role = f"{prefix}_reader"
    with psycopg.connect(pg_server, autocommit=True) as admin:
        admin.execute(sql.SQL("create role {} nologin").format(sql.Identifier(role)))
        admin.execute(sql.SQL("grant pg_read_all_data, pg_read_all_stats to {}").format(sql.Identifier(role)))
    database = f'untrusted_role = "{role}"'
    try:
        with incident_fleet(pg_server, [f"m{i}" for i in range(6)], prefix=prefix) as members:
            write_config(tmp_path, fleet_config(members, None, run="fleet_jobs = 2", checks=checks, database=database))
            code, doc = run_json(cli)
            assert code == 0, json.dumps(doc["checks"][0]["members"], indent=1)
            write_config(tmp_path, fleet_config(members, None, run="fleet_jobs = 6", checks=checks, database=database))
            code, doc = run_json(cli)
    finally:
        with psycopg.connect(pg_server, autocommit=True) as admin:
            admin.execute(sql.SQL("drop role if exists {}").format(sql.Identifier(role)))
    # Without the bound, more than two members are checked at once (so the first run could have failed).
    assert code == 1
    assert any(m["status"] == "fail" for m in doc["checks"][0]["members"])


def test_member_selects_a_subset(cli: CliRun, tmp_path: Path, fleet: dict[str, str]) -> None:
    write_config(tmp_path, fleet_config(fleet, None))
    _, doc = run_json(cli, "--member", "eu-*", "--only", "database-reachable")
    assert [m["member"] for m in doc["checks"][0]["members"]] == ["eu-1", "eu-2"]
    assert doc["fleet"]["size"] == 3 and doc["fleet"]["checked"] == 2 and doc["fleet"]["member_patterns"] == ["eu-*"]
    out = cli("run", "--member", "ap-*")
    assert out.exit_code == 2 and "--member 'ap-*': no member of the fleet matches" in out.stderr
    write_config(tmp_path, f'[targets.database]\ndsn = "{fleet["eu-1"]}"\n' + DATABASE_CHECKS.split("[[check]]")[1]
                 .join(["[[check]]", ""]))
    out = cli("run", "--member", "eu-1")
    assert out.exit_code == 2 and "need a fleet" not in out.stderr and "[targets.database.fleet]" in out.stderr


def test_waiver_narrowed_to_members(cli: CliRun, tmp_path: Path, fleet: dict[str, str]) -> None:
    checks = DATABASE_CHECKS + '''
[[waiver]]
check = "hourly-rollup-caught-up"
member = "eu-2"
reason = "eu-2 is read-only until its migration window, OPS-77"
expires = 2099-12-31
'''
    write_config(tmp_path, fleet_config(fleet, None, checks=checks))
    _, doc = run_json(cli, "--only", "hourly-rollup-caught-up")
    check = checks_by_id(doc)["hourly-rollup-caught-up"]
    waived = {m["member"]: m["waived"] for m in check["members"]}
    assert waived == {"eu-1": False, "eu-2": True, "us-1": False}
    assert check["status"] == "fail" and not check["waived"]  # eu-1 still fails
    assert check["member_tally"]["waived"] == 1 and check["member_tally"]["fail"] == 1
    _, doc = run_json(cli, "--only", "hourly-rollup-caught-up", "--member", "eu-2")
    check = checks_by_id(doc)["hourly-rollup-caught-up"]
    assert check["status"] == "fail" and check["waived"] is True and doc["exit_code"] == 0


def test_passwords_never_appear(cli: CliRun, tmp_path: Path, fleet: dict[str, str]) -> None:
    """Trust authentication accepts any password: the DSNs carry them in each of libpq's forms."""
    secrets = ["Uri-Pass-4417", "kv pass 5521", "Query-Pass-6613", "Down-Pass-7719"]
    params = dict(p.split("=", 1) for p in fleet["eu-1"].split())
    members = {
        "eu-1": f"postgresql://{params['user']}:{secrets[0]}@{params['host']}:{params['port']}/{params['dbname']}",
        "eu-2": fleet["eu-2"] + f" password='{secrets[1]}'",
        "us-1": f"postgresql://{params['host']}:{params['port']}/{fleet['us-1'].split('dbname=')[1].split()[0]}"
                f"?user={params['user']}&password={secrets[2]}",
        "zz-down": f"postgresql://someone:{secrets[3]}@127.0.0.1:1/db",
    }
    write_config(tmp_path, fleet_config(members, None))
    outputs = []
    for fmt in FORMAT_NAMES:
        out = cli("run", "--format", fmt, "--debug", "--output", f"json={tmp_path / 'r.json'}")
        assert out.exit_code == 1, out.stderr
        outputs += [out.stdout, out.stderr, (tmp_path / "r.json").read_text()]
    doc = json.loads((tmp_path / "r.json").read_text())
    assert {m["name"]: m["dsn"] for m in doc["fleet"]["members"]}["eu-1"].startswith("postgresql://postgres:***@")
    for text in outputs:
        for s in secrets:
            assert s not in text


@pytest.mark.parametrize("suffix", ["txt", "json", "toml"])
def test_members_from_a_file(cli: CliRun, tmp_path: Path, fleet: dict[str, str], suffix: str,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EU2_DSN", fleet["eu-2"])
    listed = {"eu-1": fleet["eu-1"], "eu-2": "${EU2_DSN}"}
    if suffix == "txt":
        body = "# the EU cell\n\n" + "".join(f"{n}  {d}\n" for n, d in listed.items())
    elif suffix == "json":
        body = json.dumps([{"name": n, "dsn": d} for n, d in listed.items()])
    else:
        body = "".join(f'"{n}" = "{d}"\n' for n, d in listed.items())
    (tmp_path / f"fleet.{suffix}").write_text(body)
    write_config(tmp_path, f'[targets.database.fleet]\nfile = "fleet.{suffix}"\n'
                           '[[check]]\nid = "up"\nuses = "db.connect"\n')
    code, doc = run_json(cli)
    assert code == 0
    assert [m["member"] for m in doc["checks"][0]["members"]] == ["eu-1", "eu-2"]
    assert doc["fleet"]["source"] == f"file fleet.{suffix}"
    out = cli("validate")
    assert out.exit_code == 0 and "a fleet of 2 members" in out.stdout


def test_member_file_errors_name_the_line(cli: CliRun, tmp_path: Path) -> None:
    (tmp_path / "fleet.txt").write_text("a postgresql:///x\n# b\nb postgresql:///y\na postgresql:///z\n")
    write_config(tmp_path, '[targets.database.fleet]\nfile = "fleet.txt"\n[[check]]\nid = "up"\nuses = "db.connect"\n')
    out = cli("run")
    assert out.exit_code == 2
    assert out.stderr.strip() == "preflight: error: fleet.txt:4: member 'a' is named twice (first at fleet.txt:1)"
    (tmp_path / "fleet.txt").write_text("lonely\n")
    out = cli("run")
    assert out.exit_code == 2 and "fleet.txt:1: expected NAME DSN" in out.stderr


def test_members_from_a_control_database_query(cli: CliRun, tmp_path: Path, fleet: dict[str, str], pg_dsn: str,
                                               pg_admin: psycopg.Connection[Any]) -> None:
    pg_admin.execute("create table tenants (slug text primary key, url text, active boolean)")
    for name, dsn in fleet.items():
        pg_admin.execute("insert into tenants values (%s, %s, %s)", (name, dsn, name != "eu-2"))
    write_config(tmp_path, f'''
[targets.database.fleet]
control_dsn = "{pg_dsn}"
query = "select slug as name, url as dsn from tenants where active"

[[check]]
id = "up"
uses = "db.connect"
''')
    code, doc = run_json(cli)
    assert code == 0
    assert [m["member"] for m in doc["checks"][0]["members"]] == ["eu-1", "us-1"]
    assert doc["fleet"]["source"] == "query"
    text = (tmp_path / "preflight.toml").read_text().replace("slug as name", "slug")
    (tmp_path / "preflight.toml").write_text(text)
    out = cli("run")
    assert out.exit_code == 3
    assert "fleet query must return columns named name and dsn (it returned slug, dsn)" in out.stderr


def test_fleet_config_errors(cli: CliRun, tmp_path: Path) -> None:
    cases = {
        '[targets.database.fleet]\nmax_unreachable = 1\n': "give exactly one of members, file or query",
        '[targets.database.fleet]\nmembers = { a = "x" }\nquery = "select 1"\n':
            "give exactly one of members, file or query (got members, query)",
        '[targets.database.fleet]\nmembers = { a = "x" }\nmax_unreachable = "lots"\n':
            "key 'targets.database.fleet.max_unreachable'",
        '[targets.database]\ndsn = "x"\n[targets.database.fleet]\nmembers = { a = "x" }\n':
            "a fleet names its members' DSNs",
        '[run]\nfleet_jobs = 0\n': "key 'run.fleet_jobs': must be at least 1",
    }
    for text, message in cases.items():
        write_config(tmp_path, text + '[[check]]\nid = "up"\nuses = "db.connect"\n')
        out = cli("validate")
        assert out.exit_code == 2 and message in out.stderr, (text, out.stderr)


def test_junit_sarif_and_github_name_the_members(cli: CliRun, tmp_path: Path, fleet: dict[str, str]) -> None:
    write_config(tmp_path, fleet_config(fleet, None))
    junit = cli("run", "--format", "junit").stdout
    assert 'name="hourly-rollup-caught-up @ eu-1"' in junit and 'name="hourly-rollup-caught-up @ us-1"' in junit
    assert '<testsuite name="preflight" tests="15" failures="6"' in junit  # 5 checks x 3 members; 6 failing
    sarif = json.loads(cli("run", "--format", "sarif").stdout)
    members = {r["properties"].get("member") for r in sarif["runs"][0]["results"]}
    assert members == {"eu-1", "eu-2", "us-1"}  # us-1's warnings too
    github = cli("run", "--format", "github").stdout
    assert "title=preflight hourly-rollup-caught-up [eu-2]::" in github


def test_a_single_database_report_has_no_fleet_fields(cli: CliRun, tmp_path: Path, fleet: dict[str, str]) -> None:
    """A run against one database writes exactly the report it wrote before fleets existed."""
    from preflight.cli import demo

    write_config(tmp_path, f"""
[targets.database]
dsn = "{fleet["us-1"]}"

[targets.migrations]
source = "{demo.example_dir() / "migrations"}"
tracking = "golang-migrate"
""" + DATABASE_CHECKS)
    code, doc = run_json(cli)
    assert code == 0
    assert set(doc) == {"schema", "preflight_version", "verdict", "exit_code", "summary", "targets", "config_file",
                        "fail_on", "run_waivers", "checks", "duration_ms"}
    assert doc["targets"]["database"] == {"dsn": fleet["us-1"]}
    for check in doc["checks"]:
        assert "members" not in check and "member_tally" not in check
    text = cli("run", "--no-color").stdout
    assert "fleet:" not in text and "member" not in text
