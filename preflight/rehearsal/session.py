"""One rehearsal, start to end: copy, restore, run, observe, probe, clean up.

The rehearsal server starts (embedded) while the live database is read; the throwaway database and the
placeholder roles are dropped, and the embedded server stopped, when the rehearsal ends, also on an error or
Ctrl-C (and at interpreter exit, for a check abandoned at its timeout).
"""

from __future__ import annotations

import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from preflight.db import probes
from preflight.deadline import DeadlinePassed
from preflight.errors import ConfigError, ReaderError
from preflight.rehearsal import dump, execute, observe, restore
from preflight.rehearsal.restore import Restored
from preflight.rehearsal.server import APPLICATION_NAME, DatabaseShape, RehearsalServer
from preflight.rehearsal.target import RehearsalTarget

if TYPE_CHECKING:
    from preflight.db.probes import Probe
    from preflight.db.target import Database
    from preflight.lint.live import Facts
    from preflight.migrations import Migration, MigrationPlan
    from preflight.rehearsal.dump import LiveCopy, Tools
    from preflight.rehearsal.execute import MigrationResult
    from preflight.sql.schema_changes import Statement


@dataclass
class Settings:
    small_table_rows: int = 1000
    lock_size: int = 100 * 1024 ** 2
    exact_count_size: int = 10 * 1024 ** 2
    max_scan_bytes: int = 100 * 1024 ** 2
    show_values: bool = False
    on_unknown: str = "error"


@dataclass
class Rehearsal:
    """Everything a rehearsal observed, for the judge and the reports."""

    runner: str
    pending: list[Migration]
    server_kind: str = "embedded"
    server_version: str = ""
    server_major: int = 0
    tools: Tools | None = None
    live: LiveCopy | None = None
    restored: Restored | None = None
    migrations: list[MigrationResult] = field(default_factory=list)
    origin: dict[int, observe.Relation] = field(default_factory=dict)
    """The copy's relations as restored, before any migration: a copy oid -> the live relation it copies
    (oids survive renames, so a renamed table still maps to its live self)."""
    final: dict[int, observe.Relation] = field(default_factory=dict)
    """The copy's relations after the rehearsal, to name the relations the migrations created."""
    probes: list[Probe] = field(default_factory=list)
    facts: dict[tuple[str, str], Facts] = field(default_factory=dict)
    """Live size and rows of every live table a statement locked, rewrote or scanned."""
    lint: list[list[dict[str, Any]]] = field(default_factory=list)
    """The lint's items for each pending migration (its predictions)."""
    notes: list[str] = field(default_factory=list)
    """What could not be made like the live database (collation, settings, roles)."""
    missing_roles: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def live_major(self) -> int:
        return self.live.major if self.live else 0

    @property
    def majors_differ(self) -> bool:
        return bool(self.live) and self.server_major != self.live_major

    def relation(self, oid: int) -> observe.Relation | None:
        return self.origin.get(oid) or self.final.get(oid)

    def origin_kind(self, table: tuple[str, str]) -> str:
        """pg_class.relkind of a live table as restored ("p" for a partitioned table)."""
        return next((r.kind for r in self.origin.values() if r.qualified == table and r.kind in ("r", "p", "m")),
                    "")

    def ancestors(self, table: tuple[str, str]) -> list[tuple[str, str]]:
        """The live partitioned tables a live partition belongs to, nearest first."""
        by_name = {r.qualified: r for r in self.origin.values() if r.kind in ("r", "p")}
        out: list[tuple[str, str]] = []
        rel = by_name.get(table)
        while rel is not None and rel.parent and (parent := self.origin.get(rel.parent)) is not None:
            if parent.qualified in out:
                break
            out.append(parent.qualified)
            rel = parent
        return out

    def live_table(self, oid: int) -> tuple[str, str] | None:
        """The live table a copy relation stands for (an index's table); None for a relation the migrations
        created."""
        rel = self.origin.get(oid)
        if rel is None:
            new = self.final.get(oid)
            if new is not None and new.table:
                rel = self.origin.get(new.table)
            if rel is None:
                return None
        if rel.kind in ("i", "I"):
            table = self.origin.get(rel.table)
            return table.qualified if table else None
        return rel.qualified


def parse_pending(pending: list[Migration]) -> list[tuple[list[Statement], str | None]]:
    """Each migration's statements (PostgreSQL's own parser), or the parse error."""
    from preflight.sql.schema_changes import SqlParseError, parse

    out: list[tuple[list[Statement], str | None]] = []
    for m in pending:
        try:
            out.append((parse(m.sql), None))
        except SqlParseError as e:
            out.append(([], e.message))
    return out


def _roles_named(parsed: list[tuple[list[Statement], str | None]]) -> list[str]:
    """Roles the pending statements name (GRANT ... TO r, OWNER TO r, SET ROLE r...)."""
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            spec = value.get("RoleSpec")
            if isinstance(spec, dict) and spec.get("rolename"):
                found.add(str(spec["rolename"]))
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    for statements, _ in parsed:
        for st in statements:
            walk(st.node)
            if st.kind == "VariableSetStmt" and st.node.get("name") == "role":
                for arg in st.node.get("args", []):
                    sval = arg.get("A_Const", {}).get("sval", {}).get("sval")
                    if sval:
                        found.add(sval)
    return sorted(found)


class _ServerStart:
    """Starts the rehearsal server in a thread as soon as the live database's shape is known (while the rest of
    the live database is read), and hands its failure, if any, to the caller."""

    def __init__(self, server: RehearsalServer):
        self.server = server
        self.thread: threading.Thread | None = None
        self.failure: BaseException | None = None

    def __call__(self, shape: DatabaseShape) -> None:
        def run() -> None:
            try:
                self.server.start(shape)
            except BaseException as e:  # noqa: BLE001 - raised again in the caller's thread
                self.failure = e

        self.thread = threading.Thread(target=run, name="rehearsal-server", daemon=True)
        self.thread.start()

    def join(self) -> None:
        if self.thread is not None:
            self.thread.join()

    def result(self) -> None:
        if self.failure is not None:
            raise self.failure
        if self.thread is None:
            raise ReaderError("the rehearsal server was never started: the live database's shape was not read")


def rehearse(database: Database, plan: MigrationPlan, target: RehearsalTarget | None, settings: Settings,
             *, deadline: float | None = None, tracking: tuple[str | None, str] | None = None) -> Rehearsal:
    """Rehearse ``plan``'s pending migrations against a copy of ``database``."""
    started = time.monotonic()

    def left(default: float) -> float:
        return default if deadline is None else max(1.0, min(default, deadline - time.monotonic()))

    target = target or RehearsalTarget()
    # Migrations written in code get their SQL from the configured sql_command, as for the lint; without one
    # (and for goose's Go and Flyway's Java migrations) they keep not_sql and cannot be rehearsed.
    pending = plan.with_sql(list(plan.pending))
    rehearsal = Rehearsal(plan.runner, pending)
    parsed = parse_pending(pending)
    planned, history = probes.plan(pending, [s for s, _ in parsed])
    rehearsal.probes = planned
    rehearsal.tools = tools = dump.find_tools(target.pg_dump)
    server = RehearsalServer(target)
    rehearsal.server_kind = server.kind
    starting = _ServerStart(server)
    try:
        with tempfile.TemporaryDirectory(prefix="preflight-rehearsal-") as work:
            t0 = time.monotonic()
            try:
                live = dump.read_live(database, tools, Path(work), small_table_rows=settings.small_table_rows,
                                      tracking=tracking, migration_roles=_roles_named(parsed),
                                      dump_timeout=left(float(target.dump_timeout)), on_shape=starting)
            finally:
                starting.join()
            rehearsal.live = live
            rehearsal.seconds["live_read"] = time.monotonic() - t0
            starting.result()
            refuse_the_live_cluster(database, server)
            rehearsal.server_version, rehearsal.server_major = server.version, server.major
            t0 = time.monotonic()
            rehearsal.restored = _restore(server, live, tools, rehearsal)
            rehearsal.seconds["restore"] = time.monotonic() - t0
            t0 = time.monotonic()
            statement_timeout = left(float(target.statement_timeout))
            _run_migrations(rehearsal, server, parsed, live, statement_timeout)
            rehearsal.seconds["migrations"] = time.monotonic() - t0
            if statement_timeout < float(target.statement_timeout) and deadline is not None and \
                    time.monotonic() >= deadline - 1.0:
                _stop_if_cut_by_the_deadline(rehearsal)
    finally:
        server.close()
    t0 = time.monotonic()
    context = probes.Context(settings.max_scan_bytes, settings.show_values, dict(rehearsal.restored.copied),
                             _observed_writes(rehearsal))
    probes.evaluate(planned, history, database, context)
    _live_facts(rehearsal, database, settings)
    _lint(rehearsal)
    rehearsal.seconds["probes"] = time.monotonic() - t0
    rehearsal.seconds["total"] = time.monotonic() - started
    return rehearsal


def refuse_the_live_cluster(database: Database, server: RehearsalServer) -> None:
    """The rehearsal creates a database and roles on its server: a ``[targets.rehearsal] dsn`` that reaches the
    live cluster itself (another database, host name or port of it) would create them on production. Clusters
    are told apart by the system identifier initdb gave them, before anything is created. A physical copy or
    a streaming replica shares it, and is refused too: telling a copy from the primary it was taken from needs
    more than a read-only session can prove."""
    import psycopg

    from preflight.db.target import describe_db_error

    query = "select system_identifier::text from pg_control_system()"
    try:
        with database.connection() as conn:
            row = conn.execute(query).fetchone()
            conn.rollback()
        live = str(row[0]) if row else ""
    except psycopg.Error as e:
        raise ReaderError("cannot tell whether the rehearsal server is the live cluster: reading the live "
                          f"database's pg_control_system(): {describe_db_error(e)}") from None
    try:
        with server.admin() as conn:
            row = conn.execute(query).fetchone()
        rehearsal = str(row[0]) if row else ""
    except psycopg.Error as e:
        raise ReaderError("cannot tell whether the rehearsal server is the live cluster: reading the rehearsal "
                          f"server's pg_control_system(): {describe_db_error(e)}") from None
    if not live or live == rehearsal:
        raise ConfigError(f"[targets.rehearsal] dsn: {server.display} is the live database's own cluster, or a "
                          f"physical copy or replica of it (system identifier {live or 'unknown'}): the rehearsal "
                          "would create its database there; point it at a separate server of production's version, "
                          "or leave it empty for an embedded one")


def _restore(server: RehearsalServer, live: LiveCopy, tools: Tools, rehearsal: Rehearsal) -> Restored:
    """The throwaway database, the placeholder roles, and the copy restored into it."""
    rehearsal.missing_roles = server.create_roles(live.roles)
    assert live.shape is not None and live.archive is not None
    server.create_database(live.shape)
    rehearsal.notes.extend(server.notes)
    restored = Restored()
    with server.admin(server.database) as conn:
        restore.run_script(conn, dump.restore_script(tools, live.archive, "pre-data"), restored)
        restore.load_rows(conn, live, restored)
        restore.run_script(conn, dump.restore_script(tools, live.archive, "post-data"), restored)
        restore.set_sequences(conn, live)
        restore.refresh_materialized_views(conn, restored)
        restore.compare(conn, live, restored)
    return restored


def _stop_if_cut_by_the_deadline(rehearsal: Rehearsal) -> None:
    """The session's statement_timeout was what was left of the check's timeout, and the check's time is up: a
    statement cut now ran out of the check's time, not of the rehearsal's own statement_timeout (nor of one the
    migration sets, which cuts earlier), so the check timed out: the same report as when the engine notices the
    timeout first, whichever of the two comes a moment sooner."""
    for result in rehearsal.migrations:
        for res in result.statements:
            if res.error is not None and res.error.timeout:
                raise DeadlinePassed(f"rehearsing {result.migration.name}: stopped at the check's timeout")


def _run_migrations(rehearsal: Rehearsal, server: RehearsalServer, parsed: list[tuple[list[Statement], str | None]],
                    live: LiveCopy, statement_timeout: float) -> None:
    import psycopg

    try:
        conn = psycopg.connect(server.dsn(), autocommit=True, application_name=APPLICATION_NAME)
    except psycopg.Error as e:
        raise ReaderError(f"cannot connect to the rehearsal database: {' '.join(str(e).split())}") from None
    with conn:
        for name, value in live.settings:
            try:
                conn.execute("select set_config(%s, %s, false)", (name, value))
            except psycopg.Error as e:
                rehearsal.notes.append(f"the live database sets {name} = {value!r}, which the rehearsal server "
                                       f"refuses ({e.diag.message_primary or e}): the rehearsal runs without it")
        conn.execute("select set_config('statement_timeout', %s, false)", (f"{round(statement_timeout * 1000)}ms",))
        executor = execute.Executor(conn, rehearsal.runner)
        rehearsal.origin = dict(executor.observer.catalog())
        stopped: str | None = None
        for m, (statements, parse_error) in zip(rehearsal.pending, parsed, strict=True):
            if stopped is not None:
                result = execute.MigrationResult(m, execute.effective_mode(rehearsal.runner, m.transaction),
                                                 execute.HOW[execute.effective_mode(rehearsal.runner, m.transaction)])
                result.note = stopped
                rehearsal.migrations.append(result)
                continue
            if m.not_sql is not None:
                result = execute.MigrationResult(m, m.transaction, "not run: preflight has no SQL for it",
                                                 outcome="not-rehearsed")
                result.note = f"not rehearsed: {m.not_sql}"
                rehearsal.migrations.append(result)
                stopped = f"not run: the rehearsal cannot go past {m.name}, which it could not run"
                continue
            result = executor.run(m, statements, parse_error)
            rehearsal.migrations.append(result)
            if result.outcome == "failed":
                stopped = f"not run: {rehearsal.runner} stops at the failure of {m.name}"
        rehearsal.final = dict(executor.observer.catalog())


def _observed_writes(rehearsal: Rehearsal) -> list[tuple[tuple[int, int], tuple[str, str], str]]:
    """Statements the rehearsal saw writing rows (ROW EXCLUSIVE) of a live table: DML, and DO blocks or calls."""
    out = []
    for mi, result in enumerate(rehearsal.migrations):
        for res in result.statements:
            for oid, mode in res.locks.items():
                table = rehearsal.live_table(oid)
                if table is not None and mode == "RowExclusiveLock":
                    out.append(((mi, res.index), table, f"{result.migration.file}:{res.line}"))
    return out


def _live_facts(rehearsal: Rehearsal, database: Database, settings: Settings) -> None:
    """Size and rows of the live tables the statements touched (read-only, the lint's own lookup)."""
    import psycopg

    from preflight.db.target import describe_db_error
    from preflight.lint.live import lookup

    tables: set[tuple[str, str]] = set()
    for result in rehearsal.migrations:
        for res in result.statements:
            for oid in [*res.locks, *res.rewritten, *res.scanned]:
                table = rehearsal.live_table(oid)
                if table is not None:
                    tables.add(table)
    if not tables:
        return
    targets = [("table", s, n) for s, n in sorted(tables)]
    try:
        with database.connection() as conn, conn.cursor() as cur:
            found = lookup(cur, targets, settings.exact_count_size)  # type: ignore[arg-type]
            conn.rollback()
    except psycopg.Error as e:
        raise ReaderError(f"reading the live tables' sizes: {describe_db_error(e)}") from None
    rehearsal.facts = {(s or "", n): f for (_, s, n), f in found.items()}


def _lint(rehearsal: Rehearsal) -> None:
    """The lint's items for each pending migration: what it predicts about locks and rewrites."""
    from preflight.lint import analyze_sources
    from preflight.lint.report import Selection, items

    selection = Selection()
    analyses = analyze_sources([(m.sql.encode("utf-8"), m.transaction) for m in rehearsal.pending])
    rehearsal.lint = [items(a, selection, conditions=False) for a in analyses]


def settings_of(config: Any) -> Settings:
    """The check's typed config as the rehearsal's settings."""
    from preflight.sizes import parse_size

    return Settings(small_table_rows=config.small_table_rows, lock_size=parse_size(config.lock_size, "lock_size"),
                    max_scan_bytes=parse_size(config.max_scan_bytes, "max_scan_bytes"),
                    show_values=config.show_values, on_unknown=config.on_unknown)


def tracking_table(targets: Any) -> tuple[str | None, str] | None:
    """The tracking table as the runner names it."""
    from preflight.migrations.runners import runner_class

    target = targets.config.migrations
    if target is None:
        return None
    return target.schema, target.table or runner_class(target.tracking).table


def rehearse_context(ctx: Any, config: Any) -> tuple[Rehearsal, Settings]:
    """Rehearse for a check: its targets, its config, its deadline."""
    settings = settings_of(config)
    rehearsal = rehearse(ctx.database, ctx.migrations, getattr(ctx.targets.config, "rehearsal", None), settings,
                         deadline=ctx.deadline, tracking=tracking_table(ctx.targets))
    return rehearsal, settings
