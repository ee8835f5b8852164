"""Django migrations (``python manage.py migrate``), PostgreSQL backend.

- Files: the source is the project; every app is a directory holding ``migrations/__init__.py``, and its
  migrations are the ``migrations/*.py`` whose name does not start with ``_`` or ``~`` (Django's own rule).
  The app label is the directory's name, or the ``label`` its ``apps.py`` AppConfig declares. Each file is read
  with Python's parser, never imported: ``class Migration`` and its ``dependencies``, ``replaces``,
  ``run_before`` and ``atomic``. Migrations are named ``app.name`` (``shop.0002_add_price``).
- Graph: ``dependencies`` inside the app, then across apps (``("app", "__first__")`` and ``"__latest__"``
  resolved as Django resolves them), ``run_before`` as reverse dependencies. A squashed migration
  (``replaces``) stands for the migrations it replaces when all or none of them are applied, and is dropped in
  favour of them when only some are. Dependencies on apps that are not in the source (``django.contrib.auth``,
  installed packages, ``settings.AUTH_USER_MODEL``) are taken as satisfied, and said so.
- Order: ``migrate``'s plan: for each leaf node, sorted by (app, name), its forwards plan (a depth-first walk
  of the parents, sorted), keeping the migrations not applied yet.
- Execution: each migration in a transaction ("file"), ``atomic = False`` means "none". A migration is Python:
  its SQL comes from ``sql_command`` (``python manage.py sqlmigrate {app} {name}``), which imports the project.
- Tracking: ``django_migrations (id bigint PRIMARY KEY, app varchar(255) NOT NULL, name varchar(255) NOT NULL,
  applied timestamptz NOT NULL)``, one row per applied migration, rows of every app (those of apps outside the
  source are not judged). ``migrate`` refuses when an applied migration's dependency is not applied
  (InconsistentMigrationHistory); rows whose file is gone are ignored by Django.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from preflight.migrations.model import Applied, Migration, Problem, Scan, TrackingState, decode, file_facts
from preflight.migrations.runners.base import Row, Runner, unparsable_problem
from preflight.migrations.runners.common import fill_per_migration
from preflight.migrations.runners.pysource import assignments
from preflight.migrations.source import Source, SourceFile

NOT_SQL = ("a Python migration: its SQL is known only from Django (set sql_command = \"python manage.py sqlmigrate "
           "{app} {name}\")")
NUMBER_RE = re.compile(r"([0-9]+)")

Key = tuple[str, str]


@dataclass
class DjangoMigration:
    key: Key
    dependencies: list[Key] = field(default_factory=list)
    replaces: list[Key] = field(default_factory=list)
    run_before: list[Key] = field(default_factory=list)
    atomic: bool = True
    swappable: bool = False


def _keys(node: ast.AST | None, what: str, app: str) -> tuple[list[Key], bool]:
    """(app, name) pairs of a dependencies/replaces/run_before list; True when it holds a
    ``swappable_dependency(...)``, whose app is a setting."""
    if node is None:
        return [], False
    if not isinstance(node, ast.List | ast.Tuple):
        raise ValueError(f"{what} is not a list literal")
    out: list[Key] = []
    swappable = False
    for elt in node.elts:
        if isinstance(elt, ast.Call):
            func = elt.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if name == "swappable_dependency":
                swappable = True
                continue
            raise ValueError(f"{what} holds a call preflight cannot read statically ({name or 'a call'})")
        try:
            value = ast.literal_eval(elt)
        except (ValueError, SyntaxError, TypeError):
            raise ValueError(f"{what} holds an entry that is not a literal") from None
        if isinstance(value, list | tuple) and len(value) == 2 and all(isinstance(v, str) for v in value):
            out.append((value[0], value[1]))
        else:
            raise ValueError(f"{what} holds {value!r}, not an (app, name) pair")
    return out, swappable


KEYS = ("dependencies", "replaces", "run_before", "atomic")
CLASS_RE = re.compile(r"^class Migration\b[^\n]*:[ \t]*(#[^\n]*)?$", re.M)
TOP_LEVEL_RE = re.compile(r"^[^\s#]", re.M)
INDENT_RE = re.compile(r"^([ \t]+)\S", re.M)


def _class_body_assignments(text: str) -> dict[str, ast.AST] | None:
    """The class attributes of ``class Migration`` found without parsing the whole file (see pysource); None
    when that cannot be done safely."""
    classes = list(CLASS_RE.finditer(text))
    if len(classes) != 1:
        return None
    start = classes[0].end()
    nxt = TOP_LEVEL_RE.search(text, start + 1)
    body = text[start: nxt.start() if nxt else len(text)]
    indent = INDENT_RE.search(body)
    if indent is None:
        return None
    found = assignments(body, KEYS, indent.group(1))
    if found is None or "dependencies" not in found:
        return None  # makemigrations always writes dependencies: look at the whole file
    return dict(found)


def read_migration_file(text: str, key: Key) -> DjangoMigration:
    values: dict[str, ast.AST] | None = _class_body_assignments(text)
    if values is None:
        tree = ast.parse(text)
        cls = next((n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Migration"), None)
        if cls is None:
            raise ValueError("no class Migration (Django: \"Migration ... has no Migration class\")")
        values = {}
        for stmt in cls.body:
            if isinstance(stmt, ast.Assign):
                for t in stmt.targets:
                    if isinstance(t, ast.Name):
                        values[t.id] = stmt.value
            elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value is not None:
                values[stmt.target.id] = stmt.value
    m = DjangoMigration(key)
    m.dependencies, m.swappable = _keys(values.get("dependencies"), "dependencies", key[0])
    m.replaces, _ = _keys(values.get("replaces"), "replaces", key[0])
    m.run_before, _ = _keys(values.get("run_before"), "run_before", key[0])
    atomic = values.get("atomic")
    if atomic is not None:
        try:
            m.atomic = bool(ast.literal_eval(atomic))
        except (ValueError, SyntaxError):
            raise ValueError("atomic is not a literal") from None
    return m


def app_label(files: dict[str, SourceFile], app_dir: str) -> str:
    """The label the app's AppConfig declares in apps.py, else the directory's name."""
    apps_py = files.get(f"{app_dir}/apps.py" if app_dir else "apps.py")
    default = app_dir.rpartition("/")[2]
    if apps_py is None:
        return default
    try:
        tree = ast.parse(decode(apps_py.read()))
    except SyntaxError:
        return default
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        for stmt in node.body:
            if (isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "label" for t in stmt.targets)
                    and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str)):
                return stmt.value.value
    return default


class Graph:
    """Django's MigrationGraph, reduced to what ``migrate`` needs: nodes with parents and children."""

    def __init__(self) -> None:
        self.parents: dict[Key, set[Key]] = {}
        self.children: dict[Key, set[Key]] = {}

    def add_node(self, key: Key) -> None:
        self.parents.setdefault(key, set())
        self.children.setdefault(key, set())

    def add_dependency(self, child: Key, parent: Key) -> None:
        if child in self.parents and parent in self.parents:
            self.parents[child].add(parent)
            self.children[parent].add(child)

    def remove_replaced(self, replacement: Key, replaced: list[Key]) -> None:
        gone = set(replaced)
        for key in replaced:
            if key not in self.parents:
                continue
            for child in self.children.pop(key):
                self.parents[child].discard(key)
                if child not in gone:
                    self.add_dependency(child, replacement)
            for parent in self.parents.pop(key):
                self.children[parent].discard(key)
                if parent not in gone:
                    self.add_dependency(replacement, parent)

    def remove_replacement(self, replacement: Key, replaced: list[Key]) -> None:
        children = self.children.pop(replacement, set())
        parents = self.parents.pop(replacement, set())
        nodes = {k for k in replaced if k in self.parents}
        nodes -= {p for k in nodes for p in self.parents[k]}
        for child in children:
            self.parents[child].discard(replacement)
            for n in nodes:
                self.add_dependency(child, n)
        for parent in parents:
            self.children[parent].discard(replacement)

    def roots(self, app: str) -> list[Key]:
        return sorted(k for k, ps in self.parents.items() if k[0] == app and all(p[0] != app for p in ps))

    def leaves(self, app: str | None = None) -> list[Key]:
        return sorted(k for k, cs in self.children.items() if (app is None or k[0] == app)
                      and all(c[0] != k[0] for c in cs))

    def forwards_plan(self, target: Key) -> list[Key]:
        visited: list[Key] = []
        done: set[Key] = set()
        stack: list[tuple[Key, bool]] = [(target, False)]
        while stack:
            node, processed = stack.pop()
            if node in done:
                continue
            if processed:
                done.add(node)
                visited.append(node)
            else:
                stack.append((node, True))
                stack += [(p, False) for p in sorted(self.parents[node])]
        return visited


class Django(Runner):
    name = "django"
    table = "django_migrations"
    columns = {"id": "id", "app": "app", "name": "name"}
    column_types = {"id": "int", "app": "text", "name": "text"}
    column_sql = ("(id bigint PRIMARY KEY, app varchar(255) NOT NULL, name varchar(255) NOT NULL, applied "
                  "timestamptz NOT NULL)")
    order_by = "id"
    default_transaction = "file"
    recursive = True
    options = ("sql_command",)

    def scan(self, source: Source) -> Scan:
        scan = Scan()
        by_name = {f.name: f for f in source.files}
        app_dirs = sorted({f.name[: -len("migrations/__init__.py")].rstrip("/") for f in source.files
                           if f.name == "migrations/__init__.py" or f.name.endswith("/migrations/__init__.py")})
        read: dict[Key, DjangoMigration] = {}
        files: dict[Key, Migration] = {}
        labels: dict[str, str] = {}
        for app_dir in app_dirs:
            label = app_label(by_name, app_dir)
            if label in labels.values():
                scan.problems.append(Problem(kind="duplicate-version",
                                             message=f"two apps have the label {label!r} ({app_dir} and another)",
                                             remediation="give each app its own label (Django refuses to start)"))
            labels[app_dir] = label
            prefix = f"{app_dir}/migrations/" if app_dir else "migrations/"
            for name, f in by_name.items():
                if not name.startswith(prefix) or "/" in name[len(prefix):] or not name.endswith(".py"):
                    continue
                module = name[len(prefix): -len(".py")]
                if module[:1] in ("_", "~"):
                    continue
                data = f.read()
                sha, lines = file_facts(data)
                key = (label, module)
                shown = f"{label}.{module}"
                try:
                    dm = read_migration_file(decode(data), key)
                except SyntaxError as e:
                    scan.problems.append(unparsable_problem(self.name, f.display, shown, f"not valid Python: {e.msg}",
                                                            e.lineno))
                    continue
                except ValueError as e:
                    scan.problems.append(unparsable_problem(self.name, f.display, shown, str(e)))
                    continue
                read[key] = dm
                files[key] = Migration(shown, shown, f.display, f.path, sha, lines, "", 1,
                                       self.transaction if dm.atomic else "none", not_sql=NOT_SQL)
        scan.context.update(read=read, files=files, apps=sorted(set(labels.values())))
        external = sorted({d[0] for dm in read.values() for d in dm.dependencies if d[0] not in labels.values()})
        if external:
            scan.notes.append(f"dependencies on apps outside the source ({', '.join(external)}) are taken as "
                              "satisfied: preflight reads only the migrations in the source")
        if any(dm.swappable for dm in read.values()):
            scan.notes.append("swappable_dependency(settings.AUTH_USER_MODEL) is not resolved (it names a "
                              "setting): taken as satisfied")
        graph, problems = self._graph(read, set())
        scan.problems += problems
        scan.migrations = [files[k] for k in self._plan(graph, set())]
        return scan

    def _graph(self, read: dict[Key, DjangoMigration], applied: set[Key]) -> tuple[Graph, list[Problem]]:
        graph = Graph()
        problems: list[Problem] = []
        apps = {k[0] for k in read}
        for key in read:
            graph.add_node(key)

        def resolve(dep: Key, current_app: str) -> Key | None:
            if dep[1] not in ("__first__", "__latest__") or dep in read:
                if dep not in read:
                    if dep[0] in apps:
                        problems.append(Problem(
                            kind="unparsable",
                            message=f"a migration of {current_app} depends on {dep[0]}.{dep[1]}, which does not "
                                    "exist: Django stops (NodeNotFoundError)",
                            remediation="fix the dependency or restore the migration", migration=dep[1]))
                    return None
                return dep
            if dep[0] == current_app or dep[0] not in apps:
                return None
            nodes = graph.roots(dep[0]) if dep[1] == "__first__" else graph.leaves(dep[0])
            return nodes[0] if nodes else None

        for key, dm in read.items():
            for dep in dm.dependencies:
                if dep[0] == key[0] and dep[1] != "__first__":
                    graph.add_dependency(key, dep)
        for key, dm in read.items():
            for dep in dm.dependencies:
                if dep[0] == key[0]:
                    if dep not in read and dep[1] != "__first__":
                        resolve(dep, "")  # reports the missing node
                    continue
                parent = resolve(dep, key[0])
                if parent is not None:
                    graph.add_dependency(key, parent)
            for child in dm.run_before:
                target = resolve(child, key[0])
                if target is not None:
                    graph.add_dependency(target, key)
        for key, dm in read.items():
            if not dm.replaces:
                continue
            statuses = [r in applied for r in dm.replaces]
            if all(statuses) or not any(statuses):
                graph.remove_replaced(key, dm.replaces)
            else:
                graph.remove_replacement(key, dm.replaces)
        return graph, problems

    @staticmethod
    def _plan(graph: Graph, applied: set[Key]) -> list[Key]:
        plan: list[Key] = []
        done = set(applied)
        for target in graph.leaves():
            for key in graph.forwards_plan(target):
                if key not in done:
                    plan.append(key)
                    done.add(key)
        return plan

    def evaluate(self, scan: Scan, rows: list[Row] | None, table: str) -> TrackingState:
        read: dict[Key, DjangoMigration] = scan.context["read"]
        files: dict[Key, Migration] = scan.context["files"]
        apps = set(scan.context["apps"])
        if rows is None:
            return TrackingState(table=table, table_exists=False, rows=0, applied=[],
                                 pending=list(scan.migrations))
        recorded_keys: dict[Key, None] = {}
        for r in rows:
            if r["app"] is not None and r["name"] is not None:
                recorded_keys[(str(r["app"]), str(r["name"]))] = None
        recorded = list(recorded_keys)
        db_applied = set(recorded)
        mine = [k for k in recorded if k[0] in apps]
        others = sorted({k[0] for k in recorded if k[0] not in apps})
        applied = set(mine)
        for key, dm in read.items():
            if dm.replaces:
                if all(r in applied for r in dm.replaces):
                    applied.add(key)
                else:
                    applied.discard(key)
        graph, _problems = self._graph(read, applied)
        problems: list[Problem] = []
        # InconsistentMigrationHistory, as `migrate` checks it before anything else.
        for key in mine:
            if key not in graph.parents:
                continue
            for parent in sorted(graph.parents[key]):
                if parent in db_applied:
                    continue
                squash = read.get(parent)
                if squash is not None and squash.replaces and all(r in db_applied for r in squash.replaces):
                    continue
                problems.append(Problem(
                    kind="inconsistent",
                    message=(f"{key[0]}.{key[1]} is applied before its dependency {parent[0]}.{parent[1]}: `migrate` "
                             "refuses to run (InconsistentMigrationHistory)"),
                    remediation=(f"apply {parent[0]}.{parent[1]} first (or fake it if its changes exist), or fix the "
                                 "dependency"),
                    migration=f"{key[0]}.{key[1]}", file=files[key].file if key in files else None))
        replaced_by = {r: k for k, dm in read.items() for r in dm.replaces}
        entries: list[Applied] = []
        for key in mine:
            m = files.get(key)
            if m is None and key in replaced_by and replaced_by[key] in files:
                m = files[replaced_by[key]]
            entries.append(Applied(f"{key[0]}.{key[1]}", m))
        problems += _gone_rows(table, entries, files)
        pending_keys = [k for k in self._plan(graph, applied) if k in files]
        state = TrackingState(table=table, table_exists=True, rows=len(rows), applied=entries,
                              pending=[files[k] for k in pending_keys], problems=problems,
                              current=None)
        if others:
            state.problems.append(Problem(
                kind="ahead", severity="info",
                message=(f"{table} also records migrations of apps that are not in the source ({', '.join(others)}):"
                         " not judged"),
                remediation="nothing to do for installed apps (django.contrib...); point source at the project "
                            "root if an app of yours is missing"))
        return state

    def fill_sql(self, migrations: list[Migration], scan: Scan, state: TrackingState | None) -> list[Migration]:
        def values(m: Migration) -> dict[str, str]:
            app, _, name = m.name.partition(".")
            return {"app": app, "name": name, "version": m.version, "file": m.path}

        return fill_per_migration(self.target, migrations, values)


def _number(name: str) -> int | None:
    m = NUMBER_RE.match(name)
    return int(m.group(1)) if m else None


def _gone_rows(table: str, entries: list[Applied], files: dict[Key, Migration]) -> list[Problem]:
    """Recorded migrations whose file is gone: numbered after the app's newest file, the database is ahead;
    numbered before it, the file was most likely removed after squashing."""
    newest: dict[str, int] = {}
    for app, name in files:
        n = _number(name)
        if n is not None:
            newest[app] = max(newest.get(app, -1), n)
    ahead: list[Applied] = []
    pruned: list[Applied] = []
    for a in entries:
        if a.migration is not None:
            continue
        app, _, name = a.version.partition(".")
        n = _number(name)
        if n is not None and app in newest and n <= newest[app]:
            pruned.append(a)
        else:
            ahead.append(a)
    out: list[Problem] = []
    if ahead:
        names = ", ".join(a.version for a in ahead[:10]) + (f" and {len(ahead) - 10} more" if len(ahead) > 10 else "")
        out.append(Problem(
            kind="ahead",
            message=(f"the database is ahead of this release: {table} records {len(ahead)} applied migration"
                     f"{'s' if len(ahead) != 1 else ''} newer than any file of its app in this release: {names} "
                     "(Django ignores the rows, but the schema holds their changes)"),
            remediation=("an older release is rolling out against a newer schema: roll out a release that contains "
                         "these migrations"),
            migration=ahead[0].version))
    if pruned:
        out.append(Problem(
            kind="ahead", severity="info",
            message=(f"{table} records {len(pruned)} migration{'s' if len(pruned) != 1 else ''} whose file is gone "
                     f"but older than its app's newest ({', '.join(a.version for a in pruned[:5])}): presumed "
                     "removed after squashing, not checked"),
            remediation="nothing to do if they were removed on purpose", migration=pruned[0].version))
    return out
