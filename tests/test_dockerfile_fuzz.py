"""Hostile recipes: the Dockerfile parser, expander and evaluator never raise anything but a one-line
ReaderError, stay within bounded memory, and never answer *present* for a path garbage does not ship.

Bounded: a fixed number of examples (``PREFLIGHT_FUZZ_EXAMPLES``, default 150 per property) and a per-example
deadline, with the database of failing examples kept out of the repository. ``bench/dockerfile_fuzz.py`` runs
the same properties longer and prints the figures recorded in bench/RESULTS.md.
"""

from __future__ import annotations

import os
import tracemalloc
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from preflight.errors import ReaderError
from preflight.image.dockerfile.view import open_dockerfile
from preflight.targets import ImageTarget

EXAMPLES = int(os.environ.get("PREFLIGHT_FUZZ_EXAMPLES", "150"))
MEMORY_CEILING = 100 << 20
FUZZ = settings(max_examples=EXAMPLES, deadline=timedelta(seconds=10), database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# Pieces real recipes are made of, and pieces that break naive readers.
WORDS = ["FROM", "from", "COPY", "ADD", "RUN", "ARG", "ENV", "WORKDIR", "USER", "CMD", "ENTRYPOINT", "SHELL",
         "ONBUILD", "LABEL", "EXPOSE", "VOLUME", "HEALTHCHECK", "STOPSIGNAL", "AS", "scratch", "alpine:3.20",
         "--from=build", "--from=0", "--chmod=755", "--chmod=u+x", "--chmod=9", "--chown=1:1", "--parents",
         "--exclude=*.md", "--link", "--platform=$BUILDPLATFORM", "build", ".", "./", "/", "/app/", "/app",
         "app/", "*", "*.sh", "[a-", "a/../../b", "../..", "${A}", "$A", "${A:-x}", "${A:+y}", "${A#*}",
         "${A%%.*}", "${", "${A", "$", "\\", "`", "'", '"', "<<EOF", "<<-EOF", "EOF", "[", "]", '["a",', '"/x"]',
         "#", "# escape=`", "\t", "=", "A=1", "A=$A$A", "https://example.com/x.tgz", "git@host:r.git",
         "rm -rf /app", "go build -o /out/app .", "$(pwd)", "\ufeff", "\r", "\x00", "é", "💥"]
CONTEXT = {"app/server": b"#!/bin/sh\n", "app/sub/x.txt": b"x", "a": b"a", "README.md": b"#",
           ".dockerignore": b"*.md\n!README.md\nsub/\n"}


def line() -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(WORDS) | st.text(max_size=8), min_size=0, max_size=8).map(" ".join)


KEYWORDS = ["COPY", "ADD", "RUN", "ARG", "ENV", "WORKDIR", "USER", "CMD", "ENTRYPOINT", "SHELL", "ONBUILD",
            "LABEL", "VOLUME", "EXPOSE", "COPY --from=build", "COPY --from=0", "COPY --parents", "ADD --chmod=755",
            "COPY --exclude=*.txt", "RUN --mount=type=cache,target=/x", "FROM alpine:3.20 AS build",
            "FROM build", "FROM scratch AS s2", "FROM ${BASE:-alpine}"]
ARGS = ["app/", "app/server", "a", "README.md", ".", "./", "/", "/app/", "/app", "/app/x", "server", "*", "app/*",
        "sub", "../a", "/out/bin", "${A}", "$A/x", "${A:-/d}", '["a", "/app/"]', "<<EOF", "rm -rf /app",
        "go build -o /out/bin .", "chmod +x /app/server", "adduser app", "https://example.com/f.tgz", "A=1",
        "x=$x$x", "--chmod=+x", "1000:1000"]


def instruction() -> st.SearchStrategy[str]:
    return st.builds(lambda k, a: " ".join([k, *a]), st.sampled_from(KEYWORDS),
                     st.lists(st.sampled_from(ARGS) | st.sampled_from(ARGS) | st.sampled_from(ARGS) |
                              st.text(max_size=6), min_size=1, max_size=4))


structured = st.builds(lambda first, rest, tail: "\n".join([first, *rest]) + tail,
                       st.sampled_from(["FROM scratch", "FROM alpine:3.20", "ARG BASE\nFROM ${BASE:-scratch} AS b",
                                        "FROM golang:1.22 AS build"]),
                       st.lists(st.one_of(instruction(), instruction(), instruction(), instruction(), line()),
                                max_size=20),
                       st.sampled_from(["", "\n", "\nEOF\n"]))
SEGMENTS = ["app", "bin", "server", "x", "sub", "out", "usr", "local", "..", ".", "*", "?", "[a-z]*", "$A",
            "${A:-d}", "a b", "é"]
path = st.lists(st.sampled_from(SEGMENTS), min_size=1, max_size=4).map("/".join)
source = st.sampled_from(["app/", "app/server", "app", "a", ".", "README.md", "app/*", "app/sub/x.txt"]) | path
wellformed_line = st.one_of(
    st.builds(lambda flags, srcs, dest: f"COPY {flags} {' '.join(srcs)} {dest}/", st.sampled_from(
        ["", "--chmod=755", "--chmod=u+x,g-w", "--chown=1:2", "--link", "--parents", "--exclude=**/*.txt",
         "--from=build", "--from=0"]), st.lists(source, min_size=1, max_size=3), path.map(lambda p: "/" + p)),
    st.builds(lambda src, dest: f"COPY {src} {dest}", source, path),
    st.builds(lambda src, dest: f"ADD {src} /{dest}", source | st.just("https://example.com/a.tgz"), path),
    st.builds(lambda cmd: f"RUN {cmd}", st.lists(st.sampled_from(
        ["rm -rf", "mkdir -p", "chmod +x", "go build -o", "adduser", "chown app:app", "cd", "&&", ";", "$(ls)",
         "for f in *; do rm $f; done", "sh", "./configure"]) | path, min_size=1, max_size=5).map(" ".join)),
    st.builds(lambda p: f"WORKDIR /{p}", path),
    st.builds(lambda p: f"WORKDIR {p}", path),
    st.builds(lambda v: f"ENV A={v}", path),
    st.builds(lambda v: f"ARG A={v}", path),
    st.sampled_from(["USER 1000", "USER app:app", 'ENTRYPOINT ["/app/server"]', "CMD serve", "SHELL [\"/bin/bash\", "
                     "\"-c\"]", "ONBUILD COPY a /app/", "FROM build AS next", "FROM scratch AS s", "ARG A",
                     "COPY <<EOF /app/conf\nhello $A\nEOF", "RUN <<EOF\nrm /app/server\nEOF"]),
)
wellformed = st.builds(lambda first, rest: "\n".join([first, *rest]) + "\n",
                       st.sampled_from(["FROM scratch AS build", "FROM alpine:3.20 AS build",
                                        "ARG BASE\nFROM ${BASE:-golang:1.22} AS build"]),
                       st.lists(wellformed_line, max_size=20))
recipes = st.lists(line(), min_size=0, max_size=25).map("\n".join) | structured | wellformed
garbage = st.text(max_size=400) | st.binary(max_size=400).map(lambda b: b.decode("latin-1"))


def bomb(depth: int, width: int) -> str:
    refs = "".join("${A%d}" for _ in range(width))
    lines = ["ARG A0=" + "x" * 50] + [f"ARG A{i}=" + refs.replace("%d", str(i - 1)) for i in range(1, depth)]
    return "\n".join(lines) + f"\nFROM scratch\nCOPY a /${{A{depth - 1}}}\n"


@pytest.fixture(scope="module")
def context(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzz-context")
    for rel, data in CONTEXT.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    return root


def evaluate(root: Path, text: str, paths: tuple[str, ...] = ("/app/x", "/app/server", "/", "/a")) -> Any:
    """Open the recipe and ask it everything a check asks; returns the answers, or the one-line error."""
    (root / "Dockerfile").write_text(text, encoding="utf-8", errors="surrogateescape")
    target = ImageTarget(ref="dockerfile:Dockerfile", build_args={"A": "1"})
    target.base_dir = root
    tracemalloc.start()
    try:
        try:
            image = open_dockerfile(target)
            view = image.single()
            infos = view.stat(list(paths))
            for info in infos:
                info.to_details()
            if view.config is not None:
                _ = view.config.argv
            for p in ("/", "/app"):
                try:
                    view.list_directory(p)
                    view.read_file(p + "/server")
                except ReaderError as e:
                    assert "\n" not in str(e), str(e)
            outcome: Any = infos
        except ReaderError as e:
            assert "\n" not in str(e), repr(str(e))
            outcome = e
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < MEMORY_CEILING, f"{peak} bytes for {text[:200]!r}"
    return outcome


@FUZZ
@given(text=recipes)
@example(text="FROM scratch\nCOPY \x00 app/")  # a NUL byte in a source path: no such file, not a traceback
def test_recipes_made_of_recipe_pieces(context: Path, text: str) -> None:
    evaluate(context, text)


@FUZZ
@given(text=wellformed)
def test_well_formed_recipes(context: Path, text: str) -> None:
    evaluate(context, text, ("/app/x", "/app/server", "/", "/a", "/app/sub/x.txt", "/out/server", "/usr/local"))


@FUZZ
@given(text=garbage)
def test_garbage_never_ships_a_path(context: Path, text: str) -> None:
    outcome = evaluate(context, text)
    if not isinstance(outcome, ReaderError) and not any(k in text.upper() for k in ("COPY", "ADD", "WORKDIR")):
        # Nothing in it can put /app/x in an image: never present (a check on it never passes).
        assert outcome[0].presence != "present"


@settings(max_examples=max(10, EXAMPLES // 10), deadline=timedelta(seconds=10), database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(depth=st.integers(min_value=2, max_value=60), width=st.integers(min_value=2, max_value=6))
def test_variable_bombs_end_with_an_error_in_bounded_memory(context: Path, depth: int, width: int) -> None:
    from preflight.image.dockerfile.expand import MAX_EXPANSION

    outcome = evaluate(context, bomb(depth, width))
    largest = 50 * width ** (depth - 1) + 1           # the COPY destination: "/" and the last ARG
    if largest > MAX_EXPANSION:
        assert isinstance(outcome, ReaderError) and "expands to more than" in str(outcome)
    elif 2 * largest < MAX_EXPANSION:
        assert not isinstance(outcome, ReaderError), outcome


def test_garbage_never_exits_zero(cli: Any, tmp_path: Path) -> None:
    from tests.helpers import write_config

    write_config(tmp_path, '[targets.image]\nref = "dockerfile:Dockerfile"\n\n[[check]]\nid = "f"\n'
                           'uses = "image.files"\npaths = ["/app/server"]\n')
    for text in ("", "\x00\x01\x02", "FROM", "COPY a /app/server", "FROM scratch\nCOPY", "FROM ${",
                 "FROM scratch\nCOPY missing /app/server\n", bomb(40, 2), "FROM scratch\nRUN <<EOF\n"):
        (tmp_path / "Dockerfile").write_text(text)
        out = cli("run")
        assert out.exit_code != 0, text
        assert "Traceback" not in out.stdout + out.stderr
