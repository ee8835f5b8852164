"""Loading and validating the config: targets, checks, waivers and run settings.

The config is TOML: ``preflight.toml`` in the working directory or a parent, a ``[tool.preflight]`` table in a
``pyproject.toml`` there, or ``--config PATH``. ``${VAR}`` and ``${VAR:-default}`` expand from the environment in
string values (``$${`` is a literal ``${``; any other ``${`` is an error). Every error names the file, the line
where it can be found, the check id and the key.

A config is untrusted input as much as a migration is: it is at most ``MAX_CONFIG_BYTES`` and nests at most
``MAX_NESTING`` arrays and inline tables deep (checked before the TOML parser, which recurses once per level),
and targets are checked for what can be checked without reaching them: the DSN's syntax, the image reference's
transport and platform.
"""

from __future__ import annotations

import datetime
import os
import re
import tomllib
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from functools import partial
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
    fleet_jobs: int = doc("How many members of a fleet are checked at once, each with its own sessions.",
                          default=8)

    def __post_init__(self) -> None:
        if self.jobs < 1:
            raise ValueError("jobs: must be at least 1")
        if self.fleet_jobs < 1:
            raise ValueError("fleet_jobs: must be at least 1")


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
    member: str | None = doc("In a fleet: waive only on the members whose name matches (name or glob).",
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
        if self.member:
            parts.append(f"member={self.member}")
        return " ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"check": self.check, "reason": self.reason, "expires": self.expires.isoformat()}
        if self.owner:
            out["owner"] = self.owner
        if self.rule:
            out["rule"] = self.rule
        if self.migration:
            out["migration"] = self.migration
        if self.member:
            out["member"] = self.member
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
    warnings: list[str] = field(default_factory=list)
    """What ``preflight validate`` reports without failing: environment variables that are not set (a run
    needs them; CI validates configs where secrets are absent)."""


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
                data = parse_toml(read_config_text(pyproject), pyproject)
            except ConfigError:
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

_VAR = re.compile(r"\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$\{")


class Environment:
    """Where ``${VAR}`` comes from, and what an unset one means: an error (``preflight run``), or (with
    ``unset="warn"``, ``preflight validate``) a warning naming it, the value read as empty."""

    def __init__(self, environ: dict[str, str] | os._Environ[str], unset: Literal["error", "warn"] = "error"):
        self.environ = environ
        self.unset = unset
        self.check: str | None = None
        """The id of the ``[[check]]`` being read, if any: its keys are named without a prefix."""
        self.missing: list[tuple[str | None, str, str]] = []
        """(check id, key, variable) of every unset variable met in "warn" mode, in config order."""

    def uses_unset(self, key: str, check: str | None = None) -> list[str]:
        """The unset variables the value of ``key`` (or a key inside it) uses."""
        return [name for c, k, name in self.missing
                if c == check and (k == key or k.startswith((key + ".", key + "[")))]


def expand_env(value: Any, key: str, env: dict[str, str] | os._Environ[str] | Environment) -> Any:
    environment = env if isinstance(env, Environment) else Environment(env)
    if isinstance(value, str):
        def sub(m: re.Match[str]) -> str:
            if m.group(0) == "$${":
                return "${"
            name, default = m.group(1), m.group(2)
            if name is None:
                raise KeyError_(key, "\"${\" starts no environment variable: write ${NAME} or ${NAME:-default} "
                                     "(a name of letters, digits and _, and the closing }), or $${ for a literal ${")
            if name in environment.environ:
                return environment.environ[name]
            if default is not None:
                return default
            if environment.unset == "warn":
                environment.missing.append((environment.check, key, name))
                return ""
            raise KeyError_(key, f"environment variable ${{{name}}} is not set and has no default "
                                 f"(write ${{{name}:-default}} to give one)")
        return _VAR.sub(sub, value) if "$" in value else value
    if isinstance(value, list):
        return [expand_env(v, f"{key}[{i}]", environment) for i, v in enumerate(value)]
    if isinstance(value, dict):
        return {k: expand_env(v, f"{key}.{k}" if key else k, environment) for k, v in value.items()}
    return value


# -- reading the TOML ----------------------------------------------------------------------------------------

MAX_CONFIG_BYTES = 4 << 20
"""A config is a few kilobytes; anything past this is not one."""
MAX_NESTING = 32
"""Arrays and inline tables nested deeper than this are refused before parsing: preflight's deepest key needs 3,
and the TOML parser recurses once per level (a few thousand levels exhaust Python's stack)."""

# What the nesting scan must step over: strings (multi-line first, as their quotes start the single-line forms
# too) and comments, whose brackets do not nest anything.
_TOML_TOKENS = re.compile(r'''"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^']|'(?!''))*\'\'\'|"(?:[^"\\\n]|\\.)*"|'[^'\n]*'|#[^\n]*|[\[\]{}]''',
                          re.S)


def nesting_depth(text: str, limit: int = MAX_NESTING) -> tuple[int, int]:
    """How deep ``text``'s arrays and inline tables nest (table headers count as one level), and the line where
    the depth first went past ``limit`` (0 when it did not). Only brackets outside strings and comments count;
    the TOML parser judges everything else."""
    depth = deepest = 0
    for m in _TOML_TOKENS.finditer(text):
        token = m.group()
        if token in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if depth > limit:
                    return deepest, text.count("\n", 0, m.start()) + 1
        elif token in "]}":
            depth = max(0, depth - 1)
    return deepest, 0


def read_config_text(path: Path) -> str:
    """The config file's text; :class:`ConfigError` naming it when it cannot be read, is not UTF-8, or is too
    big to be a config."""
    try:
        with path.open("rb") as f:
            data = f.read(MAX_CONFIG_BYTES + 1)
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such config file") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: cannot read: it is a directory, not a file") from None
    except OSError as e:
        raise ConfigError(f"{path}: cannot read: {e.strerror or e}") from None
    if len(data) > MAX_CONFIG_BYTES:
        raise ConfigError(f"{path}: more than {MAX_CONFIG_BYTES >> 20} MiB: too big to be a preflight config")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ConfigError(f"{path}: cannot read: not UTF-8 (byte {e.start})") from None


def parse_toml(text: str, path: Path | str) -> dict[str, Any]:
    """``text`` parsed as TOML; :class:`ConfigError` (one line, naming ``path``) for invalid TOML and for nesting
    deeper than ``MAX_NESTING``, which is refused before the parser meets it."""
    depth, line = nesting_depth(text)
    if line:
        raise ConfigError(f"{path}:{line}: arrays and inline tables nest more than {MAX_NESTING} deep: not a "
                          "preflight config")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: invalid TOML: {e}") from None
    except RecursionError:  # the scan above should have stopped it: never a traceback
        raise ConfigError(f"{path}: nests too deep for the TOML parser: not a preflight config") from None


# -- loading -----------------------------------------------------------------------------------------------

_TOP_KEYS = {"targets", "check", "waiver", "run"}
_TARGETS = {"database": DatabaseTarget, "image": ImageTarget, "migrations": MigrationsTarget,
            "rehearsal": RehearsalTarget}


def load(path: Path | None = None, *, env: dict[str, str] | None = None,
         overrides: dict[str, str | None] | None = None, require_file: bool = True,
         unset_env: Literal["error", "warn"] = "error", defer_dsn_check: bool = False) -> Config:
    """Load the config at ``path`` (or the one found from the working directory) and validate it fully:
    targets, every check's own keys against its type, and waivers.

    ``overrides`` (``--dsn``, ``--image``, ``--migrations``) replace the config's values before those are read,
    so an override satisfies a config whose value names an unset variable. ``unset_env="warn"`` (``preflight
    validate``) reads an unset ``${VAR}`` as empty and lists it in :attr:`Config.warnings` instead of failing.
    ``defer_dsn_check``: the DSN's syntax is checked by whoever reads the database first
    (:meth:`DatabaseTarget.check_dsn_once`), for a caller that must not import psycopg itself."""
    is_pyproject = False
    if path is None:
        found = find_config()
        if found is None:
            if require_file:
                raise ConfigError(f"no {CONFIG_NAME} here or in a parent directory, and no [tool.preflight] in a "
                                  "pyproject.toml (pass --config PATH, or run `preflight init`)")
            return _from_data({}, None, Path.cwd(), False, env, overrides, unset_env=unset_env,
                              defer_dsn_check=defer_dsn_check)
        path, is_pyproject = found
    else:
        is_pyproject = path.name == "pyproject.toml"
    text = read_config_text(path)
    data = parse_toml(text, path)
    if is_pyproject:
        tool = data.get("tool", {})
        if not isinstance(tool, dict) or not isinstance(tool.get("preflight"), dict):
            raise ConfigError(f"{path}: no [tool.preflight] table")
        data = tool["preflight"]
    return _from_data(data, path, path.parent.absolute(), is_pyproject, env, overrides, text=text,
                      unset_env=unset_env, defer_dsn_check=defer_dsn_check)


# The target keys a command-line override replaces: the config's value is never read then.
_OVERRIDDEN = {"dsn": ("database", "dsn"), "image": ("image", "ref"), "migrations": ("migrations", "source")}


def _from_data(data: dict[str, Any], path: Path | None, base_dir: Path, is_pyproject: bool,
               env: dict[str, str] | None, overrides: dict[str, str | None] | None,
               text: str = "", unset_env: Literal["error", "warn"] = "error",
               defer_dsn_check: bool = False) -> Config:
    file = str(path) if path else None
    lines = _Lines(text, prefix="tool.preflight." if is_pyproject else "")
    environ = Environment(os.environ if env is None else env, unset_env)
    overrides = overrides or {}

    def fail(msg: str, *, line: int | None = None, check: str | None = None, key: str | None = None) -> ConfigError:
        unset = environ.uses_unset(key, check) if key is not None else []
        if unset:
            msg += f" (it uses {', '.join(f'${{{n}}}' for n in unset)}, which {'is' if len(unset) == 1 else 'are'} " \
                   "not set)"
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
        table = {k: v for k, v in table.items()
                 if not any(overrides.get(o) is not None and (name, k) == t for o, t in _OVERRIDDEN.items())}
        for flag, (target_name, key) in _OVERRIDDEN.items():
            if name == target_name and overrides.get(flag) is not None:
                # The override gives it, below; a required source must not look missing meanwhile.
                table[key] = (overrides[flag] or "") if flag == "migrations" else ""
        try:
            target = build(_TARGETS[name], expand_env(table, f"targets.{name}", environ), prefix=f"targets.{name}.")
        except KeyError_ as e:
            raise fail(e.message, key=e.key,
                       line=lines.table_key(f"targets.{name}", e.key.removeprefix(f"targets.{name}."))) from None
        if hasattr(target, "base_dir"):
            target.base_dir = base_dir
        setattr(targets, name, target)
    _apply_overrides(targets, overrides)
    _check_targets(targets, overrides, environ, fail, lines, defer_dsn_check)

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
        environ.check = cid
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
    environ.check = None
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
    warnings = [ConfigError(f"environment variable ${{{name}}} is not set: `preflight run` will need it",
                            file=file, line=_key_line(lines, key, check, seen), check=check, key=key).message
                for check, key, name in environ.missing]
    return Config(file=file, targets=targets, checks=checks, waivers=waivers, run=run, warnings=warnings)


def _key_line(lines: _Lines, key: str, check: str | None, check_index: dict[str, int]) -> int | None:
    """The line of a key: ``query`` of a check, ``targets.database.dsn``, ``run.timeout``, ``waiver[1].reason``."""
    if check is not None:
        return lines.array_item("check", check_index.get(check, 0), key)
    m = re.match(r"waiver\[(\d+)\]\.?(.*)", key)
    if m:
        return lines.array_item("waiver", int(m.group(1)), m.group(2) or None)
    if key.startswith("targets."):
        table, _, leaf = key.partition(".")[2].partition(".")
        return lines.table_key(f"targets.{table}", leaf.split(".")[0] or None)
    table, _, leaf = key.partition(".")
    return lines.table_key(table, leaf or None)


def _check_targets(targets: TargetsConfig, overrides: dict[str, str | None], environ: Environment,
                   fail: Any, lines: _Lines, defer_dsn_check: bool = False) -> None:
    """What can be checked of the targets without reaching them: a malformed DSN, an unknown image transport or
    a malformed platform is a config error (exit 2), caught by ``preflight validate``, not a run that cannot
    decide (exit 3). A value built from an unset variable (``validate``) is not checked: it is not known."""
    checks: list[tuple[str, str, str, Any]] = []
    if targets.database is not None:
        dsn_check = ("dsn", "targets.database.dsn", targets.database.dsn, targets.database.check_dsn)
        if defer_dsn_check:
            # libpq's own parser means importing psycopg: left to whoever reads the database first.
            targets.database.deferred_dsn_check = partial(_check_targets_now, [dsn_check], overrides, environ, fail,
                                                          lines)
        else:
            checks.append(dsn_check)
    if targets.image is not None:
        checks.append(("image", "targets.image.ref", targets.image.ref, targets.image.check_ref))
        if targets.image.platform is not None:
            checks.append(("", "targets.image.platform", targets.image.platform, targets.image.check_platform))
    _check_targets_now(checks, overrides, environ, fail, lines)


def _check_targets_now(checks: list[tuple[str, str, str, Any]], overrides: dict[str, str | None],
                       environ: Environment, fail: Any, lines: _Lines) -> None:
    for flag, key, value, check in checks:
        from_flag = flag and overrides.get(flag) is not None
        if not from_flag and environ.uses_unset(key):
            continue
        try:
            check()
        except ValueError as e:
            if from_flag:
                shown = "" if flag == "dsn" else f" {value!r}"  # a DSN may hold a password: never echoed
                raise ConfigError(f"--{flag}{shown}: {e}") from None
            table, _, leaf = key.rpartition(".")
            raise fail(str(e), key=key, line=lines.table_key(table, leaf)) from None


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
        targets.database.fleet = None  # --dsn checks that one database instead of the fleet
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
