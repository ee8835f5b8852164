"""The lint rules, each from its case file ``tests/lint/rules/<rule-id>.yml``; the rule registry; the engine's
positions, PL/pgSQL handling and suppressions; the statement-by-statement parser; the cache; lint_files and
`python -m preflight.lint`."""

from __future__ import annotations

import inspect
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from preflight.lint import analyze_sources, lint_files, rules
from preflight.lint.engine import Hit, analyze
from preflight.lint.report import Selection, items
from preflight.model import Severity
from preflight.sql import parse as pgparser

CASE_DIR = Path(__file__).parent / "lint" / "rules"
ALL = frozenset(rules.registry())
CASE_KEYS = {"sql", "transaction", "message", "messages", "line", "severity"}


pytestmark = pytest.mark.usefixtures("own_lint_cache")


def rule_cases() -> Iterator[Any]:
    """Every case of every case file: (rule id, "fails" or "passes", the case)."""
    for path in sorted(CASE_DIR.glob("*.yml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for outcome in ("fails", "passes"):
            for n, case in enumerate(doc.get(outcome) or [], start=1):
                yield pytest.param(path.stem, outcome, case, id=f"{path.stem}-{outcome}-{n}")


def findings_of(rule_id: str, sql: str, transaction: str = "implicit") -> list[dict[str, Any]]:
    """What the lint reports for ``rule_id`` on ``sql``, every rule enabled, as a report would show it (for a rule
    that reports only with the database: its candidates, which the live judge confirms or drops)."""
    return [i for i in items(analyze(sql, transaction, ALL), Selection(include=["all"]), live=True)
            if i["rule"] == rule_id]


@pytest.mark.parametrize(("rule_id", "outcome", "case"), list(rule_cases()))
def test_rule_case(rule_id: str, outcome: str, case: dict[str, Any]) -> None:
    found = findings_of(rule_id, case["sql"], case.get("transaction", "implicit"))
    if outcome == "passes":
        assert [f["message"] for f in found] == []
        return
    expected = case["messages"] if "messages" in case else [case["message"]]
    assert [f["message"] for f in found] == expected
    if "line" in case:
        assert found[0]["line"] == case["line"]
    if "severity" in case:
        assert [f["severity"] for f in found] == [case["severity"]] * len(found)


def test_every_rule_has_a_case_file_with_several_cases() -> None:
    assert {p.stem for p in CASE_DIR.glob("*.yml")} == set(rules.registry())
    for path in CASE_DIR.glob("*.yml"):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert set(doc) == {"fails", "passes"}, path.name
        assert len(doc["fails"]) >= 2 and len(doc["passes"]) >= 2, path.name
        for case in doc["fails"] + doc["passes"]:
            assert set(case) <= CASE_KEYS and case.get("transaction", "implicit") in ("file", "implicit", "none")
        assert all("message" in c or "messages" in c for c in doc["fails"]), path.name


def test_registry_is_built_from_the_rule_modules() -> None:
    modules = {p.stem for p in Path(rules.__file__).parent.glob("*.py") if p.stem != "__init__"}
    reg = rules.registry()
    assert len(reg) == len(modules) and list(reg) == sorted(reg)
    assert {r.check.__module__.rsplit(".", 1)[1] for r in reg.values()} == modules
    for rule_id, r in reg.items():
        assert rule_id == r.rule.id and r.rule.kind in rules.STATIC_SEVERITY
        assert r.doc and "Example" in r.doc, rule_id
        assert r.rule.reason and r.rule.alternative
        assert inspect.signature(r.check).return_annotation == "None", rule_id  # annotated check(node, lint)
    assert rules.default() == {rule_id for rule_id, r in reg.items() if not r.rule.opt_in}
    assert "ban-revoke" not in rules.default() and "ban-drop-table" in rules.default()
    squawk_ids = {s for r in reg.values() for s in r.rule.squawk}
    for alias, targets in rules.aliases().items():
        assert alias not in reg
        assert all(alias in reg[t].rule.squawk for t in targets), alias
    # Every squawk id a rule claims resolves to it.
    for rule_id, r in reg.items():
        for s in r.rule.squawk:
            assert rule_id in rules.resolve(s), (s, rule_id)
    assert len(squawk_ids) >= 75  # squawk 2.x's rule list is the floor
    assert rules.resolve("require-timeout-settings") == ("require-lock-timeout", "require-statement-timeout")


def test_dispatch_calls_the_rules_of_a_node_type_and_its_alter_table_commands() -> None:
    table = rules.dispatch(frozenset({"ban-drop-column", "ban-drop-table", "identifier-too-long", "ban-truncate"}))
    drop_column = rules.get("ban-drop-column").check
    every_statement = rules.get("identifier-too-long").check
    assert table.checks("DropStmt", None, False) == [rules.get("ban-drop-table").check, every_statement]
    assert table.checks("AlterTableStmt", frozenset({"AT_DropColumn"}), False) == [drop_column, every_statement]
    assert table.checks("AlterTableStmt", frozenset({"AT_AddColumn"}), False) == [every_statement]
    assert table.checks("TruncateStmt", None, True) == []  # in a function body: only rules that look there
    assert [r.rule.id for r in table.finishers] == []


# -- the engine ----------------------------------------------------------------------------------------------


def test_positions_are_one_based_after_comments_and_multibyte_text() -> None:
    sql = ("-- héllo wörld\n/* ünïcode */ SELECT 'ü';\n\n   -- lead\n   DROP TABLE a;\n"
           "ALTER TABLE b ADD COLUMN c text, DROP COLUMN d;\n")
    hits = {h["rule"]: h for h in map(lambda h: h._asdict(), analyze(sql)["hits"])}
    assert (hits["ban-drop-table"]["line"], hits["ban-drop-table"]["column"]) == (5, 4)
    assert (hits["ban-drop-column"]["line"], hits["ban-drop-column"]["column"]) == (6, 1)
    assert hits["ban-drop-column"]["statement"] == "ALTER TABLE b ADD COLUMN c text, DROP COLUMN d"


def test_syntax_error_position() -> None:
    result = analyze("SELECT 1;\n\nALTER TABLE t ADD COLUMN c text,;\n")
    assert result["error"]["line"] == 3 and "syntax error" in result["error"]["message"]
    (item,) = items(result, Selection())
    # Nothing in the file could be linted: could not decide (an error), a warning only when that is accepted.
    assert item["rule"] == "syntax-error" and item["severity"] == "error"
    (accepted,) = items(result, Selection(on_unknown="warn"))
    assert accepted["severity"] == "warning"


def test_do_block_statements_run_now_function_bodies_later() -> None:
    sql = ("DO $$\nBEGIN\n  DELETE FROM a;\n  EXECUTE 'CREATE INDEX CONCURRENTLY i ON a (x)';\nEND $$;\n"
           "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $body$\nBEGIN\n"
           "  DELETE FROM b;\n  DROP TABLE c;\n  RETURN NEW;\nEND $body$;\n"
           "CREATE FUNCTION g() RETURNS void LANGUAGE sql AS 'UPDATE d SET x = 1';\n")
    hits = [h._asdict() for h in analyze(sql, "none")["hits"]]
    by = {(h["rule"], h["context"], h["line"]) for h in hits}
    assert ("delete-without-where", "do", 3) in by
    assert ("cannot-run-in-transaction", "do", 4) in by  # EXECUTE of a constant string, inside a transaction
    assert ("delete-without-where", "function", 8) in by
    assert ("update-without-where", "function", 12) in by
    assert not any(h["rule"] == "ban-drop-table" for h in hits)  # not run by the migration
    do_delete = next(h for h in hits if h["rule"] == "delete-without-where" and h["context"] == "do")
    assert do_delete["column"] == 3
    levels = {(i["rule"], i["context"]): i["severity"] for i in items({"hits": [Hit(**h) for h in hits]}, Selection())}
    assert levels[("delete-without-where", "function")] == "info"
    assert levels[("delete-without-where", "do")] == "failure"


def test_begin_atomic_function_bodies() -> None:
    """SQL-standard bodies: each statement is linted as a function-body statement, at its own position, and an
    in-file suppression inside the body acknowledges the statement after it."""
    sql = ("CREATE FUNCTION purge() RETURNS void LANGUAGE sql\nBEGIN ATOMIC\n  DELETE FROM t; -- all of it\n"
           "  -- preflight: ignore update-without-where a demo\n  UPDATE u SET a = 1;\n"
           "  SELECT CASE WHEN true THEN 1 END;\n  DROP TABLE v;\nEND;\n"
           "CREATE FUNCTION one() RETURNS int LANGUAGE sql RETURN 1;\n"
           'CREATE FUNCTION "é"() RETURNS void LANGUAGE sql BEGIN ATOMIC DELETE FROM "ü"; END;\n')
    result = analyze(sql, "none")
    found = {(h["rule"], h["line"], h["column"], h["statement"], h["context"]) for h in map(lambda h: h._asdict(), result["hits"])}
    assert found == {
        ("delete-without-where", 3, 3, "DELETE FROM t", "function"),
        ("update-without-where", 5, 3, "UPDATE u SET a = 1", "function"),
        ("delete-without-where", 10, 62, 'DELETE FROM "ü"', "function"),
    }
    by_rule = {(i["rule"], i["line"]): i for i in items(result, Selection())}
    assert by_rule[("delete-without-where", 3)]["severity"] == "info"
    assert by_rule[("update-without-where", 5)]["suppression"] == {"line": 4, "reason": "a demo"}
    assert by_rule[("delete-without-where", 3)]["suppression"] is None


def test_a_function_ends_the_guards_lead() -> None:
    guard = "DO $$ BEGIN IF (SELECT count(*) FROM s) > 0 THEN RAISE EXCEPTION 'no'; END IF; END $$;\n"
    assert len(analyze(guard)["guards"]) == 1
    for function in ("CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END;\n",
                     "CREATE FUNCTION f() RETURNS int LANGUAGE sql RETURN 1;\n",
                     "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';\n"):
        assert analyze(function + guard)["guards"] == []


def test_concurrently_really_fails_in_an_implicit_transaction(pg_admin: Any) -> None:
    """What the implicit mode models: PostgreSQL refuses CONCURRENTLY in a multi-statement simple query (as
    golang-migrate sends a file), and accepts it alone."""
    from psycopg import pq

    pg_admin.execute("create table t (a int)")
    many = pg_admin.pgconn.exec_(b"SELECT 1; CREATE INDEX CONCURRENTLY i ON t (a)")
    assert many.status == pq.ExecStatus.FATAL_ERROR
    assert many.error_field(pq.DiagnosticField.SQLSTATE) == b"25001"  # active_sql_transaction
    alone = pg_admin.pgconn.exec_(b"CREATE INDEX CONCURRENTLY i ON t (a)")
    assert alone.status == pq.ExecStatus.COMMAND_OK


# -- report: selection and suppressions -------------------------------------------------------------------------


def test_selection_opt_in_exclude_aliases_and_fixed_severity() -> None:
    default = Selection()
    assert "ban-drop-table" in default and "ban-revoke" not in default
    assert "ban-revoke" in Selection(include=["ban-revoke"])
    assert "ban-revoke" in Selection(include=["all"])
    assert "cannot-run-in-transaction" not in Selection(exclude=["ban-concurrent-index-creation-in-transaction"])
    both = Selection(exclude=["require-timeout-settings"])
    assert "require-lock-timeout" not in both and "require-statement-timeout" not in both
    fixed = Selection(severity={"prefer-text-field": "failure"})
    levels = {i["rule"]: i["severity"] for i in items(analyze("CREATE TABLE app.t (e varchar(9));"), fixed)}
    assert levels == {"prefer-text-field": "failure"}
    with pytest.raises(ValueError, match="rules.include: unknown rule 'ban-drop-tables'"):
        Selection(include=["ban-drop-tables"])
    with pytest.raises(ValueError, match="expected one of"):
        Selection(severity={"ban-drop-table": "fatal"})


def test_suppressions_target_the_next_statement() -> None:
    sql = ("-- preflight: ignore ban-drop-table,ban-truncate-cascade emptied in 4.1, see ENG-12\n"
           "-- another comment\n"
           "DROP TABLE a;\n"
           "DROP TABLE b;\n"
           "-- preflight: ignore ban-drop-column\n"
           "ALTER TABLE c DROP COLUMN d;\n"
           "-- preflight: ignore ban-drop-table nothing to drop here\n"
           "ALTER TABLE c ADD COLUMN e text DEFAULT 'x';\n"
           "DO $$\nBEGIN\n  -- preflight: ignore delete-without-where the staging copy only\n"
           "  DELETE FROM staging;\nEND $$;\n"
           "-- preflight: ignore no-such-rule because\n"
           "SELECT 1;\n")
    out = {(i["rule"], i["line"]): i for i in items(analyze(sql, "none"), Selection())}
    assert out[("ban-drop-table", 3)]["suppression"] == {"line": 1, "reason": "emptied in 4.1, see ENG-12"}
    assert out[("ban-drop-table", 4)]["suppression"] is None
    assert out[("ban-drop-column", 6)]["suppression"] is None
    assert "has no reason" in out[("invalid-suppression", 5)]["message"]
    assert "matches no finding" in out[("unused-ignore", 7)]["message"]
    assert out[("delete-without-where", 12)]["suppression"]["reason"] == "the staging copy only"
    assert "no-such-rule" in out[("invalid-suppression", 14)]["message"]


# -- the parser, statement by statement ----------------------------------------------------------------------


def test_statements_come_in_pieces_that_parse_as_the_whole_script(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pieces cut after a ";" inside strings, comments, dollar-quoted and BEGIN ATOMIC bodies and a rule's actions
    are tried again longer: the statements, their kinds and their positions are those of the whole script."""
    from pglast.parser import parse_sql_json

    statements = [
        "INSERT INTO t VALUES (1, 'a;b; -- not a comment');",
        "SELECT 1; -- a comment; with; semicolons",
        "DO $$ BEGIN PERFORM 1; DELETE FROM x; END $$;",
        "CREATE FUNCTION f() RETURNS void LANGUAGE sql BEGIN ATOMIC DELETE FROM t; UPDATE u SET a = 1; END;",
        "/* a block; comment */ DROP TABLE d;",
        "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2));",
        "ALTER TABLE é ADD COLUMN ü text; -- ünï;cöde",
        'CREATE TABLE "q;1" (id int);',
    ]
    sql = "\n".join(statements * 40) + "\n"
    whole = json.loads(parse_sql_json(sql))["stmts"]
    monkeypatch.setattr(pgparser, "PIECE", 50)  # a cut after nearly every ";"
    pieces = list(pgparser.statements(sql))
    assert [p.kind for p in pieces] == [next(iter(r["stmt"])) for r in whole]
    encoded = sql.encode("utf-8")

    def chars(byte: int) -> int:
        return len(encoded[:byte].decode())

    for p, r in zip(pieces, whole, strict=True):
        assert p.start == chars(r.get("stmt_location", 0))
        assert p.end == (chars(r.get("stmt_location", 0) + r["stmt_len"]) if r.get("stmt_len") else len(sql))
        # Locations in a node count from its piece: Statement.char gives them in the whole script.
        node = next(iter(r["stmt"].values()))
        assert _without_locations(p.node) == _without_locations(node)
        if "location" in json.dumps(node):
            assert [p.char(x) for x in _locations(p.node)] == [chars(x) for x in _locations(node)]


def _locations(node: Any) -> list[int]:
    found: list[int] = []
    if isinstance(node, dict):
        for k, v in node.items():
            found.extend([v] if k.endswith("location") and isinstance(v, int) and v >= 0 else _locations(v))
    elif isinstance(node, list):
        for v in node:
            found.extend(_locations(v))
    return found


def _without_locations(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _without_locations(v) for k, v in node.items() if not k.endswith("location")}
    if isinstance(node, list):
        return [_without_locations(v) for v in node]
    return node


def test_a_syntax_error_points_into_the_whole_script(monkeypatch: pytest.MonkeyPatch) -> None:
    from pglast.parser import ParseError

    monkeypatch.setattr(pgparser, "PIECE", 10)
    sql = "SELECT 'é';\n" * 20 + "SELEC oops;\n" + "SELECT 1;\n" * 20
    with pytest.raises(ParseError) as raised:
        list(pgparser.statements(sql))
    assert raised.value.args[1] == sql.index("SELEC oops")
    # The lint reports it where it is: line and column in characters, whatever the bytes before it.
    error = analyze("SELECT 'é';\n\nALTER TABLE t ADD COLUMN c text,;\n")["error"]
    assert (error["line"], error["column"]) == (3, 33)


# -- cache, lint_files and the module alias ----------------------------------------------------------------------


def test_cache_returns_the_same_analysis(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from preflight.lint.cache import Cache, key

    monkeypatch.setenv("PREFLIGHT_CACHE_DIR", str(tmp_path / "cache"))
    sources = [(b"DROP TABLE a;\n", "implicit"), (b"CREATE INDEX i ON t (a);\n", "file")]
    first = analyze_sources(sources)
    (database,) = (tmp_path / "cache").rglob("*.sqlite")
    assert _entries(database) == 2
    # What a cached run returns is what the cache holds: prove it with a doctored entry.
    doctored = dict(first[0], hits=[])
    cache = Cache()
    cache.put(key(sources[0][0], "implicit", rules.default()), doctored)
    cache.flush()
    cache.close()
    assert analyze_sources(sources) == [doctored, first[1]]
    assert analyze_sources(sources, use_cache=False) == first
    # Another rule selection, or another transaction mode, is another entry.
    assert analyze_sources(sources, enabled=frozenset({"ban-drop-table"}))[1]["hits"] == []
    assert analyze_sources([(sources[1][0], "none")])[0]["hits"] == first[1]["hits"]
    assert _entries(database) == 5


def test_many_uncached_files_are_analysed_by_a_pool_of_processes_with_the_same_result(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """From PARALLEL_FROM uncached files, `preflight lint` (one thread) shares them among one forked process per
    CPU; the findings, in order, are those of an analysis in one process, and the cache gets every file."""
    import preflight.lint

    statements = ["DROP TABLE a{n};", "CREATE INDEX i{n} ON t (a);", "ALTER TABLE t{n} ADD COLUMN c int DEFAULT 1;",
                  "ALTER TABLE t ALTER COLUMN c{n} TYPE bigint;", "SELEC {n};", "UPDATE t SET a = {n};"]
    files = []
    for n in range(preflight.lint.PARALLEL_FROM + 20):
        path = tmp_path / "migrations" / f"{n:03}_m.up.sql"
        path.parent.mkdir(exist_ok=True)
        path.write_text("\n".join(s.format(n=n) for s in statements[n % 6:] + statements[:n % 6]) + "\n")
        files.append(str(path))
    env = {**os.environ, "PREFLIGHT_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-m", "preflight", "lint", "--format", "json", *files],
                          capture_output=True, text=True, env=env)
    assert done.returncode == 3, done.stderr  # a file that does not parse cannot be decided: error
    (check,) = json.loads(done.stdout)["checks"]

    monkeypatch.setattr(preflight.lint, "_workers", lambda files: 1)
    alone = lint_files(files, no_cache=True)
    assert [(f["location"]["file"], f["location"]["line"], f["rule"], f["message"]) for f in check["findings"]] \
        == [(f.location.file, f.location.line, f.rule, f.message) for f in alone if f.location]
    assert len({f["location"]["file"] for f in check["findings"]}) == len(files)
    (database,) = (tmp_path / "cache").rglob("*.sqlite")
    assert _entries(database) == len(files)


def test_the_pool_is_used_from_one_thread_on_linux_only() -> None:
    import preflight.lint

    assert preflight.lint._workers(preflight.lint.PARALLEL_FROM - 1) == 1
    probe = ("import threading, sys\nfrom preflight.lint import _workers, PARALLEL_FROM\n"
             "alone = _workers(PARALLEL_FROM)\nthreading.Thread(target=threading.Event().wait, daemon=True).start()\n"
             "print(alone, _workers(PARALLEL_FROM))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()
    cpus = len(os.sched_getaffinity(0))
    assert out == [str(min(cpus, 4) if sys.platform.startswith("linux") else 1), "1"]


def _entries(database: Path) -> int:
    with sqlite3.connect(database) as db:
        (count,) = db.execute("select count(*) from analyses").fetchone()
    return int(count)


def test_cache_ignores_a_broken_or_read_only_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREFLIGHT_CACHE_DIR", str(tmp_path))
    sources = [(b"DROP TABLE a;\n", "implicit")]
    first = analyze_sources(sources)
    (database,) = tmp_path.rglob("*.sqlite")
    database.write_bytes(b"not a database" * 100)
    assert analyze_sources(sources) == first  # a new cache replaces what cannot be read
    assert _entries(database) == 1
    (tmp_path / "lint").chmod(0o500)  # read-only (unless root): the run still works
    try:
        assert analyze_sources([(b"DROP TABLE b;\n", "implicit")])[0]["hits"]
        assert analyze_sources(sources) == first
    finally:
        (tmp_path / "lint").chmod(0o700)


def test_cache_keeps_the_newest_entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from preflight.lint import cache as cache_module
    from preflight.lint.cache import Cache

    monkeypatch.setattr(cache_module, "MAX_ENTRIES", 10)
    cache = Cache(str(tmp_path))
    for n in range(25):
        cache.put(f"key{n}", {"hits": [], "statements": n})
        cache.flush()
    assert cache.get("key24") == {"hits": [], "statements": 24}
    assert cache.get("key0") is None
    cache.close()
    assert _entries(tmp_path / f"analyses-{cache_module.FORMAT}.sqlite") <= 10


def test_read_bytes_reads_whole_files_and_pipes(tmp_path: Path) -> None:
    from preflight.lint import read_bytes

    for size in (0, 1, 4096, 300_000):
        f = tmp_path / f"f{size}"
        data = os.urandom(size)
        f.write_bytes(data)
        assert read_bytes(str(f)) == data
    read_fd, write_fd = os.pipe()  # no size to go by: read to the end
    os.write(write_fd, b"DROP TABLE t;\n")
    os.close(write_fd)
    assert read_bytes(f"/dev/fd/{read_fd}") == b"DROP TABLE t;\n"
    os.close(read_fd)
    with pytest.raises(IsADirectoryError):
        read_bytes(str(tmp_path))
    with pytest.raises(FileNotFoundError):
        read_bytes(str(tmp_path / "missing.sql"))


def test_lint_files(tmp_path: Path) -> None:
    a = tmp_path / "0001_drop.sql"
    a.write_text("DROP TABLE legacy;\n")
    b = tmp_path / "0002_index.up.sql"
    b.write_text("-- fine\nCREATE INDEX CONCURRENTLY i ON t (a);\n")
    findings = lint_files([str(a), str(b)], runner_transaction="file", no_cache=True)
    by = {(f.rule, f.migration): f for f in findings}
    drop = by[("ban-drop-table", "0001_drop")]
    assert drop.severity is Severity.FAILURE and drop.location is not None
    assert (drop.location.file, drop.location.line, drop.location.column) == (str(a), 1, 1)
    assert drop.data["statement"] == "DROP TABLE legacy" and drop.data["alternative"]
    assert by[("cannot-run-in-transaction", "0002_index")].location.line == 2  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="runner_transaction"):
        lint_files([str(a)], runner_transaction="always")
    from preflight.errors import ReaderError

    with pytest.raises(ReaderError, match="cannot read"):
        lint_files([str(tmp_path / "missing.sql")])


def test_python_m_preflight_lint_is_preflight_lint(tmp_path: Path) -> None:
    bad = tmp_path / "1_bad.sql"
    bad.write_text("DROP TABLE legacy;\n")
    good = tmp_path / "2_good.sql"
    good.write_text("-- preflight: ignore ban-drop-table empty since 2023\nDROP TABLE old;\n")
    env = {**os.environ, "PREFLIGHT_CACHE_DIR": str(tmp_path / "cache"), "NO_COLOR": "1"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "preflight.lint", *args], capture_output=True, text=True,
                              env=env)

    out = run(str(bad), str(good))
    assert out.returncode == 1
    assert f"{bad}:1:1: failure ban-drop-table: DROP TABLE legacy" in out.stdout
    assert "[acknowledged: in-file suppression (line 1): empty since 2023]" in out.stdout
    assert run(str(good)).returncode == 0
    report = json.loads(run("--format", "json", "--no-cache", str(bad)).stdout)
    finding = report["checks"][0]["findings"][0]
    assert finding["rule"] == "ban-drop-table" and finding["migration"] == "1_bad"
    assert run("--exclude", "ban-drop-table", str(bad)).returncode == 0
    assert run("--include", "bogus", str(bad)).returncode == 2
    usage = run()
    assert usage.returncode == 2 and "Usage: python -m preflight.lint" in usage.stderr


def test_rules_that_judge_only_with_the_database_report_nothing_without_it() -> None:
    sql = ("-- preflight: ignore object-existence the column may not be there yet\n"
           "ALTER TABLE t DROP COLUMN x;\n")
    static = items(analyze(sql, "implicit", ALL), Selection(include=["all"]))
    assert not [i for i in static if i["rule"] in ("object-existence", "unused-ignore")]
    live = items(analyze(sql, "implicit", ALL), Selection(include=["all"]), live=True)
    (needs,) = [i for i in live if i["rule"] == "object-existence"]
    assert needs["suppression"] == {"line": 1, "reason": "the column may not be there yet"}
    assert [n["what"] for n in needs["extra"]["needs"]] == ["relation", "column"]
    assert "only with the database" in rules.page("object-existence").splitlines()[0]


def test_a_column_of_a_type_that_may_be_a_domain_is_a_candidate_the_database_confirms() -> None:
    sql = ("-- preflight: ignore adding-field-with-default checked on a small table\n"
           "ALTER TABLE t ADD COLUMN r positive_int;\n"
           "CREATE DOMAIN level AS integer CHECK (VALUE >= 0);\n"
           "ALTER TABLE t ADD COLUMN l level, ADD COLUMN s text, ADD COLUMN i integer;\n")
    static = items(analyze(sql, "implicit", ALL), Selection(include=["all"]))
    assert [(i["line"], i["message"]) for i in static if i["rule"] in ("adding-field-with-default", "unused-ignore")] \
        == [(4, "ADD COLUMN l rewrites t under an ACCESS EXCLUSIVE lock: its type level is a domain with constraints, "
                "checked on every row")]
    live = items(analyze(sql, "implicit", ALL), Selection(include=["all"]), live=True)
    (candidate,) = [i for i in live if i["rule"] == "adding-field-with-default" and i["extra"].get("candidate")]
    assert candidate["extra"]["domain"] == [None, "positive_int"] and candidate["line"] == 2


def test_rules_that_report_only_with_the_database_are_not_run_without_it(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """`preflight lint` (no database) does not spend time on what it would leave out: the live rules' checks do
    not run, so the cached analysis holds none of their candidates."""
    live = {rule_id for rule_id, r in rules.registry().items() if r.rule.live}
    assert {"object-existence", "fails-against-live-schema"} <= live
    selection = Selection(include=["all"])
    assert not live & selection.to_analyse(live=False) and live <= selection.to_analyse(live=True)
    monkeypatch.setenv("PREFLIGHT_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "1_drop.up.sql"
    path.write_text("ALTER TABLE t DROP COLUMN x;\nDROP TABLE orders;\n")
    found = {f.rule for f in lint_files([str(path)])}
    assert {"ban-drop-column", "ban-drop-table"} <= found and not found & live
    (database,) = (tmp_path / "cache").rglob("*.sqlite")
    with sqlite3.connect(database) as db:
        stored = str(db.execute("select * from analyses").fetchall())
    assert "ban-drop-table" in stored and not [rule for rule in live if rule in stored]


def without_database(rule_id: str, sql: str) -> list[dict[str, Any]]:
    """The rule's findings as ``preflight lint`` (no database) reports them: messages and ``data``."""
    from preflight.lint.report import to_finding

    out = []
    for item in items(analyze(sql, "implicit", ALL), Selection(include=["all"])):
        if item["rule"] == rule_id:
            f = to_finding(item, file="m.sql", migration=None)
            out.append({"message": f.message, "severity": f.severity.value, "condition": f.data.get("condition")})
    return out


@pytest.mark.parametrize(("rule_id", "sql", "words", "condition"), [
    ("ban-drop-table", "DROP TABLE IF EXISTS ghost_orders;",
     "DROP TABLE ghost_orders destroys the table and every row in it (if ghost_orders exists: without the "
     "database the lint cannot tell)", {"if_exists": {"relation": "ghost_orders"}}),
    ("ban-drop-column", "ALTER TABLE orders DROP COLUMN IF EXISTS note;",
     "(if column note of orders exists: without the database the lint cannot tell)",
     {"if_exists": {"relation": "orders", "column": "note"}}),
    ("require-concurrent-index-deletion", "DROP INDEX IF EXISTS app.no_such_idx;",
     "(if app.no_such_idx exists: without the database the lint cannot tell)",
     {"if_exists": {"relation": "app.no_such_idx"}}),
    ("require-lock-timeout", "DROP TABLE IF EXISTS ghost_orders;", "(if ghost_orders exists: without the database",
     {"if_exists": {"relation": "ghost_orders"}}),
    ("ban-drop-table", "DO $$ BEGIN DROP TABLE ghost; EXCEPTION WHEN undefined_table THEN NULL; END $$;",
     "(if ghost exists and the statement runs (guarded: an EXCEPTION handler", None),
    ("require-concurrent-index-creation", "CREATE INDEX IF NOT EXISTS items_x ON items (x);",
     "CREATE INDEX on items without CONCURRENTLY blocks writes to it while the index builds and reads every row, "
     "unless items_x exists already (IF NOT EXISTS then builds nothing); without the database the lint cannot tell",
     {"unless_exists": "items_x"}),
    ("require-concurrent-index-creation", "CREATE INDEX m_idx ON ONLY m (x);",
     "unless m is a partitioned table (an index ON ONLY it reads no row", {"unless_partitioned": "m"}),
    ("adding-field-with-default", "ALTER TABLE orders ADD COLUMN code text DEFAULT app.fixed_code();",
     "ADD COLUMN code rewrites orders under an ACCESS EXCLUSIVE lock unless app.fixed_code() is declared "
     "IMMUTABLE or STABLE (the default is then computed once, and nothing is rewritten); without the database the "
     "lint cannot tell", {"if_volatile": ["app.fixed_code"]}),
])
def test_without_the_database_a_claim_on_what_only_the_database_knows_states_its_condition(
        rule_id: str, sql: str, words: str, condition: dict[str, Any] | None) -> None:
    (found,) = without_database(rule_id, sql)
    assert words in found["message"]
    if condition is not None:
        assert found["condition"] == condition
    else:
        assert found["condition"]["if_exists"]["relation"] == "ghost" and found["condition"]["if_exists"]["guarded"]
    # the severity is what it was: only what is said changes
    live = [i for i in items(analyze(sql, "implicit", ALL), Selection(include=["all"]), live=True)
            if i["rule"] == rule_id]
    assert [found["severity"]] == [Severity(i["severity"]).value for i in live]
    assert "without the database" not in live[0]["message"] or rule_id == "changing-column-type"


@pytest.mark.parametrize(("rule_id", "sql"), [
    ("adding-field-with-default", "ALTER TABLE orders ADD COLUMN id2 uuid DEFAULT gen_random_uuid();"),
    ("adding-field-with-default", "ALTER TABLE orders ADD COLUMN a text DEFAULT f(), ADD COLUMN b serial;"),
    ("ban-drop-table", "DROP TABLE ghost_orders;"),
    ("require-concurrent-index-creation", "CREATE INDEX items_x ON items (x);"),
])
def test_without_the_database_a_claim_that_rests_on_nothing_unknown_stays_unconditional(rule_id: str,
                                                                                       sql: str) -> None:
    found = without_database(rule_id, sql)
    assert found and all(f["condition"] is None and "cannot tell" not in f["message"] for f in found)
