"""BuildKit's Dockerfile grammar: a recipe split into instructions, exactly as its parser splits it.

Parser directives (``# escape=``, ``# syntax=``, ``# check=``), line continuations with the escape character,
comments inside continuations, heredocs (``<<EOF``, ``<<-EOF``, quoted names), JSON and shell forms, flags
(``--from=...``), ``ENV``/``LABEL`` name-value pairs, ``ONBUILD`` and its instruction. The result is shaped like
BuildKit's parse tree (and the ``dockerfile`` package's ``Command``), which the tests compare it with.
Errors name ``FILE:LINE``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from preflight.errors import ReaderError


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


def onbuild_instruction(ins: Instruction, escape: str, name: str) -> Instruction | None:
    """The instruction an ``ONBUILD`` holds, as its own instruction (flags included); None when it holds none."""
    if ins.cmd != "ONBUILD" or not ins.sub_cmd:
        return None
    parts = _WHITESPACE.split(ins.original.strip(), maxsplit=1)
    if len(parts) < 2:
        return None
    sub = _node(parts[1], escape, name, ins.start_line, ins.end_line)
    return Instruction(sub.cmd, sub.value, sub.flags, sub.json, sub.original, ins.start_line, ins.end_line)


HEREDOC_WORD = _HEREDOC_WORD
unquote = _unquote
