"""Flyway (SQL migrations), PostgreSQL.

- Files (searched recursively through the location): versioned ``V<version>__<description>.sql`` and
  repeatable ``R__<description>.sql``. In the version ``_`` stands for ``.`` (``V1_1__x.sql`` is version 1.1);
  versions compare part by part as integers, so 1.10 runs after 1.9, and trailing zeros do not count (1.0 is
  1). A version that is not digits and dots stops Flyway. The description is the rest of the name with ``_``
  read as a space. ``U`` (undo) and ``B`` (baseline) migrations, callbacks (``beforeMigrate.sql``,
  ``afterMigrate__x.sql``) and script config files (``V1__x.sql.conf``) are not migrations to run.
- Order: pending versioned migrations by version, then pending repeatable migrations by description.
- Checksum: CRC32 over the file's lines without their terminators (``\\n``, ``\\r\\n`` and ``\\r`` all end a
  line), UTF-8, a leading byte-order mark removed, stored as a signed 32-bit integer.
- Execution: each migration in its own transaction ("file"), unless its ``.sql.conf`` says
  ``executeInTransaction=false``, or every statement in it is one PostgreSQL cannot run in a transaction
  (``CREATE INDEX CONCURRENTLY``, ``VACUUM``, ...): Flyway detects those and runs the file without one ("none").
- Tracking: ``flyway_schema_history (installed_rank INT NOT NULL, version VARCHAR(50), description VARCHAR(200)
  NOT NULL, type VARCHAR(20) NOT NULL, script VARCHAR(1000) NOT NULL, checksum INTEGER, installed_by
  VARCHAR(100) NOT NULL, installed_on TIMESTAMP NOT NULL DEFAULT now(), execution_time INTEGER NOT NULL,
  success BOOLEAN NOT NULL)``, one row per run. ``migrate`` validates first and refuses on a failed migration
  (``success = false``), a checksum or description that changed since it was applied, or a resolved migration
  older than the current version that was never applied (unless ``outOfOrder``). A ``BASELINE`` row makes
  every version up to it count as applied.
- Java migrations (``V44_1__Name.java`` sources, or compiled ``V44_1__Name.class``; nested ``$`` classes are
  not migrations) are listed in version order with the SQL ones and named as not linted: Flyway records them as
  type ``JDBC`` with no checksum.
- ``config_file`` (``flyway.conf`` or ``flyway.toml``, see ``flyway_config``): its ``filesystem:`` locations are
  read (instead of ``source``, unless that is an ``image:`` one), its table and schema name the history table,
  its placeholders are replaced in the SQL preflight lints (an unknown one stops Flyway: "No value provided for
  placeholder"), and a repeatable migration's checksum is taken after replacement, as Flyway takes it.
  ``outOfOrder = true`` makes an older pending migration information instead of a refusal; ``mixed = true``
  runs a file that has any statement PostgreSQL cannot run in a transaction without one.
"""

from __future__ import annotations

import functools
import json
import re
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from preflight.errors import ReaderError
from preflight.migrations.model import Applied, Migration, Problem, Scan, TrackingState, decode, file_facts
from preflight.migrations.runners.base import Row, Runner, duplicate_problem, unparsable_problem
from preflight.migrations.runners.flyway_config import (
    FlywayConfig,
    PlaceholderError,
    read_flyway_config,
    replace_placeholders,
)
from preflight.migrations.source import IMAGE_PREFIX, Source, SourceFile, directory_source

if TYPE_CHECKING:
    from preflight.targets import MigrationsTarget, Targets

BOM = b"\xef\xbb\xbf"
VERSION_RE = re.compile(r"[0-9]+(\.[0-9]+)*")
CALLBACK_RE = re.compile(r"(before|after)[A-Z][A-Za-z]*(__.*)?\.sql")
MAX_DESCRIPTION = 200


def flyway_checksum(data: bytes) -> int:
    """Flyway's checksum of a migration file.

    Flyway reads the file line by line (``BufferedReader.readLine``, whose terminators are ``\\n``, ``\\r`` and
    ``\\r\\n``), drops a leading byte-order mark and feeds each line's UTF-8 bytes, without its terminator, to one
    CRC32; the result is cast to a Java ``int``. Every ``\\r`` and ``\\n`` is part of some terminator, so this is
    the CRC32 of the text with all of them removed.
    """
    text = data.decode("utf-8", errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    raw = text.encode("utf-8").replace(b"\r", b"").replace(b"\n", b"")
    value = zlib.crc32(raw)
    return value - 2**32 if value >= 2**31 else value


@functools.lru_cache(maxsize=65536)
def version_key(version: str) -> tuple[int, ...] | None:
    """Flyway's MigrationVersion ordering: integer parts, trailing zeros dropped (1.0 == 1, 1.9 < 1.10)."""
    normalized = version.replace("_", ".")
    if not VERSION_RE.fullmatch(normalized):
        return None
    parts = [int(p) for p in normalized.split(".")]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def abbreviate(description: str) -> str:
    """Flyway stores at most 200 characters of a description, ending a longer one in "..."."""
    return description if len(description) <= MAX_DESCRIPTION else description[: MAX_DESCRIPTION - 3] + "..."




def _cannot_run_in_transaction(stmt: dict[str, Any]) -> bool:
    """Flyway's PostgreSQL parser: statements it runs outside a transaction."""
    kind, body = next(iter(stmt.items()))
    if kind in ("CreatedbStmt", "DropdbStmt", "CreateTableSpaceStmt", "DropTableSpaceStmt",
                "CreateSubscriptionStmt", "DropSubscriptionStmt", "AlterSystemStmt"):
        return True
    if kind == "IndexStmt":
        return bool(body.get("concurrent"))
    if kind == "DropStmt":
        return bool(body.get("concurrent")) and body.get("removeType") == "OBJECT_INDEX"
    if kind == "ReindexStmt":
        return body.get("kind") in ("REINDEX_OBJECT_SCHEMA", "REINDEX_OBJECT_DATABASE", "REINDEX_OBJECT_SYSTEM")
    if kind == "VacuumStmt":
        return bool(body.get("is_vacuumcmd"))
    if kind == "DiscardStmt":
        return body.get("target") == "DISCARD_ALL"
    return False


def runs_outside_transaction(sql: str, mixed: bool = False) -> bool:
    """True when every statement of ``sql`` is one Flyway runs outside a transaction, so it runs the whole file
    without one. A file mixing both kinds is refused by Flyway unless ``mixed = true`` (then any such statement
    is enough); without it, it stays "file" here, which is what makes the lint flag it."""
    low = sql.lower()
    # Words without which none of those statements can be written: a cheap filter before pglast parses.
    if not ("concurrently" in low or "vacuum" in low or "database" in low or "tablespace" in low
            or "subscription" in low or "system" in low or "discard" in low):
        return False
    from pglast.parser import ParseError, parse_sql_json

    try:
        tree = json.loads(parse_sql_json(sql))
    except (ParseError, RecursionError):  # unknown: the lint reports the file; Flyway's default stands
        return False
    stmts = [s["stmt"] for s in tree.get("stmts", []) if "stmt" in s]
    if mixed:
        return any(_cannot_run_in_transaction(s) for s in stmts)
    return bool(stmts) and all(_cannot_run_in_transaction(s) for s in stmts)


def _conf_says_no_transaction(data: bytes) -> bool:
    for line in decode(data).splitlines():
        key, sep, value = line.partition("=")
        key = key.strip().removeprefix("flyway.")
        if sep and key == "executeInTransaction":
            return value.strip().lower() == "false"
    return False


@dataclass
class _Named:
    kind: str  # "V" or "R"
    version: str
    description: str
    java: bool = False


def parse_name(basename: str) -> _Named | str | None:
    """A versioned or repeatable migration's name parts; "ignore" for files Flyway reads but does not migrate
    with (undo, baseline, callbacks, script config); an error text for a name Flyway refuses; None when it
    matches no Flyway naming rule."""
    java = basename.endswith((".java", ".class"))
    if java:
        if "$" in basename:
            return "ignore"  # a nested or anonymous class, not a migration
        stem = basename.rpartition(".")[0]
    elif not basename.endswith(".sql"):
        return "ignore" if basename.endswith(".sql.conf") else None
    elif basename[:1] in ("b", "a") and CALLBACK_RE.fullmatch(basename):
        return "ignore"
    else:
        stem = basename[: -len(".sql")]
    prefix = stem[:1]
    if prefix not in ("V", "R", "U", "B") or "__" not in stem:
        return None
    version, _, description = stem[1:].partition("__")
    if prefix in ("U", "B"):
        return "ignore"
    description = description.replace("_", " ")
    if prefix == "R":
        if version:
            return f"a repeatable migration has no version, but {basename!r} has {version!r}"
        return _Named("R", "", description, java)
    if not version:
        return f"{basename!r} has no version after its V prefix"
    if version_key(version) is None:
        return f"version {version!r} of {basename!r} may only contain digits and dots (or underscores)"
    return _Named("V", version.replace("_", "."), description, java)


JAVA_NOT_SQL = "a Java migration: Flyway runs its code, whose SQL is built when it runs"


class Flyway(Runner):
    name = "flyway"
    naming = "V<version>__<description>.sql (V1_1__create_users.sql) or R__<description>.sql"
    table = "flyway_schema_history"
    columns = {"installed_rank": "installed_rank", "version": "version", "description": "description",
               "type": "type", "script": "script", "checksum": "checksum", "success": "success"}
    column_types = {"installed_rank": "int", "version": "text", "description": "text", "type": "text",
                    "script": "text", "checksum": "int", "success": "bool"}
    column_sql = ("(installed_rank INT NOT NULL, version VARCHAR(50), description VARCHAR(200) NOT NULL, type "
                  "VARCHAR(20) NOT NULL, script VARCHAR(1000) NOT NULL, checksum INTEGER, installed_by "
                  "VARCHAR(100) NOT NULL, installed_on TIMESTAMP NOT NULL DEFAULT now(), execution_time INTEGER "
                  "NOT NULL, success BOOLEAN NOT NULL)")
    order_by = "installed_rank"
    default_transaction = "file"
    recursive = True

    options = ("config_file",)

    def __init__(self, target: MigrationsTarget):
        super().__init__(target)
        self.config: FlywayConfig | None = None
        if target.config_file:
            self.config = read_flyway_config(target.resolve(target.config_file), target.config_file)

    def table_name(self) -> str:
        return self.target.table or (self.config.table if self.config and self.config.table else self.table)

    def schema_name(self) -> str | None:
        return self.target.schema or (self.config.schema if self.config else None)

    def open_source(self, targets: Targets) -> Source:
        conf = self.config
        spec = self.target.source
        if conf is None or spec.startswith(IMAGE_PREFIX):
            return super().open_source(targets)
        dirs = [loc.split(":", 1)[1] if ":" in loc else loc for loc in conf.locations
                if loc.startswith("filesystem:") or ":" not in loc]
        if not dirs:
            if not spec:
                raise ReaderError(f"{conf.file} names no filesystem: location: set [targets.migrations] source "
                                  "to the directory of the migrations")
            return super().open_source(targets)
        files: list[SourceFile] = []
        for d in dirs:
            root = (conf.directory / d).absolute()
            part = directory_source(d, root, self.target.base_dir, True)
            files += [SourceFile(f"{part.display}/{f.name}", f.display, f.path) for f in part.files]
        shown = ", ".join(d for d in dirs)
        return Source(spec or shown, shown, files)

    def _builtins(self, name: str) -> dict[str, str]:
        schema = self.schema_name() or "public"
        out = {"flyway:defaultSchema": schema, "flyway:table": self.table_name(), "flyway:filename": name,
               "flyway:environment": "default", "flyway:timestamp": "1970-01-01 00:00:00",
               "flyway:workingDirectory": str(self.config.directory if self.config else self.target.base_dir)}
        if self.config is not None and self.config.user:
            out["flyway:user"] = self.config.user
        return out

    def scan(self, source: Source) -> Scan:
        scan = Scan()
        conf = self.config
        if conf is not None:
            classpath = [loc for loc in conf.locations if loc.startswith("classpath:")]
            if classpath:
                scan.notes.append(f"{conf.file}: {', '.join(classpath)} {'is' if len(classpath) == 1 else 'are'} "
                                  "on the application's classpath: read only what source points at")
            if conf.unread:
                scan.notes.append(f"{conf.file}: {', '.join(conf.unread)} not taken into account")
        confs = {f.name[: -len(".conf")]: f for f in source.files if f.name.endswith(".sql.conf")}
        versioned: list[tuple[tuple[int, ...], Migration]] = []
        repeatable: list[Migration] = []
        for f in source.files:
            named = parse_name(f.basename)
            if named is None:
                scan.unmatched.append(f.display)
                continue
            if named == "ignore":
                continue
            stem = f.basename.rpartition(".")[0]
            if isinstance(named, str):
                scan.problems.append(unparsable_problem(self.name, f.display, stem, named))
                continue
            data = f.read()
            sha, lines = file_facts(data)
            if named.java:
                m = Migration(named.version, stem, f.display, f.path, sha, lines, "", 1, self.transaction,
                              repeatable=named.kind == "R", description=named.description, not_sql=JAVA_NOT_SQL)
            else:
                text = decode(data)
                text = text[1:] if text.startswith("\ufeff") else text
                checksum = flyway_checksum(data)
                if conf is not None and conf.placeholder_replacement:
                    try:
                        text = replace_placeholders(text, conf, self._builtins(f.basename))
                    except PlaceholderError as e:
                        scan.problems.append(unparsable_problem(self.name, f.display, stem, f"{e} (set it in "
                                                                f"{conf.file})"))
                    if named.kind == "R":
                        # Flyway takes a repeatable migration's checksum after replacement, so that it runs
                        # again when a placeholder's value changes.
                        checksum = flyway_checksum(text.encode("utf-8"))
                script_conf = confs.get(f.name)
                no_tx = script_conf is not None and _conf_says_no_transaction(script_conf.read())
                if not no_tx and self.transaction == "file":
                    no_tx = runs_outside_transaction(text, mixed=conf is not None and conf.mixed)
                transaction = "none" if no_tx else self.transaction
                m = Migration(named.version, stem, f.display, f.path, sha, lines, text, 1, transaction,
                              repeatable=named.kind == "R", checksum=checksum, description=named.description)
            if named.kind == "R":
                repeatable.append(m)
            else:
                key = version_key(named.version)
                assert key is not None
                versioned.append((key, m))
        versioned.sort(key=lambda item: item[0])
        seen: dict[tuple[int, ...], list[Migration]] = {}
        for key, m in versioned:
            seen.setdefault(key, []).append(m)
        for group in seen.values():
            if len(group) > 1:
                scan.problems.append(duplicate_problem(
                    self.name, group[0].version, [m.file for m in group],
                    f"Flyway refuses to migrate (\"Found more than one migration with version {group[0].version}\")"))
        repeatable.sort(key=lambda m: m.description or "")
        by_desc: dict[str, list[Migration]] = {}
        for m in repeatable:
            by_desc.setdefault(m.description or "", []).append(m)
        for desc, group in by_desc.items():
            if len(group) > 1:
                scan.problems.append(Problem(
                    kind="duplicate-version",
                    message=(f"repeatable migrations {', '.join(m.file for m in group)} share the description "
                             f"{desc!r}: Flyway refuses to migrate (\"Found more than one repeatable migration "
                             f"with description\")"),
                    remediation="give each repeatable migration its own description",
                    migration=group[1].name, file=group[1].file))
        scan.migrations = [m for _k, m in versioned] + repeatable
        return scan

    def evaluate(self, scan: Scan, rows: list[Row] | None, table: str) -> TrackingState:
        migrations = scan.migrations
        if rows is None:
            return TrackingState(table=table, table_exists=False, rows=0, applied=[], pending=list(migrations))
        versioned: dict[tuple[int, ...], Migration] = {}
        repeatable: dict[str, Migration] = {}
        for m in migrations:
            if m.repeatable:
                repeatable.setdefault(m.description or "", m)
            else:
                key = version_key(m.version)
                assert key is not None
                versioned.setdefault(key, m)

        rows_v: dict[tuple[int, ...] | str, Row] = {}
        rows_r: dict[str, Row] = {}
        baseline: tuple[int, ...] | None = None
        for row in rows:
            kind = str(row["type"] or "").upper()
            if kind == "SCHEMA":
                continue
            if row["version"] is None:
                desc = str(row["description"] or "")
                if kind == "DELETE":
                    rows_r.pop(desc, None)
                else:
                    rows_r[desc] = row
                continue
            vkey: tuple[int, ...] | str = version_key(str(row["version"])) or str(row["version"])
            if kind == "DELETE" or kind.startswith("UNDO"):
                rows_v.pop(vkey, None)
                continue
            rows_v[vkey] = row
            if "BASELINE" in kind and isinstance(vkey, tuple) and row["success"]:
                baseline = max(baseline, vkey) if baseline is not None else vkey

        problems: list[Problem] = []
        for vkey, row in rows_v.items():
            if not row["success"]:
                fm = versioned.get(vkey) if isinstance(vkey, tuple) else None
                label = fm.name if fm is not None else f"version {row['version']} ({row['script']})"
                problems.append(Problem(
                    kind="failed",
                    message=(f"Flyway recorded a failed run of {label} (success = false in {table}): migrate "
                             f"refuses to run (\"Detected failed migration to version {row['version']}\")"),
                    remediation=(f"undo what the failed run of {label} changed, then remove the failed row with "
                                 "`flyway repair` before migrating again"),
                    migration=fm.name if fm is not None else str(row["version"]), file=fm.file if fm else None))
        for desc, row in rows_r.items():
            if not row["success"]:
                rm = repeatable.get(desc)
                problems.append(Problem(
                    kind="failed",
                    message=(f"Flyway recorded a failed run of repeatable migration {desc!r} (success = false in "
                             f"{table})"),
                    remediation="fix the cause, then run `flyway repair` before migrating again",
                    migration=rm.name if rm is not None else desc, file=rm.file if rm else None))

        succeeded_v = {k: r for k, r in rows_v.items() if r["success"]}
        keys = [k for k in succeeded_v if isinstance(k, tuple)]
        current = max(keys) if keys else None

        applied_rows: list[tuple[int, Applied]] = []
        ahead: list[Applied] = []
        for vkey, row in succeeded_v.items():
            vm = versioned.get(vkey) if isinstance(vkey, tuple) else None
            a = Applied(str(row["version"]), vm, script=str(row["script"]))
            if "BASELINE" not in str(row["type"]).upper():
                if vm is None:
                    ahead.append(a)
                else:
                    m = vm
                    if row["checksum"] != m.checksum:
                        problems.append(Problem(
                            kind="checksum-mismatch",
                            message=(f"{m.file} changed after it was applied: Flyway recorded checksum "
                                     f"{row['checksum']} for version {m.version}, the file now has {m.checksum}; "
                                     "migrate refuses to run (\"Migration checksum mismatch\")"),
                            remediation=("restore the file as it was applied and put the change in a new migration; "
                                         "if the edit is harmless (a comment), run `flyway repair` to record the "
                                         "new checksum"),
                            migration=m.name, file=m.file))
                    if abbreviate(m.description or "") != str(row["description"]):
                        problems.append(Problem(
                            kind="description-mismatch",
                            message=(f"{m.file} was renamed after it was applied: Flyway recorded the description "
                                     f"{row['description']!r} for version {m.version}, the file now says "
                                     f"{m.description!r} (\"Migration description mismatch\")"),
                            remediation="restore the file name, or run `flyway repair` to record the new one",
                            migration=m.name, file=m.file))
            applied_rows.append((int(row["installed_rank"]), a))
        for desc, row in rows_r.items():
            if not row["success"]:
                continue
            a = Applied(desc, repeatable.get(desc), script=str(row["script"]))
            if a.migration is None:
                ahead.append(a)
            applied_rows.append((int(row["installed_rank"]), a))
        applied_rows.sort(key=lambda item: item[0])
        applied = [a for _rank, a in applied_rows]
        if ahead:
            names = ", ".join(a.script or a.version for a in ahead[:10])
            problems.append(Problem(
                kind="ahead",
                message=(f"the database is ahead of this release: {table} records {len(ahead)} applied migration"
                         f"{'s' if len(ahead) != 1 else ''} this release does not have: {names}"),
                remediation=("an older release is rolling out against a newer schema: roll out a release that "
                             "contains these migrations; if they were removed on purpose, mark them deleted with "
                             "`flyway repair` first"),
                migration=ahead[0].version))

        pending: list[Migration] = []
        ignored: list[Migration] = []
        for key, m in versioned.items():
            if key in succeeded_v:
                continue
            if baseline is not None and key <= baseline:
                continue  # below the baseline: Flyway never runs it
            if current is not None and key < current:
                ignored.append(m)
            pending.append(m)
        pending.sort(key=lambda m: version_key(m.version) or ())
        if ignored and self.config is not None and self.config.out_of_order:
            problems.append(Problem(
                kind="out-of-order", severity="info",
                message=(f"Flyway will apply {', '.join(m.name for m in ignored)} out of order (outOfOrder = true in "
                         f"{self.config.file}): older than the current version"),
                remediation="make sure it does not depend on running before the newer migrations",
                migration=ignored[0].name, file=ignored[0].file))
        elif ignored:
            names = ", ".join(m.name for m in ignored)
            problems.append(Problem(
                kind="out-of-order",
                message=(f"Flyway will refuse to migrate: {names} {'is' if len(ignored) == 1 else 'are'} older than "
                         f"the current version {succeeded_v[current]['version'] if current else ''} and never "
                         "applied (\"Detected resolved migration not applied to database\")"),
                remediation=("give the migration a version above the current one, or set outOfOrder=true to let "
                             "Flyway apply it out of order"),
                migration=ignored[0].name, file=ignored[0].file))
        for desc, m in sorted(repeatable.items()):
            last = rows_r.get(desc)
            if last is None or not last["success"] or last["checksum"] != m.checksum:
                pending.append(m)
        return TrackingState(table=table, table_exists=True, rows=len(rows), applied=applied, pending=pending,
                             problems=problems,
                             current=str(succeeded_v[current]["version"]) if current is not None else None)
