"""Typed config: turn a TOML table into a check's ``Config`` dataclass, naming the key at fault.

A check type declares its keys as a dataclass. Field types may be ``str``, ``int``, ``float``, ``bool``,
:class:`Duration`, ``datetime.date``, ``list[T]``, ``dict[str, T]``, ``T | None``, ``Literal[...]``, unions of
those, or another dataclass (a nested table). A field's documentation lives in ``field(metadata={"doc": ...})``;
``preflight explain`` and the README's config reference are generated from it.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
import types
import typing
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin


class KeyError_(ValueError):
    """A key is unknown, missing or of the wrong type. ``key`` is the dotted path to it."""

    def __init__(self, key: str, message: str):
        super().__init__(message)
        self.key = key
        self.message = message


_DURATION_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$")
_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0, None: 1.0}


class Duration(float):
    """A duration in seconds, written in the config as ``"30s"``, ``"500ms"``, ``"5m"``, ``"1h"``, ``"2d"`` or a
    number of seconds."""

    @classmethod
    def parse(cls, value: Any) -> Duration:
        if isinstance(value, bool):
            raise ValueError("expected a duration like \"30s\"")
        if isinstance(value, int | float):
            if value < 0:
                raise ValueError("a duration cannot be negative")
            return cls(value)
        if isinstance(value, str):
            m = _DURATION_RE.match(value)
            if m:
                return cls(float(m.group(1)) * _UNITS[m.group(2)])
        raise ValueError(f"expected a duration like \"30s\", \"5m\" or \"1h\", got {value!r}")

    def __str__(self) -> str:
        return human_duration(float(self))


def human_duration(seconds: float) -> str:
    """``5400`` -> ``"1h 30m"``; exact to the second, compact."""
    if seconds < 1:
        return f"{round(seconds * 1000)}ms"
    total = round(seconds)
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        n, total = divmod(total, size)
        if n:
            parts.append(f"{n}{unit}")
    return " ".join(parts) or "0s"


def type_name(tp: Any) -> str:
    """How a type is named to a user: ``list of string``, ``duration``, ``table``."""
    origin = get_origin(tp)
    if tp is str:
        return "string"
    if tp is bool:
        return "boolean"
    if tp is int:
        return "integer"
    if tp is float:
        return "number"
    if tp is Duration:
        return "duration"
    if tp is datetime.date:
        return "date"
    if tp is Any:
        return "any"
    if origin is list:
        return f"list of {type_name(get_args(tp)[0])}"
    if origin is dict:
        return f"table of {type_name(get_args(tp)[1])}"
    if origin is Literal:
        return " | ".join(repr(a) if not isinstance(a, str) else f'"{a}"' for a in get_args(tp))
    if origin in (Union, types.UnionType):
        return " or ".join(type_name(a) for a in get_args(tp) if a is not type(None))
    if dataclasses.is_dataclass(tp):
        return "table {" + ", ".join(f.name for f in dataclasses.fields(tp)) + "}"
    return getattr(tp, "__name__", str(tp))


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, datetime.datetime):
        return "a date-time"
    if isinstance(value, datetime.date):
        return "a date"
    return type(value).__name__


def convert(value: Any, tp: Any, key: str) -> Any:
    """Convert a TOML value to ``tp``, raising :class:`KeyError_` naming ``key`` on a mismatch."""
    origin = get_origin(tp)
    if tp is Any:
        return value
    if origin in (Union, types.UnionType):
        errors = []
        for alt in get_args(tp):
            if alt is type(None):
                if value is None:
                    return None
                continue
            try:
                return convert(value, alt, key)
            except KeyError_ as e:
                errors.append(e)
        # A union's members each failed: the most specific message is the deepest one, or one that is not about
        # the value's type (a string of the right type that holds what no string may).
        deepest = max(errors, key=lambda e: (e.key.count(".") + e.key.count("["), not e.message.startswith("expected")))
        if deepest.key != key or not deepest.message.startswith("expected"):
            raise deepest
        raise KeyError_(key, f"expected {type_name(tp)}, got {_describe(value)}")
    if origin is Literal:
        if value in get_args(tp) and not (isinstance(value, bool) and not any(a is value for a in get_args(tp))):
            return value
        raise KeyError_(key, f"expected one of {type_name(tp)}, got {value!r}")
    if tp is Duration:
        try:
            return Duration.parse(value)
        except ValueError as e:
            raise KeyError_(key, str(e)) from None
    if tp is bool:
        if isinstance(value, bool):
            return value
    elif tp is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif tp is float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    elif tp is str:
        if isinstance(value, str):
            if "\x00" in value:  # no path, name, DSN or query holds one; the OS and PostgreSQL refuse it
                raise KeyError_(key, "holds a NUL character (\\u0000), which no path, name or query can hold")
            return value
    elif tp is datetime.date:
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            return value
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                pass
        raise KeyError_(key, f"expected a date like 2026-12-31, got {value!r}")
    elif origin is list:
        if isinstance(value, list):
            (item,) = get_args(tp)
            return [convert(v, item, f"{key}[{i}]") for i, v in enumerate(value)]
    elif origin is dict:
        if isinstance(value, dict):
            _, item = get_args(tp)
            return {str(k): convert(v, item, f"{key}.{k}") for k, v in value.items()}
    elif dataclasses.is_dataclass(tp):
        if isinstance(value, dict):
            return build(tp, value, prefix=f"{key}.")
    else:  # pragma: no cover - a check type declared a field type this module does not know
        raise TypeError(f"unsupported config type {tp!r} for key {key}")
    raise KeyError_(key, f"expected {type_name(tp)}, got {_describe(value)}")


def build(cls: Any, table: dict[str, Any], prefix: str = "", ignore: frozenset[str] = frozenset()) -> Any:
    """Build dataclass ``cls`` from ``table``; unknown, missing and mistyped keys raise :class:`KeyError_`."""
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls) if f.init}
    for k in table:
        if k not in fields and k not in ignore:
            known = ", ".join(sorted(fields)) or "none"
            raise KeyError_(f"{prefix}{k}", f"unknown key (known keys: {known})")
    kwargs = {}
    for name, f in fields.items():
        if name in table:
            kwargs[name] = convert(table[name], hints[name], f"{prefix}{name}")
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise KeyError_(f"{prefix}{name}", f"missing required key ({type_name(hints[name])})")
    try:
        return cls(**kwargs)
    except ValueError as e:
        # __post_init__ validation: the message names the key as "key: why".
        msg = str(e)
        k, sep, why = msg.partition(": ")
        if sep and k in fields:
            raise KeyError_(f"{prefix}{k}", why) from None
        raise KeyError_(prefix.rstrip(".") or "check", msg) from None


@dataclasses.dataclass(frozen=True)
class KeyDoc:
    name: str
    type: str
    default: str | None
    required: bool
    doc: str


def describe_keys(cls: Any) -> list[KeyDoc]:
    """The documented keys of a config dataclass, for ``explain`` and the README reference."""
    if cls is None:
        return []
    hints = typing.get_type_hints(cls)
    out = []
    for f in dataclasses.fields(cls):
        if not f.init:
            continue
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        default: str | None = None
        if f.default is not dataclasses.MISSING:
            default = _toml_literal(f.default)
        elif f.default_factory is not dataclasses.MISSING:
            default = _toml_literal(f.default_factory())
        out.append(KeyDoc(f.name, type_name(hints[f.name]), default, required, f.metadata.get("doc", "")))
    return out


def _toml_literal(v: Any) -> str:
    if v is None:
        return "(none)"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, Duration):
        return f'"{v}"'
    if isinstance(v, str):
        return f'"{v}"'
    if isinstance(v, list):
        return "[" + ", ".join(_toml_literal(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k} = {_toml_literal(x)}" for k, x in v.items()) + "}"
    if dataclasses.is_dataclass(v):
        return "{" + ", ".join(
            f"{f.name} = {_toml_literal(getattr(v, f.name))}" for f in dataclasses.fields(v)
        ) + "}"
    return str(v)


def doc(text: str, **kw: Any) -> Any:
    """``field`` with documentation: ``max_lag: Duration = doc("...", default=Duration(3600))``."""
    return dataclasses.field(metadata={"doc": text}, **kw)


class RelativePaths:
    """Relative paths in a target resolve against the config file's directory (or, for a command-line
    override, the working directory); the loader sets ``base_dir``."""

    base_dir: Path = Path(".")

    def resolve(self, path: str) -> Path:
        p = Path(path).expanduser()
        return p if p.is_absolute() else (self.base_dir / p).absolute()
