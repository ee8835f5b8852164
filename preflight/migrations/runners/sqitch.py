"""sqitch (sqitch.org), ``sqitch deploy``, PostgreSQL engine.

- Files: the source is the project directory: ``sqitch.plan`` (the ``%project`` pragma, then one line per change
  ``name [dependencies] 2024-01-02T03:04:05Z Planner <email> # note`` and per tag ``@name ...``) and
  ``deploy/<change>.sql``. A change declared again after a tag is reworked: the latest declaration runs
  ``deploy/<change>.sql``, an earlier one ``deploy/<change>@<tag>.sql`` for the first tag after it whose file
  exists.
- Identity: a change's id is the SHA-1 sqitch computes over its project, name, parent change id, planner,
  date, dependencies and note; the registry records that id, so a reworked change is a new change.
- Order: plan order. ``sqitch deploy`` starts after the last deployed change (the registry's newest by
  ``committed_at``), which must be in the plan ("Cannot find change ... in plan"); changes before it that were
  never deployed are never deployed.
- Execution: psql runs each deploy script (``psql -f``); the transaction is the script's own ``BEGIN`` /
  ``COMMIT``, as ``sqitch add`` writes them: "none".
- Tracking: the registry schema ``sqitch``: ``sqitch.changes (change_id text PRIMARY KEY, script_hash text,
  change text, project text, note text, committed_at timestamptz, ...)`` read in one query, the project's rows
  only. ``script_hash`` is the SHA-1 of the deploy script as deployed: a script edited since is reported
  (``sqitch check`` reports it as diverged; ``deploy`` does not look).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from preflight.migrations.model import Applied, Migration, Problem, Scan, TrackingState, decode, file_facts
from preflight.migrations.runners.base import Row, Runner, unparsable_problem
from preflight.migrations.source import Source, SourceFile

PLAN = "sqitch.plan"
TS = r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z"
LINE_RE = re.compile(
    r"\A[ \t]*(?P<tag>@)?(?P<name>[^\s\[\]#@:\\]+)[ \t]*"
    r"(?:\[(?P<deps>[^\]]+)\][ \t]*)?"
    rf"(?:(?P<ts>{TS})[ \t]*)?"
    r"(?:(?P<planner>[^<]+?)[ \t]+<(?P<email>[^>]+)>)?[ \t]*\Z")
PRAGMA_RE = re.compile(r"\A[ \t]*%[ \t]*(?P<name>[^\s=]+)(?:[ \t]*=[ \t]*(?P<value>.+))?\Z")
UNESCAPE = {"\\n": "\n", "\\r": "\r", "\\\\": "\\"}


@dataclass
class Change:
    name: str
    requires: list[str]
    conflicts: list[str]
    timestamp: str
    planner: str
    email: str
    note: str
    line: int
    parent: Change | None = None
    tags: list[str] = field(default_factory=list)
    rework_tags: list[str] = field(default_factory=list)
    id: str = ""


@dataclass
class Plan:
    project: str
    uri: str | None
    changes: list[Change]


class PlanError(ValueError):
    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


def _split_note(line: str) -> tuple[str, str]:
    """The line without its ``# note``, and the note unescaped."""
    m = re.search(r"[ \t]*#[ \t]*(.*)\Z", line)
    if m is None:
        return line, ""
    note = re.sub(r"\\[nr\\]", lambda x: UNESCAPE[x.group(0)], m.group(1))
    return line[: m.start()], note


def parse_plan(text: str) -> Plan:
    lines = text.splitlines()
    pragmas: dict[str, str] = {}
    i = 0
    # Pragmas come first; a blank line ends them.
    while i < len(lines):
        raw = lines[i]
        if not raw.strip() or raw.lstrip().startswith("#"):
            i += 1
            if not raw.strip():
                break
            continue
        body, _note = _split_note(raw)
        m = PRAGMA_RE.match(body)
        if m is None:
            break
        pragmas[m.group("name")] = (m.group("value") or "1").strip()
        i += 1
    project = pragmas.get("project")
    if not project:
        raise PlanError("missing %project pragma")
    changes: list[Change] = []
    since_tag: set[str] = set()
    position: dict[int, int] = {}
    named: dict[str, Change] = {}
    prev: Change | None = None
    for n in range(i, len(lines)):
        raw = lines[n]
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        body, note = _split_note(raw)
        m = LINE_RE.match(body)
        if m is None or not m.group("ts") or not m.group("planner"):
            raise PlanError(f"cannot read {raw.strip()!r} (a change is `name [deps] YYYY-MM-DDTHH:MM:SSZ "
                            "Planner <email>`)", n + 1)
        if m.group("tag"):
            if prev is None:
                raise PlanError(f"tag @{m.group('name')} before any change", n + 1)
            prev.tags.append("@" + m.group("name"))
            since_tag = set()
            continue
        name = m.group("name")
        if name in since_tag:
            raise PlanError(f"change {name!r} is declared twice without a tag between (sqitch: \"duplicates "
                            "earlier declaration\")", n + 1)
        requires: list[str] = []
        conflicts: list[str] = []
        for dep in (m.group("deps") or "").split():
            (conflicts if dep.startswith("!") else requires).append(dep)
        change = Change(name, requires, conflicts, m.group("ts"), m.group("planner").strip(), m.group("email"),
                        note, n + 1, parent=prev)
        duped = named.get(name)
        if duped is not None:
            # Tags between the two declarations, newest first, then the earlier change's own.
            idx = position[id(duped)]
            tags: list[str] = []
            for c in reversed(changes[idx + 1:]):
                tags += c.tags
            duped.rework_tags = tags + duped.tags
        named[name] = change
        position[id(change)] = len(changes)
        changes.append(change)
        since_tag.add(name)
        prev = change
    plan = Plan(project, pragmas.get("uri"), changes)
    for c in changes:
        c.id = change_id(plan, c)
    return plan


def change_id(plan: Plan, c: Change) -> str:
    """sqitch's change id: SHA-1 of ``change <length>\\0<info>``."""
    lines = [f"project {plan.project}"]
    if plan.uri:
        lines.append(f"uri {plan.uri}")
    lines.append(f"change {c.name}")
    if c.parent is not None:
        lines.append(f"parent {c.parent.id}")
    lines.append(f"planner {c.planner} <{c.email}>")
    lines.append(f"date {c.timestamp}")
    if c.requires:
        lines.append("requires\n  + " + "\n  + ".join(c.requires))
    if c.conflicts:
        lines.append("conflicts\n  - " + "\n  - ".join(c.conflicts))
    if c.note:
        lines += ["", c.note]
    info = "\n".join(lines).encode("utf-8")
    return hashlib.sha1(b"change " + str(len(info)).encode() + b"\0" + info).hexdigest()


class Sqitch(Runner):
    name = "sqitch"
    table = "changes"
    schema = "sqitch"
    columns = {"change_id": "change_id", "change": "change", "project": "project", "script_hash": "script_hash",
               "committed_at": "committed_at"}
    column_types = {"change_id": "text", "change": "text", "project": "text", "script_hash": "text",
                    "committed_at": "time"}
    column_sql = ("(change_id TEXT PRIMARY KEY, script_hash TEXT, change TEXT NOT NULL, project TEXT NOT NULL, "
                  "note TEXT NOT NULL DEFAULT '', committed_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(), ...)")
    order_by = "committed_at"
    default_transaction = "none"
    recursive = True

    def scan(self, source: Source) -> Scan:
        scan = Scan()
        files = {f.name: f for f in source.files}
        plan_file = files.get(PLAN)
        if plan_file is None:
            scan.problems.append(Problem(kind="unparsable", message=f"{source.display} has no {PLAN}",
                                         remediation="point source at the sqitch project directory (where "
                                                     "sqitch.plan is)"))
            return scan
        try:
            plan = parse_plan(decode(plan_file.read()))
        except PlanError as e:
            scan.problems.append(unparsable_problem(self.name, plan_file.display, PLAN, str(e), e.line))
            return scan
        scan.context["plan"] = plan
        for c in plan.changes:
            f = _deploy_file(files, c)
            shown = c.name + (c.tags[0] if c.tags else "")
            if f is None:
                scan.problems.append(Problem(
                    kind="unparsable", message=f"change {c.name} has no deploy script (deploy/{c.name}.sql)",
                    remediation="add the script: `sqitch deploy` stops at this change", migration=c.name,
                    file=plan_file.display, line=c.line))
                scan.migrations.append(Migration(c.id, c.name, plan_file.display, plan_file.path, "", 0, "", 1,
                                                 self.transaction, description=shown))
                continue
            data = f.read()
            sha, lines = file_facts(data)
            scan.migrations.append(Migration(c.id, _label(c), f.display, f.path, sha, lines, decode(data), 1,
                                             self.transaction, checksum_text=hashlib.sha1(data).hexdigest(),
                                             description=shown))
        return scan

    def evaluate(self, scan: Scan, rows: list[Row] | None, table: str) -> TrackingState:
        migrations = scan.migrations
        plan: Plan | None = scan.context.get("plan")
        if rows is None or plan is None:
            return TrackingState(table=table, table_exists=rows is not None, rows=len(rows or []), applied=[],
                                 pending=list(migrations))
        mine = [r for r in rows if str(r["project"]) == plan.project]
        by_id = {m.version: m for m in migrations}
        applied = [Applied(str(r["change_id"]), by_id.get(str(r["change_id"])), script=str(r["change"]))
                   for r in mine]
        problems: list[Problem] = []
        if not mine:
            return TrackingState(table=table, table_exists=True, rows=0, applied=[], pending=list(migrations))
        last = mine[-1]
        last_id = str(last["change_id"])
        index = {m.version: i for i, m in enumerate(migrations)}
        missing = [a for a in applied if a.migration is None]
        if missing:
            names = ", ".join(str(a.script) for a in missing[:10])
            stops = last_id not in index
            problems.append(Problem(
                kind="ahead",
                message=(f"the database is ahead of this release: {table} records {len(missing)} deployed change"
                         f"{'s' if len(missing) != 1 else ''} this plan does not have ({names}; a change id covers "
                         "its parent's, so a change inserted or edited in the plan before them has the same effect)"
                         + (f": `sqitch deploy` stops (\"Cannot find change {last_id} ({last['change']}) in plan\")"
                            if stops else "")),
                remediation=("an older release is rolling out against a newer schema: roll out the release whose "
                             "plan has these changes; if a change was removed on purpose, revert it with sqitch "
                             "first"),
                migration=str(missing[0].script)))
        if last_id not in index:
            return TrackingState(table=table, table_exists=True, rows=len(mine), applied=applied, pending=[],
                                 problems=problems, current=str(last["change"]))
        position = index[last_id]
        deployed = {str(r["change_id"]) for r in mine}
        pending = migrations[position + 1:]
        skipped = [m for m in migrations[:position] if m.version not in deployed]
        if skipped:
            problems.append(Problem(
                kind="skipped",
                message=(f"{', '.join(m.name for m in skipped)} {'was' if len(skipped) == 1 else 'were'} never "
                         f"deployed, but {migrations[position].name} after {'it' if len(skipped) == 1 else 'them'} "
                         "was: `sqitch deploy` starts after the last deployed change and never deploys "
                         f"{'it' if len(skipped) == 1 else 'them'}"),
                remediation=("move the change to the end of the plan (`sqitch rework` or a new change), or revert "
                             "to before it and deploy again"),
                migration=skipped[0].name, file=skipped[0].file))
        for r in mine:
            m = by_id.get(str(r["change_id"]))
            recorded = r["script_hash"]
            if m is None or recorded is None or m.checksum_text is None or recorded == m.checksum_text:
                continue
            problems.append(Problem(
                kind="checksum-mismatch",
                message=(f"{m.file} changed after it was deployed: sqitch recorded script hash {str(recorded)[:12]}"
                         f"..., the file now has {m.checksum_text[:12]}... (`sqitch check` reports it as "
                         "diverged; `sqitch deploy` does not look)"),
                remediation=("restore the deployed script; to change a deployed change, `sqitch rework` it so that "
                             "the change runs again"),
                migration=m.name, file=m.file))
        return TrackingState(table=table, table_exists=True, rows=len(mine), applied=applied, pending=pending,
                             problems=problems, current=str(last["change"]))


def _label(c: Change) -> str:
    """How people name this instance of the change: an earlier, reworked one by its tag (``users@v1.0``)."""
    return c.name + c.rework_tags[0] if c.rework_tags else c.name


def _deploy_file(files: dict[str, SourceFile], c: Change) -> SourceFile | None:
    for tag in c.rework_tags:
        f = files.get(f"deploy/{c.name}{tag}.sql")
        if f is not None:
            return f
    return files.get(f"deploy/{c.name}.sql")
