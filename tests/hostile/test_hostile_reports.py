"""Report injection: a name from an image, a migration, a database or a config cannot forge a report line, a CI
workflow command or Markdown of its own, in any format."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from preflight.escaping import ci_lines, code_span, control, markdown
from preflight.image.build import File, ImageSpec, write_docker_archive
from tests.helpers import CliRun, write_config
from tests.hostile.corpus import Case, files, run
from tests.migrations_helpers import write

FORGED = "x\n::notice::forged\r\nSAFE TO ROLL OUT (exit 0)\x1b[2K\x85\u2028\u202e ##[set-output name=verdict]pass"
FORMATS = ("text", "markdown", "github", "junit", "sarif", "json")
OUR_COMMANDS = ("::error ", "::warning ", "::notice ", "::group::", "::endgroup::")


def _image(directory: Path) -> None:
    write_docker_archive(directory / "app.tar", [{"/app/server": File("x", mode=0o755), f"/app/{FORGED}": File("y")}],
                         ImageSpec(entrypoint=["/app/server"]), tag="team/app:1")
    (directory / "preflight.toml").write_text('[targets.image]\nref = "docker-archive:app.tar"\n[[check]]\n'
                                              'id = "files"\nuses = "image.files"\npaths = ["/app/backfill"]\n')


def assert_no_forged_line(output: str, fmt: str) -> None:
    # str.splitlines breaks on every line boundary a viewer might honour (\r, \x85, \u2028...), not only \n.
    for line in output.splitlines():
        stripped = line.lstrip()
        assert not stripped.startswith("SAFE TO ROLL OUT"), line
        if stripped.startswith("::"):
            assert fmt == "github" and stripped.startswith(OUR_COMMANDS), line
        assert "##[" not in line, line
    assert "\x1b" not in output and "\u202e" not in output


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_image_member_name_cannot_forge_lines_in_any_format(tmp_path: Path, fmt: str) -> None:
    out = run(Case(f"image-member-{fmt}", _image, ("run", "--format", fmt), 1, ""), tmp_path)
    assert out.exit_code == 1, out.stderr
    assert "Traceback" not in out.stderr
    if fmt == "json":
        doc = json.loads(out.stdout)  # JSON escapes on its own: the name is there exactly as the image has it
        assert FORGED in doc["checks"][0]["summary"]
        return
    assert_no_forged_line(out.stdout, fmt)
    assert "forged" in out.stdout  # shown, escaped: not dropped
    if fmt == "text":
        assert out.stdout.splitlines()[-1] == "BLOCKED: do not roll out (exit 1)"
        assert "x\\n::notice::forged\\r\\nSAFE TO ROLL OUT (exit 0)\\x1b[2K\\x85\\u2028\\u202e ##\\x5b" in out.stdout
    if fmt == "junit":
        failure = ET.fromstring(out.stdout).find("testsuite/testcase/failure")
        assert failure is not None and "\\n::notice::forged" in (failure.get("message") or "")
    if fmt == "sarif":
        message = json.loads(out.stdout)["runs"][0]["results"][0]["message"]["text"]
        assert "\n" not in message and "\\n::notice::forged" in message
    if fmt == "github":
        annotations = [line for line in out.stdout.splitlines() if line.startswith("::error ")]
        assert len(annotations) == 1 and "%0A" not in annotations[0].split("::", 2)[2].replace(
            "Safe alternative", "")  # the name's own newline is escaped text, not a %0A the runner decodes


def test_a_migration_file_name_cannot_forge_lint_or_migrations_lines(tmp_path: Path) -> None:
    name = "1_a\n::error file=x::forged\n.up.sql"
    setup = files({f"migrations/{name}": "drop table important;\n",
                   "preflight.toml": '[targets.migrations]\nsource = "migrations"\ntracking = "golang-migrate"\n'})
    lint = run(Case("lint", setup, ("lint", f"migrations/{name}"), 1, ""), tmp_path)
    assert lint.exit_code == 1
    assert_no_forged_line(lint.stdout, "text")
    assert all(line.startswith("migrations/1_a\\n\\x3a") or line.startswith("migrations/1_a\\n")
               for line in lint.stdout.splitlines())
    listing = run(Case("migrations", lambda d: None, ("migrations",), 0, ""), tmp_path)
    assert listing.exit_code == 0
    assert_no_forged_line(listing.stdout, "text")
    alias = run(Case("alias", lambda d: None, (f"migrations/{name}",), 1, "", module="preflight.lint"), tmp_path)
    assert alias.exit_code == 1
    assert_no_forged_line(alias.stdout, "text")
    # One line per failure and warning; the info finding is counted on stderr, -v prints it as a line too.
    assert len(alias.stdout.splitlines()) == 2
    assert alias.stderr == "preflight: 1 info finding not shown (1 require-statement-timeout; -v shows them)\n"
    verbose = run(Case("alias", lambda d: None, ("-v", f"migrations/{name}"), 1, "", module="preflight.lint"),
                  tmp_path)
    assert_no_forged_line(verbose.stdout, "text")
    assert len(verbose.stdout.splitlines()) == 3  # one line per finding


CONFIG = ('[[check]]\nid = "bad"\nuses = "test.outcome"\nstatus = "fail"\n'
          'summary = "-\\u0060a\\u0060 <img src=x onerror=alert(1)> [click](http://evil) **bold** |cell| #head"\n'
          'details = { "k\\u0060ey" = "v\\nal" }\n'
          'findings = [{ severity = "failure", message = "m\\nSAFE TO ROLL OUT (exit 0)", file = "a``b`.sql", line = 1 }]\n'
          '[[waiver]]\ncheck = "bad"\nreason = "because\\n::warning::forged"\nexpires = "2000-01-01"\n')


def test_config_values_are_shown_literally_in_markdown_text_and_annotations(cli: CliRun, tmp_path: Path) -> None:
    write_config(tmp_path, CONFIG)
    md = cli("run", "--format", "markdown").stdout
    assert_no_forged_line(md, "markdown")
    assert "<img" not in md.replace("\\<img", "") and "](http" not in md.replace("\\](http", "")
    assert "\\<img src=x onerror=alert(1)\\>" in md and "\\[click\\](http://evil)" in md and "\\*\\*bold\\*\\*" in md
    assert "\\|cell\\|" in md and "\\#head" in md and "\\-\\`a\\`" in md
    assert "(```a``b`.sql:1```)" in md  # a code span fenced with more backticks than the name holds
    assert "v\\\\nal" in md  # the escaped newline, its backslash escaped for Markdown
    text = cli("run").stdout
    assert_no_forged_line(text, "text")
    assert "m\\nSAFE TO ROLL OUT (exit 0)" in text and "because\\n\\x3a" not in text
    github = cli("run", "--format", "github").stdout
    assert_no_forged_line(github, "github")
    junit = cli("run", "--format", "junit").stdout
    ET.fromstring(junit)


def test_a_guard_message_from_the_database_cannot_forge_lines(cli: CliRun, tmp_path: Path, pg_dsn: str) -> None:
    guard = ("DO $$\nBEGIN\n  IF true THEN\n    RAISE EXCEPTION E'no\\n::notice::forged\\nSAFE TO ROLL OUT (exit 0)';\n"
             "  END IF;\nEND $$;\nSELECT 1;\n")
    write(tmp_path / "migrations", {"1_g.up.sql": guard})
    write_config(tmp_path, f'[targets.database]\ndsn = "{pg_dsn}"\n[targets.migrations]\nsource = "migrations"\n'
                           'tracking = "golang-migrate"\n[[check]]\nid = "guards"\nuses = "migrations.guards"\n')
    for fmt in ("text", "markdown", "github"):
        out = cli("run", "--format", fmt)
        assert out.exit_code == 1, out.stdout
        assert_no_forged_line(out.stdout, fmt)
        assert "no\\n" in out.stdout or "no\\\\n" in out.stdout


def test_an_error_line_stays_one_line(tmp_path: Path) -> None:
    # A one-line error that names a file from outside: still one line.
    name = "1_a\n::error::forged.up.sql"
    setup = files({f"m/{name}": b"select 1;\x00"})
    out = run(Case("nul", setup, ("lint", f"m/{name}"), 3, ""), tmp_path)
    assert out.exit_code == 3 and len(out.stderr.splitlines()) == 1
    assert_no_forged_line(out.stderr, "text")


# -- the escaping itself -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "shown"), [
    ("plain text, ünïcode", "plain text, ünïcode"),
    ("a\nb", "a\\nb"),
    ("a\r\nb", "a\\r\\nb"),
    ("tab\there", "tab\\there"),
    ("\x1b[31mred", "\\x1b[31mred"),
    ("nul\x00", "nul\\x00"),
    ("del\x7f", "del\\x7f"),
    ("c1\x85", "c1\\x85"),
    ("ls\u2028ps\u2029", "ls\\u2028ps\\u2029"),
    ("bidi\u202etxt", "bidi\\u202etxt"),
    ("zero\u200bwidth", "zero\\u200bwidth"),
    ("back\\slash", "back\\slash"),
])
def test_control_characters_are_shown_escaped(raw: str, shown: str) -> None:
    assert control(raw) == shown
    assert control(raw).isprintable()


@pytest.mark.parametrize(("raw", "shown"), [
    ("::notice::x", "\\x3a:notice::x"),
    ("   ::error::x", "   \\x3a:error::x"),
    ("a ::b", "a ::b"),
    ("select 1::int", "select 1::int"),
    ("x ##[set-output name=a]b", "x ##\\x5bset-output name=a]b"),
    ("ok\n  ::warning::y", "ok\n  \\x3a:warning::y"),
])
def test_no_line_passes_for_a_workflow_command(raw: str, shown: str) -> None:
    assert ci_lines(raw) == shown


@pytest.mark.parametrize(("raw", "shown"), [
    ("a_b*c", "a\\_b\\*c"),
    ("<b>", "\\<b\\>"),
    ("[x](y)", "\\[x\\](y)"),
    ("![i](u)", "\\!\\[i\\](u)"),
    ("- item", "\\- item"),
    ("1. item", "1\\. item"),
    ("a|b", "a\\|b"),
    ("&amp;", "\\&amp;"),
    ("line\nbreak", "line\\\\nbreak"),
])
def test_markdown_is_literal(raw: str, shown: str) -> None:
    assert markdown(raw) == shown


@pytest.mark.parametrize(("raw", "shown"), [
    ("plain", "`plain`"),
    ("a`b", "``a`b``"),
    ("`start", "`` `start ``"),
    ("a|b", "`a|b`"),
])
def test_code_spans_fit_their_text(raw: str, shown: str) -> None:
    assert code_span(raw) == shown
    assert code_span("a|b", in_table=True) == "`a\\|b`"


def test_workflow_command_properties_and_data_are_encoded_as_the_runner_decodes_them() -> None:
    from preflight.reports.github import _command

    line = _command("error", "100% done\r\nnext", "a:b,c", file="dir/x:1,2.sql", line=3, col=4)
    assert line == ("::error file=dir/x%3A1%2C2.sql,line=3,col=4,title=a%3Ab%2Cc::100%25 done%0D%0Anext")
    assert "\n" not in _command("error", "m", "t\n::notice::x", file="f\nx")

