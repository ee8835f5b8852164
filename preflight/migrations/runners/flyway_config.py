"""Flyway's own configuration, ``flyway.conf`` (Java properties) or ``flyway.toml``: the settings that change
what ``flyway migrate`` runs and where it records it.

Read: ``locations`` (``filesystem:`` ones are read by preflight, relative to the config file's directory, as
Flyway run from there resolves them; ``classpath:`` ones are named in a note), ``table``, ``schemas`` /
``defaultSchema`` (the history table's schema), ``placeholders.*``, ``placeholderReplacement``,
``placeholderPrefix`` / ``placeholderSuffix``, ``outOfOrder``, ``mixed``, ``user``. In ``flyway.toml`` they
live under ``[flyway]`` (placeholders under ``[flyway.placeholders]``), ``schemas`` and ``user`` may come from
``[environments.<flyway.environment or "default">]``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from preflight.errors import ReaderError


@dataclass
class FlywayConfig:
    file: str
    directory: Path
    locations: list[str] = field(default_factory=list)
    table: str | None = None
    schemas: list[str] = field(default_factory=list)
    default_schema: str | None = None
    placeholders: dict[str, str] = field(default_factory=dict)
    placeholder_replacement: bool = True
    placeholder_prefix: str = "${"
    placeholder_suffix: str = "}"
    out_of_order: bool = False
    mixed: bool = False
    user: str | None = None
    unread: list[str] = field(default_factory=list)
    """Keys set that preflight does not apply (shown in a note)."""

    @property
    def schema(self) -> str | None:
        return self.default_schema or (self.schemas[0] if self.schemas else None)


APPLIED = {"locations", "table", "schemas", "defaultSchema", "placeholderReplacement", "placeholderPrefix",
           "placeholderSuffix", "outOfOrder", "mixed", "user", "environment"}
# Settings that change nothing preflight judges (connection, credentials, output).
IGNORED = {"url", "password", "driver", "connectRetries", "connectRetriesInterval", "initSql", "jarDirs",
           "cleanDisabled", "validateOnMigrate", "baselineOnMigrate", "baselineVersion", "baselineDescription",
           "installedBy", "lockRetryCount", "outputQueryResults", "createSchemas", "group", "licenseKey",
           "color", "outputType", "loggers", "skipDefaultCallbacks", "callbacks", "target", "cherryPick"}


def _bool(value: Any) -> bool:
    return value if isinstance(value, bool) else str(value).strip().lower() == "true"


def _list(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [v.strip() for v in str(value).split(",") if v.strip()]


def parse_properties(text: str) -> dict[str, str]:
    """Java properties: ``key=value`` or ``key: value``, ``#``/``!`` comments, ``\\`` continuing a line."""
    out: dict[str, str] = {}
    logical = ""
    for raw in text.splitlines():
        line = raw.strip() if not logical else raw.lstrip()
        if not logical and (not line or line[0] in "#!"):
            continue
        if line.endswith("\\") and not line.endswith("\\\\"):
            logical += line[:-1]
            continue
        logical += line
        sep = min((i for i in (logical.find("="), logical.find(":")) if i >= 0), default=-1)
        if sep >= 0:
            out[logical[:sep].strip()] = logical[sep + 1:].strip()
        logical = ""
    return out


def read_flyway_config(path: Path, shown: str) -> FlywayConfig:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ReaderError(f"[targets.migrations] config_file {shown}: no such file") from None
    except OSError as e:
        raise ReaderError(f"[targets.migrations] config_file {shown}: cannot read: {e.strerror or e}") from None
    values: dict[str, Any] = {}
    placeholders: dict[str, str] = {}
    if path.suffix == ".toml":
        try:
            doc = tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            raise ReaderError(f"{shown}: not valid TOML: {e}") from None
        flyway = doc.get("flyway", {}) if isinstance(doc.get("flyway"), dict) else {}
        env_name = str(flyway.get("environment", "default"))
        env = (doc.get("environments") or {}).get(env_name, {})
        for key in ("schemas", "user"):
            if isinstance(env, dict) and key in env:
                values[key] = env[key]
        for key, value in flyway.items():
            if key == "placeholders" and isinstance(value, dict):
                placeholders.update({str(k): str(v) for k, v in value.items()})
            else:
                values[key] = value
    else:
        for key, value in parse_properties(text).items():
            key = key.removeprefix("flyway.")
            if key.startswith("placeholders."):
                placeholders[key[len("placeholders."):]] = value
            else:
                values[key] = value
    conf = FlywayConfig(file=shown, directory=path.parent, placeholders=placeholders)
    if "locations" in values:
        conf.locations = _list(values["locations"])
    if "table" in values:
        conf.table = str(values["table"])
    if "schemas" in values:
        conf.schemas = _list(values["schemas"])
    if "defaultSchema" in values:
        conf.default_schema = str(values["defaultSchema"])
    if "placeholderReplacement" in values:
        conf.placeholder_replacement = _bool(values["placeholderReplacement"])
    if "placeholderPrefix" in values:
        conf.placeholder_prefix = str(values["placeholderPrefix"])
    if "placeholderSuffix" in values:
        conf.placeholder_suffix = str(values["placeholderSuffix"])
    if "outOfOrder" in values:
        conf.out_of_order = _bool(values["outOfOrder"])
    if "mixed" in values:
        conf.mixed = _bool(values["mixed"])
    if "user" in values:
        conf.user = str(values["user"])
    conf.unread = sorted(k for k in values if k not in APPLIED and k not in IGNORED)
    return conf


class PlaceholderError(ValueError):
    pass


def replace_placeholders(text: str, conf: FlywayConfig, builtins: dict[str, str]) -> str:
    """The script as Flyway executes it: every ``${name}`` replaced; PlaceholderError naming the first one
    with no value ("No value provided for placeholder")."""
    prefix, suffix = conf.placeholder_prefix, conf.placeholder_suffix
    values = {**builtins, **conf.placeholders}
    out = []
    pos = 0
    while True:
        start = text.find(prefix, pos)
        if start < 0:
            out.append(text[pos:])
            break
        end = text.find(suffix, start + len(prefix))
        if end < 0:
            out.append(text[pos:])
            break
        name = text[start + len(prefix): end]
        if name not in values:
            raise PlaceholderError(f"No value provided for placeholder: {prefix}{name}{suffix}")
        out.append(text[pos:start])
        out.append(values[name])
        pos = end + len(suffix)
    return "".join(out)
