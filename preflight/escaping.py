"""Showing text that comes from outside without letting it forge the output around it.

Names in a report come from the image (member names), the migrations (file names, identifiers, a guard's own
``RAISE`` message), the database (role and application names, error messages) and the config. A name holding a
newline could start a line of its own in a text report (``SAFE TO ROLL OUT (exit 0)``), a GitHub workflow
command in a CI log (``::notice::``, or the older ``##[...]`` form that the runner finds anywhere in a line), a
Markdown heading, link or raw HTML; an escape sequence could rewrite what a terminal shows. So every human
format shows such text through these functions, once, where it is rendered (never check by check):

- :func:`control`: control and format characters shown as Python writes them in a string literal (``\\n``,
  ``\\r``, ``\\t``, ``\\x1b``, ``\\u202e``), so nothing can add a line or move the cursor. Backslashes stay as
  they are: an escape only makes text longer, it never adds a line.
- :func:`ci_lines`: a rendered text whose lines (after the escaping above, all preflight's own) are made inert
  for CI log parsers: a line whose first non-blank characters are ``::`` and any ``##[`` show one character
  escaped.
- :func:`markdown` and :func:`code_span`: text made literal in Markdown (CommonMark and GitHub's tables).
- :func:`json_lines`: JSON's encoder escapes control characters, and a JSON string cannot end early; printed
  in a CI log, its only risk is ``##[`` inside a string, written ``##\u005b`` (the same string once decoded).
"""

from __future__ import annotations

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(ch: str) -> str:
    named = _NAMED.get(ch)
    if named is not None:
        return named
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def control(text: str) -> str:
    """``text`` with every character that is not printable (control, format, line and paragraph separators,
    except the space) shown as its escape: ``"a\\nb"`` -> ``"a\\\\nb"``."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else _escape(ch) for ch in text)


class Shown(str):
    """Text already made safe for its format: :func:`control` and the Markdown functions leave it alone."""

    __slots__ = ()


def ci_lines(rendered: str) -> str:
    """``rendered`` (text whose own line breaks are all the renderer's) with no line a CI runner would take for a
    workflow command: GitHub's runner reads ``::command::`` at the start of a line (after blanks) and the older
    ``##[command]`` anywhere in a line."""
    if "::" not in rendered and "##[" not in rendered:
        return rendered
    out = []
    for line in rendered.split("\n"):
        stripped = line.lstrip()
        if stripped.startswith("::"):
            cut = len(line) - len(stripped)
            line = line[:cut] + "\\x3a" + stripped[1:]
        out.append(line.replace("##[", "##\\x5b"))
    return "\n".join(out)


def json_lines(document: str) -> str:
    """A JSON document as printed: ``##[`` (only ever inside a string) written ``##\u005b``, which decodes to the
    same text, so a CI runner does not take the line for a command."""
    return document.replace("##[", "##\\u005b") if "##[" in document else document


# Characters with a meaning in inline Markdown (emphasis, code, links, images, raw HTML and entities, tables,
# strikethrough, headings): each is shown literally when escaped with a backslash (CommonMark allows a backslash
# before any ASCII punctuation).
_MARKDOWN_SPECIAL = frozenset("\\`*_[]<>|&!#~")
# Characters that start a block (a list, a quote, a heading underline) when they begin a line.
_MARKDOWN_LINE_START = frozenset("-+=>")


def markdown(text: str) -> str:
    """``text`` shown literally in Markdown, on one line: control characters escaped (:func:`control`), then
    every character with an inline meaning backslash-escaped."""
    if isinstance(text, Shown):
        return text
    text = control(str(text))
    out = "".join("\\" + ch if ch in _MARKDOWN_SPECIAL else ch for ch in text)
    if out[:1] in _MARKDOWN_LINE_START:
        out = "\\" + out
    else:
        digits = len(out) - len(out.lstrip("0123456789"))
        if 0 < digits <= 9 and out[digits:digits + 1] in (".", ")"):  # an ordered list item
            out = out[:digits] + "\\" + out[digits:]
    return Shown(out)


def code_span(text: str, *, in_table: bool = False) -> str:
    """``text`` as a Markdown code span: fenced with more backticks than it holds in a row, padded with spaces
    when it starts or ends with a backtick, control characters escaped. In a table, ``|`` is escaped too (GitHub
    splits cells on it even inside code)."""
    text = control(str(text))
    longest = run = 0
    for ch in text:
        run = run + 1 if ch == "`" else 0
        longest = max(longest, run)
    fence = "`" * (longest + 1)
    if text[:1] == "`" or text[-1:] == "`" or (text[:1] == " " and text[-1:] == " " and text.strip()):
        text = f" {text} "
    if in_table:
        text = text.replace("|", "\\|")
    return Shown(f"{fence}{text}{fence}")


__all__ = ["Shown", "ci_lines", "code_span", "control", "json_lines", "markdown"]
