"""Prisma Migrate (``prisma migrate deploy``), PostgreSQL.

- Files: one directory per migration in ``prisma/migrations`` (``20240101120000_init/``), its SQL in
  ``migration.sql``; ``migration_lock.toml`` and other files at the top are not migrations. The directory's name
  is the migration's name. A directory without ``migration.sql`` stops ``migrate deploy``.
- Order: directory name.
- Execution: the schema engine sends ``migration.sql`` as one simple query (``simple_query``): an implicit
  transaction ("implicit").
- Checksum: SHA-256 of ``migration.sql``, hex; a script whose only difference is ``\\n`` against ``\\r\\n`` still
  matches, and rows written by early engines hold the hex without zero padding.
- Tracking: ``_prisma_migrations (id VARCHAR(36) PRIMARY KEY, checksum VARCHAR(64) NOT NULL, finished_at
  TIMESTAMPTZ, migration_name VARCHAR(255) NOT NULL, logs TEXT, rolled_back_at TIMESTAMPTZ, started_at
  TIMESTAMPTZ NOT NULL DEFAULT now(), applied_steps_count INTEGER NOT NULL DEFAULT 0)``: a row is written when a
  migration starts and ``finished_at`` set when it succeeds. ``migrate deploy`` refuses to run while a row has
  neither ``finished_at`` nor ``rolled_back_at`` (P3009, "migrate found failed migrations"), then applies every
  directory with no row that is not rolled back. It does not compare checksums (``migrate dev`` does) and
  ignores rows whose directory is gone.
"""

from __future__ import annotations

import hashlib

from preflight.migrations.model import Applied, Migration, Problem, Scan, TrackingState, decode, file_facts
from preflight.migrations.runners.base import Row, Runner, ahead_problems, unparsable_problem
from preflight.migrations.source import Source, SourceFile

SCRIPT = "migration.sql"


def prisma_checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def checksum_matches(data: bytes, recorded: str) -> bool:
    """The schema engine's comparison: the script as is, with ``\\r\\n`` made ``\\n``, or ``\\n`` made
    ``\\r\\n``; a recorded value shorter than 64 characters is the old unpadded hex."""
    candidates = (data, data.replace(b"\r\n", b"\n"), data.replace(b"\n", b"\r\n"))
    for c in candidates:
        digest = hashlib.sha256(c).digest()
        text = digest.hex() if not recorded or len(recorded) == 64 else "".join(f"{b:x}" for b in digest)
        if text == recorded:
            return True
    return False


class Prisma(Runner):
    name = "prisma"
    table = "_prisma_migrations"
    columns = {"id": "id", "checksum": "checksum", "migration_name": "migration_name",
               "finished_at": "finished_at", "rolled_back_at": "rolled_back_at", "started_at": "started_at",
               "logs": "logs"}
    column_types = {"id": "text", "checksum": "text", "migration_name": "text", "finished_at": "time",
                    "rolled_back_at": "time", "started_at": "time", "logs": "text"}
    column_sql = ("(id VARCHAR(36) PRIMARY KEY, checksum VARCHAR(64) NOT NULL, finished_at TIMESTAMPTZ, "
                  "migration_name VARCHAR(255) NOT NULL, logs TEXT, rolled_back_at TIMESTAMPTZ, started_at "
                  "TIMESTAMPTZ NOT NULL DEFAULT now(), applied_steps_count INTEGER NOT NULL DEFAULT 0)")
    order_by = "started_at"
    default_transaction = "implicit"
    recursive = True

    def scan(self, source: Source) -> Scan:
        scan = Scan()
        dirs: dict[str, dict[str, SourceFile]] = {}
        for f in source.files:
            head, sep, rest = f.name.partition("/")
            if not sep:
                if f.name != "migration_lock.toml":
                    scan.unmatched.append(f.display)
                continue
            entry = dirs.setdefault(head, {})
            if rest == SCRIPT:
                entry["script"] = f
            else:
                entry.setdefault("other", f)
        for name in sorted(dirs):
            script = dirs[name].get("script")
            if script is None:
                other = dirs[name].get("other")
                shown = other.display.rpartition("/")[0] if other is not None else name
                scan.problems.append(unparsable_problem(
                    self.name, shown, name,
                    f"the migration directory {name} has no {SCRIPT}: `prisma migrate deploy` stops there"))
                continue
            data = script.read()
            sha, lines = file_facts(data)
            scan.migrations.append(Migration(name, name, script.display, script.path, sha, lines, decode(data), 1,
                                             self.transaction, checksum_text=prisma_checksum(data)))
        return scan

    def evaluate(self, scan: Scan, rows: list[Row] | None, table: str) -> TrackingState:
        migrations = scan.migrations
        if rows is None:
            return TrackingState(table=table, table_exists=False, rows=0, applied=[], pending=list(migrations))
        by_name = {m.name: m for m in migrations}
        problems: list[Problem] = []
        live = [r for r in rows if r["rolled_back_at"] is None]
        for r in live:
            if r["finished_at"] is None:
                name = str(r["migration_name"])
                m = by_name.get(name)
                logs = str(r["logs"] or "").strip().splitlines()
                cause = f": {logs[-1][:300]}" if logs else ""
                problems.append(Problem(
                    kind="dirty",
                    message=(f"Prisma recorded {name} as started at {r['started_at']} and never finished (failed"
                             f"{cause}): `prisma migrate deploy` refuses to run (P3009, \"migrate found failed "
                             "migrations\")"),
                    remediation=(f"undo or finish what {name} changed by hand, then record it with `prisma migrate "
                                 f"resolve --rolled-back {name}` (to run it again) or `--applied {name}`"),
                    migration=name, file=m.file if m else None))
        applied_names = list(dict.fromkeys(str(r["migration_name"]) for r in live if r["finished_at"] is not None))
        applied = [Applied(n, by_name.get(n)) for n in applied_names]
        ahead = ahead_problems(self.name, table, applied, migrations[-1] if migrations else None)
        problems += [Problem(kind=p.kind, message=p.message + " (`prisma migrate deploy` does not notice)",
                             remediation=p.remediation, migration=p.migration) for p in ahead]
        for r in live:
            m = by_name.get(str(r["migration_name"]))
            if m is None or r["finished_at"] is None:
                continue
            recorded = str(r["checksum"] or "")
            if m.checksum_text != recorded and not checksum_matches(_read(m), recorded):
                problems.append(Problem(
                    kind="checksum-mismatch",
                    message=(f"{m.file} changed after it was applied: Prisma recorded SHA-256 {recorded[:12]}..., "
                             f"the file now has {(m.checksum_text or '')[:12]}...; the database was built from "
                             "another script than this release ships (`migrate deploy` does not check, `migrate "
                             "dev` would want to reset the database)"),
                    remediation=("restore the applied script and put the change in a new migration; if the edit is "
                                 "harmless, record the new script's checksum deliberately"),
                    migration=m.name, file=m.file))
        # A failed migration runs again once it is resolved as rolled back: it is pending too.
        finished = set(applied_names)
        pending = [m for m in migrations if m.name not in finished]
        return TrackingState(table=table, table_exists=True, rows=len(rows), applied=applied, pending=pending,
                             problems=problems, current=applied_names[-1] if applied_names else None)


def _read(m: Migration) -> bytes:
    # The scan kept the decoded text; the bytes are what the checksum is of (decode() is lossless for UTF-8).
    return m.sql.encode("utf-8")
