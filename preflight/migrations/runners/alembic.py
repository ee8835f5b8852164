"""Alembic (``alembic upgrade heads``), PostgreSQL.

- Files: every ``*.py`` of the versions directory whose name does not start with ``__init__`` or ``.#``
  (Alembic's own rule), read without importing them: the module-level ``revision``, ``down_revision`` (None, an
  id, or a tuple of ids for a merge), ``branch_labels`` and ``depends_on`` must be literals, as ``alembic
  revision`` writes them. A file without a ``revision`` stops Alembic; so does a ``down_revision`` or
  ``depends_on`` naming a revision that does not exist.
- Order: what ``alembic upgrade heads`` runs, in Alembic's order: every revision that is an ancestor of a head
  (through ``down_revision`` and ``depends_on``) and not an ancestor of the database's current heads, sorted
  the way Alembic's ``_topological_sort`` sorts them (heads in file-name order; a branch is walked down to
  where another head's ancestors join it), then reversed so that every revision follows its parents.
- Heads: revisions no other revision names as ``down_revision``. Several heads are information: ``alembic
  upgrade heads`` runs them all, ``alembic upgrade head`` refuses ("Multiple head revisions are present").
- Execution: in a transaction (PostgreSQL has transactional DDL; env.py's ``begin_transaction``): "file". A
  revision is Python: its SQL is known only through ``sql_command`` (``alembic upgrade {from}:{to} --sql``,
  which imports the project's env.py and revisions, so preflight runs it only when the config names it).
- Tracking: ``alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)``: one row per current head, no
  history. A row naming a revision the release does not have is a database ahead of the release (Alembic stops:
  "Can't locate revision identified by ..."); two rows where one is the other's ancestor is a table Alembic
  does not write ("overlaps with other requested revisions").
"""

from __future__ import annotations

import ast
import dataclasses
from dataclasses import dataclass, field

from preflight.errors import ReaderError
from preflight.migrations.model import Applied, Migration, Problem, Scan, TrackingState, decode, file_facts
from preflight.migrations.runners.base import Row, Runner, unparsable_problem
from preflight.migrations.runners.common import SQL_COMMAND_NOTE
from preflight.migrations.runners.pysource import assignments
from preflight.migrations.source import Source

NOT_SQL = ("a Python revision: its SQL is known only from Alembic's offline mode (set sql_command = \"alembic "
           "upgrade {from}:{to} --sql\")")
KEYS = ("revision", "down_revision", "branch_labels", "depends_on")


@dataclass
class Revision:
    id: str
    down: tuple[str, ...]
    """``down_revision``: the versioned parents."""
    depends_on: tuple[str, ...]
    branch_labels: tuple[str, ...]
    migration: Migration
    deps: tuple[str, ...] = ()
    """``depends_on`` resolved to revision ids."""
    normalized_deps: tuple[str, ...] = ()
    """Those not already declared by an ancestor (what Alembic walks)."""

    @property
    def normalized_down(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.down + self.normalized_deps))


@dataclass
class Graph:
    revisions: dict[str, Revision] = field(default_factory=dict)
    """In file-name order: the order Alembic's revision map keeps, which breaks ties in its sort."""
    heads: list[str] = field(default_factory=list)
    """Revisions nothing names as down_revision."""
    real_heads: list[str] = field(default_factory=list)
    """Revisions nothing depends on at all: what ``upgrade heads`` targets."""

    def ancestors(self, ids: list[str], versioned_only: bool = False) -> set[str]:
        """The revisions themselves and everything below them."""
        seen: set[str] = set()
        todo = list(ids)
        while todo:
            rid = todo.pop()
            if rid in seen:
                continue
            seen.add(rid)
            rev = self.revisions[rid]
            todo.extend(rev.down if versioned_only else rev.normalized_down)
        return seen


def _literal(node: ast.AST, key: str) -> tuple[str, ...] | None:
    if isinstance(node, ast.Constant) and (node.value is None or isinstance(node.value, str)):
        return None if node.value is None else (node.value,)
    try:
        value = ast.literal_eval(node)
    except (ValueError, SyntaxError, TypeError):
        raise ValueError(f"{key} is not a literal (preflight reads revision files without running them)") from None
    if value is None:
        return None
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ValueError(f"{key} = {value!r} is neither None, a revision id nor a tuple of them")


def read_revision_file(text: str) -> dict[str, tuple[str, ...] | None]:
    """The module-level identifiers of a revision file, read with Python's own parser (the four statements
    alone when they can be found safely, else the whole file)."""
    quick = assignments(text, KEYS)
    if quick is not None and "revision" in quick:
        return {key: _literal(node, key) for key, node in quick.items()}
    tree = ast.parse(text)
    found: dict[str, tuple[str, ...] | None] = {}
    for node in tree.body:
        targets: list[ast.expr] = []
        value: ast.AST | None = None
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        for t in targets:
            if isinstance(t, ast.Name) and t.id in KEYS and value is not None:
                found[t.id] = _literal(value, t.id)
    return found


def build_graph(revisions: list[Revision]) -> tuple[Graph, list[str]]:
    """The revision graph, and why it is broken (names Alembic would stop on), if it is."""
    graph = Graph()
    errors: list[str] = []
    labels: dict[str, str] = {}
    for rev in revisions:
        if rev.id in graph.revisions:
            errors.append(f"revision {rev.id} is present more than once ({graph.revisions[rev.id].migration.file}, "
                          f"{rev.migration.file})")
            continue
        graph.revisions[rev.id] = rev
        for label in rev.branch_labels:
            labels[label] = rev.id
    for rev in graph.revisions.values():
        for d in rev.down:
            if d not in graph.revisions:
                errors.append(f"{rev.migration.file}: down_revision {d!r} is not present")
        resolved = []
        for d in rev.depends_on:
            target = d if d in graph.revisions else labels.get(d)
            if target is None:
                errors.append(f"{rev.migration.file}: depends_on {d!r} is not present")
            else:
                resolved.append(target)
        rev.deps = tuple(dict.fromkeys(resolved))
    if errors:
        return graph, errors
    for rev in graph.revisions.values():
        down = set(rev.down)
        if not rev.deps:
            continue
        normalized = list(rev.deps)
        for anc in graph.ancestors(list(rev.down), versioned_only=True) - {rev.id}:
            if graph.revisions[anc].deps:
                normalized = [d for d in normalized if d not in graph.revisions[anc].deps]
        rev.normalized_deps = tuple(d for d in normalized if d not in down)
    named_down = {d for rev in graph.revisions.values() for d in rev.down}
    named_any = {d for rev in graph.revisions.values() for d in (*rev.down, *rev.deps)}
    graph.heads = [r for r in graph.revisions if r not in named_down]
    graph.real_heads = [r for r in graph.revisions if r not in named_any]
    cycle = _cycle(graph)
    if cycle:
        errors.append(f"the revisions form a cycle through {cycle}")
    return graph, errors


def _cycle(graph: Graph) -> str | None:
    state: dict[str, int] = {}
    for start in graph.revisions:
        if start in state:
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        while stack:
            node, i = stack.pop()
            parents = graph.revisions[node].normalized_down
            if i == 0:
                if state.get(node) == 2:
                    continue
                state[node] = 1
            if i < len(parents):
                stack.append((node, i + 1))
                p = parents[i]
                if state.get(p) == 1:
                    return p
                if p not in state:
                    stack.append((p, 0))
            else:
                state[node] = 2
    return None


def upgrade_order(graph: Graph, needed: set[str], targets: list[str]) -> list[str]:
    """Alembic's topological sort of ``needed`` from ``targets`` down, reversed into run order."""
    order = {rid: i for i, rid in enumerate(graph.revisions)}
    todo = set(needed)
    current = sorted({t for t in targets if t in todo}, key=order.__getitem__)
    ancestors = [graph.ancestors([h]) for h in current]
    output: list[str] = []
    idx = 0
    while current:
        candidate = current[idx]
        blocked = next((j for j, anc in enumerate(ancestors) if j != idx and candidate in anc), None)
        if blocked is not None:
            idx = blocked  # another head needs this one: walk that one down first
            continue
        if candidate in todo:
            output.append(candidate)
            todo.discard(candidate)
        rev = graph.revisions[candidate]
        to_add = [r for r in rev.normalized_down if r in todo and r not in current]
        if not to_add:
            del current[idx]
            del ancestors[idx]
            idx = max(idx - 1, 0)
        elif not rev.normalized_deps and len(rev.down) == 1:
            current[idx] = to_add[0]
            ancestors[idx].discard(candidate)
        else:
            current[idx] = to_add[0]
            current.extend(to_add[1:])
            ancestors[idx] = graph.ancestors([to_add[0]])
            ancestors.extend(graph.ancestors([h]) for h in to_add[1:])
    # Anything left is not reachable from the targets (cannot happen for a needed set built from them).
    output.extend(sorted(todo, key=order.__getitem__))
    return list(reversed(output))


class Alembic(Runner):
    name = "alembic"
    table = "alembic_version"
    columns = {"version_num": "version_num"}
    column_types = {"version_num": "text"}
    column_sql = "(version_num VARCHAR(32) NOT NULL PRIMARY KEY)"
    default_transaction = "file"
    options = ("sql_command",)

    def scan(self, source: Source) -> Scan:
        scan = Scan()
        revisions: list[Revision] = []
        for f in source.files:
            if "/" in f.name:
                continue  # recursive_version_locations is off by default
            if not f.name.endswith(".py") or f.name.startswith("__init__") or f.name.startswith(".#"):
                if not f.name.endswith((".pyc", ".pyo")):
                    scan.unmatched.append(f.display)
                continue
            data = f.read()
            sha, lines = file_facts(data)
            stem = f.name[: -len(".py")]
            try:
                values = read_revision_file(decode(data))
            except SyntaxError as e:
                scan.problems.append(unparsable_problem(self.name, f.display, stem, f"not valid Python: {e.msg}",
                                                        e.lineno))
                continue
            except ValueError as e:
                scan.problems.append(unparsable_problem(self.name, f.display, stem, str(e)))
                continue
            rid = values.get("revision")
            if not rid or len(rid) != 1:
                scan.problems.append(unparsable_problem(
                    self.name, f.display, stem, "no `revision = \"...\"` (Alembic: \"Could not determine revision "
                    "id from filename\")"))
                continue
            m = Migration(rid[0], stem, f.display, f.path, sha, lines, "", 1, self.transaction, not_sql=NOT_SQL)
            revisions.append(Revision(rid[0], values.get("down_revision") or (), values.get("depends_on") or (),
                                      values.get("branch_labels") or (), m))
        graph, errors = build_graph(revisions)
        for why in errors:
            scan.problems.append(Problem(kind="unparsable", message=f"Alembic cannot build its revision map: {why}",
                                         remediation="fix the revision identifiers: every alembic command stops "
                                                     "on this"))
        scan.context["graph"] = graph
        scan.context["broken"] = bool(errors)
        if not errors:
            order = upgrade_order(graph, set(graph.revisions), graph.real_heads)
            scan.migrations = [graph.revisions[r].migration for r in order]
            if len(graph.heads) > 1:
                scan.problems.append(Problem(
                    kind="multiple-heads", severity="info",
                    message=(f"the revisions have {len(graph.heads)} heads ({', '.join(graph.heads)}): `alembic "
                             "upgrade heads` runs every branch, `alembic upgrade head` refuses (\"Multiple head "
                             "revisions are present\")"),
                    remediation="if the rollout runs `upgrade head`, merge the heads with `alembic merge heads`",
                    migration=graph.revisions[graph.heads[-1]].migration.name))
        else:
            scan.migrations = [r.migration for r in revisions]
        return scan

    def evaluate(self, scan: Scan, rows: list[Row] | None, table: str) -> TrackingState:
        graph: Graph = scan.context["graph"]
        migrations = scan.migrations
        if rows is None or scan.context.get("broken"):
            return TrackingState(table=table, table_exists=rows is not None, rows=len(rows or []), applied=[],
                                 pending=list(migrations))
        current = [str(r["version_num"]) for r in rows if r["version_num"] is not None]
        problems: list[Problem] = []
        known = [c for c in current if c in graph.revisions]
        unknown = [c for c in current if c not in graph.revisions]
        if unknown:
            problems.append(Problem(
                kind="ahead",
                message=(f"the database is ahead of this release: {table} records revision"
                         f"{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}, which this release does not "
                         f"have: `alembic upgrade` stops (\"Can't locate revision identified by '{unknown[0]}'\")"),
                remediation=("an older release is rolling out against a newer schema: roll out a release that "
                             "contains the revision"),
                migration=unknown[0]))
        for c in known:
            below = graph.ancestors([c]) - {c}
            overlap = [o for o in known if o in below]
            if overlap:
                problems.append(Problem(
                    kind="tracking",
                    message=(f"{table} records both {c} and its ancestor {', '.join(overlap)}: Alembic never "
                             "writes that and refuses to upgrade (\"overlaps with other requested revisions\")"),
                    remediation=f"delete the row of {', '.join(overlap)} from {table} (or `alembic stamp` the truth)"))
        done = graph.ancestors(known)
        order = [m.version for m in migrations]
        applied_ids = [r for r in order if r in done]
        applied = [Applied(r, graph.revisions[r].migration) for r in applied_ids]
        applied += [Applied(u, None) for u in unknown]
        needed = set(graph.revisions) - done
        pending_ids = upgrade_order(graph, needed, graph.real_heads) if needed else []
        pending = [graph.revisions[r].migration for r in pending_ids]
        return TrackingState(table=table, table_exists=True, rows=len(rows), applied=applied, pending=pending,
                             problems=problems, current=", ".join(current) if current else None)

    def fill_sql(self, migrations: list[Migration], scan: Scan, state: TrackingState | None) -> list[Migration]:
        if self.target.sql_command is None or not any(m.not_sql for m in migrations):
            return migrations
        from preflight.migrations.runners.sql_command import run_sql_command

        graph: Graph = scan.context["graph"]
        wanted = [m for m in migrations if m.not_sql]
        sql_of: dict[str, str] = {}
        for chain in _chains([graph.revisions[m.version] for m in wanted]):
            first = chain[0]
            start = first.down[0] if len(first.down) == 1 else ("base" if not first.down else first.down[0])
            out = run_sql_command(self.target, {"from": start, "to": chain[-1].id, "version": chain[-1].id,
                                                "name": chain[-1].migration.name, "file": chain[-1].migration.path},
                                  f"revisions {start}:{chain[-1].id}")
            blocks = split_offline_sql(out)
            for rev in chain:
                if rev.id not in blocks:
                    raise ReaderError(f"sql_command printed no \"-- Running upgrade ... -> {rev.id}\" block for "
                                      f"{rev.migration.name}: is it `alembic upgrade {{from}}:{{to}} --sql`?")
                sql_of[rev.id] = blocks[rev.id]
        out_list = []
        for m in migrations:
            if m.version in sql_of:
                out_list.append(dataclasses.replace(m, sql=sql_of[m.version], sql_line=1, not_sql=None,
                                                    file=m.file + SQL_COMMAND_NOTE))
            else:
                out_list.append(m)
        return out_list


def _chains(revs: list[Revision]) -> list[list[Revision]]:
    """Runs of revisions each of which has the previous one as its only parent: one offline run each."""
    chains: list[list[Revision]] = []
    for rev in revs:
        if chains and rev.down == (chains[-1][-1].id,) and not rev.deps:
            chains[-1].append(rev)
        else:
            chains.append([rev])
    return chains


def split_offline_sql(text: str) -> dict[str, str]:
    """Alembic's offline output cut at its ``-- Running upgrade A -> B`` lines: revision B -> its SQL, without
    the ``BEGIN;`` / ``COMMIT;`` lines Alembic prints around the run (each revision runs in the transaction its
    ``transaction`` says)."""
    lines = text.split("\n")
    starts: list[tuple[int, str]] = []
    for i, line in enumerate(lines):
        if line.startswith("-- Running upgrade ") and " -> " in line:
            target = line.rsplit(" -> ", 1)[1].split(",", 1)[0].strip()
            starts.append((i, target))
    out: dict[str, str] = {}
    for k, (i, target) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(lines)
        block = [line for line in lines[i + 1:end] if line.strip().upper() not in ("BEGIN;", "COMMIT;")]
        while block and not block[-1].strip():
            block.pop()
        out[target] = "\n".join(block) + "\n"
    return out
