"""Hostile migrations through the CLI, as a user runs it: NUL bytes, entries that cannot be read, nesting deeper
than any parser should walk, SQL that does not parse; and fuzz tests of each runner's splitter (goose
annotations, dbmate sections, the lint's statement splitter) with Hypothesis, bounded in time."""

from __future__ import annotations

import os
import resource
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from preflight.errors import ReaderError
from preflight.lint.engine import analyze
from preflight.migrations.runners import runner_class
from preflight.migrations.runners.dbmate import DbmateParseError, parse_dbmate
from preflight.migrations.runners.flyway import parse_name, version_key
from preflight.migrations.runners.goose import GooseParseError, parse_goose
from preflight.migrations.source import Source, SourceFile
from preflight.sql import parse as pgparser
from preflight.targets import MigrationsTarget
from tests.hostile.corpus import RUNNERS, Case, check_outcome, migration_cases, run

EXAMPLES = int(os.environ.get("PREFLIGHT_FUZZ_EXAMPLES", "300"))
FUZZ = settings(max_examples=EXAMPLES, deadline=2000, derandomize="PREFLIGHT_FUZZ_EXAMPLES" not in os.environ,
                database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                                      HealthCheck.function_scoped_fixture])
CLI_FUZZ = settings(FUZZ, max_examples=max(20, EXAMPLES // 6))


@pytest.mark.parametrize("case", migration_cases(), ids=lambda c: c.id)
def test_hostile_migration(case: Case, tmp_path: Path) -> None:
    check_outcome(case, run(case, tmp_path))


def test_every_runner_and_every_unreadable_entry_is_covered() -> None:
    ids = {c.id for c in migration_cases()}
    for runner in RUNNERS:
        for command in ("migrations", "lint-dir", "run"):
            assert f"{runner}-looping-symlink-{command}" in ids
        for kind in ("dangling-symlink", "fifo", "permission-denied"):
            assert f"{runner}-{kind}-migrations" in ids


# -- the splitters, fuzzed ------------------------------------------------------------------------------------

SQL_LINES = ["select 1;", "select 1", "drop table t;", "create table t (a int);", "$$", "$body$", "'", "\"", "/*",
             "*/", "--", ";", "begin;", "commit;", "do $$ begin raise exception 'x'; end $$;", "E'\\'", "\\.",
             "copy t from stdin;", "\t", "", "\x00", "\ufeff", "\r", "ü", "\u202e"]
GOOSE_LINES = ["-- +goose Up", "-- +goose Down", "--+goose up", " -- +goose Up", "-- +goose StatementBegin",
               "-- +goose StatementEnd", "-- +goose NO TRANSACTION", "-- +goose ENVSUB ON", "-- +goose ENVSUB OFF",
               "-- +goose Bogus", "-- +goose Up -- +goose Down", "-- +goose", "--   +goose   statementbegin"]
DBMATE_LINES = ["-- migrate:up", "-- migrate:down", "--migrate:up transaction:false", "-- migrate:up  ",
                "--\tmigrate:down", "-- migrate:upward", "  -- migrate:up", "-- migrate:down transaction:true"]


def _text(lines: list[str], newline: str) -> str:
    return newline.join(lines)


def soup(extra: list[str]) -> st.SearchStrategy[str]:
    line = st.one_of(st.sampled_from(extra + SQL_LINES), st.text(max_size=30))
    return st.builds(_text, st.lists(line, max_size=40), st.sampled_from(["\n", "\r\n", "\r"]))


def _scan(runner: str, name: str, data: bytes) -> None:
    """The runner's own reading of one file: a scan, or a ReaderError naming the file (a NUL byte)."""
    target = MigrationsTarget(source=".", tracking=runner)  # type: ignore[arg-type]
    try:
        scan = runner_class(runner)(target).scan(Source(".", ".", [SourceFile(name, name, "/" + name, data)]))
    except ReaderError as e:
        assert "NUL byte" in e.message and name in e.message
        return
    for m in scan.migrations:
        assert isinstance(m.sql, str) and m.sql_line >= 1


@FUZZ
@given(text=soup(GOOSE_LINES))
def test_fuzz_goose_annotations(text: str) -> None:
    try:
        start, end, use_tx = parse_goose(text)
    except GooseParseError as e:
        assert str(e) and "\n" not in str(e)
    else:
        assert 0 <= start <= end <= len(text.split("\n")) and isinstance(use_tx, bool)
    _scan("goose", "00001_fuzz.sql", text.encode("utf-8", "surrogatepass"))


@FUZZ
@given(text=soup(DBMATE_LINES))
def test_fuzz_dbmate_sections(text: str) -> None:
    try:
        blocks = parse_dbmate(text)
    except DbmateParseError as e:
        assert str(e)
    else:
        assert blocks and all(0 <= s <= e <= len(text) for s, e, _ in blocks)
    _scan("dbmate", "20240101000000_fuzz.sql", text.encode("utf-8", "surrogatepass"))


@FUZZ
@given(text=soup([]))
def test_fuzz_statement_splitter(text: str) -> None:
    analysis = analyze(text)
    assert set(analysis) >= {"hits", "error", "statements"}
    if analysis["error"] is None:
        assert analysis["statements"] == sum(1 for _ in pgparser.statements(text))
    for hit in analysis["hits"]:
        assert hit.line >= 1 and hit.column >= 1


@FUZZ
@given(name=st.text(max_size=40), runner=st.sampled_from(RUNNERS), data=st.binary(max_size=200))
def test_fuzz_file_names_and_contents_of_every_runner(name: str, runner: str, data: bytes) -> None:
    parse_name(name)
    version_key(name)
    if name and "/" not in name and "\x00" not in name:
        _scan(runner, name, data)


@st.composite
def goose_garbage(draw: st.DrawFn) -> str:
    lines = draw(st.lists(st.one_of(st.sampled_from(SQL_LINES), st.text(max_size=20)), min_size=1, max_size=20))
    return "\n".join(line for line in lines if "+goose" not in line) + "\nselect 1;\n"


@st.composite
def dbmate_garbage(draw: st.DrawFn) -> str:
    lines = draw(st.lists(st.one_of(st.sampled_from(SQL_LINES), st.text(max_size=20)), min_size=1, max_size=20))
    return "\n".join(line for line in lines if "migrate:" not in line) + "\nselect 1;\n"


@st.composite
def sql_garbage(draw: st.DrawFn) -> str:
    # Whatever comes before, a ")" that opens a statement can never parse (inside a string, comment or dollar
    # quote left open, the file fails anyway).
    return draw(soup([])) + "\n);\n"


def _lint(tmp_path: Path, name: str, text: str, *args: str) -> int:
    from preflight.cli.main import main

    path = tmp_path / name
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    result = CliRunner().invoke(main, ["lint", "--no-cache", *args, str(path)], catch_exceptions=False)
    return result.exit_code


@CLI_FUZZ
@given(text=goose_garbage())
def test_fuzz_goose_garbage_never_exits_0(tmp_path: Path, text: str) -> None:
    assert _lint(tmp_path, "00001_x.sql", text, "--tracking", "goose") in (1, 3)


@CLI_FUZZ
@given(text=dbmate_garbage())
def test_fuzz_dbmate_garbage_never_exits_0(tmp_path: Path, text: str) -> None:
    assert _lint(tmp_path, "20240101000000_x.sql", text, "--tracking", "dbmate") in (1, 3)


@CLI_FUZZ
@given(text=sql_garbage(), runner=st.sampled_from(["golang-migrate", "filename", "flyway", None]))
def test_fuzz_sql_garbage_never_exits_0(tmp_path: Path, text: str, runner: str | None) -> None:
    name = {"golang-migrate": "1_x.up.sql", "filename": "001_x.up.sql", "flyway": "V1__x.sql", None: "x.sql"}[runner]
    args = ("--tracking", runner) if runner else ()
    assert _lint(tmp_path, name, text, *args) in (1, 3)


@FUZZ
@given(levels=st.integers(0, 20_000), shape=st.sampled_from(["if", "paren", "plus", "case", "subquery"]))
def test_fuzz_nesting_ends_as_an_analysis(levels: int, shape: str) -> None:
    text = {
        "if": "DO $$ BEGIN " + "IF true THEN " * levels + "PERFORM 1; " + "END IF; " * levels + "END $$;",
        "paren": "select " + "(" * levels + "1" + ")" * levels + ";",
        "plus": "update t set a = " + " + ".join(["1"] * (levels + 1)) + ";",
        "case": "select " + "case when true then " * levels + "1" + " end" * levels + ";",
        "subquery": "select " + "(select " * levels + "1" + ")" * levels + ";",
    }[shape]
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    from preflight.lint import analyze_sources

    (analysis,) = analyze_sources([(text.encode(), "file")], use_cache=False)
    assert analysis["error"] is None or analysis["error"]["message"]
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 300_000  # KiB
