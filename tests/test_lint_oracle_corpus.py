"""The real-world regression corpus: the lint's claims about migration sets modelled on public projects, checked
against what PostgreSQL does when the sets are applied.

Each directory under ``tests/lint_oracle/corpus/`` is one set, written by us to reproduce the patterns of a
public project's migration directory (``corpus/SOURCES.md`` names the directories studied; no line of theirs
is copied)::

    set.toml         runner, what is already applied, the seed, stand-ins for migrations written in code
    migrations/      the migration files, as the runner reads them
    seed.sql         optional: rows the application wrote (run after the applied migrations, not a migration)
    flyway.conf      Flyway sets: locations and placeholders, read by preflight and by the harness alike
    findings.json    the reviewed snapshot of every finding (rule, severity, file, line, message)
    review.toml      the findings judged wrong by hand when the snapshot was reviewed, and why

``set.toml``::

    runner = "golang-migrate"       # golang-migrate | goose | dbmate | flyway | filename
    about = "what the set reproduces"
    studied = ["owner/repo: path (what was seen there)"]
    applied = ["0001_base.up.sql"]  # applied before the rollout, in order, with the runner's tracking rows
    seed = "seed.sql"
    [applied_content]               # Flyway repeatable migrations: the text applied then (its checksum is recorded)
    "R__views.sql" = "..."
    [stand_in]                      # goose Go migrations: what the code does, in SQL, applied in its place
    "00004_backfill.go" = "UPDATE ..."

For each set the harness (1) builds a scratch database: the applied migrations run as their runner runs them
(:mod:`tests.lint_oracle.runners`), its tracking rows written as it writes them, then the seed; (2) runs
``preflight run --format json`` with ``migrations.lint`` (``scope = "pending"``, every rule) and
``migrations.guards`` against it, and reads every claim (:mod:`tests.lint_oracle.claims`); (3) applies the
pending migrations, in run order, to a copy of the database, one statement at a time in the runner's transaction
structure (:mod:`tests.lint_oracle.apply`), observing each; (4) judges every claim against the truth of the
statement it is about, and adds the claims that should have been made: every statement that fails must have been
predicted, every "would fail" must be an error; a wrong claim fails the set unless
:mod:`tests.lint_oracle.ledger` lists it among those issue 17 still has to fix. It also checks that preflight's pending list (``preflight
migrations``) is the one the runner would run.

``test_corpus_findings_match_the_reviewed_snapshot`` compares the findings with ``findings.json`` (messages with
sizes normalised: table sizes move with autovacuum and server version); ``PREFLIGHT_UPDATE_SNAPSHOTS=1`` rewrites
the snapshots. Review the diff, and keep ``review.toml`` in step. The figures (sets, files, statements, claims
checked and wrong, by kind) are printed at the end of the session.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tomllib
import uuid
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql

from tests.conftest import dsn_for
from tests.helpers import run_cli
from tests.lint_oracle import claims as oracle
from tests.lint_oracle import ledger
from tests.lint_oracle.apply import Applied, Judged, apply_pending, judge_statements, tally
from tests.lint_oracle.cli import config_text, run_pending
from tests.lint_oracle.observe import Truth
from tests.lint_oracle.runners import (
    RUNNERS,
    apply,
    create_tracking,
    migration_files,
    pending_files,
    record_applied,
    units,
)

HERE = Path(__file__).parent / "lint_oracle"
CORPUS = HERE / "corpus"
SOURCES = CORPUS / "SOURCES.md"
PROPERTY = "lint_oracle_corpus"
CACHE_KEY = "preflight/lint-oracle-corpus"
UPDATE = os.environ.get("PREFLIGHT_UPDATE_SNAPSHOTS") == "1"
MIN_SETS = 10
MIN_SOURCES = 10
GUARDS_CHECK = "oracle-guards"


# -- the sets ------------------------------------------------------------------------------------------------


class CorpusError(Exception):
    """A set directory or its set.toml is malformed."""


@dataclass(frozen=True)
class CorpusSet:
    name: str
    directory: Path
    runner: str
    about: str
    studied: tuple[str, ...]
    applied: tuple[str, ...]
    seed: str | None = None
    applied_content: dict[str, str] = field(default_factory=dict)
    stand_in: dict[str, str] = field(default_factory=dict)
    placeholders: dict[str, str] = field(default_factory=dict)

    @property
    def migrations(self) -> Path:
        return self.directory / "migrations"

    @property
    def flyway_conf(self) -> Path | None:
        path = self.directory / "flyway.conf"
        return path if path.exists() else None


KEYS = {"runner", "about", "studied", "applied", "seed", "applied_content", "stand_in"}


def load_set(directory: Path) -> CorpusSet:
    doc = tomllib.loads((directory / "set.toml").read_text(encoding="utf-8"))
    unknown = set(doc) - KEYS
    if unknown or doc.get("runner") not in RUNNERS:
        raise CorpusError(f"{directory.name}/set.toml: unknown keys {sorted(unknown)} or runner not one of {RUNNERS}")
    names = {p.name for p in migration_files(doc["runner"], directory / "migrations")}
    missing = [n for n in doc.get("applied", []) if n not in names]
    if missing:
        raise CorpusError(f"{directory.name}/set.toml: applied migrations not in migrations/: {missing}")
    code = [n for n in names if not n.endswith(".sql") and n not in doc.get("stand_in", {})]
    if code:
        raise CorpusError(f"{directory.name}/set.toml: migrations in code without a [stand_in]: {code}")
    placeholders: dict[str, str] = {}
    conf = directory / "flyway.conf"
    if conf.exists():
        for line in conf.read_text(encoding="utf-8").splitlines():
            key, sep, value = line.partition("=")
            if sep and key.strip().startswith("flyway.placeholders."):
                placeholders[key.strip().removeprefix("flyway.placeholders.")] = value.strip()
    return CorpusSet(directory.name, directory, doc["runner"], doc.get("about", ""), tuple(doc.get("studied", ())),
                     tuple(doc.get("applied", ())), doc.get("seed"), dict(doc.get("applied_content", {})),
                     dict(doc.get("stand_in", {})), placeholders)


def set_dirs() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if (p / "set.toml").exists())


# -- building, linting, applying -----------------------------------------------------------------------------


def _create(server: str, name: str, template: str | None = None) -> None:
    with psycopg.connect(server, autocommit=True) as admin:
        query = sql.SQL("create database {}").format(sql.Identifier(name))
        if template:
            query = sql.SQL("create database {} template {}").format(sql.Identifier(name), sql.Identifier(template))
        admin.execute(query)


def _drop(server: str, name: str) -> None:
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)))


def build(server: str, s: CorpusSet, workdir: Path) -> str:
    """A database where the set's applied migrations ran, as the runner ran them, and the seed."""
    name = f"pflc_{s.name.replace('-', '_')[:30]}_{uuid.uuid4().hex[:8]}"
    _create(server, name)
    with psycopg.connect(dsn_for(server, name), autocommit=True) as conn:
        create_tracking(conn, s.runner)
        for file in s.applied:
            path = s.migrations / file
            if file in s.applied_content:  # the text the runner applied back then
                path = workdir / "applied-then" / file
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(s.applied_content[file], encoding="utf-8")
            if file in s.stand_in:
                with conn.transaction():
                    conn.execute(s.stand_in[file].encode())
                    record_applied(conn, s.runner, path)
                continue
            apply(conn, s.runner, path, s.placeholders)
        if s.seed:
            conn.execute((s.directory / s.seed).read_text(encoding="utf-8").encode())
        conn.execute("analyze")
    return name


def config_for(s: CorpusSet, dsn: str) -> str:
    q = json.dumps
    extra = f"config_file = {q(str(s.flyway_conf))}\n" if s.flyway_conf else ""
    return (config_text(dsn, s.migrations, s.runner, extra=extra)
            + f"\n[[check]]\nid = {q(GUARDS_CHECK)}\nuses = \"migrations.guards\"\n")


def preflight_pending(workdir: Path) -> list[dict[str, Any]]:
    with contextlib.chdir(workdir):
        outcome = run_cli(["migrations", "--format", "json", "-c", str(workdir / "preflight.toml")],
                          env={"NO_COLOR": "1"})
    doc = json.loads(outcome.stdout)
    return doc["pending"]  # type: ignore[no-any-return]


@dataclass
class SetRun:
    s: CorpusSet
    report: dict[str, Any]
    pending: list[Path]
    preflight_pending: list[dict[str, Any]]
    applied: list[Applied]
    major: int


@cache
def run_set(server: str, name: str, workdir: str) -> SetRun:
    """Everything the tests of one set need, once per test process."""
    s = load_set(CORPUS / name)
    work = Path(workdir) / name
    work.mkdir(parents=True, exist_ok=True)
    db = build(server, s, work)
    try:
        dsn = dsn_for(server, db)
        report = run_pending(work / "run", config_for(s, dsn))
        listed = preflight_pending(work / "run")
        applied_then = {f: (s.applied_content.get(f) if f in s.applied_content
                            else (s.migrations / f).read_text(encoding="utf-8") if not f.endswith(".go") else "")
                        for f in s.applied}
        pending = pending_files(s.runner, s.migrations, applied_then, s.placeholders)
        copy = f"{db}_copy"
        _create(server, copy, template=db)
        try:
            with psycopg.connect(dsn_for(server, copy), autocommit=True) as conn:
                applied = apply_pending(conn, s.runner, pending, placeholders=s.placeholders, stand_in=s.stand_in)
                major = int(conn.execute("select current_setting('server_version_num')::int / 10000"
                                         ).fetchone()[0])  # type: ignore[index]
        finally:
            _drop(server, copy)
    finally:
        _drop(server, db)
    return SetRun(s, report, pending, listed, applied, major)


# -- judging -------------------------------------------------------------------------------------------------


def claims_by_file(report: dict[str, Any]) -> dict[str, list[oracle.Claim]]:
    """Every claim of the lint and the guards, by the migration file (base name) it is in."""
    out: dict[str, list[oracle.Claim]] = {}
    for check in report["checks"]:
        for f in check.get("findings", ()):
            file = Path((f.get("location") or {}).get("file", "")).name
            out.setdefault(file, []).extend(oracle.read(f))
    return out


def judge_set(run: SetRun) -> tuple[list[Judged], list[oracle.Claim]]:
    """Each statement's verdicts, and the claims that fall on no statement that ran (unplaced)."""
    return judge_statements(run.applied, claims_by_file(run.report))


# -- the snapshot --------------------------------------------------------------------------------------------

SIZE = re.compile(r"\b\d+(?:\.\d+)? (?:bytes|kB|MB|GB|TB)\b")


def snapshot(run: SetRun) -> list[dict[str, Any]]:
    """Every finding, normalised: paths relative to the set, sizes replaced (they move with autovacuum)."""
    root = str(run.s.migrations)
    out = []
    for check in run.report["checks"]:
        for f in check.get("findings", ()):
            loc = f.get("location") or {}
            message = SIZE.sub("<size>", f.get("message", "").replace(root + "/", ""))
            out.append({"check": "guards" if check["id"] == GUARDS_CHECK else "lint", "rule": f.get("rule"),
                        "severity": f.get("severity"), "file": Path(loc.get("file", "")).name,
                        "line": loc.get("line"), "message": message})
    return sorted(out, key=lambda f: (f["file"], f["line"] or 0, f["check"], f["rule"] or "", f["message"]))


def snapshot_path(s: CorpusSet) -> Path:
    return s.directory / "findings.json"


def load_review(s: CorpusSet) -> list[dict[str, Any]]:
    path = s.directory / "review.toml"
    if not path.exists():
        return []
    return list(tomllib.loads(path.read_text(encoding="utf-8")).get("wrong", []))


# -- the tests -----------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def corpus_workdir(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("lint-corpus"))


@pytest.mark.parametrize("directory", set_dirs(), ids=lambda p: p.name)
def test_corpus_claims_match_postgresql(directory: Path, pg_server: str, corpus_workdir: str,
                                        record_property: Any) -> None:
    run = run_set(pg_server, directory.name, corpus_workdir)
    judged, unplaced = judge_set(run)
    wrong = [(j, v) for j in judged for v in j.verdicts if v.verdict == oracle.WRONG]
    statements = [a for a in run.applied if a.truth is not None]
    record_property(PROPERTY, json.dumps({
        "set": run.s.name, "major": run.major, "runner": run.s.runner,
        "files": len(migration_files(run.s.runner, run.s.migrations)), "pending_files": len(run.pending),
        "statements": len(statements),
        "failing_statements": sum(1 for a in statements if a.truth and a.truth.error),
        "tally": tally(judged),
        "wrong": [{"kind": v.kind, "where": f"{j.statement.file}:{j.statement.line}",
                   "claim": v.claim.describe() if v.claim else f"(none: should claim {v.missing})",
                   "rule": v.claim.rule if v.claim else "", "truth": v.truth} for j, v in wrong],
    }))
    problems = []
    expected = [p.name for p in run.pending]
    listed = [Path(p["file"]).name for p in run.preflight_pending]
    if listed != expected:
        problems.append(f"preflight's pending list is not what {run.s.runner} would run:\n  runner: {expected}\n"
                        f"  preflight: {listed}")
    problems += [f"claim on no statement that ran: {c.source()}" for c in unplaced if c.kind in oracle.KINDS]
    problems += ledger.settle(run.s.name, run.major,
                              [ledger.line(f"{Path(j.statement.file).name}:{j.statement.line}", v) for j, v in wrong])
    assert not problems, f"{run.s.name} on PostgreSQL {run.major}: {len(wrong)} wrong claims\n" + "\n".join(problems)


@pytest.mark.parametrize("directory", set_dirs(), ids=lambda p: p.name)
def test_corpus_findings_match_the_reviewed_snapshot(directory: Path, pg_server: str, corpus_workdir: str) -> None:
    run = run_set(pg_server, directory.name, corpus_workdir)
    current = snapshot(run)
    path = snapshot_path(run.s)
    if UPDATE:
        path.write_text(json.dumps({"findings": current}, indent=1) + "\n", encoding="utf-8")
    recorded = json.loads(path.read_text(encoding="utf-8"))["findings"] if path.exists() else None
    if recorded != current:
        gone = [f for f in recorded or [] if f not in current]
        new = [f for f in current if f not in (recorded or [])]
        pytest.fail(f"{run.s.name}: the findings changed since {path.name} was reviewed "
                    f"(PREFLIGHT_UPDATE_SNAPSHOTS=1 rewrites it; review the diff and review.toml)\n"
                    + "".join(f"  - {json.dumps(f)}\n" for f in gone)
                    + "".join(f"  + {json.dumps(f)}\n" for f in new), pytrace=False)
    keys = {(f["rule"], f["file"], f["line"]) for f in current}
    stale = [r for r in load_review(run.s) if (r.get("rule"), r.get("file"), r.get("line")) not in keys]
    assert not stale, f"{run.s.name}/review.toml names findings that are not in the snapshot: {stale}"


def test_the_corpus_is_sound() -> None:
    """Enough sets, every runner the lint reads, every set named in SOURCES.md, enough sources studied."""
    dirs = set_dirs()
    assert len(dirs) >= MIN_SETS, f"{len(dirs)} sets, fewer than {MIN_SETS}"
    sets = [load_set(d) for d in dirs]
    assert {s.runner for s in sets} == set(RUNNERS)
    sources = SOURCES.read_text(encoding="utf-8")
    rows = [line for line in sources.splitlines() if line.startswith("| ") and not line.startswith("| Repository")
            and not line.startswith("| ---")]
    assert len(rows) >= MIN_SOURCES, f"SOURCES.md lists {len(rows)} directories studied, fewer than {MIN_SOURCES}"
    for s in sets:
        assert f"`{s.name}`" in sources, f"{s.name} is not in SOURCES.md"
        assert s.studied, f"{s.name}/set.toml: studied is empty"
        for path in migration_files(s.runner, s.migrations):
            if path.suffix == ".sql":
                units(s.runner, path, s.placeholders)  # every file splits as its runner splits it
        pending = [p for p in migration_files(s.runner, s.migrations) if p.name not in s.applied]
        assert pending, f"{s.name}: nothing pending"


def test_the_corpus_judge_places_claims_on_their_statement() -> None:
    truth_ok = Truth(mode="transaction")
    truth_failed = Truth(mode="transaction", error={"sqlstate": "42P01", "message": "relation does not exist"})
    s = CorpusSet("x", CORPUS, "golang-migrate", "", (), ())
    run = SetRun(s, {"checks": [{"id": "lint", "findings": [
        {"rule": "ban-drop-table", "severity": "warning", "location": {"file": "/a/migrations/2_x.up.sql", "line": 3},
         "message": "DROP TABLE t destroys the table and every row in it: t does not exist in the database, and no "
                    "earlier pending migration creates it: the statement would fail",
         "data": {"verdict": "would-fail", "sqlstate": "42P01"}}]}]},
        [], [], [Applied("2_x.up.sql", 1, 2, "select 1", truth_ok), Applied("2_x.up.sql", 3, 3, "drop table t",
                                                                            truth_failed)], 18)
    judged, unplaced = judge_set(run)
    assert not unplaced
    assert [v.verdict for v in judged[0].verdicts] == []
    assert [(v.kind, v.verdict) for v in judged[1].verdicts] == [("data-loss", oracle.MOOT), ("fails", oracle.RIGHT)]
    run.applied[1].truth = truth_ok
    judged, _ = judge_set(run)
    assert ("fails", oracle.WRONG) in [(v.kind, v.verdict) for v in judged[1].verdicts]


# -- the figures ---------------------------------------------------------------------------------------------


def figures(records: list[dict[str, Any]]) -> dict[str, Any]:
    by_kind: dict[str, Counter[str]] = {k: Counter() for k in oracle.KINDS}
    for r in records:
        for kind, t in r["tally"].items():
            by_kind[kind].update(t)
    return {
        "sets": len({r["set"] for r in records}), "servers": sorted({r["major"] for r in records}),
        "files": sum(r["files"] for r in records if r["major"] == records[0]["major"]),
        "pending_files": sum(r["pending_files"] for r in records if r["major"] == records[0]["major"]),
        "statements": sum(r["statements"] for r in records if r["major"] == records[0]["major"]),
        "failing_statements": sum(r["failing_statements"] for r in records if r["major"] == records[0]["major"]),
        "checked": sum(c["checked"] for c in by_kind.values()),
        "wrong": sum(c["wrong"] for c in by_kind.values()),
        "missing": sum(c["missing"] for c in by_kind.values()),
        "by_kind": {k: dict(c) for k, c in by_kind.items() if c["checked"]},
        "wrong_claims": [{"set": r["set"], "server": r["major"], **w} for r in records for w in r["wrong"]],
    }


def summarize(terminalreporter: Any) -> None:
    records: dict[tuple[str, int], dict[str, Any]] = {}
    for reports in terminalreporter.stats.values():
        for report in reports:
            for name, value in getattr(report, "user_properties", ()):
                if name == PROPERTY:
                    record = json.loads(value)
                    records[(record["set"], record["major"])] = record
    if not records:
        return
    f = figures([records[k] for k in sorted(records)])
    cache = getattr(terminalreporter.config, "cache", None)
    if cache is not None:
        cache.set(CACHE_KEY, f)
    kinds = ", ".join(f"{k} {c.get('wrong', 0)}/{c['checked']}" for k, c in f["by_kind"].items())
    terminalreporter.section("lint oracle: corpus")
    terminalreporter.write_line(
        f"{f['sets']} sets on PostgreSQL {', '.join(map(str, f['servers']))}: {f['files']} files, "
        f"{f['pending_files']} pending, {f['statements']} statements applied ({f['failing_statements']} fail); "
        f"{f['checked']} claims checked, {f['wrong']} wrong ({f['missing']} of them missing); "
        f"wrong/checked by kind: {kinds}")
