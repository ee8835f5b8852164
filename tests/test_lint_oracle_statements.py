"""The differential test: every claim the migration lint makes about a statement, checked against PostgreSQL.

``tests/lint_oracle/statements/*.yaml`` is the table: each file is a group, with its setup SQL (tables with a
few rows, indexes, constraints, types) and its cases, each a migration file (usually one statement)::

    group: alter-column-type
    about: what the group covers
    timezone: Europe/Paris        # optional: the scratch database's default TimeZone
    setup: |
      create table t (...);
    cases:
      - id: varchar-50-to-255
        sql: ALTER TABLE t ALTER COLUMN vc TYPE varchar(255);
        note: why the case is here (optional)

One scratch database per group holds the setup, with golang-migrate's tracking table saying version 1 (the
setup) is applied. For each case:

1. the truth: the case's statements run on the real server, one at a time, inside one transaction that is
   rolled back (:mod:`tests.lint_oracle.apply`, :mod:`tests.lint_oracle.observe`), each observed on its own;
   a statement that fails ends the case there, as golang-migrate's one multi-statement query would. A single
   statement that refuses transaction blocks runs as golang-migrate sends it, alone, on a database of its own;
2. the claims: the case is linted twice, as a user would: ``preflight lint --format json`` (no database, the
   "lint" mode) with every other case of its group, and ``preflight run --format json`` with a
   ``migrations.lint`` check (``scope = "pending"``, the "run" mode) against the group's database, the case
   being the one pending migration; each finding's claims are read by :mod:`tests.lint_oracle.claims` and
   placed on the statement their line and column fall in;
3. each claim is judged against its statement's truth, and the claims the lint should have made and did not
   are added (in the "run" mode: with the database, the lint can know). A wrong claim fails the case, listing
   case, truth and claim, unless :mod:`tests.lint_oracle.ledger` lists it among the claims issue 17 still has
   to fix; a listed claim that is no longer wrong fails the case too, so the ledger only shrinks.

The truth is also kept, per PostgreSQL major version, in ``tests/lint_oracle/statements.truth.json``: a case
whose observed truth differs from the recorded one fails (the server changed, or the harness did). Review the
file after ``PREFLIGHT_UPDATE_SNAPSHOTS=1 python -m pytest tests/test_lint_oracle_statements.py`` rewrites it,
on each server (``PREFLIGHT_TEST_DSN`` for the machine's). The figures (cases, claims checked, claims wrong by
kind and mode, the truths that differ between versions) are printed at the end of the session.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import tempfile
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import pytest
import yaml
from psycopg import sql

from tests.conftest import dsn_for
from tests.lint_oracle import claims as oracle
from tests.lint_oracle import ledger
from tests.lint_oracle.apply import Applied, Applier, Judged, judge_statements, tally
from tests.lint_oracle.cli import config_text, lint_files, run_pending
from tests.lint_oracle.observe import Truth
from tests.lint_oracle.runners import GOLANG_MIGRATE_DDL, Unit, statements

HERE = Path(__file__).parent / "lint_oracle"
STATEMENTS = HERE / "statements"
TRUTH_FILE = HERE / "statements.truth.json"
PROPERTY = "lint_oracle_statements"
CACHE_KEY = "preflight/lint-oracle-statements"
UPDATE = os.environ.get("PREFLIGHT_UPDATE_SNAPSHOTS") == "1"
MODES = ("lint", "run")
MIN_CASES = 150
CASE_FILE = "2_case.up.sql"


# -- the table -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    group: str
    id: str
    sql: str
    note: str = ""

    @property
    def key(self) -> str:
        return f"{self.group}/{self.id}"


@dataclass(frozen=True)
class Group:
    name: str
    about: str
    setup: str
    timezone: str | None
    cases: tuple[Case, ...] = field(default_factory=tuple)


class TableError(Exception):
    """A statements/*.yaml file is malformed."""


def load_group(path: Path) -> Group:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    unknown = set(doc) - {"group", "about", "setup", "timezone", "cases"}
    if unknown or doc.get("group") != path.stem:
        raise TableError(f"{path.name}: unknown keys {sorted(unknown)} or group is not {path.stem!r}")
    cases = []
    for raw in doc["cases"]:
        extra = set(raw) - {"id", "sql", "note"}
        if extra or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", str(raw.get("id", ""))):
            raise TableError(f"{path.name}: case {raw.get('id')!r}: bad id or unknown keys {sorted(extra)}")
        cases.append(Case(path.stem, raw["id"], raw["sql"].strip() + "\n", raw.get("note", "")))
    ids = [c.id for c in cases]
    if len(ids) != len(set(ids)):
        raise TableError(f"{path.name}: duplicate case ids")
    return Group(path.stem, doc.get("about", ""), doc["setup"], doc.get("timezone"), tuple(cases))


def load_table() -> list[Group]:
    return [load_group(p) for p in sorted(STATEMENTS.glob("*.yaml"))]


GROUPS = {g.name: g for g in load_table()}
CASES = [c for g in GROUPS.values() for c in g.cases]


# -- the scratch databases -----------------------------------------------------------------------------------


def create_database(server: str, group: Group) -> str:
    name = f"pflo_{re.sub(r'[^a-z0-9]', '_', group.name)[:30]}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
        if group.timezone:
            admin.execute(sql.SQL("alter database {} set timezone to {}").format(
                sql.Identifier(name), sql.Literal(group.timezone)))
    dsn = dsn_for(server, name)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(group.setup.encode())
        conn.execute(GOLANG_MIGRATE_DDL)  # golang-migrate ran version 1, the setup
        conn.execute('INSERT INTO "public"."schema_migrations" (version, dirty) VALUES (1, false)')
        conn.execute("analyze")
    return name


def drop_database(server: str, name: str) -> None:
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)))


class GroupDatabase:
    def __init__(self, server: str, group: Group, workdir: Path) -> None:
        self.server, self.group, self.workdir = server, group, workdir
        self.name = create_database(server, group)
        self.dsn = dsn_for(server, self.name)
        self.conn = psycopg.connect(self.dsn, autocommit=True)
        self._static: dict[str, Any] | None = None
        for case in group.cases:
            d = self.case_dir(case) / "migrations"
            d.mkdir(parents=True, exist_ok=True)
            (d / "1_setup.up.sql").write_text(group.setup, encoding="utf-8")
            (d / "2_case.up.sql").write_text(case.sql, encoding="utf-8")

    def case_dir(self, case: Case) -> Path:
        return self.workdir / case.id

    def case_file(self, case: Case) -> str:
        """The case's migration file as ``preflight lint`` is given it (relative to the group's directory)."""
        return f"{case.id}/migrations/2_case.up.sql"

    def truth(self, case: Case) -> list[Applied]:
        """Each statement of the case, observed inside a transaction block that is rolled back."""
        applied = Applier(self.conn, None).apply(Unit(case.sql, 1, "implicit"), CASE_FILE, rehearse=True)
        refused = any(a.truth and a.truth.error and a.truth.error["sqlstate"] == "25001" for a in applied)
        if refused and len(statements(case.sql)) == 1:
            # refused inside our transaction block: run it as golang-migrate sends it, where it commits
            name = create_database(self.server, self.group)
            try:
                with psycopg.connect(dsn_for(self.server, name), autocommit=True) as conn:
                    applied = Applier(conn, None).apply(Unit(case.sql, 1, "implicit"), CASE_FILE)
            finally:
                drop_database(self.server, name)
        return applied

    def static_report(self) -> dict[str, Any]:
        """``preflight lint`` of every case of the group, once."""
        if self._static is None:
            self._static = lint_files(self.workdir, [self.case_file(c) for c in self.group.cases],
                                      tracking="golang-migrate")
        return self._static

    def static_claims(self, case: Case) -> dict[str, list[oracle.Claim]]:
        return {CASE_FILE: oracle.read_report(self.static_report()).get(self.case_file(case), [])}

    def run_claims(self, case: Case) -> dict[str, list[oracle.Claim]]:
        config = config_text(self.dsn, self.case_dir(case) / "migrations", "golang-migrate")
        report = run_pending(self.case_dir(case) / "run", config)
        return {CASE_FILE: [c for cs in oracle.read_report(report).values() for c in cs]}

    def close(self) -> None:
        self.conn.close()
        drop_database(self.server, self.name)


class Databases:
    """One scratch database per group, made when a case of the group first needs it (per test process)."""

    def __init__(self, server: str, workdir: Path) -> None:
        self.server, self.workdir = server, workdir
        self.groups: dict[str, GroupDatabase] = {}
        with psycopg.connect(server) as conn:
            self.major = int(conn.execute("select current_setting('server_version_num')::int / 10000"
                                          ).fetchone()[0])  # type: ignore[index]

    def __call__(self, group: str) -> GroupDatabase:
        if group not in self.groups:
            self.groups[group] = GroupDatabase(self.server, GROUPS[group], self.workdir / group)
        return self.groups[group]

    def close(self) -> None:
        for db in self.groups.values():
            db.close()


@pytest.fixture(scope="session")
def oracle_databases(pg_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    dbs = Databases(pg_server, tmp_path_factory.mktemp("lint-oracle"))
    try:
        yield dbs
    finally:
        dbs.close()


# -- the recorded truth --------------------------------------------------------------------------------------


def recorded_truths() -> dict[str, dict[str, Any]]:
    if not TRUTH_FILE.exists():
        return {}
    return json.loads(TRUTH_FILE.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def record_truth(key: str, major: int, observed: list[dict[str, Any]]) -> None:
    """Write one case's truth for one server version (xdist workers take turns on the file)."""
    with open(Path(tempfile.gettempdir()) / "preflight-lint-oracle-truth.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        truths = recorded_truths()
        truths.setdefault(key, {})[str(major)] = observed
        known = {c.key for c in CASES}
        truths = {k: dict(sorted(v.items())) for k, v in sorted(truths.items()) if k in known}
        fresh = TRUTH_FILE.with_suffix(f".{os.getpid()}.tmp")
        fresh.write_text(json.dumps(truths, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        fresh.replace(TRUTH_FILE)  # atomically: the other workers read it without the lock


def version_differences(truths: dict[str, dict[str, Any]]) -> list[str]:
    """Cases whose recorded truth is not the same on every recorded server version."""
    out = []
    for key, by_version in sorted(truths.items()):
        distinct = {json.dumps(v, sort_keys=True) for v in by_version.values()}
        if len(by_version) > 1 and len(distinct) > 1:
            out.append(key)
    return out


# -- the test ------------------------------------------------------------------------------------------------


def facts(applied: list[Applied]) -> list[dict[str, Any]]:
    """The truth as recorded: per statement, its line and what PostgreSQL did."""
    return [{"line": a.line, **a.truth.facts()} for a in applied if a.truth is not None]


def merge(tallies: list[dict[str, dict[str, int]]]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for t in tallies:
        for kind, counts in t.items():
            for k, n in counts.items():
                out.setdefault(kind, {}).setdefault(k, 0)
                out[kind][k] += n
    return out


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.key)
def test_every_claim_of_the_lint_matches_postgresql(case: Case, oracle_databases: Databases,
                                                   record_property: Any) -> None:
    db = oracle_databases(case.group)
    applied = db.truth(case)
    judged: dict[str, list[Judged]] = {}
    unplaced: dict[str, list[oracle.Claim]] = {}
    for mode, claims in (("lint", db.static_claims(case)), ("run", db.run_claims(case))):
        judged[mode], unplaced[mode] = judge_statements(applied, claims, with_missing=mode == "run")
    observed = facts(applied)
    recorded = recorded_truths().get(case.key, {}).get(str(oracle_databases.major))
    if UPDATE:
        record_truth(case.key, oracle_databases.major, observed)
    wrong = {mode: [(j, v) for j in js for v in j.verdicts if v.verdict == oracle.WRONG] for mode, js in judged.items()}
    record_property(PROPERTY, json.dumps({
        "case": case.key, "major": oracle_databases.major,
        "tally": {mode: tally(js) for mode, js in judged.items()},
        "wrong": {mode: [_one_line(v) for _, v in ws] for mode, ws in wrong.items()},
    }))
    problems = []
    if not UPDATE and recorded != observed:
        problems.append(f"the truth on PostgreSQL {oracle_databases.major} is not the recorded one "
                        f"({TRUTH_FILE.name}; PREFLIGHT_UPDATE_SNAPSHOTS=1 records it, review the diff):\n"
                        f"  recorded: {json.dumps(recorded, sort_keys=True)}\n"
                        f"  observed: {json.dumps(observed, sort_keys=True)}")
    for mode in judged:
        problems += [f"[{mode}] claim on no statement: {c.source()}" for c in unplaced[mode] if c.kind in oracle.KINDS]
    problems += ledger.settle(case.key, oracle_databases.major,
                              [ledger.line(f"[{mode}] line {j.statement.line}", v)
                               for mode in judged for j, v in wrong[mode]])
    assert not problems, (f"{case.key} on PostgreSQL {oracle_databases.major}:\n  SQL: {case.sql.strip()}\n"
                          f"  truth: {json.dumps(observed, sort_keys=True)}\n" + "\n".join(problems))


def _one_line(v: oracle.Verdict) -> dict[str, str]:
    if v.claim is None:
        return {"kind": v.kind, "claim": f"(none: should claim {v.missing})", "truth": v.truth, "rule": ""}
    return {"kind": v.kind, "claim": v.claim.describe(), "truth": v.truth, "rule": v.claim.rule}


def test_the_table_is_sound() -> None:
    """Enough cases, ids unique across groups, every recorded truth belongs to a case."""
    assert len(CASES) >= MIN_CASES, f"{len(CASES)} cases, fewer than {MIN_CASES}"
    assert len({c.key for c in CASES}) == len(CASES)
    stale = set(recorded_truths()) - {c.key for c in CASES}
    assert not stale, f"recorded truths of cases that no longer exist: {sorted(stale)}"


def test_the_claim_reader_fails_loudly_on_a_message_it_cannot_read() -> None:
    finding = {"rule": "changing-column-type", "severity": "warning", "message": "ALTER COLUMN c is fine",
               "location": {"file": "x.sql", "line": 1}}
    with pytest.raises(oracle.UnreadClaim, match="changing-column-type"):
        oracle.read(finding)


def test_a_would_fail_claims_the_sqlstate_its_finding_names() -> None:
    base = {"rule": "fails-against-live-schema", "severity": "failure", "location": {"file": "f", "line": 1},
            "message": "DROP TABLE orders fails: other objects depend on it: view open_orders"}
    (claim,) = oracle.read({**base, "data": {"verdict": "would-fail", "sqlstate": "2BP01"}})
    assert (claim.kind, claim.value) == ("fails", "fails 2BP01")
    with pytest.raises(oracle.UnreadClaim, match="names no SQLSTATE"):
        oracle.read({**base, "rule": "ban-drop-view", "data": {"verdict": "would-fail"}})


def test_the_judge_catches_a_false_rewrite_and_a_missing_one() -> None:
    truth = Truth(mode="transaction", rows={"public.t": 3, "public.u": 3}, new_filenode=["public.u"],
                  kinds={"public.t": "r", "public.u": "r"},
                  scanned=["public.u"], locks={"public.t": "AccessExclusiveLock", "public.u": "AccessExclusiveLock"},
                  existed=["public.t", "public.u"])
    claims = oracle.read({"rule": "changing-column-type", "severity": "warning", "location": {"file": "f", "line": 1},
                          "message": "ALTER COLUMN c TYPE text rewrites t and its indexes under an ACCESS EXCLUSIVE "
                                     "lock"})
    (j,), unplaced = judge_statements([Applied("f", 1, 1, "alter table t ...", truth)], {"f": claims})
    assert not unplaced
    verdicts = {(v.kind, v.verdict) for v in j.verdicts}
    assert ("rewrite", oracle.WRONG) in verdicts and ("lock", oracle.RIGHT) in verdicts
    assert [v.missing for v in j.verdicts if v.claim is None] == [
        "rewrites public.u", "a blocking lock on public.u while the statement reads it"]


def test_a_scan_conditional_on_the_columns_being_proven_not_null_is_judged_against_the_catalogs() -> None:
    (scan, lock) = oracle.read({
        "rule": "adding-not-nullable-field", "severity": "warning", "location": {"file": "f", "line": 1},
        "message": "SET NOT NULL on t.c scans the table under an ACCESS EXCLUSIVE lock unless c is already NOT NULL "
                   "or a validated CHECK (c IS NOT NULL) exists: without the database the lint cannot tell",
        "data": {"condition": {"unless_not_null": ["c"]}}})
    assert (scan.kind, scan.relation, scan.value) == ("scan", "public.t", "yes") and scan.condition
    assert lock.value == "exactly AccessExclusiveLock" and not lock.condition

    def judged(proven: list[str], scanned: list[str]) -> str:
        truth = Truth(mode="transaction", rows={"public.t": 3}, kinds={"public.t": "r"}, existed=["public.t"],
                      scanned=scanned, not_null={"public.t": proven})
        return oracle.judge(scan, truth).verdict

    assert judged(["c"], []) == oracle.RIGHT and judged([], ["public.t"]) == oracle.RIGHT
    assert judged(["c"], ["public.t"]) == oracle.WRONG and judged([], []) == oracle.WRONG


def test_a_conditional_claim_is_judged_by_its_condition_against_the_catalogs() -> None:
    """"rewrites t unless its current type is varchar(n) with n <= 255": right when the column was varchar(50)
    and t was not rewritten, wrong when it was text (the claim then says it rewrites) and t was not rewritten."""
    alternatives = [{"type": "varchar", "array": False, "length_at_most": 255}]
    finding = {"rule": "changing-column-type", "severity": "warning", "location": {"file": "f", "line": 1},
               "message": "ALTER COLUMN c TYPE varchar(255) rewrites t and its indexes under an ACCESS EXCLUSIVE lock "
                          "unless its current type is varchar(n) with n <= 255 (a metadata-only change, which "
                          "rewrites nothing and rebuilds at most the indexes on c); without the database the lint "
                          "cannot tell",
               "data": {"condition": {"unless_current_type": {"c": alternatives}}}}
    claims = {c.kind: c for c in oracle.read(finding)}
    assert claims["rewrite"].condition and claims["index-rebuild"].condition and not claims["lock"].condition

    def truth(column_type: str, mods: list[int]) -> Truth:
        return Truth(mode="transaction", rows={"public.t": 3}, kinds={"public.t": "r"}, existed=["public.t"],
                     locks={"public.t": "AccessExclusiveLock"}, index_table={"public.t_pkey": "public.t",
                                                                             "public.t_c_idx": "public.t"},
                     index_columns={"public.t_pkey": ["id"], "public.t_c_idx": ["c"]},
                     rebuilt_indexes=["public.t_c_idx"],
                     column_types={"public.t": {"c": {"type": column_type, "mods": mods, "array": False,
                                                      "format": column_type}}})

    varchar = truth("varchar", [50])
    assert oracle.judge(claims["rewrite"], varchar).verdict == oracle.RIGHT
    assert oracle.judge(claims["index-rebuild"], varchar).verdict == oracle.RIGHT  # only the index on c rebuilt
    assert oracle.judge(claims["rewrite"], truth("text", [])).verdict == oracle.WRONG
    assert oracle.judge(claims["rewrite"], truth("varchar", [300])).verdict == oracle.WRONG


def test_a_claim_conditional_on_existence_is_moot_on_an_absent_object_and_judged_on_a_present_one() -> None:
    finding = {"rule": "ban-drop-table", "severity": "failure", "location": {"file": "f", "line": 1},
               "message": "DROP TABLE t destroys the table and every row in it (if t exists: without the database "
                          "the lint cannot tell)", "data": {"condition": {"if_exists": {"relation": "t"}}}}
    (claim,) = oracle.read(finding)
    absent = Truth(mode="transaction")
    assert oracle.judge(claim, absent).verdict == oracle.MOOT
    kept = Truth(mode="transaction", rows={"public.t": 3}, kinds={"public.t": "r"}, existed=["public.t"])
    assert oracle.judge(claim, kept).verdict == oracle.WRONG
    dropped = Truth(mode="transaction", rows={"public.t": 3}, kinds={"public.t": "r"}, existed=["public.t"],
                    lost={"public.t": "dropped"})
    assert oracle.judge(claim, dropped).verdict == oracle.RIGHT


def test_a_condition_the_message_does_not_state_is_not_read() -> None:
    finding = {"rule": "ban-drop-table", "severity": "failure", "location": {"file": "f", "line": 1},
               "message": "DROP TABLE t destroys the table and every row in it",
               "data": {"condition": {"if_exists": {"relation": "t"}}}}
    with pytest.raises(oracle.UnreadClaim, match="does not state"):
        oracle.read(finding)


# -- the figures ---------------------------------------------------------------------------------------------


def figures(records: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {"cases": len({r["case"] for r in records}), "servers": sorted({r["major"] for r in records}),
                           "modes": {}}
    for mode in MODES:
        by_kind: dict[str, Counter[str]] = {k: Counter() for k in oracle.KINDS}
        for r in records:
            for kind, t in r["tally"][mode].items():
                by_kind[kind].update(t)
        out["modes"][mode] = {
            "checked": sum(c["checked"] for c in by_kind.values()),
            "wrong": sum(c["wrong"] for c in by_kind.values()),
            "missing": sum(c["missing"] for c in by_kind.values()),
            "by_kind": {k: dict(c) for k, c in by_kind.items() if c["checked"]},
            "wrong_cases": sorted({r["case"] for r in records if r["wrong"][mode]}),
            "wrong_claims": [{"case": r["case"], "server": r["major"], **w} for r in records
                             for w in r["wrong"][mode]],
        }
    out["truth_differs_by_version"] = version_differences(recorded_truths())
    return out


def summarize(terminalreporter: Any) -> None:
    records: dict[tuple[str, int], dict[str, Any]] = {}
    for reports in terminalreporter.stats.values():
        for report in reports:
            for name, value in getattr(report, "user_properties", ()):
                if name == PROPERTY:
                    record = json.loads(value)
                    records[(record["case"], record["major"])] = record
    if not records:
        return
    f = figures([records[k] for k in sorted(records)])
    cache = getattr(terminalreporter.config, "cache", None)
    if cache is not None:
        cache.set(CACHE_KEY, f)
    write = terminalreporter.write_line
    terminalreporter.section("lint oracle: statements")
    write(f"{f['cases']} cases on PostgreSQL {', '.join(map(str, f['servers']))}")
    for mode in MODES:
        m = f["modes"][mode]
        kinds = ", ".join(f"{k} {c.get('wrong', 0)}/{c['checked']}" for k, c in m["by_kind"].items())
        what = "preflight lint (no database)" if mode == "lint" else "preflight run (scope pending)"
        write(f"{what}: {m['checked']} claims checked, {m['wrong']} wrong ({m['missing']} of them missing); "
              f"wrong/checked by kind: {kinds}; {len(m['wrong_cases'])} cases with a wrong claim")
    if f["truth_differs_by_version"]:
        write("truth differs by server version: " + ", ".join(f["truth_differs_by_version"]))
