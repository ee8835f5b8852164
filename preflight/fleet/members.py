"""The members of a fleet: named DSNs from the config, a file, or a query against a control database.

Members come out sorted by name (the report's order, whatever the source's), each name unique. Every password
in a member's DSN is registered with :mod:`preflight.secrets` as soon as it is read, so no message, log or report
can show it, whether or not the member is checked in this run.
"""

from __future__ import annotations

import json
import math
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from preflight.errors import ConfigError, ReaderError
from preflight.secrets import redact_dsn, register_dsn

if TYPE_CHECKING:
    from preflight.db.target import DatabaseTarget, FleetConfig

MAX_MEMBERS = 100_000
"""Most rows a member query may return: more is surely a wrong query."""

_NAME = re.compile(r"[^\s\x00-\x1f\x7f,]+")
_PERCENT = re.compile(r"\s*(\d+(?:\.\d+)?)\s*%\s*")


@dataclass(frozen=True)
class Member:
    """One database of the fleet."""

    name: str
    dsn: str

    @property
    def display_dsn(self) -> str:
        """The DSN as reports show it: any password replaced by ``***``."""
        return redact_dsn(self.dsn)


# -- max_unreachable ----------------------------------------------------------------------------------------


def parse_allowance(value: int | str) -> tuple[str, float]:
    """``max_unreachable`` as ("count", N) or ("percent", P); raises ``ValueError`` naming the key."""
    if isinstance(value, int) and not isinstance(value, bool):
        if value < 0:
            raise ValueError("max_unreachable: must be 0 or more")
        return "count", float(value)
    if isinstance(value, str):
        m = _PERCENT.fullmatch(value)
        if m and float(m.group(1)) <= 100:
            return "percent", float(m.group(1))
        if value.strip().isdigit():
            return "count", float(int(value))
    raise ValueError(f'max_unreachable: expected a number of members or a percentage like "5%", got {value!r}')


def allowed_unreachable(value: int | str, members: int) -> int:
    """How many of ``members`` may be unreachable: a count as is, a percentage rounded down."""
    kind, number = parse_allowance(value)
    if kind == "count":
        return int(number)
    return math.floor(number * members / 100 + 1e-9)


def allowance_text(value: int | str) -> str:
    kind, number = parse_allowance(value)
    if kind == "count":
        return str(int(number))
    return f"{number:g}%"


# -- loading ------------------------------------------------------------------------------------------------


def load_members(target: DatabaseTarget, env: dict[str, str] | None = None) -> list[Member]:
    """The fleet's members, sorted by name. A bad file is a :class:`ConfigError` naming file and line; a query that
    cannot run is a :class:`ReaderError` (the run cannot decide)."""
    fleet = target.fleet
    assert fleet is not None
    environ = os.environ if env is None else env
    if fleet.members:
        pairs = [(name, dsn, "[targets.database.fleet] members") for name, dsn in fleet.members.items()]
    elif fleet.file:
        pairs = _from_file(target.resolve(fleet.file), fleet.file, environ)
    else:
        pairs = _from_query(target, fleet)
    return _checked(pairs)


def _checked(pairs: list[tuple[str, str, str]]) -> list[Member]:
    seen: dict[str, str] = {}
    out: list[Member] = []
    for name, dsn, where in pairs:
        # The password first: nothing below may print a DSN whose password is not registered yet.
        register_dsn(dsn)
        if not _NAME.fullmatch(name):
            raise ConfigError(f"{where}: member name {name!r} must be non-empty, without spaces, commas or control "
                              "characters")
        if not dsn.strip():
            raise ConfigError(f"{where}: member {name!r} has an empty DSN")
        if name in seen:
            raise ConfigError(f"{where}: member {name!r} is named twice (first at {seen[name]})")
        seen[name] = where
        out.append(Member(name, dsn))
    if not out:
        raise ConfigError("[targets.database.fleet] has no members")
    return sorted(out, key=lambda m: m.name)


def _from_file(path: Path, shown: str, env: Any) -> list[tuple[str, str, str]]:
    from preflight.config import expand_env
    from preflight.typed import KeyError_

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{shown}: no such member file ([targets.database.fleet] file)") from None
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"{shown}: cannot read the member file: {e}") from None

    def expanded(value: str, where: str) -> str:
        try:
            return str(expand_env(value, "dsn", env))
        except KeyError_ as e:
            raise ConfigError(f"{where}: {e.message}") from None

    suffix = path.suffix.lower()
    pairs: list[tuple[str, str, str]] = []
    if suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise ConfigError(f"{shown}:{e.lineno}: invalid JSON: {e.msg}") from None
        if isinstance(data, dict):
            items = list(data.items())
        elif isinstance(data, list) and all(isinstance(x, dict) for x in data):
            items = [(x.get("name"), x.get("dsn")) for x in data]
        else:
            raise ConfigError(f'{shown}: expected an object {{"NAME": "DSN"}} or an array of {{"name", "dsn"}}')
        for i, (name, dsn) in enumerate(items):
            where = f"{shown} (member #{i + 1})"
            if not isinstance(name, str) or not isinstance(dsn, str):
                raise ConfigError(f"{where}: name and dsn must both be strings")
            pairs.append((name, expanded(dsn, where), where))
        return pairs
    if suffix == ".toml":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            raise ConfigError(f"{shown}: invalid TOML: {e}") from None
        for name, dsn in data.items():
            where = f"{shown} (member {name!r})"
            if not isinstance(dsn, str):
                raise ConfigError(f'{where}: expected NAME = "DSN"')
            pairs.append((name, expanded(dsn, where), where))
        return pairs
    for n, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        parts = stripped.split(None, 1)
        where = f"{shown}:{n}"
        if len(parts) != 2:
            raise ConfigError(f"{where}: expected NAME DSN")
        pairs.append((parts[0], expanded(parts[1].strip(), where), where))
    return pairs


def _from_query(target: DatabaseTarget, fleet: FleetConfig) -> list[tuple[str, str, str]]:
    import dataclasses

    from preflight.db.target import Database, describe_db_error

    assert fleet.query is not None
    control = dataclasses.replace(target, dsn=fleet.control_dsn, fleet=None, max_connections=1)
    db = Database(control)
    try:
        try:
            columns, rows, truncated = db.run_untrusted(fleet.query, max_rows=MAX_MEMBERS)
        except ReaderError as e:
            raise ReaderError(f"fleet query: {e.message}") from None
        except Exception as e:  # noqa: BLE001 - any database error: the member list is unknown
            raise ReaderError(f"fleet query against {db.display_dsn} failed: {describe_db_error(e)}") from None
    finally:
        db.close()
    if truncated:
        raise ReaderError(f"fleet query returned more than {MAX_MEMBERS} rows: is it the right query?")
    if "name" not in columns or "dsn" not in columns:
        raise ReaderError(f"fleet query must return columns named name and dsn (it returned "
                          f"{', '.join(columns) or 'no columns'})")
    iname, idsn = columns.index("name"), columns.index("dsn")
    pairs = []
    for i, row in enumerate(rows, start=1):
        name, dsn = row[iname], row[idsn]
        if isinstance(dsn, str):
            register_dsn(dsn)
        if not isinstance(name, str) or not isinstance(dsn, str):
            raise ReaderError(f"fleet query row {i}: name and dsn must both be non-null text")
        pairs.append((name, dsn, f"fleet query row {i}"))
    return pairs
