"""The static ``dockerfile:`` image source: what the final stage of a build recipe ships, before anything is built.

``ref = "dockerfile:Dockerfile"`` (or ``"dockerfile:PATH:STAGE"`` to stop at a named stage, like
``docker build --target``) reads the recipe and answers the image checks from it alone:

- A path is *shipped* when a ``COPY`` or ``ADD`` of the final stage (or of a stage it is built ``FROM``) puts
  it there, or a ``WORKDIR`` creates it; the directories above a shipped path exist too.
- A path *under* a directory that a ``COPY``/``ADD`` fills from a source the recipe does not describe (the
  build context, another stage's ``RUN`` output, an archive ``ADD`` unpacks) is reported as shipped with
  "contents not verified": the recipe ships that directory, but cannot say what is in it.
- Any other path is missing. ``RUN`` steps and the base image's contents are not evaluated, and the source
  tree is never read: a binary's source existing says nothing about the image.
- Modes are known only where ``--chmod`` sets them; otherwise ``mode`` is ``None`` and a note says so.
- ``ENTRYPOINT``, ``CMD``, ``ENV``, ``WORKDIR`` and ``USER`` of the final stage make the image config.

The recipe is split into instructions the way BuildKit's parser does it (escape directive, line continuations,
comments inside continuations, heredocs, JSON and shell forms, flags), and variables are expanded like its
shell lexer (``ARG`` defaults, ``ARG`` before ``FROM``, ``ENV``, ``${VAR:-default}`` and friends). Build
arguments are not passed in: an ``ARG`` without a default is unset, as in ``docker build`` without
``--build-arg``, and the result notes it.
"""

from __future__ import annotations

import fnmatch
import json
import platform as host_platform
import posixpath
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

from preflight.errors import ReaderError
from preflight.image.model import (
    DEFAULT_PATH,
    DIRECTORY,
    FILE,
    LISTING_LIMIT,
    ImageConfig,
    ImageView,
    PathInfo,
    StaticImage,
)

if TYPE_CHECKING:
    from preflight.targets import ImageTarget

MAX_DOCKERFILE_BYTES = 4 << 20


# ============================================================================================================
# Parsing: BuildKit's line-level grammar
# ============================================================================================================


@dataclass(frozen=True)
class Heredoc:
    name: str
    content: str
    chomp: bool = False          # <<- : leading tabs are stripped
    expand: bool = True          # an unquoted name: variables in the body are expanded


@dataclass(frozen=True)
class Instruction:
    """One instruction, shaped like BuildKit's parse tree node (and the ``dockerfile`` package's Command)."""

    cmd: str                      # upper-case keyword
    value: tuple[str, ...]
    flags: tuple[str, ...] = ()
    json: bool = False
    original: str = ""
    start_line: int = 0
    end_line: int = 0
    heredocs: tuple[Heredoc, ...] = ()
    sub_cmd: str | None = None    # ONBUILD's instruction


_WHITESPACE = re.compile(r"[\t\v\f\r ]+")
_DIRECTIVE = re.compile(r"^#[ \t]*([a-zA-Z][a-zA-Z0-9]*)[ \t]*=[ \t]*(.+?)[ \t]*$")
_HEREDOC_WORD = re.compile(r"^(\d*)<<(-?)([^<]*)$")
_HEREDOC_INSTRUCTIONS = ("ADD", "COPY", "RUN")


class DockerfileSyntaxError(ReaderError):
    pass


def parse_dockerfile(text: str, name: str = "Dockerfile") -> tuple[list[Instruction], str]:
    """The instructions of a recipe and its escape character. Errors name ``name:line``."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if lines:
        lines[0] = lines[0].removeprefix("\ufeff")
    escape = "\\"
    directives_done = False
    seen_directives: set[str] = set()
    out: list[Instruction] = []
    i = 0

    def strip_cr(s: str) -> str:
        return s[:-1] if s.endswith("\r") else s

    def continuation(s: str) -> tuple[str, bool]:
        # The escape character last on a line continues it, unless it is itself escaped (BuildKit's rule).
        e = re.escape(escape)
        m = re.search(rf"(^|[^{e}]){e}[ \t]*$", s)
        if m:
            return s[: m.start()] + m.group(1), False
        return s, True

    while i < len(lines):
        raw = strip_cr(lines[i])
        i += 1
        stripped = raw.lstrip(" \t\v\f\r")
        if not directives_done:
            m = _DIRECTIVE.match(stripped)
            if m and m.group(1).lower() in ("escape", "syntax", "check"):
                key = m.group(1).lower()
                if key in seen_directives:
                    raise DockerfileSyntaxError(f"{name}:{i}: only one {key} parser directive can be used")
                seen_directives.add(key)
                if key == "escape":
                    if m.group(2) not in ("\\", "`"):
                        raise DockerfileSyntaxError(f"{name}:{i}: invalid escape token {m.group(2)!r}: must be "
                                                    "` or \\")
                    escape = m.group(2)
                continue
            directives_done = True
        if stripped.startswith("#"):
            continue
        start = i
        line, ended = continuation(stripped)
        if ended and not line:
            continue
        while not ended and i < len(lines):
            nxt = strip_cr(lines[i])
            i += 1
            probe = nxt.lstrip(" \t\v\f\r")
            if probe.startswith("#") or not probe:
                continue
            more, ended = continuation(nxt)
            line += more
        if not line.strip():
            continue
        instruction = _node(line, escape, name, start, i)
        heredocs: list[Heredoc] = []
        original_parts = [line]
        if instruction.cmd in _HEREDOC_INSTRUCTIONS and not instruction.json and "<<" in line:
            for doc in _heredocs_in(line):
                body: list[str] = []
                terminated = False
                while i < len(lines):
                    text_line = lines[i]
                    i += 1
                    candidate = strip_cr(text_line)
                    if doc.chomp:
                        candidate = candidate.lstrip("\t")
                    if candidate == doc.name:
                        terminated = True
                        original_parts += body + [candidate]
                        break
                    body.append(text_line)
                if not terminated:
                    raise DockerfileSyntaxError(f"{name}:{start}: unterminated heredoc <<{doc.name}")
                heredocs.append(Heredoc(doc.name, "".join(b + "\n" for b in body), doc.chomp, doc.expand))
        original = "\n".join(original_parts) + "\n" if heredocs else line
        out.append(Instruction(instruction.cmd, instruction.value, instruction.flags, instruction.json, original,
                               start, i, tuple(heredocs), instruction.sub_cmd))
    if not out:
        raise DockerfileSyntaxError(f"{name}: file with no instructions")
    return out, escape


def _node(line: str, escape: str, name: str, start: int, end: int) -> Instruction:
    parts = _WHITESPACE.split(line.strip(), maxsplit=1)
    keyword = parts[0].upper()
    flags: list[str] = []
    rest = ""
    if len(parts) == 2:
        rest, flags = _extract_flags(parts[1])
        rest = rest.strip()
    where = f"{name}:{start}"
    value: tuple[str, ...]
    is_json = False
    sub_cmd = None
    if keyword in ("RUN", "CMD", "ENTRYPOINT", "SHELL"):
        as_json = _parse_json(rest, where)
        if as_json is not None:
            value, is_json = as_json, True
        else:
            value = (rest,) if rest else ()
    elif keyword in ("COPY", "ADD", "VOLUME"):
        as_json = _parse_json(rest, where)
        if as_json is not None:
            value, is_json = as_json, True
        else:
            value = tuple(_WHITESPACE.split(rest)) if rest else ()
    elif keyword in ("FROM", "EXPOSE"):
        value = tuple(_WHITESPACE.split(rest)) if rest else ()
    elif keyword in ("ENV", "LABEL"):
        value = _name_values(rest, keyword, escape, where)
    elif keyword == "ARG":
        value = tuple(_words(rest, escape))
    elif keyword == "HEALTHCHECK":
        typ, _, cmd = rest.partition(" ")
        cmd = cmd.strip()
        if not typ:
            value = ()
        else:
            as_json = _parse_json(cmd, where)
            if as_json is not None:
                value, is_json = (typ, *as_json), True
            else:
                value = (typ, cmd) if cmd else (typ,)
    elif keyword == "ONBUILD":
        if not rest:
            return Instruction("ONBUILD", (), tuple(flags), False, line, start, end)
        sub = _node(rest, escape, name, start, end)
        # A nested ONBUILD (which BuildKit refuses later) has no value of its own in BuildKit's tree.
        value = ("",) if sub.cmd == "ONBUILD" else sub.value
        return Instruction("ONBUILD", value, tuple(flags), sub.json, line, start, end, (), sub.cmd)
    elif keyword in ("WORKDIR", "USER", "MAINTAINER", "STOPSIGNAL"):
        value = (rest,) if rest else ()
    else:
        value = ("",)       # an unknown instruction: kept for its line, refused when the recipe is evaluated
    return Instruction(keyword, value, tuple(flags), is_json, line, start, end, (), sub_cmd)


def _extract_flags(line: str) -> tuple[str, list[str]]:
    """Leading ``--name[=value]`` words (quotes removed), as BuildKit's extractBuilderFlags; ``--`` ends them."""
    words: list[str] = []
    word = ""
    phase = "spaces"
    quote = ""
    blank_ok = False
    pos = 0
    n = len(line)
    while pos <= n:
        ch = line[pos] if pos < n else ""
        if phase == "spaces":
            if pos == n:
                break
            if ch.isspace():
                pos += 1
                continue
            if ch != "-" or pos + 1 == n or line[pos + 1] != "-":
                return line[pos:], words
            phase = "word"
        if phase in ("word", "quote") and pos == n:
            if word != "--" and (blank_ok or word):
                words.append(word)
            break
        if phase == "word":
            if ch.isspace():
                phase = "spaces"
                if word == "--":
                    return line[pos:], words
                if blank_ok or word:
                    words.append(word)
                word, blank_ok = "", False
                pos += 1
                continue
            if ch in ("'", '"'):
                quote, blank_ok, phase = ch, True, "quote"
                pos += 1
                continue
            if ch == "\\":
                if pos + 1 == n:
                    pos += 1
                    continue
                pos += 1
                ch = line[pos]
            word += ch
            pos += 1
            continue
        # in a quote
        if ch == quote:
            phase = "word"
            pos += 1
            continue
        if ch == "\\":
            if pos + 1 == n:
                phase = "word"
                pos += 1
                continue
            pos += 1
            ch = line[pos]
        word += ch
        pos += 1
    return "", words


def _parse_json(rest: str, where: str) -> tuple[str, ...] | None:
    text = rest.lstrip()
    if not text.startswith("["):
        return None
    try:
        # Like Go's json.Decoder: the first JSON value counts, whatever follows it.
        value, _ = json.JSONDecoder().raw_decode(text)
    except ValueError:
        return None
    if not isinstance(value, list):
        return None
    if not all(isinstance(v, str) for v in value):
        raise DockerfileSyntaxError(f"{where}: JSON arrays in a Dockerfile must hold only strings")
    return tuple(value)


def _words(rest: str, escape: str) -> list[str]:
    """Quote-aware split, quotes and escapes kept (BuildKit's parseWords)."""
    words: list[str] = []
    word = ""
    phase = "spaces"
    quote = ""
    blank_ok = False
    pos = 0
    n = len(rest)
    while pos <= n:
        ch = rest[pos] if pos < n else ""
        if phase == "spaces":
            if pos == n:
                break
            if ch.isspace():
                pos += 1
                continue
            phase = "word"
        if phase in ("word", "quote") and pos == n:
            if blank_ok or word:
                words.append(word)
            break
        if phase == "word":
            if ch.isspace():
                phase = "spaces"
                if blank_ok or word:
                    words.append(word)
                word, blank_ok = "", False
                pos += 1
                continue
            if ch in ("'", '"'):
                quote, blank_ok, phase = ch, True, "quote"
            if ch == escape:
                if pos + 1 == n:
                    pos += 1
                    continue
                word += ch
                pos += 1
                ch = rest[pos]
            word += ch
            pos += 1
            continue
        if ch == quote:
            phase = "word"
        if ch == escape and quote != "'":
            if pos + 1 == n:
                phase = "word"
                pos += 1
                continue
            pos += 1
            word += ch
            ch = rest[pos]
        word += ch
        pos += 1
    return words


def _name_values(rest: str, keyword: str, escape: str, where: str) -> tuple[str, ...]:
    words = _words(rest, escape)
    if not words:
        return ()
    if "=" not in words[0]:
        parts = _WHITESPACE.split(rest, maxsplit=1)
        if len(parts) < 2:
            raise DockerfileSyntaxError(f"{where}: {keyword} must have two arguments")
        return parts[0], parts[1]
    out: list[str] = []
    for word in words:
        if "=" not in word:
            raise DockerfileSyntaxError(f"{where}: {keyword}: can't find = in {word!r}; must be name=value")
        key, _, val = word.partition("=")
        out += [key, val]
    return tuple(out)


def _heredocs_in(line: str) -> list[Heredoc]:
    docs = []
    for word in _raw_shell_words(line):
        m = _HEREDOC_WORD.match(word)
        if not m or not m.group(3):
            continue
        raw = m.group(3)
        unquoted = _unquote(raw)
        docs.append(Heredoc(unquoted, "", m.group(2) == "-", unquoted == raw))
    return docs


def _raw_shell_words(line: str) -> list[str]:
    """Words as a shell splits them, quotes and escapes kept (BuildKit's lexer with RawQuotes/RawEscapes)."""
    words, word, quote, started = [], "", "", False
    i = 0
    while i < len(line):
        ch = line[i]
        if quote:
            word += ch
            if ch == "\\" and quote == '"' and i + 1 < len(line):
                word += line[i + 1]
                i += 1
            elif ch == quote:
                quote = ""
        elif ch.isspace():
            if started:
                words.append(word)
            word, started = "", False
        else:
            started = True
            word += ch
            if ch in ("'", '"'):
                quote = ch
            elif ch == "\\" and i + 1 < len(line):
                word += line[i + 1]
                i += 1
        i += 1
    if started:
        words.append(word)
    return words


def _unquote(word: str) -> str:
    out, quote = "", ""
    i = 0
    while i < len(word):
        ch = word[i]
        if quote:
            if ch == quote:
                quote = ""
            elif ch == "\\" and quote == '"' and i + 1 < len(word) and word[i + 1] in '"\\$':
                out += word[i + 1]
                i += 1
            else:
                out += ch
        elif ch in ("'", '"'):
            quote = ch
        elif ch == "\\" and i + 1 < len(word):
            out += word[i + 1]
            i += 1
        else:
            out += ch
        i += 1
    return out


# ============================================================================================================
# Variable expansion: BuildKit's shell lexer (the subset recipes use)
# ============================================================================================================

_NAME_START = re.compile(r"[A-Za-z_]")
_NAME_CHAR = re.compile(r"[A-Za-z0-9_]")


class _Expander:
    """Expands ``$VAR``, ``${VAR}``, ``${VAR:-w}``, ``${VAR-w}``, ``${VAR:+w}``, ``${VAR+w}``, ``${VAR:?w}``,
    ``${VAR?w}``, ``${VAR#p}``, ``${VAR##p}``, ``${VAR%p}``, ``${VAR%%p}`` and removes quotes, with the
    recipe's escape character. Unset names are collected, for the notes."""

    def __init__(self, env: dict[str, str | None], escape: str, where: str):
        self.env = env
        self.escape = escape
        self.where = where
        self.unset: set[str] = set()
        self.s, self.i = "", 0

    def word(self, text: str) -> str:
        self.s, self.i = text, 0
        return self._until(None)

    def _peek(self) -> str:
        return self.s[self.i] if self.i < len(self.s) else ""

    def _until(self, stop: str | None) -> str:
        out: list[str] = []
        while self.i < len(self.s):
            ch = self.s[self.i]
            if stop is not None and ch == stop:
                return "".join(out)
            if ch == self.escape:
                self.i += 1
                if self.i < len(self.s):
                    out.append(self.s[self.i])
                    self.i += 1
                continue
            if ch == "'":
                end = self.s.find("'", self.i + 1)
                if end < 0:
                    raise ReaderError(f"{self.where}: unexpected end of statement while looking for matching '")
                out.append(self.s[self.i + 1:end])
                self.i = end + 1
                continue
            if ch == '"':
                self.i += 1
                out.append(self._double_quoted())
                continue
            if ch == "$":
                out.append(self._dollar())
                continue
            out.append(ch)
            self.i += 1
        if stop is not None:
            raise ReaderError(f"{self.where}: missing '{stop}' in variable substitution")
        return "".join(out)

    def _double_quoted(self) -> str:
        out: list[str] = []
        while self.i < len(self.s):
            ch = self.s[self.i]
            if ch == '"':
                self.i += 1
                return "".join(out)
            if ch == self.escape and self.i + 1 < len(self.s) and self.s[self.i + 1] in ('"', "$", self.escape):
                out.append(self.s[self.i + 1])
                self.i += 2
                continue
            if ch == "$":
                out.append(self._dollar())
                continue
            out.append(ch)
            self.i += 1
        raise ReaderError(f'{self.where}: unexpected end of statement while looking for matching "')

    def _dollar(self) -> str:
        self.i += 1  # the $
        ch = self._peek()
        if ch == "{":
            self.i += 1
            return self._braced()
        if ch and _NAME_START.match(ch):
            start = self.i
            while self.i < len(self.s) and _NAME_CHAR.match(self.s[self.i]):
                self.i += 1
            return self._value(self.s[start:self.i]) or ""
        return "$"

    def _braced(self) -> str:
        start = self.i
        while self.i < len(self.s) and _NAME_CHAR.match(self.s[self.i]):
            self.i += 1
        name = self.s[start:self.i]
        if not name:
            raise ReaderError(f"{self.where}: bad substitution ${{{self.s[start:start + 10]}")
        ch = self._peek()
        if ch == "}":
            self.i += 1
            return self._value(name) or ""
        value = self._value(name)
        if ch == ":" and self.i + 1 < len(self.s) and self.s[self.i + 1] in "-+?":
            op = self.s[self.i:self.i + 2]
            self.i += 2
        elif ch in "-+?":
            op = ch
            self.i += 1
        elif ch in "#%":
            op = ch
            self.i += 1
            if self._peek() == ch:
                op += ch
                self.i += 1
        else:
            raise ReaderError(f"{self.where}: unsupported modifier {ch!r} in ${{{name}...}}")
        word = self._until("}")
        self.i += 1  # the }
        is_set, non_empty = value is not None, bool(value)
        if op == ":-":
            return value if non_empty else word  # type: ignore[return-value]
        if op == "-":
            return value if is_set else word  # type: ignore[return-value]
        if op == ":+":
            return word if non_empty else ""
        if op == "+":
            return word if is_set else ""
        if op in (":?", "?"):
            if (op == ":?" and not non_empty) or (op == "?" and not is_set):
                raise ReaderError(f"{self.where}: {name}: {word or 'is not allowed to be unset'}")
            return value or ""
        return _trim(value or "", word, op)

    def _value(self, name: str) -> str | None:
        value = self.env.get(name)
        if value is None:
            self.unset.add(name)
        return value


def _trim(value: str, pattern: str, op: str) -> str:
    if op in ("#", "##"):
        ends = range(len(value) + 1) if op == "#" else range(len(value), -1, -1)
        for end in ends:
            if fnmatch.fnmatchcase(value[:end], pattern):
                return value[end:]
        return value
    starts = range(len(value), -1, -1) if op == "%" else range(len(value) + 1)
    for start in starts:
        if fnmatch.fnmatchcase(value[start:], pattern):
            return value[:start]
    return value


# ============================================================================================================
# Evaluation: what each stage ships
# ============================================================================================================


@dataclass(frozen=True)
class Shipment:
    """One thing a COPY, ADD or WORKDIR puts in the image."""

    path: str                       # absolute, normalised
    type: str | None                # FILE, DIRECTORY, or None: a file or a directory, depending on the source
    origin: str                     # "Dockerfile:14 (COPY)"
    instruction: str                # the instruction as written, for notes
    mode: int | None = None
    uid: int | None = None
    gid: int | None = None
    opaque: bool = False            # a directory filled from a source the recipe does not describe
    names: tuple[str, ...] | None = None   # for an opaque directory filled by a wildcard: the name patterns
    source: str = ""                # what fills it, for notes: "the build context's ./bin/", "stage build's /out"
    content: bytes | None = None    # a heredoc's body
    external: bool = False          # its type could be refined by a stage the recipe describes


class _Attrs(TypedDict):
    mode: int | None
    uid: int | None
    gid: int | None


@dataclass
class Stage:
    index: int
    name: str | None
    base: str                      # the FROM image as expanded ("scratch", "debian:12", or a stage name)
    line: int
    parent: Stage | None = None    # the stage it is built FROM
    shipments: list[Shipment] = field(default_factory=list)
    run_lines: list[int] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    env_order: list[str] = field(default_factory=list)
    workdir: str | None = None
    user: str = ""
    entrypoint: tuple[str, ...] | None = None
    entrypoint_line: int | None = None
    cmd: tuple[str, ...] | None = None
    cmd_line: int | None = None
    shell: tuple[str, ...] = ("/bin/sh", "-c")
    copies_from: list[Stage] = field(default_factory=list)

    @property
    def root_base(self) -> str:
        stage: Stage = self
        while stage.parent is not None:
            stage = stage.parent
        return stage.base

    def lineage(self) -> list[Stage]:
        out, stage = [], self
        while stage is not None:
            out.append(stage)
            stage = stage.parent  # type: ignore[assignment]
        return list(reversed(out))

    def all_shipments(self) -> list[Shipment]:
        return [s for stage in self.lineage() for s in stage.shipments]

    def sources(self) -> list[Stage]:
        """This stage, the stages it is built FROM and those it copies from, transitively, in recipe order."""
        seen: dict[int, Stage] = {}
        todo = [self]
        while todo:
            stage = todo.pop()
            if stage.index in seen:
                continue
            seen[stage.index] = stage
            todo += stage.lineage() + stage.copies_from
        return [seen[i] for i in sorted(seen)]


_ARCHIVE_SUFFIXES = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tbz", ".tar.xz", ".txz", ".tar.zst",
                     ".tzst", ".tar.lz", ".tar.lzma")
_GLOB = re.compile(r"[*?\[]")
_KNOWN_FLAGS = {
    "COPY": {"from", "chmod", "chown", "link", "parents", "exclude"},
    "ADD": {"chmod", "chown", "link", "checksum", "keep-git-dir", "exclude", "unpack"},
    "FROM": {"platform"},
    "RUN": {"mount", "network", "security", "device"},
    "HEALTHCHECK": {"interval", "timeout", "start-period", "start-interval", "retries"},
}
_PLATFORM_ARGS = ("TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT",
                  "BUILDPLATFORM", "BUILDOS", "BUILDARCH", "BUILDVARIANT")
_KNOWN_INSTRUCTIONS = {"ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK",
                       "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME",
                       "WORKDIR"}


def _platform_args(platform: str | None) -> dict[str, str | None]:
    machine = host_platform.machine().lower()
    host_arch, host_variant = {"x86_64": ("amd64", ""), "amd64": ("amd64", ""), "aarch64": ("arm64", ""),
                               "arm64": ("arm64", ""), "armv7l": ("arm", "v7"), "armv6l": ("arm", "v6"),
                               "ppc64le": ("ppc64le", ""), "s390x": ("s390x", ""),
                               "riscv64": ("riscv64", "")}.get(machine, (machine, ""))
    build = ["linux", host_arch] + ([host_variant] if host_variant else [])
    target = build
    if platform and platform != "all":
        target = platform.split("/")
    args: dict[str, str | None] = {}
    for prefix, parts in (("TARGET", target), ("BUILD", build)):
        args[prefix + "PLATFORM"] = "/".join(parts)
        args[prefix + "OS"] = parts[0]
        args[prefix + "ARCH"] = parts[1] if len(parts) > 1 else ""
        args[prefix + "VARIANT"] = parts[2] if len(parts) > 2 else ""
    return args


def _parse_mode(text: str, where: str) -> tuple[int | None, str | None]:
    """``--chmod`` as octal, or symbolic (``+x``, ``u+x,g+x``): symbolic gives no mode, but says whether it
    adds an execute bit for everyone it names."""
    if re.fullmatch(r"[0-7]{3,4}", text):
        return int(text, 8), None
    if re.fullmatch(r"([ugoa]*[-+=][rwxXst]*)(,[ugoa]*[-+=][rwxXst]*)*", text):
        return None, text
    raise ReaderError(f"{where}: invalid --chmod={text!r}: expected an octal mode like 755 or a symbolic one")


def _parse_owner(text: str) -> tuple[int | None, int | None]:
    user, _, group = text.partition(":")
    uid = int(user) if user.isdigit() else None
    gid = int(group) if group.isdigit() else (uid if not group and uid is not None else None)
    return uid, gid


class Recipe:
    """A parsed and evaluated Dockerfile."""

    def __init__(self, text: str, display: str, *, platform: str | None = None,
                 build_args: dict[str, str] | None = None):
        self.display = display
        self.instructions, self.escape = parse_dockerfile(text, display)
        self.build_args = dict(build_args or {})
        self.stages: list[Stage] = []
        self.notes: list[str] = []
        self._unset: dict[str, set[int]] = {}
        self._platform_args = _platform_args(platform)
        self._evaluate()

    # -- helpers ---------------------------------------------------------------------------------------------

    def _where(self, ins: Instruction) -> str:
        return f"{self.display}:{ins.start_line}"

    def _expand(self, text: str, env: dict[str, str | None], ins: Instruction) -> str:
        ex = _Expander(env, self.escape, self._where(ins))
        out = ex.word(text)
        for name in ex.unset:
            self._unset.setdefault(name, set()).add(ins.start_line)
        return out

    def stage_by_name(self, name: str) -> Stage | None:
        low = name.lower()
        for stage in self.stages:
            if stage.name == low:
                return stage
        if name.isdigit() and int(name) < len(self.stages):
            return self.stages[int(name)]
        return None

    # -- the walk ------------------------------------------------------------------------------------------

    def _evaluate(self) -> None:
        global_args: dict[str, str | None] = dict(self._platform_args)
        stage: Stage | None = None
        stage_args: dict[str, str | None] = {}
        for ins in self.instructions:
            if ins.cmd not in _KNOWN_INSTRUCTIONS:
                raise ReaderError(f"{self._where(ins)}: unknown instruction: {ins.cmd}")
            known = _KNOWN_FLAGS.get(ins.cmd, set())
            for flag in ins.flags:
                key = flag[2:].split("=", 1)[0]
                if key not in known:
                    raise ReaderError(f"{self._where(ins)}: unknown flag for {ins.cmd}: --{key}")
            if ins.cmd == "ARG":
                target = global_args if stage is None else stage_args
                env_now = global_args if stage is None else self._env_for(stage, stage_args)
                for word in ins.value:
                    name, eq, default = word.partition("=")
                    if not name:
                        raise ReaderError(f"{self._where(ins)}: ARG requires a name")
                    if name in self.build_args:
                        target[name] = self.build_args[name]
                    elif eq:
                        target[name] = self._expand(default, env_now, ins)
                    elif stage is not None and name in global_args:
                        target[name] = global_args[name]
                    elif stage is not None and name in _PLATFORM_ARGS:
                        target[name] = self._platform_args[name]
                    else:
                        target.setdefault(name, None)
                continue
            if ins.cmd == "FROM":
                stage = self._from(ins, global_args)
                stage_args = {}
                continue
            if stage is None:
                raise ReaderError(f"{self._where(ins)}: {ins.cmd} before the first FROM (only ARG may come "
                                  "before it)")
            self._instruction(stage, ins, self._env_for(stage, stage_args))
        if not self.stages:
            raise ReaderError(f"{self.display}: no FROM instruction")

    def _env_for(self, stage: Stage, stage_args: dict[str, str | None]) -> dict[str, str | None]:
        env: dict[str, str | None] = dict(stage_args)
        for s in stage.lineage():
            env.update(s.env)
        return env

    def _from(self, ins: Instruction, global_args: dict[str, str | None]) -> Stage:
        words = list(ins.value)
        if len(words) not in (1, 3) or (len(words) == 3 and words[1].lower() != "as"):
            raise ReaderError(f"{self._where(ins)}: FROM takes an image and an optional 'AS name'")
        image = self._expand(words[0], global_args, ins)
        if not image:
            raise ReaderError(f"{self._where(ins)}: FROM names no image ({words[0]} expands to nothing)")
        name = words[2].lower() if len(words) == 3 else None
        if name is not None and (self.stage_by_name(name) is not None and not name.isdigit()):
            raise ReaderError(f"{self._where(ins)}: duplicate stage name {name!r}")
        parent = None
        if ":" not in image and "@" not in image and "/" not in image:
            parent = self.stage_by_name(image)
            if parent is not None and image.isdigit():
                parent = None     # `FROM 0` is an image called "0", not stage 0
        stage = Stage(index=len(self.stages), name=name, base=image.lower() if parent else image,
                      line=ins.start_line, parent=parent)
        if parent is None:
            # BuildKit gives every image a PATH (the default when the base sets none); a base image's own
            # PATH is not evaluated, and nearly every one sets exactly this.
            stage.env["PATH"] = DEFAULT_PATH
            stage.env_order.append("PATH")
        else:
            stage.shell = parent.shell
            stage.workdir = parent.workdir
            stage.user = parent.user
            stage.entrypoint, stage.entrypoint_line = parent.entrypoint, parent.entrypoint_line
            stage.cmd, stage.cmd_line = parent.cmd, parent.cmd_line
        self.stages.append(stage)
        return stage

    def _instruction(self, stage: Stage, ins: Instruction, env: dict[str, str | None]) -> None:
        cmd = ins.cmd
        if cmd == "RUN":
            stage.run_lines.append(ins.start_line)
        elif cmd == "ENV":
            if not ins.value:
                raise ReaderError(f"{self._where(ins)}: ENV requires at least one argument")
            pairs = list(ins.value)
            for key, raw in zip(pairs[0::2], pairs[1::2], strict=True):
                value = self._expand(raw, env, ins)
                # Every value of one ENV is expanded with the variables as they were before it.
                stage.env[key] = value
                if key in stage.env_order:
                    stage.env_order.remove(key)
                stage.env_order.append(key)
        elif cmd == "WORKDIR":
            if not ins.value:
                raise ReaderError(f"{self._where(ins)}: WORKDIR requires a path")
            path = self._expand(ins.value[0], env, ins)
            stage.workdir = posixpath.normpath(posixpath.join(stage.workdir or "/", path))
            stage.shipments.append(Shipment(stage.workdir, DIRECTORY, f"{self._where(ins)} (WORKDIR)",
                                            ins.original))
        elif cmd == "USER":
            stage.user = self._expand(ins.value[0], env, ins) if ins.value else ""
        elif cmd == "SHELL":
            if not ins.json or not ins.value:
                raise ReaderError(f"{self._where(ins)}: SHELL requires a JSON array")
            stage.shell = ins.value
        elif cmd in ("ENTRYPOINT", "CMD"):
            argv = ins.value if ins.json else ((*stage.shell, ins.value[0]) if ins.value else ())
            if cmd == "ENTRYPOINT":
                stage.entrypoint, stage.entrypoint_line = argv, ins.start_line
                # An ENTRYPOINT resets a CMD inherited from the base, not one this stage set.
                if stage.cmd_line is None or stage.cmd_line < stage.line:
                    stage.cmd, stage.cmd_line = None, None
            else:
                stage.cmd, stage.cmd_line = argv, ins.start_line
        elif cmd in ("COPY", "ADD"):
            self._copy(stage, ins, env)

    # -- COPY and ADD ----------------------------------------------------------------------------------------

    def _copy(self, stage: Stage, ins: Instruction, env: dict[str, str | None]) -> None:
        where = self._where(ins)
        flags: dict[str, str] = {}
        for flag in ins.flags:
            key, _, value = flag[2:].partition("=")
            if key != "exclude":
                flags[key] = self._expand(value, env, ins)
        words = [self._expand(w, env, ins) if not w.startswith("<<") else w for w in ins.value]
        if len(words) < 2:
            raise ReaderError(f"{where}: {ins.cmd} requires at least two arguments: source(s) and destination")
        *sources, dest = words
        if not dest:
            raise ReaderError(f"{where}: {ins.cmd} destination expands to nothing")
        mode, symbolic = _parse_mode(flags["chmod"], where) if flags.get("chmod") else (None, None)
        uid, gid = _parse_owner(flags["chown"]) if flags.get("chown") else (None, None)
        from_name = flags.get("from")
        from_stage = self.stage_by_name(from_name) if from_name else None
        if from_name and from_stage is None and from_name.isdigit():
            raise ReaderError(f"{where}: --from={from_name}: there is no stage {from_name} before this one")
        if from_stage is stage:
            raise ReaderError(f"{where}: --from={from_name} names the stage it is in")
        if from_stage is not None:
            stage.copies_from.append(from_stage)
        origin = f"{where} ({ins.cmd}{' --from=' + from_name if from_name else ''})"
        base_dir = stage.workdir or "/"
        if not posixpath.isabs(dest) and stage.workdir is None and stage.root_base != "scratch":
            self._note_once(f"{where}: the destination {dest!r} is relative and no WORKDIR precedes it: taken "
                            "relative to / (the base image's WORKDIR is not evaluated)")
        dest_abs = posixpath.normpath(posixpath.join(base_dir, dest))
        dest_is_dir = dest.endswith("/") or dest.endswith("/.") or dest in (".", "..") or len(sources) > 1
        heredocs = {h.name: h for h in ins.heredocs}
        if not dest_is_dir and self._is_directory(stage, dest_abs):
            # BuildKit copies a single source *into* a destination that already is a directory.
            dest_is_dir = True
        extra: _Attrs = {"mode": mode, "uid": uid, "gid": gid}
        if symbolic:
            self._note_once(f"{where}: --chmod={symbolic} is symbolic: the resulting modes depend on the "
                            "source's and are not known")
        if from_name and from_stage is None:
            self._note_once(f"{where}: --from={from_name} is an image whose contents are not evaluated")
        for src in sources:
            m = _HEREDOC_WORD.match(src)
            if m and _unquote(m.group(3)) in heredocs:
                doc = heredocs[_unquote(m.group(3))]
                target = posixpath.join(dest_abs, doc.name) if dest_is_dir else dest_abs
                body = doc.content
                if doc.chomp:
                    body = "".join(line.lstrip("\t") for line in body.splitlines(keepends=True))
                if doc.expand:
                    body = self._expand_heredoc(body, env, ins)
                self._ship(stage, Shipment(target, FILE, origin, ins.original, content=body.encode(), **extra))
                continue
            if not src:
                raise ReaderError(f"{where}: {ins.cmd} has an empty source")
            self._ship_source(stage, ins, src, from_name, from_stage, dest_abs, dest_is_dir, origin, extra)

    def _expand_heredoc(self, body: str, env: dict[str, str | None], ins: Instruction) -> str:
        # Heredoc bodies expand variables but keep quotes as they are (the lexer's RawQuotes).
        def repl(m: re.Match[str]) -> str:
            return self._expand(m.group(0), env, ins)

        return re.sub(r"\$(\{[^}]*\}|[A-Za-z_][A-Za-z0-9_]*)", repl, body)

    def _ship_source(self, stage: Stage, ins: Instruction, src: str, from_name: str | None,
                     from_stage: Stage | None, dest_abs: str, dest_is_dir: bool, origin: str,
                     extra: _Attrs) -> None:
        is_url = ins.cmd == "ADD" and re.match(r"^(https?|git)://|^git@", src) is not None
        is_git = is_url and (src.startswith(("git://", "git@")) or ".git" in src.split("?")[0].split("#")[0])
        if is_url and not is_git:
            # A downloaded file: named after the URL's last path component when the destination is a directory.
            name = posixpath.basename(src.split("?")[0].split("#")[0].rstrip("/")) if dest_is_dir else ""
            if dest_is_dir and not name:
                raise ReaderError(f"{self._where(ins)}: cannot infer a file name from {src!r}: give the "
                                  "destination a file name")
            target = posixpath.join(dest_abs, name) if dest_is_dir else dest_abs
            self._ship(stage, Shipment(target, FILE, origin, ins.original, source=src, **extra))
            return
        if is_git:
            self._ship(stage, Shipment(dest_abs, DIRECTORY, origin, ins.original, opaque=True,
                                       source=f"the Git repository {src}", **extra))
            return
        where_from = (f"stage {from_stage.name or from_stage.index}'s" if from_stage is not None
                      else f"image {from_name}'s" if from_name else "the build context's")
        source_desc = f"{where_from} {src}"
        clean = src.rstrip("/")
        trailing = src.endswith("/") or src.endswith("/.") or src in (".", "./")
        if from_name is None and (clean in ("", ".", "..") or clean.startswith("../")):
            trailing = True
        if ins.cmd == "ADD" and from_name is None and clean.lower().endswith(_ARCHIVE_SUFFIXES):
            # ADD unpacks a local archive into the destination (a directory); what it holds is not known.
            self._ship(stage, Shipment(dest_abs, None if not dest_is_dir else DIRECTORY, origin, ins.original,
                                       opaque=True, source=f"the archive {src}, which ADD unpacks", **extra))
            return
        if _GLOB.search(src):
            pattern = posixpath.basename(clean)
            self._ship(stage, Shipment(dest_abs, DIRECTORY, origin, ins.original, opaque=True,
                                       names=(pattern,), source=source_desc, **extra))
            return
        known = self._known_in_stage(from_stage, clean) if from_stage is not None else None
        if known is not None and known.type == FILE and not trailing:
            target = posixpath.join(dest_abs, posixpath.basename(clean)) if dest_is_dir else dest_abs
            mode = extra["mode"] if extra["mode"] is not None else known.mode
            self._ship(stage, Shipment(target, FILE, origin, ins.original, mode=mode, uid=extra["uid"],
                                       gid=extra["gid"], source=source_desc, content=known.content))
            return
        if trailing or (known is not None and known.type == DIRECTORY):
            self._ship(stage, Shipment(dest_abs, DIRECTORY, origin, ins.original, opaque=True,
                                       source=source_desc, **extra))
            return
        if dest_is_dir:
            # A file lands as dest/<name>; a directory's contents land in dest: either way dest is a directory
            # and dest/<name> may or may not be there.
            self._ship(stage, Shipment(dest_abs, DIRECTORY, origin, ins.original, opaque=True,
                                       source=source_desc, **extra))
            return
        self._ship(stage, Shipment(dest_abs, None, origin, ins.original, opaque=True, source=source_desc,
                                   **extra))

    def _known_in_stage(self, stage: Stage, path: str) -> Shipment | None:
        """What another stage's recipe says is at ``path``, when it says it exactly."""
        path = posixpath.normpath(posixpath.join(stage.workdir or "/", path))
        for s in reversed(stage.all_shipments()):
            if s.path == path and s.type is not None:
                return s
        return None

    def _is_directory(self, stage: Stage, path: str) -> bool:
        if path == "/":
            return True
        for s in stage.all_shipments():
            if s.path == path and s.type == DIRECTORY:
                return True
            if s.path.startswith(path.rstrip("/") + "/"):
                return True
        return False

    def _ship(self, stage: Stage, shipment: Shipment) -> None:
        stage.shipments.append(shipment)

    def _note_once(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    # -- the result -------------------------------------------------------------------------------------

    def final_stage(self, target: str | None = None) -> Stage:
        if target is None:
            return self.stages[-1]
        stage = self.stage_by_name(target)
        if stage is None:
            names = ", ".join(s.name for s in self.stages if s.name) or "none"
            raise ReaderError(f"{self.display}: no stage named {target!r} (named stages: {names})")
        return stage

    def unset_notes(self) -> list[str]:
        out = []
        for name, lines in sorted(self._unset.items()):
            where = ", ".join(str(n) for n in sorted(lines))
            out.append(f"${name} is not set by the recipe (an ARG without a default or not declared in its "
                       f"stage, or an ENV of a base image, which is not evaluated): expanded to an empty string "
                       f"(line {where})")
        return out


# ============================================================================================================
# The image view
# ============================================================================================================


def _under(path: str, parent: str) -> bool:
    return parent == "/" or path.startswith(parent + "/")


class DockerfileView(ImageView):
    """The final stage of a recipe, answering the image interface from its COPY/ADD/WORKDIR alone."""

    def __init__(self, recipe: Recipe, stage: Stage, platform: str | None):
        self.recipe = recipe
        self.stage = stage
        self.platform = platform
        self._shipments = stage.all_shipments()
        self.config = self._config()
        self.caveats = tuple(self._caveats())

    def label(self) -> str:
        return self.platform or self.recipe.display

    # -- config ------------------------------------------------------------------------------------------

    def _config(self) -> ImageConfig:
        stage = self.stage
        env: dict[str, str] = {}
        order: list[str] = []
        for s in stage.lineage():
            for key in s.env_order:
                env[key] = s.env[key]
                if key in order:
                    order.remove(key)
                order.append(key)
        line = stage.entrypoint_line or stage.cmd_line
        origin = f"{self.recipe.display}:{line}" if line else self.recipe.display
        return ImageConfig(entrypoint=stage.entrypoint, cmd=stage.cmd, env=tuple(f"{k}={env[k]}" for k in order),
                           working_dir=stage.workdir or "", user=stage.user, origin=origin)

    def _caveats(self) -> list[str]:
        stage = self.stage
        out = []
        runs = sorted(n for s in stage.sources() for n in s.run_lines)
        if runs:
            out.append(f"RUN steps are not evaluated (lines {', '.join(map(str, runs))}): what they add, "
                       "change or remove is unknown")
        base = stage.root_base
        if base != "scratch":
            out.append(f"the base image {base} is not evaluated: only what COPY, ADD and WORKDIR put in the "
                       "image is known")
            if stage.entrypoint is None and stage.cmd is None:
                out.append(f"the recipe sets no ENTRYPOINT or CMD; those of {base} are not evaluated")
        out.append("the source tree is not read: a COPY from the build context ships what the build puts there, "
                   "which the recipe alone cannot tell")
        out.append("file modes are known only where --chmod sets them")
        out += self.recipe.notes
        out += self.recipe.unset_notes()
        return out

    # -- paths -------------------------------------------------------------------------------------------

    def _lookup(self, path: str) -> PathInfo:
        if not path.startswith("/"):
            raise ReaderError(f"image path {path!r} is not absolute")
        path = posixpath.normpath(path)
        if path.startswith("//"):
            path = "/" + path.lstrip("/")
        if path == "/":
            return PathInfo(path="/", exists=True, resolved="/", type=DIRECTORY, origin="the image root")
        exact = [s for s in self._shipments if s.path == path]
        below = [s for s in self._shipments if _under(s.path, path)]
        if exact:
            top = exact[-1]
            typ = top.type
            if typ is None and below:
                typ = DIRECTORY
            return self._found(path, top, typ, below)
        if below:
            first = below[0]
            return PathInfo(path=path, exists=True, resolved=path, type=DIRECTORY,
                            origin=first.origin,
                            notes=(f"a directory above {first.path}, which {first.origin} ships; its mode is "
                                   "not stated by the recipe",))
        # Blocked by a file on the way?
        for s in reversed(self._shipments):
            if _under(path, s.path) and s.type == FILE:
                return self._missing(path, f"{s.path} is a file ({s.origin}), not a directory")
        for s in reversed(self._shipments):
            if s.opaque and s.type != FILE and _under(path, s.path) and self._may_hold(s, path):
                rest = path[len(s.path.rstrip("/")) + 1:]
                notes: tuple[str, ...] = (f"contents not verified: {s.path} is filled from {s.source} by "
                                          f"{s.origin}; the recipe cannot tell whether it holds {rest}",)
                if s.mode is None:
                    notes += ("mode unverified: the recipe sets no --chmod for it",)
                return PathInfo(path=path, exists=True, resolved=path, type=None, mode=s.mode, uid=s.uid,
                                gid=s.gid, origin=s.origin, notes=notes)
        return self._missing(path, None)

    def _may_hold(self, s: Shipment, path: str) -> bool:
        if s.names is None:
            return True
        first = path[len(s.path.rstrip("/")) + 1:].split("/", 1)[0]
        # A wildcard is taken to match files: a name under the destination is possible when it matches.
        return "/" not in path[len(s.path.rstrip("/")) + 1:] and any(
            fnmatch.fnmatchcase(first, p) for p in s.names)

    def _found(self, path: str, top: Shipment, typ: str | None, below: list[Shipment]) -> PathInfo:
        notes: list[str] = []
        if typ is None:
            notes.append(f"a file or a directory: {top.origin} copies {top.source} here, and the recipe cannot "
                         "tell which it is")
        if top.opaque and typ == DIRECTORY:
            notes.append(f"contents not verified: {top.origin} fills it from {top.source}")
        mode = top.mode
        if mode is None and typ != DIRECTORY:
            notes.append("mode unverified: the recipe sets no --chmod for it")
        size = len(top.content) if top.content is not None else None
        return PathInfo(path=path, exists=True, resolved=path, type=typ, mode=mode, size=size, uid=top.uid,
                        gid=top.gid, origin=top.origin, notes=tuple(notes))

    def _missing(self, path: str, problem: str | None) -> PathInfo:
        nearest = posixpath.dirname(path)
        while nearest != "/" and not self._definitely_directory(nearest):
            nearest = posixpath.dirname(nearest)
        names = self._children(nearest)
        reason = problem or ("no COPY, ADD or WORKDIR of the final stage ships it (RUN steps and the base image "
                             "are not evaluated)" if self.stage.root_base != "scratch" or any(
                                 s.run_lines for s in self.stage.lineage())
                             else "no COPY, ADD or WORKDIR of the final stage ships it")
        return PathInfo(path=path, exists=False, problem=reason, nearest=nearest,
                        nearest_holds=tuple(names[:LISTING_LIMIT]), nearest_count=len(names))

    def _definitely_directory(self, path: str) -> bool:
        for s in self._shipments:
            if s.path == path and s.type == DIRECTORY:
                return True
            if _under(s.path, path) and s.path != path:
                return True
        return False

    def _children(self, directory: str) -> list[str]:
        names = set()
        for s in self._shipments:
            if _under(s.path, directory) and s.path != directory:
                rest = s.path[len(directory.rstrip("/")) + 1:]
                names.add(rest.split("/", 1)[0])
        return sorted(names)

    # -- the ImageView interface -------------------------------------------------------------------------

    def stat(self, paths: Sequence[str], *, follow: bool = True) -> list[PathInfo]:
        # A recipe states no symlinks, so following them changes nothing.
        return [self._lookup(p) for p in paths]

    def list_directory(self, path: str) -> list[str]:
        info = self._lookup(path)
        if not info.exists:
            raise ReaderError(f"{self.recipe.display}: {path}: {info.problem}")
        if info.type not in (DIRECTORY, None):
            raise ReaderError(f"{self.recipe.display}: {path} is not a directory")
        return self._children(posixpath.normpath(path))

    def read_file(self, path: str, *, limit: int = 1 << 20) -> bytes:
        path = posixpath.normpath(path)
        for s in reversed(self._shipments):
            if s.path == path and s.content is not None:
                return s.content[:limit]
            if s.path == path:
                break
        raise ReaderError(f"{self.recipe.display}: a dockerfile: source holds no file contents (only heredocs "
                          f"are known); {path} cannot be read from it: use a built image")

    def read_directory(self, path: str) -> dict[str, bytes]:
        raise ReaderError(f"{self.recipe.display}: a dockerfile: source holds no file contents; {path} cannot "
                          "be read from it: point the migrations target at a built image or a directory")


# ============================================================================================================
# Entry point
# ============================================================================================================


def split_ref(rest: str, resolve: Callable[[str], Path]) -> tuple[Path, str, str | None]:
    """``PATH`` or ``PATH:STAGE`` -> (file, path as written, stage): the longest prefix that is a file wins."""
    p = resolve(rest)
    if p.is_file() or ":" not in rest:
        return p, rest, None
    head, _, stage = rest.rpartition(":")
    if head and resolve(head).is_file() and re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", stage):
        return resolve(head), head, stage
    return p, rest, None


def load_recipe(path: Path, display: str, *, platform: str | None = None,
                build_args: dict[str, str] | None = None) -> Recipe:
    try:
        size = path.stat().st_size
        if size > MAX_DOCKERFILE_BYTES:
            raise ReaderError(f"{display}: {size} bytes is too large for a Dockerfile")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ReaderError(f"{display}: no such file") from None
    except IsADirectoryError:
        raise ReaderError(f"{display}: is a directory, not a Dockerfile") from None
    except OSError as e:
        raise ReaderError(f"{display}: cannot read: {e.strerror or e}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ReaderError(f"{display}: not UTF-8 text (byte {e.start})") from None
    return Recipe(text, display, platform=platform, build_args=build_args)


def open_dockerfile(target: ImageTarget) -> StaticImage:
    """The ``dockerfile:PATH[:STAGE]`` source as an Image with one view: the final (or named) stage."""
    ref = target.ref
    rest = ref.split(":", 1)[1] if ref.startswith("dockerfile:") else ref
    if not rest:
        raise ReaderError(f"image ref {ref!r}: no path after dockerfile:")
    path, display, stage_name = split_ref(rest, target.resolve)
    platform = target.platform if target.platform and target.platform != "all" else None
    build_args = getattr(target, "build_args", None)
    recipe = load_recipe(path, display, platform=platform, build_args=build_args)
    view = DockerfileView(recipe, recipe.final_stage(stage_name), platform)
    return StaticImage(ref=ref, platform_views=[view])


__all__ = ["DockerfileView", "Instruction", "Recipe", "Shipment", "Stage", "open_dockerfile",
           "parse_dockerfile"]
