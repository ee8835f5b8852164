"""Hostile configs through the CLI, as a user runs it: each ends with its exit code and one line naming the file,
line and key at fault, never a traceback; and a fuzz of the config loader (Hypothesis, bounded in time)."""

from __future__ import annotations

import os
import resource
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from preflight import config as config_mod
from preflight.errors import ConfigError
from tests.hostile.corpus import Case, check_outcome, config_cases, run

# How many inputs each fuzz test tries: a few hundred in the suite; PREFLIGHT_FUZZ_EXAMPLES asks for more
# (bench/hostile_bench.py does).
EXAMPLES = int(os.environ.get("PREFLIGHT_FUZZ_EXAMPLES", "300"))
FUZZ = settings(max_examples=EXAMPLES, deadline=2000, derandomize="PREFLIGHT_FUZZ_EXAMPLES" not in os.environ,
                database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@pytest.mark.parametrize("case", config_cases(), ids=lambda c: c.id)
def test_hostile_config(case: Case, tmp_path: Path) -> None:
    out = run(case, tmp_path)
    check_outcome(case, out)
    if case.id.endswith("-warns"):
        assert out.stderr.startswith("preflight: warning: ") and "1 warning" in out.stdout


def test_an_override_never_creates_what_it_names(tmp_path: Path) -> None:
    # --output refuses a missing directory before anything runs; nothing is created anywhere.
    (case,) = [c for c in config_cases() if c.id == "output-missing-directory"]
    check_outcome(case, run(case, tmp_path))
    assert not Path("/nonexistent/preflight-hostile").exists()


# -- the loader, fuzzed ---------------------------------------------------------------------------------------

KEYS = ["targets", "database", "image", "migrations", "dsn", "ref", "platform", "source", "tracking", "check", "id",
        "uses", "waiver", "reason", "expires", "run", "jobs", "timeout", "paths", "query", "expect", "on_unknown"]
VALUES = st.one_of(
    st.integers(-2**70, 2**70), st.booleans(), st.floats(allow_nan=True), st.text(max_size=40),
    st.sampled_from(["db.connect", "image.files", "migrations.lint", "golang-migrate", "${X}", "${", "$${x}",
                     "ftp://x", "linux/", "postgresql://[::1", "30s", "-1s", "2024-13-45", "warn", "error"]),
)
TOML_PIECES = st.sampled_from(["[", "]", "{", "}", "[[", "]]", "=", '"', "'", '"""', "'''", "\n", "#", ",", ".",
                               " ", "\\", "\x00", "\x7f", "\ufeff", "1979-05-27T07:32:00Z", "inf", "nan", "0x1F"])


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


@st.composite
def structured_configs(draw: st.DrawFn) -> str:
    """TOML built from preflight's own keys and hostile values: mostly well-formed, mostly wrong."""
    lines = []
    for _ in range(draw(st.integers(0, 8))):
        header = draw(st.sampled_from(["[targets.database]", "[targets.image]", "[targets.migrations]", "[run]",
                                       "[[check]]", "[[waiver]]", "[targets]", "[x.y.z]"]))
        lines.append(header)
        for _ in range(draw(st.integers(0, 5))):
            lines.append(f"{draw(st.sampled_from(KEYS))} = {_toml_value(draw(VALUES))}")
    return "\n".join(lines) + "\n"


@st.composite
def garbage(draw: st.DrawFn) -> str:
    """Text that is not TOML preflight can use: pieces of TOML syntax in any order, with arbitrary text."""
    return "".join(draw(st.lists(st.one_of(TOML_PIECES, st.text(max_size=12)), max_size=60)))


def _load(tmp_path: Path, text: str) -> None:
    path = tmp_path / "preflight.toml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        config_mod.load(path, env={"X": "1"})
    except ConfigError as e:
        assert "\n" not in e.message.rstrip("\n") or "invalid TOML" in e.message


@FUZZ
@given(text=st.one_of(structured_configs(), garbage()))
def test_fuzz_config_loader_ends_in_a_config_or_a_one_line_config_error(tmp_path_factory: pytest.TempPathFactory,
                                                                       text: str) -> None:
    # Anything else (a TypeError, a RecursionError, a KeyError) propagates and fails the test.
    _load(tmp_path_factory.mktemp("fuzz"), text)


@FUZZ
@given(levels=st.integers(0, 200_000), kind=st.sampled_from(["[", "{ a = ", "[[", "x = ["]))
def test_fuzz_nesting_never_reaches_the_parser_unbounded(tmp_path_factory: pytest.TempPathFactory, levels: int,
                                                         kind: str) -> None:
    text = "x = " + kind * levels + "1"
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    _load(tmp_path_factory.mktemp("deep"), text)
    # A 200,000-level input is about 1 MB of text: the loader stays within a few tens of MB of that.
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100_000  # KiB


@FUZZ
@given(text=garbage().filter(lambda t: "=" not in t and "[" not in t and t.strip() and not t.strip().startswith("#")))
def test_fuzz_garbage_is_never_a_valid_config(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    # Text with no key and no table is no config: never exit 0.
    path = tmp_path_factory.mktemp("garbage") / "preflight.toml"
    path.write_text(text + "\n", encoding="utf-8", errors="surrogatepass")
    with pytest.raises(ConfigError):
        config_mod.load(path, env={})
