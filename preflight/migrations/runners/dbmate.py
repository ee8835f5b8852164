"""dbmate (github.com/amacneil/dbmate), PostgreSQL driver.

- Files: ``^(\\d+).*\\.sql$`` (``20240101120000_create_users.sql``); the version is the leading digits, kept
  as a string (``001`` and ``1`` are different versions). Other files are ignored.
- Order: file name, byte order (not numeric: ``10_x.sql`` runs before ``9_x.sql``).
- Sections: ``-- migrate:up`` and ``-- migrate:down`` directives at the start of a line, options after the
  directive (``-- migrate:up transaction:false``). The up block runs from its directive to the down directive.
  dbmate requires both blocks, up first, and nothing but comments before the first one. Recent releases allow
  several up/down pairs in one file, each with its own options.
- Execution: each up block is one ``Exec`` inside a transaction dbmate opens ("file"), or without one with
  ``transaction:false`` ("none").
- Tracking: ``create table if not exists schema_migrations (version varchar primary key)`` (releases before
  2.x: ``varchar(255)``) in the first schema of the URL's ``search_path`` or ``current_schema()``; one row per
  applied version. Every pending migration runs, also one older than the newest applied (``--strict`` makes
  that an error).
"""

from __future__ import annotations

import re

from preflight.migrations.model import Applied, Migration, Problem, Scan, TrackingState, decode, file_facts
from preflight.migrations.runners.base import (
    Row,
    Runner,
    ahead_problems,
    duplicate_problem,
    unparsable_problem,
)
from preflight.migrations.source import Source

FILE_RE = re.compile(r"([0-9]+).*\.sql")
_WS = "[\t\n\f\r ]"
UP_RE = re.compile(rf"^--{_WS}*migrate:up({_WS}*$|{_WS}+[^\t\n\f\r ]+)", re.M)
DOWN_RE = re.compile(rf"^--{_WS}*migrate:down({_WS}*$|{_WS}+[^\t\n\f\r ]+)", re.M)
DIRECTIVE_RE = re.compile(rf"^--{_WS}*migrate:(up|down)")


class DbmateParseError(ValueError):
    pass


def _options(block: str) -> dict[str, str]:
    first = block.split("\n", 1)[0]
    first = DIRECTIVE_RE.sub("", first, count=1).strip()
    options = {}
    for pair in first.split():
        parts = pair.split(":")
        if len(parts) == 2:
            options[parts[0]] = parts[1]
    return options


def parse_dbmate(text: str) -> list[tuple[int, int, bool]]:
    """The up blocks as (start offset, end offset, in a transaction), following dbmate's parser."""
    ups = [m.start() for m in UP_RE.finditer(text)]
    if not ups:
        raise DbmateParseError("no '-- migrate:up' directive (dbmate requires an up block)")
    for line in text[: ups[0]].split("\n"):
        if line.strip() and not line.lstrip().startswith("--"):
            raise DbmateParseError("statements before the '-- migrate:up' directive")
    blocks = []
    for i, start in enumerate(ups):
        end = ups[i + 1] if i + 1 < len(ups) else len(text)
        section = text[start:end]
        downs = [m.start() for m in DOWN_RE.finditer(section)]
        if len(downs) > 1:
            raise DbmateParseError("two '-- migrate:down' directives in one section")
        if not downs:
            raise DbmateParseError("no '-- migrate:down' directive (dbmate requires a down block)")
        up_block = section[: downs[0]]
        blocks.append((start, start + downs[0], _options(up_block).get("transaction") != "false"))
    return blocks


class Dbmate(Runner):
    name = "dbmate"
    naming = "VERSION*.sql starting with digits (20240101120000_create_users.sql)"
    table = "schema_migrations"
    columns = {"version": "version"}
    column_types = {"version": "text"}
    column_sql = "(version varchar primary key)"
    default_transaction = "file"

    def scan(self, source: Source) -> Scan:
        scan = Scan()
        by_version: dict[str, list[str]] = {}
        for f in source.files:
            m = FILE_RE.fullmatch(f.name)
            if m is None:
                scan.unmatched.append(f.display)
                continue
            version = m.group(1)
            by_version.setdefault(version, []).append(f.display)
            data = f.read()
            sha, lines = file_facts(data)
            text = decode(data)
            stem = f.name[: -len(".sql")]
            try:
                blocks = parse_dbmate(text)
            except DbmateParseError as e:
                scan.problems.append(unparsable_problem(self.name, f.display, stem, str(e)))
                scan.migrations.append(Migration(version, stem, f.display, f.path, sha, lines, "", 1,
                                                 self.transaction))
                continue
            first, last = blocks[0][0], blocks[-1][1]
            sql = text[first:last]
            if len(blocks) > 1:
                # Several up/down pairs: keep the up blocks where they stand, blank the down blocks between
                # them to their newlines, so that line numbers in `sql` still match the file.
                parts = []
                for i, (start, end, _tx) in enumerate(blocks):
                    parts.append(text[start:end])
                    if i + 1 < len(blocks):
                        parts.append("\n" * text.count("\n", end, blocks[i + 1][0]))
                sql = "".join(parts)
            in_tx = all(tx for _s, _e, tx in blocks)
            scan.migrations.append(Migration(version, stem, f.display, f.path, sha, lines, sql,
                                             text.count("\n", 0, first) + 1,
                                             self.transaction if in_tx else "none"))
        for version, files in sorted(by_version.items()):
            if len(files) > 1:
                scan.problems.append(duplicate_problem(
                    self.name, version, files,
                    "dbmate records only the version, so once one of them runs the others count as applied and "
                    "never run"))
        # dbmate sorts by file name; the source lists files in byte order already.
        return scan

    def evaluate(self, scan: Scan, rows: list[Row] | None, table: str) -> TrackingState:
        migrations = scan.migrations
        if rows is None:
            return TrackingState(table=table, table_exists=False, rows=0, applied=[], pending=list(migrations))
        versions = sorted({str(r["version"]) for r in rows if r["version"] is not None})
        by_version: dict[str, Migration] = {}
        for m in migrations:
            by_version.setdefault(m.version, m)
        applied = [Applied(v, by_version.get(v)) for v in versions]
        problems = ahead_problems(self.name, table, applied, migrations[-1] if migrations else None)
        done = set(versions)
        pending = [m for m in migrations if m.version not in done]
        newest = versions[-1] if versions else None
        if newest is not None:
            older = [m for m in pending if m.version <= newest]
            if older:
                problems.append(Problem(
                    kind="out-of-order", severity="info",
                    message=(f"dbmate will apply {', '.join(m.name for m in older)} out of order: older than the "
                             f"newest applied version {newest} (`dbmate --strict` would refuse)"),
                    remediation="make sure it does not depend on running before the newer migrations",
                    migration=older[0].name, file=older[0].file))
        return TrackingState(table=table, table_exists=True, rows=len(rows), applied=applied, pending=pending,
                             problems=problems, current=newest)
