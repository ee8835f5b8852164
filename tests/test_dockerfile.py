"""The static ``dockerfile:`` source: BuildKit's recipe grammar, variable expansion, and what the final stage ships.

The parser is checked instruction by instruction against BuildKit's own Go parser (the ``dockerfile`` package
wraps it) on recipes written to hit its corners; the semantics are checked through ``open_dockerfile`` on
recipes in a temporary directory.
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import pytest

from preflight.errors import ReaderError
from preflight.image.dockerfile import DockerfileView, Recipe, open_dockerfile, parse_dockerfile
from preflight.image.model import PathInfo, StaticImage
from preflight.targets import ImageTarget

# -- the grammar, against BuildKit's parser ------------------------------------------------------------------

CORPUS: dict[str, str] = {
    "multi-stage": """\
# syntax=docker/dockerfile:1.7
ARG BASE=debian:12-slim
ARG GO_VERSION
FROM --platform=$BUILDPLATFORM golang:${GO_VERSION:-1.22} AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/root/.cache/go-build \\
    go build -o /out/server ./cmd/server && \\
    # a comment inside a continuation is dropped
    go build -o /out/migrate ./cmd/migrate

FROM ${BASE} AS runtime
COPY --from=build --chmod=0755 /out/server /out/migrate /app/
ENTRYPOINT ["/app/server"]
CMD ["serve", "--port=8080"]
""",
    "escape-backtick": """\
# escape=`
FROM mcr.microsoft.com/windows/servercore
COPY a `
     b c:\\app\\
RUN dir c:\\ `
    && echo done
ENV PATH="C:\\bin;${PATH}" OTHER=`"quoted`"
""",
    "directives-stop": """\
# syntax=docker/dockerfile:1

# escape=`
FROM scratch
COPY a \\
  b /
""",
    "heredocs": """\
FROM debian
RUN <<EOF
set -e
echo "one"
EOF
RUN <<-EOT bash
\techo tabbed
\tEOT
COPY <<"CONF" <<'OTHER' /etc/app/
literal $HOME
CONF
second
OTHER
RUN python3 <<PY > /tmp/out
print("hi")
PY
RUN cat <<A <<B
a
A
b
B
""",
    "json-and-shell": """\
FROM scratch
CMD ["a", "b c"]
CMD [ "spaced" , "json" ]
ENTRYPOINT exec /bin/app --flag "quoted arg"
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN ["echo", "json-run"]
RUN [not json
COPY ["src with space", "/dest/"]
COPY [ "x" ] trailing
VOLUME ["/data", "/logs"]
VOLUME /a /b
""",
    "name-values": """\
FROM scratch
ENV A=1 B="two words" C='single $quoted' D=a\\ b
ENV LEGACY some value with   spaces
LABEL org.opencontainers.image.title="app" version=1.0
ARG ONE TWO=2 "THREE=three 3"
EXPOSE 80/tcp 443
STOPSIGNAL SIGTERM
USER app:app
MAINTAINER someone <a@b.c>
HEALTHCHECK --interval=5s CMD curl -f http://localhost/ || exit 1
HEALTHCHECK CMD ["curl", "-f", "http://localhost/"]
HEALTHCHECK NONE
ONBUILD COPY --chown=1:1 . /src
""",
    "flags": """\
FROM scratch
COPY --from=build --chown="1000:1000" --chmod=755 a b
COPY --link --exclude=*.md --exclude='*.txt' . /app
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/x.tar.gz /opt/
COPY -- --not-a-flag /dest
copy lower /case
""",
    "crlf-and-bom": "\ufeffFROM scratch\r\nCOPY a \\\r\n  b /\r\nWORKDIR /app\r\n",
    "blank-continuations": """\
FROM scratch
COPY a \\

   b \\
   # comment
   /c/
RUN echo one \\
""",
}


def official(text: str) -> list[tuple[Any, ...]]:
    dockerfile = pytest.importorskip("dockerfile", reason="BuildKit's parser (dockerfile package) has wheels "
                                                          "for x86_64 Linux only")
    return [(c.cmd.upper(), c.sub_cmd.upper() if c.sub_cmd else None, c.json, c.original, c.start_line,
             c.end_line, c.flags, c.value, tuple((h.name, h.content) for h in c.heredocs))
            for c in dockerfile.parse_string(text)]


def ours(text: str) -> list[tuple[Any, ...]]:
    instructions, _ = parse_dockerfile(text)
    return [(i.cmd, i.sub_cmd, i.json, i.original, i.start_line, i.end_line, i.flags, i.value,
             tuple((h.name, h.content) for h in i.heredocs)) for i in instructions]


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_parser_matches_buildkit(name: str) -> None:
    text = CORPUS[name]
    expected = official(text)
    assert ours(text) == expected


# Fragments for recipes made at random (seeded): instructions, flags, quotes, JSON, continuations, comments,
# heredocs, directives, CRLF and unknown words, in any order.
FRAGS = [
    "FROM debian:12 AS build", "FROM scratch", "from alpine", "COPY a b /c/", "COPY --from=build /x /y",
    'COPY ["a b", "/c"]', "COPY [ broken", "ADD --chmod=755 x /y", "RUN echo hi", 'RUN ["a","b"]',
    "RUN echo \\", "  RUN   spaced   out  ", "ENV A=1 B=\"x y\"", "ENV K v w", "ENV A=\\\"q", "ARG X Y=2",
    "ARG 'Q=a b'", "LABEL a=b", "CMD echo", "CMD [\"x\"] tail", "ENTRYPOINT [\"/x\", \"y\"]",
    "WORKDIR /a b", "USER u", "EXPOSE 1 2", "VOLUME [\"/v\"]", "VOLUME /a", "ONBUILD RUN x",
    "HEALTHCHECK NONE", "HEALTHCHECK --retries=3 CMD [\"a\"]", "SHELL [\"/bin/sh\",\"-c\"]",
    "COPY --chown='a b' x y", "COPY -- --x y", "COPY --a\\ b=c x y", "# comment", "", "   ", "\t# indented comment",
    "RUN a \\", "  b \\", "  # mid comment", "  c", "RUN <<EOF", "body $x", "EOF", "COPY <<-T /t", "\tline", "\tT",
    "RUN <<'A' <<\"B\"", "a", "A", "b", "B", "RUN x `", "# escape=`", "# syntax=x", "STOPSIGNAL 9",
    "RUN echo \\\\", "ENV A=1\\", "COPY a\\ b c", "RUN cat <<EOF>out", "EOF>out",
    "RUN 3<<EOF cat", "RUN echo '<<EOF'", 'RUN echo "<<EOF"', "COPY <<EOF\r", "RUN a \\\r", "ENV X=\"a\\\"b\" Y='c d'",
    'COPY --chmod="7 55" a b', "COPY --x='' a b", "ARG", "ENV", "COPY", "RUN", "FROM", 'CMD ["a", "b"', 'CMD []',
    "RUN [\"a\", \"b\"] && x", "COPY\ta\tb", "ENV\tK\tv", "LABEL \"a b\"=c", "\ufeffFROM x", "RUN a ``", "RUN a `",
    "HEALTHCHECK", "HEALTHCHECK CMD", "ONBUILD", "ONBUILD ONBUILD RUN x", "MAINTAINER", "RUN --mount=type=cache,target=/x echo",
]


def outcome(parse: Any, text: str) -> Any:
    try:
        return parse(text)
    except (ReaderError, ValueError):      # ours, and BuildKit's GoParseError
        return "refused"


def test_parser_matches_buildkit_on_random_recipes() -> None:
    rng = random.Random(20240314)
    for _ in range(400):
        lines = [rng.choice(FRAGS) for _ in range(rng.randint(1, 12))]
        if rng.random() < 0.3:
            lines.insert(0, rng.choice(["# escape=`", "# escape=\\", "# syntax=docker/dockerfile:1", ""]))
        text = "\n".join(lines) + rng.choice(["\n", "", "\n\n"])
        assert outcome(ours, text) == outcome(official, text), text


def test_escape_directive_is_read() -> None:
    _, escape = parse_dockerfile(CORPUS["escape-backtick"])
    assert escape == "`"
    # A blank line ends the directives: the later "# escape=`" is a comment.
    _, escape = parse_dockerfile(CORPUS["directives-stop"])
    assert escape == "\\"


@pytest.mark.parametrize(("text", "message"), [
    ("", r"^Dockerfile: file with no instructions$"),
    ("# only a comment\n\n", r"^Dockerfile: file with no instructions$"),
    ("FROM debian\nRUN <<EOF\necho\n", r"^Dockerfile:2: unterminated heredoc <<EOF$"),
    ("# escape=x\nFROM scratch\n", r"^Dockerfile:1: invalid escape token 'x'"),
    ("# escape=`\n# escape=\\\nFROM scratch\n", r"^Dockerfile:2: only one escape parser directive"),
    ('FROM scratch\nCMD ["a", 1]\n', r"^Dockerfile:2: JSON arrays in a Dockerfile must hold only strings$"),
    ("FROM scratch\nENV A=1 B\n", r"^Dockerfile:2: ENV: can't find = in 'B'"),
])
def test_syntax_errors_are_one_line_with_the_line(text: str, message: str) -> None:
    with pytest.raises(ReaderError, match=message) as e:
        Recipe(text, "Dockerfile")
    assert "\n" not in str(e.value)


@pytest.mark.parametrize(("text", "message"), [
    ("COPY a /b\n", r"^Dockerfile:1: COPY before the first FROM"),
    ("FROM scratch\nBOGUS thing\n", r"^Dockerfile:2: unknown instruction: BOGUS$"),
    ("FROM scratch\nCOPY --form=build a /b\n", r"^Dockerfile:2: unknown flag for COPY: --form$"),
    ("FROM scratch\nCOPY onlyone\n", r"^Dockerfile:2: COPY requires at least two arguments"),
    ("FROM scratch\nCOPY --chmod=999 a /b\n", r"^Dockerfile:2: invalid --chmod='999'"),
    ("FROM scratch\nCOPY --from=3 a /b\n", r"^Dockerfile:2: --from=3: there is no stage 3 before this one$"),
    ("FROM scratch AS a\nFROM scratch AS A\n", r"^Dockerfile:2: duplicate stage name 'a'$"),
    ("ARG X\nFROM $X\n", r"^Dockerfile:2: FROM names no image \(\$X expands to nothing\)$"),
    ("FROM scratch\nCOPY a /b/${X\n", r"^Dockerfile:2: missing '}' in variable substitution$"),
    ("FROM scratch\nARG X\nCOPY a /${X:?must_be_set}\n", r"^Dockerfile:3: X: must_be_set$"),
])
def test_recipe_errors_are_one_line_with_the_line(text: str, message: str) -> None:
    with pytest.raises(ReaderError, match=message):
        Recipe(text, "Dockerfile")


# -- the source through open_dockerfile: evidence from the recipe, its build context and mapped base images ----


def write_tree(root: Path, files: dict[str, Any]) -> None:
    """A build context: ``bytes``/``str`` files (mode 0644), ("exec", data) files (0755), ("dir",), ("symlink",
    target)."""
    for rel, value in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(value, tuple) and value[0] == "dir":
            p.mkdir(exist_ok=True)
        elif isinstance(value, tuple) and value[0] == "symlink":
            p.symlink_to(value[1])
        elif isinstance(value, tuple) and value[0] == "exec":
            p.write_bytes(value[1].encode() if isinstance(value[1], str) else value[1])
            p.chmod(0o755)
        else:
            p.write_bytes(value.encode() if isinstance(value, str) else value)
            p.chmod(0o644)


def open_recipe(tmp_path: Path, text: str, *, ref: str = "dockerfile:Dockerfile", name: str = "Dockerfile",
                platform: str | None = None, files: dict[str, Any] | None = None,
                **target: Any) -> DockerfileView:
    (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / name).write_text(text)
    write_tree(tmp_path, files or {})
    image_target = ImageTarget(ref=ref, platform=platform, **target)
    image_target.base_dir = tmp_path
    image = open_dockerfile(image_target)
    assert isinstance(image, StaticImage) and image.ref == ref
    view = image.single()
    assert isinstance(view, DockerfileView)
    return view


def stat(view: DockerfileView, path: str) -> PathInfo:
    [info] = view.stat([path])
    return info


def grounds(info: PathInfo) -> str:
    return " | ".join(info.grounds)


APP = """\
# The Dockerfile of a service with a build stage and a slim runtime stage.
ARG BASE=debian:12-slim
ARG VERSION=1.4.0

FROM golang:1.22 AS build
ARG VERSION
WORKDIR /src
COPY . .
RUN go build -ldflags "-X main.version=${VERSION}" -o /out/server ./cmd/server \\
 && go build -o /out/migrate ./cmd/migrate

FROM ${BASE} AS runtime
ARG VERSION
WORKDIR /app
COPY --from=build --chmod=755 /out/server ./server
COPY --from=0 /out/migrate /app/migrate
COPY migrations/ ./migrations/
COPY --chown=1000:1000 <<EOF /app/VERSION
${VERSION}
EOF
ENV PATH=/app:$PATH APP_VERSION=$VERSION
USER 1000
ENTRYPOINT ["/app/server"]
CMD ["serve"]
"""
APP_CONTEXT = {"go.mod": "module app\n", "cmd/server/main.go": "package main\n",
               "cmd/migrate/main.go": "package main\n", "migrations/001_init.up.sql": "create table t (id int);\n",
               "migrations/002_more.up.sql": "alter table t add column x int;\n"}


def test_programs_a_run_builds_are_presumed_files_with_their_grounds(tmp_path: Path) -> None:
    view = open_recipe(tmp_path, APP, files=APP_CONTEXT)
    server = stat(view, "/app/server")
    # A RUN output copied by name: presumed a file, and the answer says so with the RUN's line.
    assert (server.presence, server.type, server.mode) == ("present", "file", 0o755)
    assert server.origin == "Dockerfile:15 (COPY --from=build)"
    assert "file" in server.presumed and "executable" not in server.presumed   # --chmod states the mode
    assert "presumed a file: built by RUN at line 9 (stage build's /out/server)" in server.grounds
    migrate = stat(view, "/app/migrate")
    # No --chmod: a Go program built by RUN is presumed executable, on the same grounds.
    assert migrate.mode is None and migrate.presumed == ("file", "executable")
    assert any(g.startswith("presumed executable: a Go program built by RUN at line 9") for g in migrate.grounds)
    version = stat(view, "/app/VERSION")
    assert (version.type, version.uid, version.gid, version.size, version.presumed) == ("file", 1000, 1000, 6, ())
    assert view.read_file("/app/VERSION") == b"1.4.0\n"
    app = stat(view, "/app")
    assert (app.presence, app.type, app.origin) == ("present", "directory", "Dockerfile:14 (WORKDIR)")


def test_the_build_context_is_read_exactly(tmp_path: Path) -> None:
    view = open_recipe(tmp_path, APP, files=APP_CONTEXT)
    sql = stat(view, "/app/migrations/001_init.up.sql")
    assert (sql.presence, sql.type, sql.mode, sql.size, sql.presumed) == ("present", "file", 0o644, 25, ())
    assert sql.grounds == ("Dockerfile:17 (COPY) copies migrations/001_init.up.sql from the build context",)
    assert view.read_file("/app/migrations/001_init.up.sql") == b"create table t (id int);\n"
    assert view.list_directory("/app/migrations") == ["001_init.up.sql", "002_more.up.sql"]
    assert view.read_directory("/app/migrations") == {"001_init.up.sql": b"create table t (id int);\n",
                                                      "002_more.up.sql": b"alter table t add column x int;\n"}
    # Not in the context: absent, on the presumption that debian:12-slim has nothing under /app.
    missing = stat(view, "/app/migrations/999_not_in_context.sql")
    assert missing.presence == "absent" and missing.presumed == ("absent",)
    assert "the base image debian:12-slim is not read" in grounds(missing)


def test_a_path_the_recipe_does_not_ship_under_its_own_directory_is_presumed_absent(tmp_path: Path) -> None:
    # The source and even a built binary sit in the build context: no COPY ships them, so the image has none.
    files = dict(APP_CONTEXT, **{"backfill_task_usage_hourly": ("exec", b"\x7fELF"),
                                 "cmd/backfill/main.go": "package main\n"})
    view = open_recipe(tmp_path, APP, files=files)
    info = stat(view, "/app/backfill_task_usage_hourly")
    assert info.presence == "absent" and not info.exists and info.presumed == ("absent",)
    assert info.problem == "the recipe does not ship it (presumed absent from the base image debian:12-slim, " \
                           "not read)"
    assert (info.nearest, info.nearest_holds) == ("/app", ("VERSION", "migrate", "migrations", "server"))
    assert grounds(info).startswith("presumed absent: the recipe makes /app")
    # Outside the recipe's directories the base image decides, and it is not read: unknown, not absent.
    psql = stat(view, "/usr/bin/psql")
    assert psql.presence == "unknown" and "the base image debian:12-slim is not read" in grounds(psql)
    # The build stage's paths are not the final stage's: / is a system directory, so unknown there.
    assert stat(view, "/src").presence == "unknown"
    blocked = stat(view, "/app/VERSION/x")
    assert blocked.presence == "absent" and blocked.problem == "/app/VERSION is a file, not a directory"


def test_image_config_of_the_final_stage(tmp_path: Path) -> None:
    view = open_recipe(tmp_path, APP, files=APP_CONTEXT)
    config = view.config
    assert config is not None
    assert (config.entrypoint, config.cmd, config.user, config.working_dir) == (("/app/server",), ("serve",),
                                                                               "1000", "/app")
    # PATH starts as BuildKit's default, presumed so: the base image's ENV is not read.
    assert config.env == ("PATH=/app:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                          "APP_VERSION=1.4.0")
    assert config.unknown == () and config.program_known
    assert config.origin == "Dockerfile:23"


def test_stage_selected_like_build_target(tmp_path: Path) -> None:
    view = open_recipe(tmp_path, APP, ref="dockerfile:Dockerfile:build", files=APP_CONTEXT)
    # `go build -o /out/server` writes what -o names, not into its WORKDIR: what the context put there stays.
    assert stat(view, "/src/go.mod").presence == "present"
    # ./cmd/server is named, and what is under it unknown.
    assert stat(view, "/src/cmd/server/main.go").presence == "unknown"
    assert stat(view, "/out/server").presence == "unknown"
    assert view.config is not None and not view.config.program_known
    assert "Entrypoint" in view.config.unknown
    with pytest.raises(ReaderError, match=r"^Dockerfile: no stage named 'test' \(named stages: build, runtime\)$"):
        open_recipe(tmp_path, APP, ref="dockerfile:Dockerfile:test")


def test_missing_recipe_is_an_error(tmp_path: Path) -> None:
    target = ImageTarget(ref="dockerfile:deploy/Dockerfile")
    target.base_dir = tmp_path
    with pytest.raises(ReaderError, match=r"^deploy/Dockerfile: no such file$"):
        open_dockerfile(target)


# -- the recipes of issue 15 ---------------------------------------------------------------------------------

COMMON_RUNTIME = """\
FROM alpine:3.20 AS build
WORKDIR /src
COPY app/ ./app/
FROM alpine:3.20
WORKDIR /app
COPY --from=build --chmod=0755 /src/app/server /app/
ENTRYPOINT ["/app/server"]
"""


def test_copy_into_a_directory_ships_that_file_and_nothing_else(tmp_path: Path) -> None:
    view = open_recipe(tmp_path, COMMON_RUNTIME, files={"app/server": ("exec", "#!/bin/sh\n")})
    server = stat(view, "/app/server")
    assert (server.presence, server.type, server.mode, server.presumed) == ("present", "file", 0o755, ())
    missing = stat(view, "/app/backfill_task_usage_hourly")
    assert missing.presence == "absent" and missing.nearest_holds == ("server",)


GO_RUNTIME = """\
FROM golang:1.22 AS builder
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o bin/server ./cmd/server
FROM gcr.io/distroless/static
WORKDIR /app
COPY --from=builder /src/bin/server .
ENTRYPOINT ["/app/server"]
"""


def test_copy_of_a_go_binary_to_dot_is_presumed_a_file_and_executable(tmp_path: Path) -> None:
    view = open_recipe(tmp_path, GO_RUNTIME, files={"go.mod": "module x\n", "cmd/server/main.go": "package x\n"})
    server = stat(view, "/app/server")
    assert (server.presence, server.type) == ("present", "file")
    assert set(server.presumed) == {"present", "file", "executable"}
    assert "presumed a file: built by RUN at line 4 (stage builder's /src/bin/server)" in server.grounds
    assert stat(view, "/app/backfill_task_usage_hourly").presence == "absent"


def test_copy_of_a_directory_to_root_ships_exactly_what_it_holds(tmp_path: Path) -> None:
    text = "FROM alpine:3.20\nCOPY ./docker/rootfs /\n"
    view = open_recipe(tmp_path, text, files={"docker/rootfs/srv/app/app.conf": "port = 1\n",
                                              "docker/rootfs/usr/local/bin/entry": ("exec", "#!/bin/sh\n")})
    entry = stat(view, "/usr/local/bin/entry")
    assert (entry.presence, entry.type, entry.mode) == ("present", "file", 0o755)
    assert stat(view, "/srv/app/app.conf").presence == "present"
    # Not in the directory copied to /: the base image decides, and it is not read.
    assert stat(view, "/definitely/not/in/this/image").presence == "unknown"
    assert stat(view, "/usr/local/bin/other").presence == "unknown"
    # /srv/app is the copy's own (not a system directory): what it does not hold is presumed absent.
    assert stat(view, "/srv/app/other.conf").presence == "unknown"


CLEAN = """\
FROM node:20 AS build
WORKDIR /worker
COPY . .
RUN npm ci && npm run build
FROM scratch AS clean
COPY --from=build /worker/dist/server /worker/server
FROM node:20-slim
COPY --from=clean /worker/ /worker/
CMD ["node", "/worker/server"]
"""


def test_copy_from_a_fully_described_stage_ships_only_what_it_holds(tmp_path: Path) -> None:
    view = open_recipe(tmp_path, CLEAN, files={"package.json": "{}", "tsconfig.json": "{}"})
    server = stat(view, "/worker/server")
    assert server.presence == "present" and "file" in server.presumed
    # tsconfig.json is in the context and the build stage, but stage clean (FROM scratch) holds only server.
    ts = stat(view, "/worker/tsconfig.json")
    assert ts.presence == "absent"
    # stage clean FROM an unread image: there, too, it is presumed absent, and the grounds say so once
    view = open_recipe(tmp_path / "unread", CLEAN.replace("FROM scratch AS clean", "FROM node:20 AS clean"),
                       files={"package.json": "{}", "tsconfig.json": "{}"})
    ts = stat(view, "/worker/tsconfig.json")
    assert ts.presence == "absent" and "stage clean's /worker/tsconfig.json is presumed absent: the recipe " \
                                      "makes /worker, and the base image node:20 is not read" in grounds(ts), ts
    assert "presumed absent: presumed absent" not in grounds(ts)


def test_run_after_a_copy_makes_the_path_unknown(tmp_path: Path) -> None:
    text = ("FROM alpine:3.20\nCOPY --chmod=755 server /usr/local/bin/server\nRUN rm /usr/local/bin/server\n"
            "COPY --chmod=755 worker /usr/local/bin/worker\n")
    view = open_recipe(tmp_path, text, files={"server": "x", "worker": "y"})
    server = stat(view, "/usr/local/bin/server")
    assert server.presence == "unknown"
    assert grounds(server) == ("RUN at Dockerfile:3 names /usr/local/bin/server: it may have made, removed or "
                               "changed it")
    # A later COPY decides again.
    assert stat(view, "/usr/local/bin/worker").presence == "present"


def test_a_directory_copied_whole_from_a_run_stays_unknown_under_a_later_workdir(tmp_path: Path) -> None:
    # /out/site is made by a RUN: copied by name, it is presumed a file; the WORKDIR below it shows it is a
    # directory, whose contents the recipe cannot show (never "presumed absent", which would fail what ships).
    text = ("FROM node:20 AS build\nRUN mkdir -p /out/site && npx build --out /out/site\n"
            "FROM node:20-slim\nCOPY --from=build /out/site /srv/site\nWORKDIR /srv/site\n"
            "COPY robots.txt ./\n")
    view = open_recipe(tmp_path, text, files={"robots.txt": "x"})
    info = stat(view, "/srv/site/index.html")
    assert info.presence == "unknown", info
    assert "were it a directory, what it holds would be here, and that is unknown" in grounds(info)
    assert stat(view, "/srv/site/robots.txt").presence == "present"


def test_a_listing_a_run_may_have_added_to_says_so(tmp_path: Path) -> None:
    text = "FROM alpine:3.20\nWORKDIR /app\nCOPY a /app/a\nRUN mkdir -p /app/gen\n"
    view = open_recipe(tmp_path, text, files={"a": "x"})
    info = stat(view, "/app/missing")
    assert info.presence == "absent" and info.nearest == "/app" and info.nearest_partial
    assert "/app has a and what the source cannot list" in info.describe_missing()
    assert info.to_details()["nearest_partial"] is True
    # a listing the recipe fully shows is said as it is
    full = stat(open_recipe(tmp_path / "full", "FROM scratch\nCOPY a /app/a\n", files={"a": "x"}), "/app/b")
    assert not full.nearest_partial and full.describe_missing().endswith("; /app has a")


def test_a_destination_of_unknown_type_names_why_it_is_unknown(tmp_path: Path) -> None:
    # /tools comes from a stage a RUN filled: file or directory, the recipe cannot say (scratch has no say).
    text = ("FROM alpine:3.20 AS fill\nRUN mkdir -p /out && make -C /out\nFROM scratch\n"
            "COPY --from=fill /out/ /\nCOPY --chmod=755 tool /tools\n")
    view = open_recipe(tmp_path, text, files={"tool": "x"})
    info = stat(view, "/tools")
    assert info.presence == "present" and info.type is None, info
    text_grounds = grounds(info)
    assert "it lands in /tools as tool if /tools is a directory, else it is /tools; which it is, is unknown: " \
           "Dockerfile:4 (COPY --from=fill) copies stage fill's /out/tools" in text_grounds
    assert "base image scratch" not in text_grounds


def test_a_run_in_its_workdir_leaves_that_directory_a_directory(tmp_path: Path) -> None:
    text = ("FROM node:20 AS build\nCOPY . /app\nWORKDIR /app\nRUN make\n"
            "FROM gcr.io/distroless/nodejs20-debian12\nCOPY --from=build /app /app\nWORKDIR /app\n")
    view = open_recipe(tmp_path, text, files={"server.js": "x"})
    # make may have changed anything in /app, but /app is the directory it ran in: /app is copied as one.
    app = stat(view, "/app")
    assert (app.presence, app.type) == ("present", "directory"), app
    info = stat(view, "/app/server.js")
    assert info.presence == "unknown" and "RUN at Dockerfile:4 runs in /app" in grounds(info), info


@pytest.mark.parametrize(("run", "unknown"), [
    ("RUN chmod +x server", True),                       # the basename
    ("RUN chown -R app /app", True),                     # a directory above it
    ("RUN /app/cleanup.sh", True),                       # a script in its directory
    ("RUN rm -rf *", True),                              # a wildcard in its directory
    ("RUN for f in $(ls); do rm $f; done", True),        # what only the shell knows
    ("RUN make clean", True),                            # runs in /app (WORKDIR): may write there
    ("RUN adduser -D app && apk add --no-cache curl", False),
])
def test_what_a_run_names(tmp_path: Path, run: str, unknown: bool) -> None:
    text = f"FROM alpine:3.20\nWORKDIR /app\nCOPY --chmod=755 server /app/server\n{run}\n"
    if "adduser" in run:
        text = f"FROM alpine:3.20\nCOPY --chmod=755 server /app/server\n{run}\n"
    view = open_recipe(tmp_path, text, files={"server": "x"})
    info = stat(view, "/app/server")
    assert (info.presence == "unknown") is unknown, info


@pytest.mark.parametrize(("run", "package_json", "unknown"), [
    # what these write in their directory is known: what the COPY put there stays
    ("RUN apk add --no-cache curl && adduser -D app", "{}", []),
    ("RUN pip install --no-cache-dir -r requirements.txt", "{}", ["/app/build/lib/x.py", "/app/x.egg-info/PKG"]),
    ("RUN python -m compileall -q sub", "{}", ["/app/sub/x", "/app/sub/node_modules/y"]),
    ("RUN npm ci --omit=dev", '{"scripts": {"start": "node server.js"}}', ["/app/node_modules/x",
                                                                         "/app/sub/node_modules/y"]),
    ("RUN npm ci", '{"scripts": {"test": "jest"}}', ["/app/node_modules/x", "/app/sub/node_modules/y"]),
    ("RUN go build -o /out/server ./cmd/server", "{}", ["/app/build/lib/x.py"]),   # the word "build" names it
    # what they write is not known: anything in their directory may have changed
    ("RUN npm ci", '{"scripts": {"postinstall": "node fetch.js"}}', ["/app/server.js", "/app/node_modules/x"]),
    ("RUN npm install", "not json", ["/app/server.js"]),
    ("RUN pip install -r requirements.txt", "{}", ["/app/server.js"]),   # with the venv in /app (ENV below)
    ("RUN make", "{}", ["/app/server.js"]),
    ("RUN pip install --target . flask", "{}", ["/app/server.js"]),   # pip writes where --target says
    ("RUN pip install -e git+https://example.org/x.git#egg=x", "{}", ["/app/server.js"]),  # cloned into ./src
    ("RUN apk fetch curl", "{}", ["/app/server.js"]),
    ("RUN cd sub && make", "{}", ["/app/server.js", "/app/sub/x", "/app/sub/node_modules/y"]),
])
def test_what_a_run_writes_where_it_runs(tmp_path: Path, run: str, package_json: str, unknown: list[str]) -> None:
    env = "ENV PATH=/app/.venv/bin:$PATH\n" if "venv" in run or run == "RUN pip install -r requirements.txt" \
        else ""
    text = f"FROM node:20\nWORKDIR /app\n{env}COPY . .\n{run}\n"
    view = open_recipe(tmp_path, text, files={"server.js": "x", "package.json": package_json,
                                              "requirements.txt": "flask\n", "sub/package.json": "{}"})
    for path in ("/app/server.js", "/app/package.json", "/app/node_modules/x", "/app/build/lib/x.py",
                 "/app/x.egg-info/PKG", "/app/sub/x", "/app/sub/node_modules/y"):
        info = stat(view, path)
        # /app/server.js unknown: the whole directory is
        expected = "unknown" if path in unknown or "/app/server.js" in unknown else (
            "present" if path in ("/app/server.js", "/app/package.json") else "absent")
        assert info.presence == expected, (path, info.presence, info.grounds)


@pytest.mark.parametrize(("run", "unknown"), [
    ('RUN <<EOF\n#!/usr/bin/env python3\nimport os\nos.remove(os.environ["TARGET"])\nEOF\n', True),
    ('RUN python3 <<EOF\nimport os\nos.remove(os.environ["TARGET"])\nEOF\n', True),
    ("RUN node -e 'require(\"fs\").rmSync(process.env.TARGET)'\n", True),
    # a shell heredoc, with or without a #!/bin/sh line, is read as shell words: it names nothing here
    ("RUN <<EOF\n#!/bin/sh\nset -e\necho ready\nEOF\n", False),
    ("RUN <<EOF\napk add --no-cache curl\nEOF\n", False),
])
def test_a_program_in_another_language_than_the_shell_may_change_anything(tmp_path: Path, run: str,
                                                                          unknown: bool) -> None:
    text = f"FROM alpine:3.20\nENV TARGET=/srv/app/server\nCOPY --chmod=755 server /srv/app/server\n{run}"
    view = open_recipe(tmp_path, text, files={"server": "x"})
    info = stat(view, "/srv/app/server")
    assert (info.presence == "unknown") is unknown, info
    if unknown:
        assert "program" in grounds(info) and "which may change anything" in grounds(info)


PYPROJECT = '[project]\nname = "x"\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'


@pytest.mark.parametrize(("run", "files", "known"), [
    # a project whose build runs none of its own code: pip reads it, and writes build/ and *.egg-info there
    ("RUN pip install --no-cache-dir .", {"pyproject.toml": PYPROJECT}, True),
    ("RUN uv sync --frozen --no-dev", {"pyproject.toml": PYPROJECT}, True),
    ("RUN uv sync --frozen --no-install-project", {}, True),
    # its own code runs at build time: a setup.py, an in-tree backend, or a pyproject the recipe does not show
    ("RUN pip install --no-cache-dir .", {"pyproject.toml": PYPROJECT, "setup.py": "import setuptools"}, False),
    ("RUN pip install -e .", {"pyproject.toml": PYPROJECT + 'backend-path = ["."]\n'}, False),
    ("RUN pip install .", {}, False),
    ("RUN uv sync --frozen", {"pyproject.toml": PYPROJECT, "hatch_build.py": "x"}, False),
])
def test_a_python_project_build_writes_what_is_known(tmp_path: Path, run: str, files: dict[str, str],
                                                     known: bool) -> None:
    text = f"FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n{run}\n"
    view = open_recipe(tmp_path, text, files={"server.py": "x", **files})
    assert (stat(view, "/app/server.py").presence == "present") is known
    assert stat(view, "/app/x.egg-info/PKG-INFO").presence == "unknown"
    assert stat(view, "/app/other.py").presence == ("absent" if known else "unknown")


def test_executable_is_known_only_from_a_mode(tmp_path: Path) -> None:
    text = """\
FROM debian:12 AS build
RUN make tool && cp tool /out/tool
FROM debian:12
COPY --from=build /out/tool /app/tool
COPY --chmod=+x plain /app/plain
COPY plain /app/data
"""
    view = open_recipe(tmp_path, text, files={"plain": "x"})
    tool = stat(view, "/app/tool")
    # Built by a RUN that is no Go build: a file (presumed), its mode unknown.
    assert tool.presence == "present" and tool.mode is None and not tool.executable_is_known
    assert "executable" not in tool.presumed
    plain = stat(view, "/app/plain")
    assert plain.mode == 0o755 and plain.executable           # --chmod=+x applied to the context's 0644
    assert stat(view, "/app/data").mode == 0o644


DOCKERIGNORE_CONTEXT = {
    "README.md": "# app\n", "CHANGELOG.md": "changes\n", "secret.env": "TOKEN=x\n", "app.py": "print(1)\n",
    "node_modules/left/index.js": "x", "docs/keep.md": "keep\n", "docs/drop.md": "drop\n",
    "pkg/__pycache__/a.pyc": "x", "pkg/mod.py": "x",
    ".dockerignore": "# comments and blank lines are skipped\n\n*.md\n!README.md\nsecret.env\nnode_modules\n"
                     "docs\n!docs/keep.md\n**/__pycache__\n.dockerignore\n",
}


def test_dockerignore_rules_decide_what_copy_dot_ships(tmp_path: Path) -> None:
    view = open_recipe(tmp_path, "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n", files=DOCKERIGNORE_CONTEXT)
    present = ["/app/README.md", "/app/app.py", "/app/docs/keep.md", "/app/pkg/mod.py", "/app/Dockerfile"]
    absent = ["/app/CHANGELOG.md", "/app/secret.env", "/app/node_modules", "/app/docs/drop.md",
              "/app/pkg/__pycache__", "/app/.dockerignore"]
    for p in present:
        assert stat(view, p).presence == "present", p
    for p in absent:
        info = stat(view, p)
        assert info.presence == "absent", (p, info)
    assert ".dockerignore keeps secret.env out of the build context" in grounds(stat(view, "/app/secret.env"))
    # An excluded directory is sent only for what an exception re-includes.
    assert view.list_directory("/app/docs") == ["keep.md"]


def test_a_dockerfile_specific_ignore_file_wins(tmp_path: Path) -> None:
    files = dict(DOCKERIGNORE_CONTEXT, **{"build/app.Dockerfile.dockerignore": "*\n!app.py\n"})
    view = open_recipe(tmp_path, "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n",
                       ref="dockerfile:build/app.Dockerfile", name="build/app.Dockerfile", files=files, context=".")
    assert stat(view, "/app/app.py").presence == "present"
    assert stat(view, "/app/README.md").presence == "absent"


@pytest.mark.parametrize(("patterns", "path", "excluded"), [
    (["*.md"], "README.md", True),
    (["*.md"], "docs/a.md", False),                  # * stays within one directory
    (["**/*.md"], "docs/a.md", True),
    (["**/*.md"], "a.md", True),                     # ** matches no directory too
    (["docs"], "docs/deep/a.txt", True),             # a directory above it is matched
    (["/docs/"], "docs/a", True),                    # leading and trailing / cleaned
    (["*", "!src"], "src/a/b.go", False),            # an exception re-includes below
    (["*.md", "!README*.md", "README-secret.md"], "README-secret.md", True),   # the last match wins
    (["*.md", "README-secret.md", "!README*.md"], "README-secret.md", False),
    (["temp?"], "tempa", True),
    (["temp?"], "temp", False),
    (["**foo"], "barfoo", True),                     # moby's suffix match
    (["a/**"], "a/b/c", True),
    (["a/**"], "a", False),
    (["[a-c]*"], "bcd", True),
    (["[^a-c]*"], "bcd", False),
    (["\\*x"], "*x", True),
])
def test_dockerignore_matching_follows_moby(patterns: list[str], path: str, excluded: bool) -> None:
    from preflight.image.dockerignore import PatternMatcher, read_patterns

    matcher = PatternMatcher.of(read_patterns("\n".join(patterns)))
    parent: list[bool] | None = None
    result = False
    parts = path.split("/")
    for i in range(1, len(parts) + 1):
        result, parent = matcher.matches("/".join(parts[:i]), parent)
    assert result is excluded


def test_the_expansion_bomb_ends_quickly_with_a_one_line_error() -> None:
    import tracemalloc

    lines = ["ARG A0=" + "x" * 64]
    lines += [f"ARG A{i}=${{A{i - 1}}}${{A{i - 1}}}" for i in range(1, 40)]
    text = "\n".join(lines) + "\nFROM scratch\nCOPY a /${A39}\n"
    assert len(text) < 1500
    tracemalloc.start()
    try:
        with pytest.raises(ReaderError) as e:
            Recipe(text, "Dockerfile")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    message = str(e.value)
    assert "\n" not in message
    assert re.match(r"^Dockerfile:\d+: a variable expands to more than 1048576 characters", message), message
    assert peak < 64 << 20


def test_many_large_arguments_hit_the_recipe_budget() -> None:
    lines = ["ARG BIG=" + "y" * 60_000] + [f"ARG C{i}=${{BIG}}${{BIG}}${{BIG}}" for i in range(200)]
    with pytest.raises(ReaderError, match=r"^Dockerfile:\d+: variables expand to more than \d+ characters in all"):
        Recipe("\n".join(lines) + "\nFROM scratch\n", "Dockerfile")


def test_build_args_and_arg_dependent_from(tmp_path: Path) -> None:
    text = """\
ARG VARIANT
FROM ${VARIANT:-scratch} AS base
ARG VERSION
COPY tool-${VERSION} /bin/tool
"""
    files = {"tool-1.2": ("exec", "x")}
    view = open_recipe(tmp_path, text, files=files, build_args={"VERSION": "1.2"})
    tool = stat(view, "/bin/tool")
    assert (tool.presence, tool.mode) == ("present", 0o755)
    # FROM scratch: nothing else is there, certainly.
    assert stat(view, "/bin/sh").presence == "absent" and not stat(view, "/bin/sh").presumed
    view = open_recipe(tmp_path, text, files=files, build_args={"VERSION": "1.2", "VARIANT": "alpine:3.20"})
    assert stat(view, "/bin/sh").presence == "unknown"


def test_arg_scoping_and_expansion(tmp_path: Path) -> None:
    view = open_recipe(tmp_path, """\
ARG DIR=/opt/global
ARG NAME=tool
FROM scratch
ARG NAME
ARG LOCAL=${NAME}-local
ENV A=1
ENV A=2 B=${A}
COPY a ${DIR:-/fallback}/${NAME}
COPY a /x/${LOCAL}
COPY a /y/${A}-${B}
COPY ["a", "/quoted dir/${NAME}"]
COPY a '/single/${NAME}'
COPY a /esc/\\$NAME
ARG VER=v1.2.3
COPY a /trim/${VER#v}/${VER%.*}
""", files={"a": "x"})
    assert stat(view, "/fallback/tool").presence == "present"
    assert stat(view, "/x/tool-local").presence == "present"
    assert stat(view, "/y/2-1").presence == "present"
    assert stat(view, "/quoted dir/tool").presence == "present"
    assert stat(view, "/single/${NAME}").presence == "present"
    assert stat(view, "/esc/$NAME").presence == "present"
    assert stat(view, "/trim/1.2.3/v1.2").presence == "present"
    assert [c for c in view.caveats if c.startswith("$")] == [
        "$DIR is not set by the recipe (an ARG without a default or not declared in its stage, or an ENV of a "
        "base image that is not read): expanded to an empty string (line 8)"]


def test_platform_args(tmp_path: Path) -> None:
    text = "FROM scratch\nARG TARGETARCH\nARG TARGETVARIANT\nCOPY x /bin/tool-${TARGETARCH}${TARGETVARIANT}\n"
    view = open_recipe(tmp_path, text, platform="linux/arm64/v8", files={"x": "x"})
    assert stat(view, "/bin/tool-arm64v8").presence == "present"
    assert view.platform == "linux/arm64/v8"


def test_copy_flags_and_forms(tmp_path: Path) -> None:
    files = {"one": "1", "two": "2", "bin/a.sh": ("exec", "a"), "bin/b.sh": "b", "bin/readme.txt": "r",
             "src/x/keep.go": "k", "src/x/skip_test.go": "t", "src/y/keep.go": "k", "conf/app.toml": "c"}
    view = open_recipe(tmp_path, """\
FROM scratch
COPY one two /multi/
COPY bin/*.sh /scripts/
COPY --link --exclude=**/*_test.go src/ /code/
COPY --parents src/x/keep.go src/./y/keep.go /tree/
COPY ["conf", "/etc/app/"]
WORKDIR /work
COPY one relative/
COPY --chown=10:20 --chmod=640 two .
""", files=files)
    assert [stat(view, f"/multi/{n}").presence for n in ("one", "two", "three")] == ["present", "present",
                                                                                      "absent"]
    assert stat(view, "/scripts/a.sh").mode == 0o755 and stat(view, "/scripts/b.sh").presence == "present"
    assert stat(view, "/scripts/readme.txt").presence == "absent"
    assert stat(view, "/code/x/keep.go").presence == "present"
    assert stat(view, "/code/x/skip_test.go").presence == "absent"
    assert stat(view, "/tree/src/x/keep.go").presence == "present"
    assert stat(view, "/tree/y/keep.go").presence == "present"            # the /./ pivot
    assert stat(view, "/etc/app/app.toml").presence == "present"          # JSON form, directory contents
    assert stat(view, "/work/relative/one").presence == "present"         # relative to WORKDIR
    two = stat(view, "/work/two")
    assert (two.mode, two.uid, two.gid) == (0o640, 10, 20)
    assert stat(view, "/usr/bin/env").presence == "absent"                # FROM scratch


def test_copy_with_several_sources_needs_a_directory(tmp_path: Path) -> None:
    with pytest.raises(ReaderError, match=r"^Dockerfile:2: COPY with more than one source needs a destination"):
        open_recipe(tmp_path, "FROM scratch\nCOPY a b /dest\n", files={"a": "1", "b": "2"})


def test_add_of_a_local_archive_ships_its_members(tmp_path: Path) -> None:
    import io
    import tarfile

    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, data, mode in (("bin/tool", b"#!/bin/sh\n", 0o755), ("share/doc.txt", b"doc", 0o644)):
            ti = tarfile.TarInfo(name)
            ti.size, ti.mode = len(data), mode
            tar.addfile(ti, io.BytesIO(data))
    (tmp_path / "tools.tar.gz").write_bytes(buf.getvalue())
    view = open_recipe(tmp_path, "FROM alpine:3.20\nADD tools.tar.gz /tools/\nADD plain.txt /tools/\n",
                       files={"plain.txt": "p"})
    tool = stat(view, "/tools/bin/tool")
    assert (tool.presence, tool.type, tool.mode) == ("present", "file", 0o755)
    assert stat(view, "/tools/share/doc.txt").size == 3
    assert stat(view, "/tools/plain.txt").presence == "present"          # not an archive: copied as it is
    assert stat(view, "/tools/bin/other").presence == "absent"
    assert stat(view, "/tools/tools.tar.gz").presence == "absent"        # unpacked, not copied


def test_add_of_a_url_is_unknown(tmp_path: Path) -> None:
    view = open_recipe(tmp_path, """\
FROM alpine:3.20
ADD https://example.com/dl/tool-1.0.tgz /downloads/
ADD https://example.com/dl/file /named/file
ADD https://github.com/example/repo.git#v1.0 /src/repo
""")
    assert stat(view, "/downloads/tool-1.0.tgz").presence == "unknown"
    named = stat(view, "/named/file")
    assert (named.presence, named.type, named.mode) == ("present", "file", 0o600)
    with pytest.raises(ReaderError, match="downloads https://example.com/dl/file at build time"):
        view.read_file("/named/file")
    assert stat(view, "/src/repo/README.md").presence == "unknown"


def test_onbuild_triggers_run_in_the_stage_built_from_it(tmp_path: Path) -> None:
    text = """\
FROM alpine:3.20 AS base
WORKDIR /app
ONBUILD COPY --chmod=755 run.sh /app/run.sh
FROM base
COPY extra.txt extra.txt
"""
    view = open_recipe(tmp_path, text, files={"run.sh": "#!/bin/sh\n", "extra.txt": "e"})
    assert stat(view, "/app/run.sh").mode == 0o755
    assert stat(view, "/app/extra.txt").presence == "present"
    assert open_recipe(tmp_path, text, ref="dockerfile:Dockerfile:base").stat(["/app/run.sh"])[0].presence \
        == "absent"


def test_heredoc_forms(tmp_path: Path) -> None:
    view = open_recipe(tmp_path, """\
FROM scratch
ARG WHO=world
COPY <<EOF <<"RAW" /etc/
hello ${WHO}
EOF
raw ${WHO}
RAW
COPY <<-TABS /etc/tabs
\tindented
\tTABS
""")
    assert view.read_file("/etc/EOF") == b"hello world\n"
    assert view.read_file("/etc/RAW") == b"raw ${WHO}\n"
    assert view.read_file("/etc/tabs") == b"indented\n"


def test_run_heredocs_name_what_they_touch(tmp_path: Path) -> None:
    view = open_recipe(tmp_path, """\
FROM alpine:3.20
COPY --chmod=755 server /app/server
RUN <<SH
set -e
rm -f /app/server
SH
""", files={"server": "x"})
    assert stat(view, "/app/server").presence == "unknown"


def test_line_continuations_and_escape_directive(tmp_path: Path) -> None:
    view = open_recipe(tmp_path, """\
# escape=`
FROM scratch
COPY --chmod=755 `
    a `
    # comment in the middle
    b `
    /bin/
ENV DIR=/opt/`$literal
COPY c ${DIR}
""", files={"a": "a", "b": "b", "c": "c"})
    assert stat(view, "/bin").type == "directory" and stat(view, "/bin/a").mode == 0o755
    assert stat(view, "/opt/$literal").presence == "present"


def test_base_images_are_read_when_mapped(tmp_path: Path) -> None:
    from preflight.image.build import File, ImageSpec, Symlink
    from tests.image_fixtures import docker_archive

    docker_archive(tmp_path, [{"/bin/busybox": File(b"\x7fELF", mode=0o755), "/bin/sh": Symlink("/bin/busybox"),
                               "/usr/bin/psql": File(b"\x7fELF", mode=0o755), "/etc/os-release": "ID=alpine\n"}],
                   ImageSpec(env=["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                                  "LANG=C.UTF-8"]), name="alpine.tar", tag="alpine:3.21")
    text = """\
FROM alpine:3.21
WORKDIR /app
COPY --chmod=755 start /app/start
ENTRYPOINT ["/app/start"]
"""
    view = open_recipe(tmp_path, text, files={"start": "#!/bin/sh\nexec true\n"},
                       base_images={"alpine:3.21": "docker-archive:alpine.tar"})
    psql = stat(view, "/usr/bin/psql")
    assert (psql.presence, psql.mode, psql.presumed) == ("present", 0o755, ())
    assert "the base image alpine:3.21 (docker-archive:alpine.tar)" in grounds(psql)
    perl = stat(view, "/usr/bin/perl")
    assert perl.presence == "absent" and not perl.presumed
    assert perl.problem == "neither the recipe nor the base image alpine:3.21 ships it"
    assert stat(view, "/app/other").presence == "absent" and not stat(view, "/app/other").presumed
    sh = stat(view, "/bin/sh")
    assert sh.presence == "present" and sh.resolved == "/bin/busybox"
    assert view.read_file("/etc/os-release") == b"ID=alpine\n"
    assert view.read_file("/app/start").startswith(b"#!/bin/sh")
    assert view.config is not None and "LANG=C.UTF-8" in view.config.env and view.config.unknown == ()
    # The name the recipe writes is matched like a registry reference.
    view = open_recipe(tmp_path, "FROM docker.io/library/alpine:3.21\n",
                       base_images={"alpine:3.21": "docker-archive:alpine.tar"})
    assert stat(view, "/usr/bin/psql").presence == "present"


def test_a_base_image_ref_that_cannot_be_read_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ReaderError, match=r"^base_images: alpine:3.21: image ref 'docker-archive:nope.tar'"):
        open_recipe(tmp_path, "FROM alpine:3.21\n", base_images={"alpine:3.21": "docker-archive:nope.tar"})


def test_read_file_says_why_a_run_output_cannot_be_read(tmp_path: Path) -> None:
    view = open_recipe(tmp_path, APP, files=APP_CONTEXT)
    with pytest.raises(ReaderError, match=r"/app/server cannot be read from the recipe: .*RUN at Dockerfile:9"):
        view.read_file("/app/server")


def test_output_is_deterministic(tmp_path: Path) -> None:
    a = open_recipe(tmp_path, APP, files=APP_CONTEXT)
    b = open_recipe(tmp_path, APP)
    paths = ["/app/server", "/app/nope", "/app/migrations/001_init.up.sql", "/usr/bin/psql"]
    assert [i.to_details() for i in a.stat(paths)] == [i.to_details() for i in b.stat(paths)]
    assert a.caveats == b.caveats
    assert not any(str(tmp_path) in str(i.to_details()) for i in a.stat(paths))


# -- end to end: the checks through the CLI ---------------------------------------------------------------------

CHECKS = """\
[targets.image]
ref = "dockerfile:Dockerfile"

[[check]]
id = "backfill-binary"
uses = "image.files"
paths = {paths}
executable = true
{extra}
"""


def test_open_image_dispatches_dockerfile_refs(tmp_path: Path) -> None:
    from preflight.image import open_image

    (tmp_path / "Dockerfile").write_text(APP)
    write_tree(tmp_path, APP_CONTEXT)
    target = ImageTarget(ref="dockerfile:Dockerfile")
    target.base_dir = tmp_path
    view = open_image(target).single()
    assert isinstance(view, DockerfileView) and view.stat(["/app/server"])[0].mode == 0o755


def run_checks(cli: Any, tmp_path: Path, recipe: str, paths: str, files: dict[str, Any] | None = None,
               extra: str = "", fmt: str = "json") -> Any:
    from tests.helpers import validate_report, write_config

    (tmp_path / "Dockerfile").write_text(recipe)
    write_tree(tmp_path, files or {})
    write_config(tmp_path, CHECKS.format(paths=paths, extra=extra))
    out = cli("run", "--format", fmt)
    if fmt == "json":
        validate_report(out.json)
    return out


def test_cli_a_presumed_pass_says_so_in_the_text_report(cli: Any, tmp_path: Path) -> None:
    out = run_checks(cli, tmp_path, GO_RUNTIME, '["/app/server"]', {"go.mod": "m", "cmd/server/main.go": "p"},
                     fmt="text")
    assert out.exit_code == 0, out.stdout + out.stderr
    lines = out.stdout.splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith("PASS") and "backfill-binary" in line)
    assert "on presumptions" in lines[head]
    below = "\n".join(lines[head + 1:head + 3])
    assert "warning: /app/server: passes on a presumption (present, file, executable)" in below
    assert "presumed a file: built by RUN at line 4" in below
    assert "presumed executable: a Go program built by RUN at line 4" in below


def test_cli_the_common_runtime_form_blocks_on_the_missing_binary(cli: Any, tmp_path: Path) -> None:
    out = run_checks(cli, tmp_path, COMMON_RUNTIME, '["/app/backfill_task_usage_hourly"]',
                     {"app/server": ("exec", "#!/bin/sh\n")})
    assert out.exit_code == 1, out.stdout + out.stderr
    check = out.json["checks"][0]
    assert check["status"] == "fail"
    entry = check["details"]["paths"]["/app/backfill_task_usage_hourly"]
    assert (entry["presence"], entry["presumed"]) == ("absent", ["absent"])
    assert entry["grounds"][0].startswith("presumed absent: the recipe makes /app")
    # What /app holds, then the presumption: the grounds do not read as if they were about "server".
    assert check["summary"].startswith("/app/backfill_task_usage_hourly: the recipe does not ship it (presumed "
                                       "absent from the base image alpine:3.20, not read); /app has server; "
                                       "presumed absent: the recipe makes /app")


def test_cli_unknown_is_never_a_pass(cli: Any, tmp_path: Path) -> None:
    recipe = "FROM alpine:3.20\nCOPY ./docker/rootfs /\n"
    files = {"docker/rootfs/etc/app.conf": "x"}
    out = run_checks(cli, tmp_path, recipe, '["/definitely/not/in/this/image"]', files)
    assert out.exit_code == 3, out.stdout + out.stderr
    check = out.json["checks"][0]
    assert check["status"] == "error"
    assert check["summary"].startswith("could not decide: /definitely/not/in/this/image: the source cannot show "
                                       "that it ships: the base image alpine:3.20 is not read")
    entry = check["details"]["paths"]["/definitely/not/in/this/image"]
    assert entry["presence"] == "unknown" and entry["grounds"]
    # With on_unknown = "warn" it does not block; the text report prints the grounds.
    out = run_checks(cli, tmp_path, recipe, '["/definitely/not/in/this/image"]', files,
                     extra='on_unknown = "warn"', fmt="text")
    assert out.exit_code == 0, out.stdout
    assert "- warning: /definitely/not/in/this/image: the source cannot show that it ships: the base image " \
           "alpine:3.20 is not read" in out.stdout


def test_cli_executable_with_an_unknown_mode_errors(cli: Any, tmp_path: Path) -> None:
    recipe = "FROM debian:12 AS b\nRUN make && cp tool /out/tool\nFROM debian:12\nCOPY --from=b /out/tool /app/tool\n"
    out = run_checks(cli, tmp_path, recipe, '["/app/tool"]')
    assert out.exit_code == 3
    assert "whether it is executable is unknown" in out.json["checks"][0]["summary"]


def test_cli_errored_check_has_no_stray_details_line(cli: Any, tmp_path: Path) -> None:
    from tests.helpers import write_config

    write_config(tmp_path, '[targets.image]\nref = "dockerfile:nope/Dockerfile"\n\n[[check]]\nid = "f"\n'
                           'uses = "image.files"\npaths = ["/x"]\n')
    out = cli("run")
    assert out.exit_code == 3
    assert ": {}" not in out.stdout
    assert not any(line.strip() == ":" or line.strip().startswith(": ") for line in out.stdout.splitlines())


def test_cli_entrypoint_unknown_is_an_error(cli: Any, tmp_path: Path) -> None:
    from tests.helpers import write_config

    (tmp_path / "Dockerfile").write_text('FROM node:20\nWORKDIR /app\nCOPY server.js .\nCMD ["node", "server.js"]\n')
    write_tree(tmp_path, {"server.js": "x"})
    write_config(tmp_path, '[targets.image]\nref = "dockerfile:Dockerfile"\n\n[[check]]\nid = "e"\n'
                           'uses = "image.entrypoint"\n')
    out = cli("run", "--format", "json")
    assert out.exit_code == 3, out.stdout
    check = out.json["checks"][0]
    assert check["status"] == "error" and "Entrypoint" in check["summary"]


def test_unset_variables_in_paths_collapse_like_buildkit(tmp_path: Path) -> None:
    # "/$A/app" with A unset is "//app": the image path /app (found by the fuzz test, once an endless loop).
    view = open_recipe(tmp_path, "FROM scratch\nWORKDIR /$A/app\nCOPY app/ ./\n", files={"app/x": "x"})
    assert stat(view, "/app/x").presence == "present"
    assert stat(view, "/app").type == "directory" and stat(view, "//app//x").presence == "present"
