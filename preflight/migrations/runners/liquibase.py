"""Liquibase (``liquibase update``), PostgreSQL.

- Files: ``source`` is Liquibase's search path and ``changelog`` the root changelog as given to
  ``--changelog-file`` (default: the first of ``db/changelog/db.changelog-master.{yaml,yml,xml,json,sql}``,
  ``changelog.{xml,yaml,yml,json,sql}``). XML, YAML and JSON changelogs are read for ``include`` (``file``,
  ``relativeToChangelogFile``), ``includeAll`` (every changelog under ``path``, sorted by path) and
  ``changeSet`` (``id``, ``author``, ``runAlways``, ``runOnChange``, ``runInTransaction``, ``dbms``,
  ``validCheckSum``, ``logicalFilePath``) with its changes: ``sql`` and ``sqlFile`` are SQL; any other change
  (``createTable``...) is listed as pending and named as not linted. Formatted SQL changelogs (first line
  ``--liquibase formatted sql``) are read line by line as Liquibase's parser reads them: ``--changeset
  author:id`` with ``runOnChange``, ``runAlways``, ``runInTransaction``, ``splitStatements``,
  ``endDelimiter``, ``stripComments``, ``dbms``; ``--rollback``, ``--comment``, ``--precondition-*`` and
  ``--validCheckSum`` lines are not SQL. An included ``.sql`` file without that first line is one changeset
  ``raw::includeAll``. Changesets whose ``dbms`` excludes PostgreSQL are left out.
- Identity: id, author and file (the changelog's path under the search path, or its ``logicalFilePath``).
- Order: changelog order, includes depth first.
- Checksum: ``MD5SUM`` in Liquibase's own formats (``liquibase_checksum``), compared for changesets made only
  of SQL; the others are not compared (said so).
- Execution: each changeset in a transaction ("file"); ``runInTransaction:false`` means "none".
- Tracking: ``databasechangelog (id, author, filename, dateexecuted, orderexecuted, exectype, md5sum,
  description, comments, tag, liquibase, contexts, labels, deployment_id)``, read in ``orderexecuted`` order,
  and ``databasechangeloglock (id, locked, lockgranted, lockedby)``: a held lock makes ``update`` wait, then
  fail ("Could not acquire change log lock"). ``update`` runs every changeset with no row, every ``runAlways``
  one, and every ``runOnChange`` one whose checksum changed; it refuses to run when an applied changeset's
  checksum changed otherwise ("Validation Failed: ... check sum"), unless a ``validCheckSum`` matches. Rows for
  files that are not part of this changelog belong to another changelog sharing the table: not judged.
"""

from __future__ import annotations

import functools
import json
import posixpath
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any

from preflight.migrations.model import Applied, Migration, Problem, Scan, TrackingState, decode, file_facts
from preflight.migrations.runners.base import Row, Runner
from preflight.migrations.runners.liquibase_checksum import SqlChange, changeset_checksum, checksum_version
from preflight.migrations.source import Source, SourceFile
from preflight.migrations.tracking import LOCK_ROLE

DEFAULT_CHANGELOGS = tuple(f"db/changelog/db.changelog-master.{e}" for e in ("yaml", "yml", "xml", "json", "sql")) + \
    tuple(f"changelog.{e}" for e in ("xml", "yaml", "yml", "json", "sql"))
CHANGELOG_EXTENSIONS = (".xml", ".yaml", ".yml", ".json", ".sql")
FIRST_LINE_RE = re.compile(r"\s*--\s*liquibase\s*formatted.*", re.I)
CHANGESET_RE = re.compile(r"\s*--[\s]*changeset\s+(\"[^\"]+\"|[^:]+):\s*(\"[^\"]+\"|\S+).*", re.I)
ATTR_RE = {k: re.compile(rf".*{k}:(\w+).*", re.I) for k in
           ("runOnChange", "runAlways", "runInTransaction", "splitStatements", "stripComments", "failOnError")}
END_DELIMITER_RE = re.compile(r".*endDelimiter:(\S*).*", re.I)
DBMS_RE = re.compile(r".*dbms:([^,][\w!,]+).*", re.I)
LOGICAL_PATH_RE = re.compile(r".*logicalFilePath:(\S*).*", re.I)
DIRECTIVE_RES = [re.compile(p, re.I) for p in (
    r"--[\s]*comment:? (.*)", r"\s*--[\s]*rollback (.*)", r"\s*--[\s]*preconditions(.*)",
    r"\s*--[\s]*precondition\-([a-zA-Z0-9-]+) (.*)", r"--[\s]*validCheckSum:? (.*)",
    r"\s*--[\s]*property\s+(.*:.*)\s+(.*:.*).*")]
VALID_CHECKSUM_RE = re.compile(r"--[\s]*validCheckSum:? (.*)", re.I)
ROLLBACK_BLOCK_START = re.compile(r"\s*/\*\s*liquibase\s*rollback\s*$", re.I)


class ChangelogError(ValueError):
    def __init__(self, message: str, file: str, line: int | None = None):
        super().__init__(message)
        self.file, self.line = file, line


@dataclass
class ChangeSet:
    id: str
    author: str
    path: str
    """The file as Liquibase records it."""
    display: str
    disk: str
    run_always: bool = False
    run_on_change: bool = False
    run_in_transaction: bool = True
    dbms: str | None = None
    sql: list[SqlChange] = field(default_factory=list)
    other: list[str] = field(default_factory=list)
    """Changes that are not SQL, by their Liquibase name."""
    valid_checksums: list[str] = field(default_factory=list)
    sql_text: str = ""
    sql_line: int = 1
    raw: bytes = b""

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.id, self.author, normalize(self.path))

    @property
    def label(self) -> str:
        return f"{self.path}::{self.id}::{self.author}"


@functools.lru_cache(maxsize=16384)
def normalize(path: str) -> str:
    """Liquibase's comparison of recorded file names: no ``classpath:``, no leading ``/`` or ``./``, ``/``
    separators."""
    p = path.replace("\\", "/")
    if p.lower().startswith("classpath:"):
        p = p[len("classpath:"):]
    p = posixpath.normpath(p) if p else p
    return p.lstrip("/")


def runs_on_postgres(dbms: str | None) -> bool:
    if not dbms or not dbms.strip():
        return True
    items = [d.strip().lower() for d in dbms.split(",") if d.strip()]
    if "none" in items:
        return False
    if "all" in items:
        return True
    negated = [d[1:] for d in items if d.startswith("!")]
    positive = [d for d in items if not d.startswith("!")]
    if "postgresql" in negated:
        return False
    return not positive or "postgresql" in positive


def _truthy(value: Any, default: bool) -> bool:
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() == "true"


class Reader:
    """Reads a changelog and what it includes, in Liquibase's order."""

    def __init__(self, files: dict[str, SourceFile]):
        self.files = files
        self.changesets: list[ChangeSet] = []
        self.seen_files: set[str] = set()
        self.stack: list[str] = []
        self.filters: set[str] = set()
        """Contexts, labels or preconditions met: what decides at run time, which preflight does not evaluate."""

    def read(self, path: str, logical: str | None = None) -> None:
        path = normalize(path)
        if path in self.stack:
            raise ChangelogError(f"{path} includes itself", path)
        f = self.files.get(path)
        if f is None:
            raise ChangelogError(f"changelog {path} not found under the source directory",
                                 self.stack[-1] if self.stack else path)
        self.seen_files.add(path)
        self.stack.append(path)
        try:
            data = f.read()
            text = decode(data)
            if path.endswith(".sql"):
                self._formatted_sql(text, path, f, logical)
            elif path.endswith(".xml"):
                self._xml(text, path, f)
            elif path.endswith((".yaml", ".yml")):
                import yaml

                try:
                    doc = yaml.safe_load(text)
                except yaml.YAMLError as e:
                    raise ChangelogError(f"not valid YAML: {e}", f.display) from None
                self._structured(doc, path, f)
            elif path.endswith(".json"):
                try:
                    doc = json.loads(text)
                except json.JSONDecodeError as e:
                    raise ChangelogError(f"not valid JSON: {e.msg}", f.display, e.lineno) from None
                self._structured(doc, path, f)
            else:
                raise ChangelogError(f"{path}: not a changelog format Liquibase reads", f.display)
        finally:
            self.stack.pop()

    # -- includes -------------------------------------------------------------------------------------------

    def include(self, parent: str, file: str, relative: bool) -> None:
        target = posixpath.join(posixpath.dirname(parent), file) if relative else file
        self.read(target)

    def include_all(self, parent: str, directory: str, relative: bool) -> None:
        base = normalize(posixpath.join(posixpath.dirname(parent), directory) if relative else directory)
        prefix = base.rstrip("/") + "/"
        for name in sorted(n for n in self.files if n.startswith(prefix) and n.endswith(CHANGELOG_EXTENSIONS)):
            if name != parent:
                self.read(name)

    # -- formats --------------------------------------------------------------------------------------------

    def _formatted_sql(self, text: str, path: str, f: SourceFile, logical: str | None) -> None:
        lines = text.split("\n")
        first = next((ln for ln in lines if ln.strip()), "")
        if not FIRST_LINE_RE.fullmatch(first.rstrip("\r")):
            # A plain SQL file included as a changelog: one changeset, as Liquibase's SqlChangeLogParser makes it
            # (the whole file one statement).
            cs = ChangeSet("raw", "includeAll", logical or path, f.display, f.path)
            cs.sql = [SqlChange(text.strip(), None, False, False)]
            cs.sql_text, cs.raw = text, text.encode("utf-8")
            self.changesets.append(cs)
            return
        m = LOGICAL_PATH_RE.fullmatch(first.rstrip("\r"))
        file_logical = m.group(1) if m else logical
        current: ChangeSet | None = None
        body: list[str] = []
        start = 0
        attrs: dict[str, Any] = {}
        in_rollback_block = False

        def finish() -> None:
            if current is None:
                return
            joined = "\n".join(body).strip()
            current.sql = [SqlChange(joined, attrs.get("endDelimiter"), attrs.get("splitStatements", True),
                                     attrs.get("stripComments", True))] if joined else []
            padded = [""] * len(body)
            for i, line in enumerate(body):
                padded[i] = line
            current.sql_text = "\n".join(padded) + "\n"
            current.sql_line = start
            self.changesets.append(current)

        for n, raw_line in enumerate(lines, start=1):
            line = raw_line.rstrip("\r")
            if in_rollback_block:
                if line.strip().endswith("*/"):
                    in_rollback_block = False
                body.append("")
                continue
            stripped = line.lstrip()
            if current is not None and not stripped.startswith(("--", "/*")):
                body.append(line)  # not a directive: SQL of the current changeset
                continue
            cm = CHANGESET_RE.fullmatch(line) if stripped.startswith("--") else None
            if cm:
                finish()
                author, cid = cm.group(1).strip().strip('"'), cm.group(2).strip('"')
                attrs = {}
                for key, rx in ATTR_RE.items():
                    am = rx.fullmatch(line)
                    if am:
                        attrs[key] = am.group(1).lower() == "true"
                em = END_DELIMITER_RE.fullmatch(line)
                if em:
                    attrs["endDelimiter"] = em.group(1)
                dm = DBMS_RE.fullmatch(line)
                lm = LOGICAL_PATH_RE.fullmatch(line)
                for word in ("context", "labels"):
                    if re.search(rf"\b{word}\w*:", line, re.I):
                        self.filters.add(word)
                current = ChangeSet(cid, author, lm.group(1) if lm else (file_logical or path), f.display, f.path,
                                    run_always=attrs.get("runAlways", False),
                                    run_on_change=attrs.get("runOnChange", False),
                                    run_in_transaction=attrs.get("runInTransaction", True),
                                    dbms=dm.group(1) if dm else None)
                body = []
                start = n + 1
                continue
            if current is None:
                if line.strip() and not FIRST_LINE_RE.fullmatch(line) and not line.strip().startswith("--"):
                    raise ChangelogError("SQL before the first --changeset line", f.display, n)
                continue
            vm = VALID_CHECKSUM_RE.fullmatch(line)
            if vm:
                current.valid_checksums.append(vm.group(1).strip())
                body.append("")
                continue
            if ROLLBACK_BLOCK_START.fullmatch(line):
                in_rollback_block = True
                body.append("")
                continue
            if any(rx.fullmatch(line) for rx in DIRECTIVE_RES):
                if re.match(r"\s*--\s*precondition", line, re.I):
                    self.filters.add("preconditions")
                body.append("")
                continue
            body.append(line)
        finish()

    def _xml(self, text: str, path: str, f: SourceFile) -> None:
        try:
            root = ET.fromstring(text)
        except ET.ParseError as e:
            raise ChangelogError(f"not valid XML: {e}", f.display, e.position[0] if e.position else None) from None
        logical = root.get("logicalFilePath")
        for el in root:
            tag = _local(el.tag)
            if tag == "include":
                self.include(path, el.get("file", ""), _truthy(el.get("relativeToChangelogFile"), False))
            elif tag == "includeAll":
                self.include_all(path, el.get("path", ""), _truthy(el.get("relativeToChangelogFile"), False))
            elif tag == "changeSet":
                self._note_filters(el.attrib, [_local(c.tag) for c in el])
                cs = ChangeSet(el.get("id", ""), el.get("author", ""), el.get("logicalFilePath") or logical or path,
                               f.display, f.path,
                               run_always=_truthy(el.get("runAlways"), False),
                               run_on_change=_truthy(el.get("runOnChange"), False),
                               run_in_transaction=_truthy(el.get("runInTransaction"), True), dbms=el.get("dbms"))
                for child in el:
                    ctag = _local(child.tag)
                    if ctag in ("comment", "preConditions", "rollback", "tagDatabase", "empty", "output"):
                        if ctag == "tagDatabase":
                            cs.other.append(ctag)
                        continue
                    if ctag == "validCheckSum":
                        cs.valid_checksums.append((child.text or "").strip())
                    elif ctag == "sql":
                        if not runs_on_postgres(child.get("dbms")):
                            continue
                        cs.sql.append(SqlChange((child.text or "").strip(), child.get("endDelimiter"),
                                                _truthy(child.get("splitStatements"), True),
                                                _truthy(child.get("stripComments"), False)))
                    elif ctag == "sqlFile":
                        if not runs_on_postgres(child.get("dbms")):
                            continue
                        cs.sql.append(self._sql_file(path, child.get("path", ""),
                                                     _truthy(child.get("relativeToChangelogFile"), False), child.attrib))
                    else:
                        cs.other.append(ctag)
                self._finish_structured(cs, text)

    def _structured(self, doc: Any, path: str, f: SourceFile) -> None:
        if not isinstance(doc, dict) or not isinstance(doc.get("databaseChangeLog"), list):
            raise ChangelogError("no databaseChangeLog list at the top", f.display)
        text = decode(f.read())
        logical = None
        for entry in doc["databaseChangeLog"]:
            if not isinstance(entry, dict) or len(entry) != 1:
                continue
            (kind, body), = entry.items()
            body = body or {}
            if kind == "property" or kind == "preConditions":
                continue
            if kind == "logicalFilePath":
                logical = str(body)
            elif kind == "include":
                self.include(path, str(body.get("file", "")), _truthy(body.get("relativeToChangelogFile"), False))
            elif kind == "includeAll":
                self.include_all(path, str(body.get("path", "")),
                                 _truthy(body.get("relativeToChangelogFile"), False))
            elif kind == "changeSet":
                self._note_filters(body, list(body))
                cs = ChangeSet(str(body.get("id", "")), str(body.get("author", "")),
                               str(body.get("logicalFilePath") or logical or path), f.display, f.path,
                               run_always=_truthy(body.get("runAlways"), False),
                               run_on_change=_truthy(body.get("runOnChange"), False),
                               run_in_transaction=_truthy(body.get("runInTransaction"), True),
                               dbms=body.get("dbms"))
                vcs = body.get("validCheckSum")
                cs.valid_checksums = [str(v) for v in (vcs if isinstance(vcs, list) else [vcs] if vcs else [])]
                for change in body.get("changes") or []:
                    if not isinstance(change, dict) or len(change) != 1:
                        continue
                    (ckind, cvalue), = change.items()
                    cbody: dict[str, Any] = cvalue or {}
                    if ckind == "sql":
                        if isinstance(cvalue, str):
                            cbody = {"sql": cvalue}
                        if not runs_on_postgres(cbody.get("dbms")):
                            continue
                        cs.sql.append(SqlChange(str(cbody.get("sql") or "").strip(), cbody.get("endDelimiter"),
                                                _truthy(cbody.get("splitStatements"), True),
                                                _truthy(cbody.get("stripComments"), False)))
                    elif ckind == "sqlFile":
                        if not runs_on_postgres(cbody.get("dbms")):
                            continue
                        cs.sql.append(self._sql_file(path, str(cbody.get("path", "")),
                                                     _truthy(cbody.get("relativeToChangelogFile"), False), cbody))
                    elif ckind not in ("comment", "output", "empty"):
                        cs.other.append(ckind)
                self._finish_structured(cs, text)

    def _note_filters(self, attrs: Any, children: list[str]) -> None:
        for key in ("context", "contextFilter", "labels"):
            if attrs.get(key):
                self.filters.add("labels" if key == "labels" else "context")
        if "preConditions" in children:
            self.filters.add("preconditions")

    def _sql_file(self, parent: str, file: str, relative: bool, attrs: Any) -> SqlChange:
        target = normalize(posixpath.join(posixpath.dirname(parent), file) if relative else file)
        f = self.files.get(target)
        if f is None:
            raise ChangelogError(f"sqlFile {target} not found under the source directory", parent)
        return SqlChange(decode(f.read()).strip(), attrs.get("endDelimiter"),
                         _truthy(attrs.get("splitStatements"), True), _truthy(attrs.get("stripComments"), False))

    def _finish_structured(self, cs: ChangeSet, text: str) -> None:
        cs.sql_text = "\n".join(c.sql.rstrip().rstrip(";") + ";" if c.sql else "" for c in cs.sql) + "\n"
        first = cs.sql[0].sql.split("\n", 1)[0].strip() if cs.sql and cs.sql[0].sql else ""
        at = text.find(first) if first else -1
        cs.sql_line = text.count("\n", 0, at) + 1 if at >= 0 else 1
        self.changesets.append(cs)


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


class Liquibase(Runner):
    name = "liquibase"
    table = "databasechangelog"
    columns = {"id": "id", "author": "author", "filename": "filename", "orderexecuted": "orderexecuted",
               "exectype": "exectype", "md5sum": "md5sum"}
    column_types = {"id": "text", "author": "text", "filename": "text", "orderexecuted": "int",
                    "exectype": "text", "md5sum": "text"}
    column_sql = ("(id VARCHAR(255) NOT NULL, author VARCHAR(255) NOT NULL, filename VARCHAR(255) NOT NULL, "
                  "dateexecuted TIMESTAMP NOT NULL, orderexecuted INTEGER NOT NULL, exectype VARCHAR(10) NOT NULL, "
                  "md5sum VARCHAR(35), description VARCHAR(255), comments VARCHAR(255), tag VARCHAR(255), "
                  "liquibase VARCHAR(20), contexts VARCHAR(255), labels VARCHAR(255), deployment_id VARCHAR(10))")
    order_by = "orderexecuted"
    default_transaction = "file"
    recursive = True
    lock = ("databasechangeloglock", "locked")
    options = ("changelog",)

    def lock_table(self) -> tuple[str, str] | None:
        # DATABASECHANGELOGLOCK follows the changelog table's name (liquibase.databaseChangeLogLockTableName).
        table = self.target.table or self.table
        return f"{table}lock", "locked"

    def scan(self, source: Source) -> Scan:
        scan = Scan()
        files = {f.name: f for f in source.files}
        root = self.target.changelog or next((c for c in DEFAULT_CHANGELOGS if c in files), None)
        if root is None:
            scan.problems.append(Problem(
                kind="unparsable",
                message=(f"no root changelog in {source.display} (looked for {', '.join(DEFAULT_CHANGELOGS[:5])}, "
                         "...): set [targets.migrations] changelog"),
                remediation="set changelog to the file Liquibase's --changelog-file names"))
            return scan
        reader = Reader(files)
        try:
            reader.read(root)
        except ChangelogError as e:
            scan.problems.append(Problem(kind="unparsable", message=f"Liquibase cannot parse {e.file}: {e}",
                                         remediation="fix the changelog: `liquibase update` stops before running "
                                                     "anything", file=e.file, line=e.line))
        changesets = [cs for cs in reader.changesets if runs_on_postgres(cs.dbms)]
        seen: dict[tuple[str, str, str], ChangeSet] = {}
        unverifiable = 0
        for cs in changesets:
            if cs.key in seen:
                scan.problems.append(Problem(
                    kind="duplicate-version",
                    message=f"changeset {cs.label} is declared twice: Liquibase refuses the changelog",
                    remediation="give each changeset its own id", migration=cs.label, file=cs.display))
                continue
            seen[cs.key] = cs
            data = cs.sql_text.encode("utf-8")
            sha, lines = file_facts(data)
            not_sql = None
            checksum = None
            if cs.other:
                kinds = ", ".join(dict.fromkeys(cs.other))
                not_sql = f"a Liquibase {kinds} change, not SQL: Liquibase generates its SQL"
                unverifiable += 1
            else:
                checksum = changeset_checksum(cs.sql, 9)
            scan.migrations.append(Migration(cs.label, cs.label, cs.display, cs.disk, sha, lines,
                                             cs.sql_text if not_sql is None else "", cs.sql_line,
                                             self.transaction if cs.run_in_transaction else "none",
                                             checksum_text=checksum, not_sql=not_sql))
        scan.context["changesets"] = [seen[k] for k in seen]
        scan.context["files"] = {normalize(p) for p in reader.seen_files} | {normalize(cs.path) for cs in changesets}
        if unverifiable:
            scan.notes.append(f"{unverifiable} changeset{'s are' if unverifiable != 1 else ' is'} made of changes "
                              "that are not SQL: their MD5SUM is not compared")
        if reader.filters:
            scan.notes.append(f"the changelog uses {', '.join(sorted(reader.filters))}, which preflight does not "
                              "evaluate: every changeset counts as one that runs")
        return scan

    def evaluate(self, scan: Scan, rows: list[Row] | None, table: str) -> TrackingState:
        changesets: list[ChangeSet] = scan.context.get("changesets", [])
        migrations = scan.migrations
        if rows is None:
            return TrackingState(table=table, table_exists=False, rows=0, applied=[], pending=list(migrations))
        locks = [r[LOCK_ROLE] for r in rows if LOCK_ROLE in r]
        history = [r for r in rows if LOCK_ROLE not in r]
        ours = scan.context.get("files", set())
        by_key = {cs.key: (cs, m) for cs, m in zip(changesets, migrations, strict=True)}
        ran: dict[tuple[str, str, str], Row] = {}
        problems: list[Problem] = []
        applied: list[Applied] = []
        foreign = 0
        missing: list[Applied] = []
        for r in history:
            key = (str(r["id"]), str(r["author"]), normalize(str(r["filename"])))
            ran[key] = r
            hit = by_key.get(key)
            a = Applied(f"{r['filename']}::{r['id']}::{r['author']}", hit[1] if hit else None)
            if hit is None and key[2] not in ours:
                foreign += 1
                continue
            applied.append(a)
            if hit is None:
                missing.append(a)
            if str(r["exectype"] or "").upper() == "FAILED":
                problems.append(Problem(
                    kind="failed", severity="info",
                    message=(f"Liquibase recorded {a.label} as FAILED (failOnError:false): it is not run again"),
                    remediation="check that what it was meant to do is in place", migration=a.label))
        if missing:
            names = ", ".join(a.label for a in missing[:10])
            problems.append(Problem(
                kind="ahead",
                message=(f"the database is ahead of this release: {table} records {len(missing)} changeset"
                         f"{'s' if len(missing) != 1 else ''} of this changelog's files that this release does not "
                         f"have: {names} (Liquibase ignores them, but the schema holds their changes)"),
                remediation="roll out a release that contains these changesets", migration=missing[0].label))
        if any(_truthy(v, False) for v in locks):
            problems.append(Problem(
                kind="locked",
                message=(f"{table}lock is held (locked = true): a `liquibase update` is running now, or one died "
                         "holding it; `update` waits, then fails (\"Could not acquire change log lock\")"),
                remediation="make sure no update is running, then `liquibase release-locks` before rolling out"))
        if foreign:
            problems.append(Problem(
                kind="ahead", severity="info",
                message=(f"{table} records {foreign} changeset{'s' if foreign != 1 else ''} of files that are not "
                         "part of this changelog (another changelog sharing the table): not judged"),
                remediation="nothing to do if another project writes them"))
        pending: list[Migration] = []
        for cs, m in zip(changesets, migrations, strict=True):
            row = ran.get(cs.key)
            if row is None:
                pending.append(m)
                continue
            if cs.run_always:
                pending.append(m)
                continue
            recorded = str(row["md5sum"]) if row["md5sum"] is not None else None
            same = _same_checksum(cs, recorded)
            if same is False:
                if cs.run_on_change:
                    pending.append(m)
                elif not _valid(cs, recorded):
                    problems.append(Problem(
                        kind="checksum-mismatch",
                        message=(f"{cs.label} changed after it was applied: Liquibase recorded MD5SUM {recorded}, the "
                                 f"changeset now has {m.checksum_text}; `liquibase update` refuses to run "
                                 "(\"Validation Failed: 1 changesets check sum\")"),
                        remediation=("restore the changeset as it was applied and put the change in a new one; if "
                                     "the edit is harmless, add a validCheckSum, or runOnChange if it is meant to "
                                     "run again"),
                        migration=m.name, file=m.file, line=cs.sql_line - 1 if cs.sql_line > 1 else None))
        return TrackingState(table=table, table_exists=True, rows=len(history), applied=applied, pending=pending,
                             problems=problems, current=applied[-1].version if applied else None)


def _same_checksum(cs: ChangeSet, recorded: str | None) -> bool | None:
    """Whether the recorded MD5SUM matches the changeset; None when preflight cannot tell (not SQL, no sum, a
    checksum version it does not compute)."""
    if recorded is None or cs.other:
        return None
    version = checksum_version(recorded)
    if version not in (8, 9):
        return None
    return changeset_checksum(cs.sql, version) == recorded


def _valid(cs: ChangeSet, recorded: str | None) -> bool:
    for v in cs.valid_checksums:
        v = v.strip()
        if v.lower() in ("any", "1:any") or v == recorded:
            return True
    return False
