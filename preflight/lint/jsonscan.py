"""Decoding the parser's JSON with ``_json``'s C scanner alone.

``import json`` imports ``re`` (and ``enum``) for whitespace handling and error messages the parser's output never
needs: milliseconds of a lint run's start-up. Anything unusual (surrounding whitespace, extra data, invalid JSON)
goes to ``json`` itself, with its exact results and errors.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any


class _Context:
    """What ``json.JSONDecoder()`` passes to the scanner: its defaults."""

    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int
    parse_constant = {"-Infinity": float("-inf"), "Infinity": float("inf"), "NaN": float("nan")}.__getitem__
    memo: dict[str, str] = {}


scan_once: Callable[[str, int], tuple[Any, int]]
try:
    from _json import make_scanner

    scan_once = make_scanner(_Context())  # type: ignore[arg-type]  # any object with the attributes will do
except ImportError:  # pragma: no cover - a Python without the C accelerator
    from json import JSONDecoder

    scan_once = JSONDecoder().scan_once  # type: ignore[attr-defined]


def loads(s: str) -> Any:
    """``json.loads(s)``."""
    try:
        value, end = scan_once(s, 0)
    except StopIteration:
        end = -1
    if end == len(s):
        return value
    import json

    return json.loads(s)


def raw_decode(s: str, idx: int) -> tuple[Any, int]:
    """``json.JSONDecoder().raw_decode(s, idx)``."""
    try:
        return scan_once(s, idx)
    except StopIteration:
        import json

        return json.JSONDecoder().raw_decode(s, idx)
