"""Atlas versioned migrations (``atlas migrate apply``), PostgreSQL.

- Files: ``*.sql`` in the migration directory (not its subdirectories), in name order; the version is the
  name up to the first ``_`` (``20240101120000_init.sql`` is version ``20240101120000``), compared as text.
- Integrity: ``atlas.sum`` holds ``h1:<sum>`` then one ``<file> h1:<hash>`` line per file. A file's hash is
  base64 SHA-256 over every name and content up to it (a running hash: one edited file changes its own line
  and all later ones); the sum hashes the lines. A file whose header says ``atlas:sum ignore`` adds its name
  but not its content. ``migrate apply`` refuses a directory whose ``atlas.sum`` is missing or does not match
  ("checksum mismatch").
- Execution: each file in a transaction ("file", ``--tx-mode file``, the default); ``-- atlas:txmode none`` in
  the file's header comments means "none". Statements run one by one.
- Tracking: ``atlas_schema_revisions.atlas_schema_revisions (version varchar PRIMARY KEY, description varchar,
  type bigint, applied bigint, total bigint, executed_at timestamptz, execution_time bigint, error text,
  error_stmt text, hash varchar, partial_hashes jsonb, operator_version varchar)`` (its own schema unless
  ``--revisions-schema``), one row per file, written before the file runs; ``applied`` counts the statements
  that succeeded. A last revision with ``applied < total`` broke off at statement ``applied + 1`` (``error``
  says why): Atlas resumes there on the next apply, if the file's first statements did not change. Pending:
  files after the last revision's version; a file below it that has no revision makes ``migrate apply`` refuse
  (linear history, the default) unless ``--exec-order linear-skip`` (skipped) or ``non-linear`` (run first).
  A first run starts from the last checkpoint file (``atlas:checkpoint``) when there is one.
"""

from __future__ import annotations

import base64
import hashlib
import re

from preflight.migrations.model import Applied, Migration, Problem, Scan, TrackingState, decode, file_facts
from preflight.migrations.runners.base import Row, Runner, ahead_problems
from preflight.migrations.source import Source

SUM_FILE = "atlas.sum"
DIRECTIVE_RE = re.compile(r"^([ -~]*)atlas:(\w+)(?: +(.+))*")
REVISION_ID = ".atlas_cloud_identifier"  # Atlas's own row in the table, not a migration


def header_comments(text: str) -> list[str]:
    """Atlas's file comments: leading ``--``/``#`` lines, counted only when a blank line separates them from the
    statements (or the file holds nothing else)."""
    comments = []
    content = text
    while content.startswith("#") or content.startswith("--"):
        idx = content.find("\n")
        if idx == -1:
            comments.append(content)
            content = ""
            break
        comments.append(content[:idx].strip())
        content = content[idx + 1:]
    if content and not content.lstrip(" \t").startswith("\n"):
        return []
    return comments


def directives(text: str, name: str) -> list[str]:
    out = []
    for c in header_comments(text):
        m = DIRECTIVE_RE.match(c)
        if m and m.group(2) == name:
            out.append(m.group(3) or "")
    return out


def sum_lines(files: list[tuple[str, bytes]]) -> list[tuple[str, str]]:
    """(name, h1 hash) per file, the way ``atlas migrate hash`` computes them."""
    h = hashlib.sha256()
    out = []
    for name, data in files:
        h.update(name.encode("utf-8"))
        if any(d.strip() == "ignore" for d in directives(decode(data), "sum")):
            continue
        h.update(data)
        out.append((name, base64.b64encode(h.copy().digest()).decode()))
    return out


def total_sum(lines: list[tuple[str, str]]) -> str:
    h = hashlib.sha256()
    for name, value in lines:
        h.update(name.encode("utf-8"))
        h.update(value.encode("utf-8"))
    return base64.b64encode(h.digest()).decode()


def render_sum(files: list[tuple[str, bytes]]) -> str:
    """The atlas.sum Atlas writes for these files (for tests and for showing the expected file)."""
    lines = sum_lines(files)
    return f"h1:{total_sum(lines)}\n" + "".join(f"{n} h1:{v}\n" for n, v in lines)


def version_of(name: str) -> str:
    return name[: -len(".sql")].split("_", 1)[0]


class Atlas(Runner):
    name = "atlas"
    table = "atlas_schema_revisions"
    schema = "atlas_schema_revisions"
    columns = {"version": "version", "description": "description", "type": "type", "applied": "applied",
               "total": "total", "error": "error", "error_stmt": "error_stmt"}
    column_types = {"version": "text", "description": "text", "type": "int", "applied": "int", "total": "int",
                    "error": "text", "error_stmt": "text"}
    column_sql = ("(version varchar PRIMARY KEY, description varchar, type bigint, applied bigint, total bigint, "
                  "executed_at timestamptz, execution_time bigint, error text, error_stmt text, hash varchar, "
                  "partial_hashes jsonb, operator_version varchar)")
    order_by = "version"
    default_transaction = "file"

    def scan(self, source: Source) -> Scan:
        scan = Scan()
        files: list[tuple[str, bytes]] = []
        sum_file = None
        checkpoints: list[str] = []
        for f in source.files:
            if "/" in f.name:
                continue  # Atlas reads the directory itself only
            if f.name == SUM_FILE:
                sum_file = f
                continue
            if not f.name.endswith(".sql"):
                scan.unmatched.append(f.display)
                continue
            data = f.read()
            files.append((f.name, data))
            text = decode(data)
            modes = directives(text, "txmode")
            transaction = "none" if modes and modes[0].strip() == "none" else self.transaction
            if directives(text, "checkpoint"):
                checkpoints.append(f.name)
            sha, lines = file_facts(data)
            version = version_of(f.name)
            scan.migrations.append(Migration(version, f.name[: -len(".sql")], f.display, f.path, sha, lines, text,
                                             1, transaction))
        scan.context["checkpoints"] = checkpoints
        if sum_file is None:
            if files:
                scan.problems.append(Problem(
                    kind="integrity",
                    message=(f"{source.display} has no {SUM_FILE}: `atlas migrate apply` refuses to run "
                             "(\"checksum file not found\")"),
                    remediation="run `atlas migrate hash` and commit atlas.sum with the migrations"))
            return scan
        expected = sum_lines(files)
        problems = _compare_sum(decode(sum_file.read()), expected, sum_file.display)
        scan.problems += problems
        return scan

    def evaluate(self, scan: Scan, rows: list[Row] | None, table: str) -> TrackingState:
        checkpoints = set(scan.context.get("checkpoints", ()))
        runnable = [m for m in scan.migrations if m.name + ".sql" not in checkpoints]
        if rows is None or not [r for r in rows if r["version"] != REVISION_ID]:
            first = list(scan.migrations)
            if checkpoints:
                cut = max(i for i, m in enumerate(first) if m.name + ".sql" in checkpoints)
                first = first[cut:]
            return TrackingState(table=table, table_exists=rows is not None, rows=len(rows or []), applied=[],
                                 pending=first)
        revs = sorted((r for r in rows if r["version"] != REVISION_ID), key=lambda r: str(r["version"]))
        by_version: dict[str, Migration] = {}
        for m in scan.migrations:
            by_version.setdefault(m.version, m)
        problems: list[Problem] = []
        last = revs[-1]
        last_version = str(last["version"])
        partial = int(last["applied"] or 0) != int(last["total"] or 0)
        applied = [Applied(str(r["version"]), by_version.get(str(r["version"])),
                           script=f"{r['version']}_{r['description']}.sql")
                   for r in revs if not (r is last and partial)]
        baseline = [r for r in revs if int(r["type"] or 0) & 1]
        problems += ahead_problems(self.name, table, [a for a in applied if a.version not in
                                                      {str(b["version"]) for b in baseline}],
                                   runnable[-1] if runnable else None)
        if partial:
            broken = by_version.get(last_version)
            label = broken.name if broken else f"{last_version}_{last['description']}"
            error = str(last["error"] or "").strip()
            stmt = str(last["error_stmt"] or "").strip().splitlines()
            problems.insert(0, Problem(
                kind="dirty",
                message=(f"Atlas applied {last['applied']} of {last['total']} statements of {label} and stopped"
                         + (f" ({error[:300]})" if error else "") + (f" at `{stmt[0][:120]}`" if stmt else "")
                         + ": the next `migrate apply` resumes at the failed statement"),
                remediation=(f"fix what made statement {int(last['applied'] or 0) + 1} of {label} fail (or fix the "
                             "database by hand and `atlas migrate set` the revision) before rolling out"),
                migration=label, file=broken.file if broken else None))
            if broken is None:
                problems.append(Problem(
                    kind="ahead",
                    message=(f"the partially applied revision {label} has no file in this release: `migrate apply` "
                             "fails (\"missing migration\")"),
                    remediation="roll out the release that has this migration", migration=label))
        recorded = {str(r["version"]) for r in revs if not (r is last and partial)}
        position = last_version
        pending = [m for m in runnable if m.version > position or (partial and m.version == position)]
        first_rev = str(revs[0]["version"])
        skipped = [m for m in runnable if first_rev <= m.version < position and m.version not in recorded]
        if skipped:
            names = ", ".join(m.name for m in skipped)
            problems.append(Problem(
                kind="out-of-order",
                message=(f"`atlas migrate apply` will refuse to run: {names} "
                         f"{'is' if len(skipped) == 1 else 'are'} older than the last applied version "
                         f"{last_version} and never applied (\"migration files were added out of order\")"),
                remediation=("rename it with a version above the last applied one (`atlas migrate new` and "
                             "`atlas migrate hash`), or apply with --exec-order non-linear (runs it first) or "
                             "linear-skip (never runs it)"),
                migration=skipped[0].name, file=skipped[0].file))
        return TrackingState(table=table, table_exists=True, rows=len(revs), applied=applied, pending=pending,
                             problems=problems, current=last_version)


def _compare_sum(text: str, expected: list[tuple[str, str]], shown: str) -> list[Problem]:
    lines = text.split("\n")
    recorded_sum = lines[0].removeprefix("h1:").strip() if lines else ""
    recorded: list[tuple[str, str]] = []
    for line in lines[1:]:
        if not line.strip():
            continue
        name, sep, value = line.partition("h1:")
        if not sep:
            return [Problem(kind="integrity", message=f"{shown} is not in Atlas's format (line {line!r})",
                            remediation="regenerate it with `atlas migrate hash`", file=shown)]
        recorded.append((name.strip(), value.strip()))
    if recorded_sum != total_sum(recorded):
        return [Problem(kind="integrity",
                        message=f"{shown} was edited by hand: its first line is not the sum of its other lines "
                                "(`atlas migrate apply` refuses: \"checksum mismatch\")",
                        remediation="regenerate it with `atlas migrate hash` after checking why it was edited",
                        file=shown)]
    if recorded == expected:
        return []
    rec = dict(recorded)
    exp = dict(expected)
    edited = [n for n, v in expected if n in rec and rec[n] != v]
    added = [n for n, _ in expected if n not in rec]
    removed = [n for n, _ in recorded if n not in exp]
    # A running hash: the first edited file explains every later line's change.
    first = edited[0] if edited else None
    parts = []
    if added:
        parts.append(f"not in it: {', '.join(added)}")
    if removed:
        parts.append(f"in it but not in the directory: {', '.join(removed)}")
    if first and not added and not removed:
        parts.append(f"{first} changed since it was hashed")
    elif first:
        parts.append(f"hashes differ from {first} on")
    return [Problem(kind="integrity",
                    message=(f"{shown} does not match the migration directory ({'; '.join(parts) or 'order changed'}):"
                             " `atlas migrate apply` refuses to run (\"checksum mismatch\")"),
                    remediation=("if the change is intended (a new file), run `atlas migrate hash` and commit "
                                 "atlas.sum; never edit a migration that was applied: add a new one"),
                    migration=(first or (added or removed or [""])[0])[: -len(".sql")] or None, file=shown)]
