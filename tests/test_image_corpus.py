"""The real-world corpus: ``image.files`` on the ``dockerfile:`` source against truths established by hand.

Each directory under ``tests/image_corpus/`` is one recipe: a Dockerfile and the build context it copies from,
written by us to reproduce patterns studied in public projects (``tests/image_corpus/SOURCES.md`` lists them),
and a ``truth.toml`` that says, case by case, what the final stage ships and why::

    [target]                     # optional
    stage = "release"            # dockerfile:Dockerfile:release
    build_args = { EDITION = "lean" }
    context = "service"          # the build context, relative to the recipe (default: the recipe itself)
    dockerfile = "Dockerfile"    # the recipe file, relative to the recipe directory (the default)

    [target.base_images."nginx:1.27-alpine"]   # a stand-in base image the harness builds and maps
    "/etc/nginx/nginx.conf" = "0644"           # a file and its mode; "dir" for a directory; "-> T" a symlink

    [[case]]
    path = "/app/server"
    ships = true
    executable = true            # only when the case asks `executable = true`: the truth about the bit
    why = "COPY --from=build /out/server . at line 14 into WORKDIR /app; ..."
    known_false_fail = "..."     # only on a case preflight fails although it passes in truth: why it does

Context files are stand-ins (sources need not compile, archives are small): a truth about what a ``RUN``
builds follows from what the named tool writes for a real project of that shape, and a truth about a path
only the base image holds is allowed (the tool is expected to answer unknown there).

Every case becomes one ``image.files`` check (``on_unknown = "warn"``) of one ``preflight run --format json``
per recipe, and its status is judged against the truth. A case *passes in truth* when the path ships and, if
the case asks for it, is executable:

=============  ======================  ==========================
status         passes in truth         does not pass in truth
=============  ======================  ==========================
pass           true pass               **false pass**
fail           false fail              true fail
warn, error    unknown                 unknown
=============  ======================  ==========================

A false pass fails the recipe's test: a gate that lets through what the image does not ship is the bug this
corpus guards against. A false fail fails it too, unless the case records it as known, with the reason
(``known_false_fail``); a recorded one that preflight no longer gets wrong fails as well, so that the record
only shrinks. Unknowns are figures, counted by their cause (see ``unknown_cause``): the end of the session
prints them (see ``summarize``), and saves them in pytest's cache under ``preflight/image-corpus``.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest

from preflight.image.build import Dir, Entry, File, Symlink, write_docker_archive
from tests.helpers import run_cli, validate_report

CORPUS = Path(__file__).parent / "image_corpus"
SOURCES = CORPUS / "SOURCES.md"
PROPERTY = "image_corpus"
CACHE_KEY = "preflight/image-corpus"

MIN_CASES = 75
MIN_SOURCES = 25

TRUE_PASS, TRUE_FAIL, FALSE_FAIL, UNKNOWN, FALSE_PASS = (
    "true pass", "true fail", "false fail", "unknown", "false pass")


# -- the corpus ----------------------------------------------------------------------------------------------


class CorpusError(Exception):
    """A recipe directory or its truth.toml is malformed."""


@dataclass(frozen=True)
class Case:
    index: int
    path: str
    ships: bool
    why: str
    executable: bool | None = None
    """None: the case does not ask ``executable = true``; otherwise the truth about the execute bit."""
    known_false_fail: str | None = None
    """Why preflight fails this case although it passes in truth (a false fail recorded as known)."""

    @property
    def check_id(self) -> str:
        return f"case-{self.index:02d}"

    @property
    def passes_in_truth(self) -> bool:
        return self.ships and self.executable is not False

    def label(self) -> str:
        return self.path + (" (executable = true)" if self.executable is not None else "")


@dataclass(frozen=True)
class Recipe:
    name: str
    directory: Path
    dockerfile: Path
    context: Path
    stage: str | None = None
    build_args: Mapping[str, str] = field(default_factory=dict)
    base_images: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    cases: tuple[Case, ...] = ()

    @property
    def ref(self) -> str:
        return f"dockerfile:{self.dockerfile}" + (f":{self.stage}" if self.stage else "")


TARGET_KEYS = {"stage", "build_args", "context", "dockerfile", "base_images"}
CASE_KEYS = {"path", "ships", "executable", "why", "known_false_fail"}


def recipe_dirs() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if p.is_dir() and not p.name.startswith("."))


def load_recipe(directory: Path) -> Recipe:
    """The recipe in ``directory``, its truth validated key by key (a typo must not silently drop a case)."""
    where = directory / "truth.toml"
    if not where.is_file():
        raise CorpusError(f"{directory.name}: no truth.toml")
    try:
        doc = tomllib.loads(where.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise CorpusError(f"{where}: {e}") from None
    if unknown := set(doc) - {"target", "case"}:
        raise CorpusError(f"{where}: unknown top-level keys {sorted(unknown)}")
    target = doc.get("target", {})
    if unknown := set(target) - TARGET_KEYS:
        raise CorpusError(f"{where}: [target] has unknown keys {sorted(unknown)}")
    dockerfile = directory / _str(target.get("dockerfile", "Dockerfile"), where, "target.dockerfile")
    context = (directory / _str(target.get("context", "."), where, "target.context")).resolve()
    if not dockerfile.is_file():
        raise CorpusError(f"{where}: the recipe {dockerfile.relative_to(directory)} does not exist")
    if not context.is_dir():
        raise CorpusError(f"{where}: the context {context} is not a directory")
    build_args = target.get("build_args", {})
    if not isinstance(build_args, dict) or not all(isinstance(v, str) for v in build_args.values()):
        raise CorpusError(f"{where}: target.build_args must be a table of strings")
    base_images = target.get("base_images", {})
    for name, entries in base_images.items():
        for path, spec in entries.items():
            _base_entry(path, spec, f"{where}: target.base_images.{name!r}")
    cases = []
    for i, raw in enumerate(doc.get("case", []), start=1):
        at = f"{where}: case {i}"
        if unknown := set(raw) - CASE_KEYS:
            raise CorpusError(f"{at}: unknown keys {sorted(unknown)}")
        if missing := {"path", "ships", "why"} - set(raw):
            raise CorpusError(f"{at}: missing {sorted(missing)}")
        path, why = _str(raw["path"], at, "path"), _str(raw["why"], at, "why").strip()
        if not path.startswith("/"):
            raise CorpusError(f"{at}: path {path!r} is not absolute")
        if not why:
            raise CorpusError(f"{at}: why is empty")
        ships, executable = raw["ships"], raw.get("executable")
        if not isinstance(ships, bool) or not isinstance(executable, bool | None):
            raise CorpusError(f"{at}: ships and executable must be true or false")
        if executable and not ships:
            raise CorpusError(f"{at}: a path that does not ship cannot be executable")
        known = raw.get("known_false_fail")
        if known is not None and not (isinstance(known, str) and known.strip()):
            raise CorpusError(f"{at}: known_false_fail must say why, as a string")
        case = Case(i, path, ships, why, executable, known.strip() if known else None)
        if known and not case.passes_in_truth:
            raise CorpusError(f"{at}: known_false_fail on a case that does not pass in truth")
        cases.append(case)
    if not cases:
        raise CorpusError(f"{where}: no [[case]]")
    asked = Counter((c.path, c.executable is not None) for c in cases)
    if dupes := [k for k, n in asked.items() if n > 1]:
        raise CorpusError(f"{where}: the same question is asked twice: {dupes}")
    return Recipe(directory.name, directory, dockerfile, context, target.get("stage"), build_args,
                  base_images, tuple(cases))


def _str(value: Any, where: str, key: str) -> str:
    if not isinstance(value, str):
        raise CorpusError(f"{where}: {key} must be a string")
    return value


def _base_entry(path: str, spec: Any, where: str) -> Entry:
    """One entry of a stand-in base image: "dir", an octal file mode such as "0755", or "-> target"."""
    if not path.startswith("/") or not isinstance(spec, str):
        raise CorpusError(f"{where}: {path!r} = {spec!r} is not an absolute path and a string")
    if spec == "dir":
        return Dir()
    if spec.startswith("->"):
        return Symlink(spec[2:].strip())
    if re.fullmatch(r"0[0-7]{3}", spec):
        return File(f"stand-in for {path}\n", mode=int(spec, 8))
    raise CorpusError(f"{where}: {path!r} = {spec!r}: use \"dir\", a mode like \"0755\" or \"-> target\"")


def sources() -> list[tuple[str, str, list[str]]]:
    """(repository, file, recipes) of each row of SOURCES.md's table of studied Dockerfiles."""
    rows = []
    for line in SOURCES.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 5 and re.fullmatch(r"[\w.-]+/[\w.-]+", cells[0]):
            rows.append((cells[0], cells[1], re.findall(r"`([^`]+)`", cells[4])))
    return rows


# -- running a recipe ----------------------------------------------------------------------------------------

@dataclass
class RecipeRun:
    checks: dict[str, dict[str, Any]]


def run_recipe(recipe: Recipe, tmp: Path) -> RecipeRun:
    base_refs = {name: _base_image(tmp / f"base-{i}.tar", name, entries)
                 for i, (name, entries) in enumerate(sorted(recipe.base_images.items()))}
    config = tmp / "preflight.toml"
    command = ["run", "--format", "json", "--quiet", "--config", str(config)]
    config.write_text(render_config(recipe, base_refs), encoding="utf-8")
    out = run_cli(command)
    assert out.exit_code in (0, 1, 3), f"{recipe.name}: preflight exited {out.exit_code}: {out.stderr}"
    report = out.json
    validate_report(report)
    return RecipeRun({c["id"]: c for c in report["checks"]})


def render_config(recipe: Recipe, base_refs: Mapping[str, str]) -> str:
    q = json.dumps  # a JSON string is a valid TOML basic string
    lines = ["[targets.image]", f"ref = {q(recipe.ref)}", f"context = {q(str(recipe.context))}"]
    if recipe.build_args:
        lines.append(f"build_args = {_inline_table(recipe.build_args)}")
    if base_refs:
        lines.append(f"base_images = {_inline_table(base_refs)}")
    for case in recipe.cases:
        lines += ["", "[[check]]", f"id = {q(case.check_id)}", 'uses = "image.files"',
                  f"paths = [{q(case.path)}]"]
        if case.executable is not None:
            lines.append("executable = true")
        lines.append('on_unknown = "warn"')
    return "\n".join(lines) + "\n"


def _inline_table(table: Mapping[str, str]) -> str:
    return "{ " + ", ".join(f"{json.dumps(k)} = {json.dumps(v)}" for k, v in table.items()) + " }"


def _base_image(path: Path, name: str, entries: Mapping[str, str]) -> str:
    layer = {p.rstrip("/") or "/": _base_entry(p, spec, name) for p, spec in entries.items()}
    write_docker_archive(path, [layer], tag=name)
    return f"docker-archive:{path}"


# -- judging -------------------------------------------------------------------------------------------------


def classify(passes_in_truth: bool, status: str) -> str:
    if status in ("warn", "error"):
        return UNKNOWN
    if status == "pass":
        return TRUE_PASS if passes_in_truth else FALSE_PASS
    if status == "fail":
        return FALSE_FAIL if passes_in_truth else TRUE_FAIL
    raise ValueError(f"status {status!r} is none of pass, fail, warn, error")


UNKNOWN_CAUSES = (
    # (cause, what in the reason shows it), the first that matches; the reason is what the check says after
    # the path ("the source cannot show that it ships: ...", "ships, but whether it is ... is unknown: ...").
    ("its mode: a program built by RUN (not Go) and copied without --chmod",
     "whether it is executable is unknown"),
    ("a download at build time (ADD <url>, a Git repository)", " downloads | clones "),
    ("a wildcard over what a RUN made", "a wildcard over what the recipe cannot list"),
    ("a directory a RUN made, copied whole (presumed a file)", "presumed a file; were it a directory"),
    ("a destination that may or may not be a directory", "which it is, is unknown|if the base image"),
    ("a RUN runs a program in another language than the shell", "which may change anything"),
    ("a RUN runs in its directory", " runs in /"),
    ("a RUN names it or a directory above it", "RUN at "),
    ("only a base image not read could ship it", "is not read"),
)


def unknown_cause(summary: str) -> str:
    """Why the recipe cannot show the answer, from the check's summary (one cause per unknown)."""
    for cause, marks in UNKNOWN_CAUSES:
        if any(mark in summary for mark in marks.split("|")):
            return cause
    return "other"


@dataclass(frozen=True)
class Outcome:
    recipe: str
    case: Case
    status: str
    verdict: str
    summary: str
    details: Any
    """What the report says about the case's path: ``details.paths[PATH]`` (presence, grounds...)."""

    @property
    def cause(self) -> str | None:
        return unknown_cause(self.summary) if self.verdict == UNKNOWN else None

    def to_json(self) -> dict[str, Any]:
        return {"recipe": self.recipe, "case": self.case.index, "path": self.case.path,
                "asks_executable": self.case.executable is not None,
                "passes_in_truth": self.case.passes_in_truth, "status": self.status, "verdict": self.verdict,
                "cause": self.cause, "known_false_fail": self.case.known_false_fail}

    def describe(self) -> str:
        truth = "ships" if self.case.ships else "does not ship"
        if self.case.executable is not None:
            truth += f", executable: {str(self.case.executable).lower()}"
        return (f"{self.verdict.upper()}: {self.recipe} case {self.case.index}: {self.case.label()}\n"
                f"  truth: {truth}: {self.case.why}\n"
                f"  preflight: {self.status}: {self.summary}\n"
                f"  details: {json.dumps(self.details, sort_keys=True)}")


def judge(recipe: Recipe, run: RecipeRun) -> list[Outcome]:
    outcomes = []
    for case in recipe.cases:
        check = run.checks.get(case.check_id)
        assert check is not None, f"{recipe.name}: the report has no check {case.check_id} ({case.path})"
        details = check.get("details") or {}
        about_path = details.get("paths", {}).get(case.path, details)
        verdict = classify(case.passes_in_truth, check["status"])
        outcomes.append(Outcome(recipe.name, case, check["status"], verdict, check.get("summary", ""),
                                about_path))
    return outcomes


# -- the tests -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("directory", recipe_dirs(), ids=lambda p: p.name)
def test_image_files_never_passes_a_path_the_recipe_does_not_ship(
        directory: Path, tmp_path: Path, record_property: Any) -> None:
    recipe = load_recipe(directory)
    run = run_recipe(recipe, tmp_path)
    outcomes = judge(recipe, run)
    record_property(PROPERTY, json.dumps({"recipe": recipe.name, "outcomes": [o.to_json() for o in outcomes]}))
    assert not (wrong := wrong_outcomes(outcomes)), "\n".join(wrong)


def wrong_outcomes(outcomes: list[Outcome]) -> list[str]:
    """What fails a recipe: a false pass, a false fail not recorded as known, a recorded one that is gone."""
    wrong = [o.describe() for o in outcomes if o.verdict == FALSE_PASS]
    wrong += [o.describe() + "\n  (a false fail: fix the evaluator, or record known_false_fail with the reason)"
              for o in outcomes if o.verdict == FALSE_FAIL and o.case.known_false_fail is None]
    wrong += [f"{o.recipe} case {o.case.index}: {o.case.label()}: recorded as a known false fail "
              f"({o.case.known_false_fail}), but preflight now answers {o.status} ({o.verdict}): remove "
              "known_false_fail" for o in outcomes if o.case.known_false_fail is not None and o.verdict != FALSE_FAIL]
    return wrong


def test_the_corpus_is_sound() -> None:
    dirs = recipe_dirs()
    names = {d.name for d in dirs}
    cases = [c for d in dirs for c in load_recipe(d).cases]
    assert len(cases) >= MIN_CASES, f"the corpus has {len(cases)} cases, fewer than {MIN_CASES}"
    assert {c.ships for c in cases} == {True, False}
    assert {c.executable for c in cases} == {True, False, None}
    assert all(c.why for c in cases)
    rows = sources()
    studied = {(repo, file) for repo, file, _ in rows}
    assert len(studied) >= MIN_SOURCES, f"SOURCES.md lists {len(studied)} files, fewer than {MIN_SOURCES}"
    named = {name for _, _, recipes in rows for name in recipes}
    assert named <= names, f"SOURCES.md names recipes that do not exist: {sorted(named - names)}"
    assert names <= named, f"recipes no studied file in SOURCES.md leads to: {sorted(names - named)}"


def test_a_recipe_is_judged_by_its_truth(tmp_path: Path) -> None:
    """The harness itself: a false pass is caught, an unknown is no pass, a typo in a truth is an error."""
    assert [classify(True, s) for s in ("pass", "fail", "warn", "error")] == [
        TRUE_PASS, FALSE_FAIL, UNKNOWN, UNKNOWN]
    assert [classify(False, s) for s in ("pass", "fail", "warn", "error")] == [
        FALSE_PASS, TRUE_FAIL, UNKNOWN, UNKNOWN]
    with pytest.raises(ValueError, match="skipped"):
        classify(True, "skipped")
    assert not Case(1, "/x", ships=True, why="w", executable=False).passes_in_truth
    assert Case(1, "/x", ships=True, why="w").passes_in_truth

    # FROM scratch holds nothing: whatever the recipe does not ship is absent, today and with the new source.
    (tmp_path / "Dockerfile").write_text("FROM scratch\nCOPY app /srv/app\n", encoding="utf-8")
    (tmp_path / "app").write_text("x\n", encoding="utf-8")
    (tmp_path / "truth.toml").write_text(
        '[[case]]\npath = "/srv/app"\nships = true\nwhy = "line 2"\n\n'
        '[[case]]\npath = "/srv/other"\nships = false\nwhy = "nothing ships it"\n', encoding="utf-8")
    recipe = load_recipe(tmp_path)
    (run_dir := tmp_path / "run").mkdir()
    outcomes = judge(recipe, run_recipe(recipe, run_dir))
    assert {o.case.path: o.verdict for o in outcomes} == {"/srv/app": TRUE_PASS, "/srv/other": TRUE_FAIL}
    # the same answers against a truth that says the opposite: the pass is a false pass
    flipped = Recipe("flipped-recipe", recipe.directory, recipe.dockerfile, recipe.context,
                     cases=(Case(1, "/srv/app", ships=False, why="flipped"),))
    (flipped_dir := tmp_path / "flipped").mkdir()
    (outcome,) = judge(flipped, run_recipe(flipped, flipped_dir))
    assert outcome.verdict == FALSE_PASS
    assert outcome.describe().startswith("FALSE PASS: flipped-recipe case 1: /srv/app\n"
                                         "  truth: does not ship: flipped\n  preflight: pass: ")

    # a false fail fails the recipe unless recorded as known; a record that is no longer true fails it too
    wrong_way = Recipe("false-fail-recipe", recipe.directory, recipe.dockerfile, recipe.context,
                       cases=(Case(1, "/srv/other", ships=True, why="wrong on purpose"),
                              Case(2, "/srv/app", ships=True, why="line 2", known_false_fail="stale")))
    (wrong_dir := tmp_path / "wrong").mkdir()
    outcomes = judge(wrong_way, run_recipe(wrong_way, wrong_dir))
    assert [o.verdict for o in outcomes] == [FALSE_FAIL, TRUE_PASS]
    wrong = wrong_outcomes(outcomes)
    assert len(wrong) == 2 and wrong[0].startswith("FALSE FAIL: false-fail-recipe case 1: /srv/other")
    assert "recorded as a known false fail (stale), but preflight now answers pass" in wrong[1]
    recorded = [replace(o, case=replace(o.case, known_false_fail="the reason" if o.case.index == 1 else None))
                for o in outcomes]
    assert wrong_outcomes(recorded) == []

    (tmp_path / "truth.toml").write_text('[[case]]\npath = "/srv/app"\nship = true\nwhy = "typo"\n',
                                         encoding="utf-8")
    with pytest.raises(CorpusError, match="unknown keys"):
        load_recipe(tmp_path)
    (tmp_path / "truth.toml").write_text('[[case]]\npath = "/srv/x"\nships = false\nwhy = "w"\n'
                                         'known_false_fail = "cannot be"\n', encoding="utf-8")
    with pytest.raises(CorpusError, match="does not pass in truth"):
        load_recipe(tmp_path)


@pytest.mark.parametrize(("summary", "cause"), [
    ("could not decide: /a: ships, but whether it is executable is unknown (the source does not state its mode): "
     "presumed a file: built by RUN at line 4", "its mode: a program built by RUN (not Go) and copied without "
                                                "--chmod"),
    ("could not decide: /a: the source cannot show that it ships: RUN at Dockerfile:9 runs in /app: it may have "
     "made, removed or changed it", "a RUN runs in its directory"),
    ("could not decide: /a: the source cannot show that it ships: RUN at Dockerfile:9 names /a: it may have "
     "made, removed or changed it", "a RUN names it or a directory above it"),
    ("could not decide: /a: the source cannot show that it ships: the base image alpine:3.20 is not read: map "
     "it in [targets.image] base_images", "only a base image not read could ship it"),
    ("could not decide: /a: the source cannot show that it ships: Dockerfile:3 (ADD) downloads https://x/y at "
     "build time", "a download at build time (ADD <url>, a Git repository)"),
    ("could not decide: /a: something new", "other"),
])
def test_an_unknown_is_counted_by_its_cause(summary: str, cause: str) -> None:
    assert unknown_cause(summary) == cause


# -- the figures ---------------------------------------------------------------------------------------------


def figures(records: list[dict[str, Any]]) -> dict[str, Any]:
    outcomes = [o for r in records for o in r["outcomes"]]
    counts = Counter(o["verdict"] for o in outcomes)

    def listed(verdict: str) -> list[str]:
        return [f"{o['recipe']}#{o['case']} {o['path']}" for o in outcomes if o["verdict"] == verdict]

    return {
        "recipes": len(records),
        "cases": len(outcomes),
        "true_passes": counts[TRUE_PASS],
        "true_fails": counts[TRUE_FAIL],
        "false_fails": counts[FALSE_FAIL],
        "unknowns": counts[UNKNOWN],
        "unknowns_that_pass_in_truth": sum(o["passes_in_truth"] for o in outcomes if o["verdict"] == UNKNOWN),
        "false_passes": counts[FALSE_PASS],
        "unknowns_by_cause": dict(sorted(Counter(o["cause"] for o in outcomes if o["verdict"] == UNKNOWN).items(),
                                         key=lambda kv: (-kv[1], kv[0]))),
        "false_fails_known": {f"{o['recipe']}#{o['case']} {o['path']}": o["known_false_fail"]
                              for o in outcomes if o["verdict"] == FALSE_FAIL},
        "false_pass_cases": listed(FALSE_PASS),
        "false_fail_cases": listed(FALSE_FAIL),
        "unknown_cases": listed(UNKNOWN),
    }


def summarize(terminalreporter: Any) -> None:
    """At the end of a session that ran the corpus, print its figures and keep them in pytest's cache."""
    records: dict[str, dict[str, Any]] = {}
    for reports in terminalreporter.stats.values():
        for report in reports:
            for name, value in getattr(report, "user_properties", ()):
                if name == PROPERTY:
                    record = json.loads(value)
                    records[record["recipe"]] = record
    if not records:
        return
    f = figures(sorted(records.values(), key=lambda r: r["recipe"]))
    cache = getattr(terminalreporter.config, "cache", None)
    if cache is not None:
        cache.set(CACHE_KEY, f)
    write = terminalreporter.write_line
    terminalreporter.section("image corpus figures")
    write(f"{f['cases']} cases in {f['recipes']} recipes: {f['true_passes']} true passes, "
          f"{f['true_fails']} true fails, {f['false_fails']} false fails, {f['unknowns']} unknowns "
          f"({f['unknowns_that_pass_in_truth']} of them pass in truth), {f['false_passes']} false passes")
    if f["unknowns"]:
        write("unknowns by cause: " + "; ".join(f"{n} {cause}" for cause, n in f["unknowns_by_cause"].items()))
    for case, reason in f["false_fails_known"].items():
        write(f"false fail {case}: {reason or 'NOT RECORDED as known'}")
    for label, key in (("false passes", "false_pass_cases"), ("unknowns", "unknown_cases")):
        if f[key]:
            write(f"{label}: " + ", ".join(f[key]))
