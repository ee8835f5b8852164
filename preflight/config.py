"""Loading and validating the config: targets, checks, waivers and run settings.

The config is TOML: ``preflight.toml`` in the working directory or a parent, a ``[tool.preflight]`` table in a
``pyproject.toml`` there, or ``--config PATH``. ``${VAR}`` and ``${VAR:-default}`` expand from the environment in
string values (``$${`` is a literal ``${``). Every error names the file, the line where it can be found, the
check id and the key.
"""

from __future__ import annotations

import datetime
import os
import re
import tomllib
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any, Literal

from preflight import plugin
from preflight.errors import ConfigError
from preflight.targets import DatabaseTarget, ImageTarget, MigrationsTarget, RehearsalTarget, TargetsConfig
from preflight.typed import Duration, KeyError_, build, doc

CONFIG_NAME = "preflight.toml"


@dataclass
class RunSettings:
    jobs: int = doc("How many checks run at once.", default=4)
    timeout: Duration = doc("Default per-check timeout.", default=Duration(60))
    deadline: Duration = doc("Overall deadline of a run: checks still running then end as errors.",
                             default=Duration(300))
    fail_on: Literal["fail", "warn"] = doc('"warn" makes warnings block the rollout too.', default="fail")

    def __post_init__(self) -> None:
        if self.jobs < 1:
            raise ValueError("jobs: must be at least 1")


@dataclass
class CheckSpec:
    """One ``[[check]]`` entry."""

    id: str
    uses: str
    config: Any
    severity: Literal["fail", "warn"] = "fail"
    timeout: Duration | None = None
    when_pending: list[str] | None = None
    line: int | None = None

    def applies_to(self, pending: list[str]) -> bool:
        assert self.when_pending is not None
        return any(fnmatchcase(name, pat) for pat in self.when_pending for name in pending)


@dataclass
class CommonCheckKeys:
    id: str = doc("Unique, stable id: used in waivers, reports and --only/--skip.")
    uses: str = doc("The check type, e.g. \"db.connect\" (see `preflight checks`).")
    severity: Literal["fail", "warn"] = doc('"warn": a failure of this check only warns.', default="fail")
    timeout: Duration | None = doc("Per-check timeout (default: [run] timeout).", default=None)
    when_pending: list[str] | None = doc(
        "Run only while one of these migrations (names or globs) is pending; otherwise skip as not applicable.",
        default=None)


@dataclass
class Waiver:
    """A ``[[waiver]]``: acknowledges a check's failure or error, or (with ``rule`` / ``migration``) only the
    findings that match."""

    check: str = doc("The id of the waived check.")
    reason: str = doc("Why the failure is acceptable: shown in every report.")
    expires: datetime.date = doc("Last day the waiver holds; an expired waiver is itself a failure.")
    owner: str | None = doc("Who owns the waiver.", default=None)
    rule: str | None = doc("Narrow the waiver to findings of this rule id.", default=None)
    migration: str | None = doc("Narrow the waiver to findings about this migration (name or glob).",
                                default=None)
    line: int | None = field(default=None, init=False)
    from_command_line: bool = field(default=False, init=False)

    def __post_init__(self) -> None:
        if not self.reason.strip():
            raise ValueError("reason: must not be empty")

    @property
    def narrowed(self) -> bool:
        return self.rule is not None or self.migration is not None

    def label(self) -> str:
        parts = [self.check]
        if self.rule:
            parts.append(f"rule={self.rule}")
        if self.migration:
            parts.append(f"migration={self.migration}")
        return " ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"check": self.check, "reason": self.reason, "expires": self.expires.isoformat()}
        if self.owner:
            out["owner"] = self.owner
        if self.rule:
            out["rule"] = self.rule
        if self.migration:
            out["migration"] = self.migration
        if self.from_command_line:
            out["from_command_line"] = True
        return out


@dataclass
class Config:
    file: str | None
    targets: TargetsConfig
    checks: list[CheckSpec]
    waivers: list[Waiver]
    run: RunSettings


# -- finding the file --------------------------------------------------------------------------------------


def find_config(start: Path | None = None) -> tuple[Path, bool] | None:
    """The nearest ``preflight.toml``, or ``pyproject.toml`` with ``[tool.preflight]``; ``(path, is_pyproject)``."""
    here = (start or Path.cwd()).absolute()
    for d in (here, *here.parents):
        candidate = d / CONFIG_NAME
        if candidate.is_file():
            return candidate, False
        pyproject = d / "pyproject.toml"
        if pyproject.is_file():
            try:
                data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
            except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
                continue
            if isinstance(data.get("tool"), dict) and "preflight" in data["tool"]:
                return pyproject, True
    return None


# -- line numbers ------------------------------------------------------------------------------------------

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)\s*[.=]""")


class _Lines:
    """Where tables and keys stand in the TOML text, so errors can name a line (tomllib gives none)."""

    def __init__(self, text: str, prefix: str = ""):
        self.tables: dict[str, int] = {}
        self.arrays: dict[str, list[int]] = {}
        self.keys: dict[tuple[str, int], dict[str, int]] = {}
        current: tuple[str, int] = ("", 0)
        self.keys[current] = {}
        for n, line in enumerate(text.splitlines(), start=1):
            m = _HEADER.match(line)
            if m and not line.lstrip().startswith("#"):
                name = m.group(2).replace(" ", "")
                if prefix and name.startswith(prefix):
                    name = name[len(prefix):]
                if m.group(1) == "[[":
                    self.arrays.setdefault(name, []).append(n)
                    current = (name, len(self.arrays[name]) - 1)
                else:
                    self.tables[name] = n
                    current = (name, -1)
                self.keys.setdefault(current, {})
                continue
            k = _KEY.match(line)
            if k:
                self.keys[current].setdefault(k.group(1).strip("\"'"), n)

    def array_item(self, name: str, index: int, key: str | None = None) -> int | None:
        lines = self.arrays.get(name, [])
        if index >= len(lines):
            return None
        if key:
            first = re.split(r"[.\[]", key, maxsplit=1)[0]
            return self.keys.get((name, index), {}).get(first, lines[index])
        return lines[index]

    def table_key(self, table: str, key: str | None = None) -> int | None:
        if key:
            first = re.split(r"[.\[]", key, maxsplit=1)[0]
            hit = self.keys.get((table, -1), {}).get(first)
            if hit:
                return hit
        return self.tables.get(table)


# -- environment expansion ---------------------------------------------------------------------------------

_VAR = re.compile(r"\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


def expand_env(value: Any, key: str, env: dict[str, str] | os._Environ[str]) -> Any:
    if isinstance(value, str):
        def sub(m: re.Match[str]) -> str:
            if m.group(0) == "$${":
                return "${"
            name, default = m.group(1), m.group(2)
            if name in env:
                return env[name]
            if default is not None:
                return default
            raise KeyError_(key, f"environment variable ${{{name}}} is not set and has no default "
                                 f"(write ${{{name}:-default}} to give one)")
        return _VAR.sub(sub, value)
    if isinstance(value, list):
        return [expand_env(v, f"{key}[{i}]", env) for i, v in enumerate(value)]
    if isinstance(value, dict):
        return {k: expand_env(v, f"{key}.{k}" if key else k, env) for k, v in value.items()}
    return value


# -- loading -----------------------------------------------------------------------------------------------

_TOP_KEYS = {"targets", "check", "waiver", "run"}
_TARGETS = {"database": DatabaseTarget, "image": ImageTarget, "migrations": MigrationsTarget,
            "rehearsal": RehearsalTarget}


def load(path: Path | None = None, *, env: dict[str, str] | None = None,
         overrides: dict[str, str | None] | None = None, require_file: bool = True) -> Config:
    """Load the config at ``path`` (or the one found from the working directory) and validate it fully:
    targets, every check's own keys against its type, and waivers."""
    is_pyproject = False
    if path is None:
        found = find_config()
        if found is None:
            if require_file:
                raise ConfigError(f"no {CONFIG_NAME} here or in a parent directory, and no [tool.preflight] in a "
                                  "pyproject.toml (pass --config PATH, or run `preflight init`)")
            return _from_data({}, None, Path.cwd(), False, env, overrides)
        path, is_pyproject = found
    else:
        is_pyproject = path.name == "pyproject.toml"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such config file") from None
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"{path}: cannot read: {e}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: invalid TOML: {e}") from None
    if is_pyproject:
        tool = data.get("tool", {})
        if not isinstance(tool, dict) or not isinstance(tool.get("preflight"), dict):
            raise ConfigError(f"{path}: no [tool.preflight] table")
        data = tool["preflight"]
    return _from_data(data, path, path.parent.absolute(), is_pyproject, env, overrides, text=text)


def _from_data(data: dict[str, Any], path: Path | None, base_dir: Path, is_pyproject: bool,
               env: dict[str, str] | None, overrides: dict[str, str | None] | None,
               text: str = "") -> Config:
    file = str(path) if path else None
    lines = _Lines(text, prefix="tool.preflight." if is_pyproject else "")
    environ = os.environ if env is None else env

    def fail(msg: str, *, line: int | None = None, check: str | None = None, key: str | None = None) -> ConfigError:
        return ConfigError(msg, file=file, line=line, check=check, key=key)

    for k in data:
        if k not in _TOP_KEYS:
            raise fail(f"unknown top-level key (known: {', '.join(sorted(_TOP_KEYS))})", key=k,
                       line=lines.table_key(k) or lines.keys[("", 0)].get(k))

    # run settings
    run_table = data.get("run", {})
    if not isinstance(run_table, dict):
        raise fail("expected a table", key="run")
    try:
        run = build(RunSettings, expand_env(run_table, "run", environ), prefix="run.")
    except KeyError_ as e:
        raise fail(e.message, key=e.key, line=lines.table_key("run", e.key.removeprefix("run."))) from None

    # targets
    targets_table = data.get("targets", {})
    if not isinstance(targets_table, dict):
        raise fail("expected a table", key="targets")
    targets = TargetsConfig()
    for name, table in targets_table.items():
        if name not in _TARGETS:
            raise fail(f"unknown target (known: {', '.join(_TARGETS)})", key=f"targets.{name}",
                       line=lines.table_key(f"targets.{name}"))
        if not isinstance(table, dict):
            raise fail("expected a table", key=f"targets.{name}")
        try:
            target = build(_TARGETS[name], expand_env(table, f"targets.{name}", environ), prefix=f"targets.{name}.")
        except KeyError_ as e:
            raise fail(e.message, key=e.key,
                       line=lines.table_key(f"targets.{name}", e.key.removeprefix(f"targets.{name}."))) from None
        if hasattr(target, "base_dir"):
            target.base_dir = base_dir
        setattr(targets, name, target)
    _apply_overrides(targets, overrides or {})

    # checks
    raw_checks = data.get("check", [])
    if not isinstance(raw_checks, list):
        raise fail("expected an array of tables ([[check]])", key="check")
    checks: list[CheckSpec] = []
    seen: dict[str, int] = {}
    for i, entry in enumerate(raw_checks):
        line = lines.array_item("check", i)
        if not isinstance(entry, dict):
            raise fail("expected a table", key=f"check[{i}]", line=line)
        cid = entry.get("id")
        if not isinstance(cid, str) or not cid.strip():
            raise fail("every [[check]] needs a non-empty string id", key="id", line=line)
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.:-]*", cid):
            raise fail("ids may hold letters, digits, '-', '_', '.' and ':' only", check=cid, key="id", line=line)
        if cid in seen:
            raise fail(f"duplicate check id (first defined in check #{seen[cid] + 1})", check=cid, key="id",
                       line=line)
        seen[cid] = i
        try:
            expanded = expand_env(entry, "", environ)
            common = build(CommonCheckKeys, {k: v for k, v in expanded.items()
                                             if k in CommonCheckKeys.__dataclass_fields__},
                           ignore=frozenset())
        except KeyError_ as e:
            raise fail(e.message, check=cid, key=e.key, line=lines.array_item("check", i, e.key)) from None
        ctype = plugin.require(common.uses, file=file, check=cid, line=lines.array_item("check", i, "uses"))
        own = {k: v for k, v in expanded.items() if k not in CommonCheckKeys.__dataclass_fields__}
        try:
            if ctype.config_class is None:
                if own:
                    k = next(iter(own))
                    raise KeyError_(k, f"unknown key: check type {common.uses!r} takes no keys of its own")
                cfg = None
            else:
                cfg = build(ctype.config_class, own)
        except KeyError_ as e:
            raise fail(e.message, check=cid, key=e.key, line=lines.array_item("check", i, e.key)) from None
        for need in ctype.needs:
            if getattr(targets, need, None) is None:
                raise fail(f"check type {common.uses!r} needs [targets.{need}] (or --{_flag(need)})",
                           check=cid, key="uses", line=lines.array_item("check", i, "uses"))
        if common.when_pending is not None and targets.migrations is None:
            raise fail("when_pending needs [targets.migrations] (the pending list comes from it)", check=cid,
                       key="when_pending", line=lines.array_item("check", i, "when_pending"))
        checks.append(CheckSpec(id=cid, uses=common.uses, config=cfg, severity=common.severity,
                                timeout=common.timeout, when_pending=common.when_pending, line=line))

    # waivers
    raw_waivers = data.get("waiver", [])
    if not isinstance(raw_waivers, list):
        raise fail("expected an array of tables ([[waiver]])", key="waiver")
    waivers: list[Waiver] = []
    for i, entry in enumerate(raw_waivers):
        line = lines.array_item("waiver", i)
        if not isinstance(entry, dict):
            raise fail("expected a table", key=f"waiver[{i}]", line=line)
        try:
            w = build(Waiver, expand_env(entry, f"waiver[{i}]", environ), prefix=f"waiver[{i}].")
        except KeyError_ as e:
            raise fail(e.message, key=e.key,
                       line=lines.array_item("waiver", i, e.key.removeprefix(f"waiver[{i}].")) or line) from None
        if w.check not in seen:
            raise fail(f"waiver names check {w.check!r}, which the config does not define", key=f"waiver[{i}].check",
                       line=lines.array_item("waiver", i, "check"))
        w.line = line
        waivers.append(w)
    return Config(file=file, targets=targets, checks=checks, waivers=waivers, run=run)


def _flag(target: str) -> str:
    return {"database": "dsn", "image": "image", "migrations": "migrations"}[target]


def _apply_overrides(targets: TargetsConfig, overrides: dict[str, str | None]) -> None:
    """``--dsn``, ``--image`` and ``--migrations`` replace the config's values; their relative paths resolve
    against the working directory, where the user typed them."""
    cwd = Path.cwd()
    if overrides.get("dsn") is not None:
        if targets.database is None:
            targets.database = DatabaseTarget()
        targets.database.dsn = overrides["dsn"] or ""
    if overrides.get("image") is not None:
        ref = overrides["image"] or ""
        if targets.image is None:
            targets.image = ImageTarget(ref=ref)
        else:
            targets.image.ref = ref
        targets.image.base_dir = cwd
    if overrides.get("migrations") is not None:
        source = overrides["migrations"] or ""
        if targets.migrations is None:
            raise ConfigError("--migrations needs [targets.migrations] in the config to say which runner "
                              "(tracking) the migrations use")
        targets.migrations.source = source
        targets.migrations.base_dir = cwd
