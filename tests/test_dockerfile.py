"""The static ``dockerfile:`` source: BuildKit's recipe grammar, variable expansion, and what the final stage ships.

The parser is checked instruction by instruction against BuildKit's own Go parser (the ``dockerfile`` package
wraps it) on recipes written to hit its corners; the semantics are checked through ``open_dockerfile`` on
recipes in a temporary directory.
"""

from __future__ import annotations

import random
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


# -- the source through open_dockerfile ------------------------------------------------------------------------


def open_recipe(tmp_path: Path, text: str, *, ref: str = "dockerfile:Dockerfile", name: str = "Dockerfile",
                platform: str | None = None) -> DockerfileView:
    (tmp_path / name).write_text(text)
    target = ImageTarget(ref=ref, platform=platform)
    target.base_dir = tmp_path
    image = open_dockerfile(target)
    assert isinstance(image, StaticImage) and image.ref == ref
    view = image.single()
    assert isinstance(view, DockerfileView)
    return view


def stat(view: DockerfileView, path: str) -> PathInfo:
    [info] = view.stat([path])
    return info


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


def test_final_stage_ships_what_copy_and_workdir_put_there(tmp_path: Path) -> None:
    view = open_recipe(tmp_path, APP)
    server = stat(view, "/app/server")
    assert server.exists and server.mode == 0o755 and server.origin == "Dockerfile:15 (COPY --from=build)"
    # /out/server of a stage built by RUN: a file or a directory, the recipe alone cannot say.
    assert server.type is None
    assert any("cannot tell which" in n for n in server.notes)
    migrate = stat(view, "/app/migrate")
    assert migrate.exists and migrate.mode is None and migrate.origin == "Dockerfile:16 (COPY --from=0)"
    assert any(n.startswith("mode unverified") for n in migrate.notes)
    version = stat(view, "/app/VERSION")
    assert (version.type, version.uid, version.gid, version.size) == ("file", 1000, 1000, 6)
    assert view.read_file("/app/VERSION") == b"1.4.0\n"
    app = stat(view, "/app")
    assert (app.exists, app.type, app.origin) == (True, "directory", "Dockerfile:14 (WORKDIR)")
    assert stat(view, "/").type == "directory"


def test_a_path_no_copy_ships_is_missing_with_what_the_directory_holds(tmp_path: Path) -> None:
    view = open_recipe(tmp_path, APP)
    info = stat(view, "/app/backfill_task_usage_hourly")
    assert not info.exists
    assert info.problem == ("no COPY, ADD or WORKDIR of the final stage ships it (RUN steps and the base image "
                            "are not evaluated)")
    assert (info.nearest, info.nearest_holds) == ("/app", ("VERSION", "migrate", "migrations", "server"))
    assert info.describe_missing().endswith("/app has VERSION, migrate, migrations, server")
    assert not stat(view, "/usr/bin/psql").exists
    # The build stage's paths are not the final stage's.
    assert not stat(view, "/src").exists and not stat(view, "/out/server").exists
    blocked = stat(view, "/app/VERSION/x")
    assert not blocked.exists and blocked.problem == "/app/VERSION is a file (Dockerfile:18 (COPY)), not a directory"


def test_paths_under_a_copied_directory_are_shipped_but_not_verified(tmp_path: Path) -> None:
    view = open_recipe(tmp_path, APP)
    info = stat(view, "/app/migrations/001_init.sql")
    assert info.exists and info.type is None and info.origin == "Dockerfile:17 (COPY)"
    assert info.notes[0] == ("contents not verified: /app/migrations is filled from the build context's "
                             "migrations/ by Dockerfile:17 (COPY); the recipe cannot tell whether it holds "
                             "001_init.sql")


def test_the_source_tree_is_never_evidence(tmp_path: Path) -> None:
    # The binary and its source sit in the build context; no COPY ships them, so the image does not have them.
    (tmp_path / "cmd" / "backfill").mkdir(parents=True)
    (tmp_path / "cmd" / "backfill" / "main.go").write_text("package main\n")
    (tmp_path / "backfill").write_bytes(b"\x7fELF")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "backfill").write_bytes(b"\x7fELF")
    view = open_recipe(tmp_path, APP)
    for path in ("/app/backfill", "/backfill", "/app/cmd/backfill/main.go"):
        assert not stat(view, path).exists, path
    # ...and a directory COPY does not become precise by looking at the context either.
    (tmp_path / "migrations").mkdir()
    (tmp_path / "migrations" / "001.sql").write_text("select 1;\n")
    assert stat(view, "/app/migrations/999_not_in_context.sql").type is None


def test_image_config_of_the_final_stage(tmp_path: Path) -> None:
    view = open_recipe(tmp_path, APP)
    config = view.config
    assert config is not None
    assert (config.entrypoint, config.cmd, config.user, config.working_dir) == (("/app/server",), ("serve",),
                                                                               "1000", "/app")
    # PATH starts as BuildKit's default (the base image's ENV is not evaluated).
    assert config.env == ("PATH=/app:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                          "APP_VERSION=1.4.0")
    assert config.origin == "Dockerfile:23"
    # The final stage runs nothing itself, but ships what the build stage's RUN made.
    assert any(c.startswith("RUN steps are not evaluated (lines 9)") for c in view.caveats)
    assert any("the base image debian:12-slim is not evaluated" in c for c in view.caveats)
    assert not any(c.startswith("$") for c in view.caveats)


def test_stage_selected_like_build_target(tmp_path: Path) -> None:
    view = open_recipe(tmp_path, APP, ref="dockerfile:Dockerfile:build")
    assert stat(view, "/src").exists and not stat(view, "/app").exists
    assert view.config is not None and view.config.entrypoint is None
    assert any("sets no ENTRYPOINT or CMD; those of golang:1.22 are not evaluated" in c for c in view.caveats)
    with pytest.raises(ReaderError, match=r"^Dockerfile: no stage named 'test' \(named stages: build, runtime\)$"):
        open_recipe(tmp_path, APP, ref="dockerfile:Dockerfile:test")


def test_missing_recipe_is_an_error(tmp_path: Path) -> None:
    target = ImageTarget(ref="dockerfile:deploy/Dockerfile")
    target.base_dir = tmp_path
    with pytest.raises(ReaderError, match=r"^deploy/Dockerfile: no such file$"):
        open_dockerfile(target)


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
COPY b /x/${LOCAL}
COPY c /y/${A}-${B}
COPY ["d", "/quoted dir/${NAME}"]
COPY e '/single/${NAME}'
COPY f /esc/\\$NAME
ARG VER=v1.2.3
COPY g /trim/${VER#v}/${VER%.*}
""")
    # DIR is a global ARG not redeclared in the stage: empty there, as docker build does.
    assert stat(view, "/fallback/tool").exists
    assert stat(view, "/x/tool-local").exists
    # Within one ENV, values see the variables as they were before it: B=${A} is the old A.
    assert stat(view, "/y/2-1").exists
    assert stat(view, "/quoted dir/tool").exists
    assert stat(view, "/single/${NAME}").exists
    assert stat(view, "/esc/$NAME").exists
    assert stat(view, "/trim/1.2.3/v1.2").exists
    # DIR was declared before FROM only, so the stage does not see it: said in the notes, with its line.
    assert [c for c in view.caveats if c.startswith("$")] == [
        "$DIR is not set by the recipe (an ARG without a default or not declared in its stage, or an ENV of a "
        "base image, which is not evaluated): expanded to an empty string (line 8)"]


def test_platform_args(tmp_path: Path) -> None:
    text = "FROM scratch\nARG TARGETARCH\nARG TARGETVARIANT\nCOPY x /bin/tool-${TARGETARCH}${TARGETVARIANT}\n"
    view = open_recipe(tmp_path, text, platform="linux/arm64/v8")
    assert stat(view, "/bin/tool-arm64v8").exists
    assert view.platform == "linux/arm64/v8"


def test_copy_shapes(tmp_path: Path) -> None:
    view = open_recipe(tmp_path, """\
FROM scratch
COPY one two /multi/
COPY bin/*.sh /scripts/
COPY . /ctx
COPY --from=busybox:1.36 /bin/busybox /bin/busybox
ADD https://example.com/dl/tool-1.0.tgz?sig=abc /downloads/
ADD https://example.com/dl/file /named/file
ADD vendor.tar.gz /vendor/
ADD https://github.com/example/repo.git#v1.0 /src/repo
WORKDIR /app
COPY single /app
""")
    multi = stat(view, "/multi")
    assert multi.type == "directory" and any(n.startswith("contents not verified") for n in multi.notes)
    # Each of several sources lands in the directory: as a file by its name, or its contents if a directory.
    assert stat(view, "/multi/one").type is None and stat(view, "/multi/anything").exists
    # A wildcard is taken to match files: names that cannot match are missing.
    assert stat(view, "/scripts/deploy.sh").exists
    assert not stat(view, "/scripts/deploy").exists
    assert stat(view, "/ctx/anything/below").exists
    external = stat(view, "/bin/busybox")
    assert external.exists and external.type is None
    assert any("--from=busybox:1.36 is an image whose contents are not evaluated" in c for c in view.caveats)
    assert stat(view, "/downloads/tool-1.0.tgz").type == "file"   # a URL is downloaded, not unpacked
    assert stat(view, "/named/file").type == "file"
    assert stat(view, "/vendor/lib/x.go").exists                  # a local archive ADD unpacks: not verified
    assert stat(view, "/src/repo/README.md").exists
    # /app was a directory (WORKDIR): a single source is copied into it.
    assert stat(view, "/app/single").exists and stat(view, "/app").type == "directory"
    # A recipe FROM scratch with no RUN says everything: missing paths are plainly missing.
    missing = stat(view, "/usr/bin/env")
    assert missing.problem == "no COPY, ADD or WORKDIR of the final stage ships it"
    assert not any("base image" in c for c in view.caveats) and not any(c.startswith("RUN") for c in view.caveats)


def test_chmod_forms(tmp_path: Path) -> None:
    view = open_recipe(tmp_path, """\
FROM scratch
COPY --chmod=0750 a /bin/a
COPY --chmod=u+x b /bin/b
COPY --chmod=644 bin/ /opt/bin/
""")
    assert stat(view, "/bin/a").mode == 0o750 and stat(view, "/bin/a").executable
    assert stat(view, "/bin/b").mode is None
    assert any("--chmod=u+x is symbolic" in c for c in view.caveats)
    under = stat(view, "/opt/bin/tool")
    assert under.exists and under.mode == 0o644 and not under.executable


def test_known_files_carry_across_stages(tmp_path: Path) -> None:
    view = open_recipe(tmp_path, """\
FROM scratch AS assets
COPY --chmod=700 <<EOF /conf/app.toml
port = 8080
EOF
FROM debian:12 AS final
COPY --from=assets /conf/app.toml /etc/app.toml
COPY --from=assets --chmod=644 /conf/app.toml /etc/copy/
""")
    info = stat(view, "/etc/app.toml")
    assert (info.type, info.mode) == ("file", 0o700)
    assert view.read_file("/etc/app.toml") == b"port = 8080\n"
    assert (stat(view, "/etc/copy/app.toml").type, stat(view, "/etc/copy/app.toml").mode) == ("file", 0o644)


def test_from_a_stage_inherits_its_files_and_config(tmp_path: Path) -> None:
    view = open_recipe(tmp_path, """\
FROM alpine:3.20 AS base
WORKDIR /srv
COPY --chmod=755 run.sh /srv/run.sh
ENTRYPOINT ["/srv/run.sh"]
CMD ["--help"]
RUN apk add --no-cache bash
FROM base AS final
COPY extra.txt extra.txt
""")
    assert stat(view, "/srv/run.sh").mode == 0o755
    assert stat(view, "/srv/extra.txt").exists
    assert view.config is not None and view.config.argv == ("/srv/run.sh", "--help")
    assert any("RUN steps are not evaluated (lines 6)" in c for c in view.caveats)
    assert any("the base image alpine:3.20 is not evaluated" in c for c in view.caveats)


def test_entrypoint_and_cmd_rules(tmp_path: Path) -> None:
    view = open_recipe(tmp_path, """\
FROM debian AS base
CMD ["inherited"]
FROM base
SHELL ["/bin/bash", "-c"]
ENTRYPOINT /app/server --port 80
""")
    config = view.config
    assert config is not None
    # Shell form runs through SHELL; an ENTRYPOINT resets the CMD inherited from the base stage.
    assert config.entrypoint == ("/bin/bash", "-c", "/app/server --port 80") and config.cmd is None
    view = open_recipe(tmp_path, "FROM debian\nCMD [\"kept\"]\nENTRYPOINT [\"/x\"]\n")
    assert view.config is not None and view.config.argv == ("/x", "kept")
    view = open_recipe(tmp_path, "FROM debian\nCMD echo hi\n")
    assert view.config is not None and view.config.cmd == ("/bin/sh", "-c", "echo hi")


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
RUN <<SH
echo not evaluated
SH
""")
    assert view.read_file("/etc/EOF") == b"hello world\n"
    assert view.read_file("/etc/RAW") == b"raw ${WHO}\n"
    assert view.read_file("/etc/tabs") == b"indented\n"
    assert any(c.startswith("RUN steps are not evaluated (lines 11)") for c in view.caveats)


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
""")
    assert stat(view, "/bin").type == "directory"
    assert stat(view, "/opt/$literal").exists


def test_file_contents_are_not_available(tmp_path: Path) -> None:
    view = open_recipe(tmp_path, APP)
    with pytest.raises(ReaderError, match="holds no file contents"):
        view.read_file("/app/server")
    with pytest.raises(ReaderError, match="holds no file contents"):
        view.read_directory("/app/migrations")
    assert view.list_directory("/app") == ["VERSION", "migrate", "migrations", "server"]
    with pytest.raises(ReaderError, match="no COPY, ADD or WORKDIR"):
        view.list_directory("/nope")


def test_output_is_deterministic(tmp_path: Path) -> None:
    a = open_recipe(tmp_path, APP)
    b = open_recipe(tmp_path, APP)
    paths = ["/app/server", "/app/nope", "/app/migrations/x.sql", "/usr/bin/psql"]
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

[[check]]
id = "entrypoint"
uses = "image.entrypoint"
"""


def test_open_image_dispatches_dockerfile_refs(tmp_path: Path) -> None:
    from preflight.image import open_image

    (tmp_path / "Dockerfile").write_text(APP)
    target = ImageTarget(ref="dockerfile:Dockerfile")
    target.base_dir = tmp_path
    view = open_image(target).single()
    assert isinstance(view, DockerfileView) and view.stat(["/app/server"])[0].mode == 0o755


def test_cli_image_checks_on_a_dockerfile(cli: Any, tmp_path: Path) -> None:
    from tests.helpers import validate_report, write_config

    (tmp_path / "Dockerfile").write_text(APP)
    write_config(tmp_path, CHECKS.format(paths='["/app/server", "/app/migrate"]'))
    out = cli("run", "--format", "json")
    assert out.exit_code == 0, out.stdout + out.stderr
    validate_report(out.json)
    files, entrypoint = out.json["checks"]
    assert files["status"] == "pass" and entrypoint["status"] == "pass"
    messages = [f["message"] for f in files["findings"]]
    # Said plainly in the result: what a recipe cannot tell.
    assert any(m.startswith("RUN steps are not evaluated") for m in messages)
    assert any("base image debian:12-slim is not evaluated" in m for m in messages)
    # --chmod=755 states /app/server's mode; /app/migrate's is not stated.
    assert "/app/migrate: executable not verified: the source does not state its mode" in messages
    assert not any(m.startswith("/app/server: executable not verified") for m in messages)
    assert files["details"]["paths"]["/app/server"]["mode"] == "0755"
    assert files["details"]["paths"]["/app/server"]["from"] == "Dockerfile:15 (COPY --from=build)"


def test_cli_missing_binary_in_a_dockerfile_fails(cli: Any, tmp_path: Path) -> None:
    from tests.helpers import write_config

    (tmp_path / "Dockerfile").write_text(APP)
    (tmp_path / "backfill_task_usage_hourly").write_bytes(b"\x7fELF")   # in the source tree: no evidence
    write_config(tmp_path, CHECKS.format(paths='["/app/backfill_task_usage_hourly", "/app/migrate"]'))
    out = cli("run", "--format", "json")
    assert out.exit_code == 1, out.stdout + out.stderr
    files = out.json["checks"][0]
    assert files["status"] == "fail"
    assert files["summary"].startswith("/app/backfill_task_usage_hourly: no COPY, ADD or WORKDIR of the final "
                                       "stage ships it")
    assert files["summary"].endswith("/app has VERSION, migrate, migrations, server")


def test_cli_entrypoint_not_shipped_by_the_recipe_fails(cli: Any, tmp_path: Path) -> None:
    from tests.helpers import write_config

    (tmp_path / "Dockerfile").write_text(
        "FROM debian:12\nCOPY --chmod=755 server /app/server\nENTRYPOINT [\"/app/serve\"]\n")
    write_config(tmp_path, CHECKS.format(paths='["/app/server"]'))
    out = cli("run", "--format", "json")
    files, entrypoint = out.json["checks"]
    assert files["status"] == "pass"
    assert entrypoint["status"] == "fail" and "/app/serve" in entrypoint["summary"]
