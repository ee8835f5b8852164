"""The migration plan: every migration in the source in run order, and (read lazily, once) what the database
has applied and what ``migrate up`` will run."""

from __future__ import annotations

import hashlib
import threading
from typing import TYPE_CHECKING, Any

from preflight.migrations.model import Applied, Migration, Problem, Scan, TrackingState
from preflight.migrations.runners import runner_class
from preflight.migrations.source import refuse_unreadable
from preflight.migrations.tracking import read_rows, table_label

if TYPE_CHECKING:
    from preflight.migrations.runners.base import Runner
    from preflight.migrations.target import MigrationsTarget
    from preflight.targets import Targets


class MigrationPlan:
    """What a rollout's ``migrate up`` will do. The source is read when the plan is made; the database only on
    first access to :attr:`state` (or :attr:`applied`, :attr:`pending`...), with one query to the tracking
    table, shared by every check of the run."""

    def __init__(self, runner: Runner, source_display: str, scan: Scan, targets: Targets):
        self._runner = runner
        self.runner: str = runner.name
        self.source: str = source_display
        self.table: str = table_label(runner)
        self.default_transaction = runner.transaction
        """How the runner executes a file unless the file says otherwise."""
        self.migrations: list[Migration] = scan.migrations
        self.unmatched: list[str] = scan.unmatched
        self.source_problems: list[Problem] = scan.problems
        self.notes: list[str] = scan.notes
        """What preflight presumed or left out reading this runner's files: said wherever the plan is shown."""
        self._scan = scan
        self._targets = targets
        self._lock = threading.Lock()
        self._state: TrackingState | None = None
        self._by_name = {m.name: m for m in scan.migrations}
        self._analyses = _Analyses()
        self._with_sql: dict[tuple[str, ...], list[Migration]] = {}

    def for_database(self, targets: Targets) -> MigrationPlan:
        """The same migrations, read and parsed once, judged against another database (a fleet member's): the new
        plan reads that database's tracking table, and shares this plan's lint analyses."""
        plan = MigrationPlan(self._runner, self.source, self._scan, targets)
        plan._analyses = self._analyses
        return plan

    def analyses(self, migrations: list[Migration], *, enabled: frozenset[str] | None = None,
                 use_cache: bool = True) -> list[dict[str, Any]]:
        """The lint's analysis of each of ``migrations`` with the ``enabled`` rules (see
        :func:`preflight.lint.analyze_sources`), parsed once per run whichever check or fleet member asks."""
        return self._analyses.get(migrations, enabled, use_cache)

    # -- the database side, read once -------------------------------------------------------------------------

    @property
    def state(self) -> TrackingState:
        with self._lock:
            if self._state is None:
                rows = read_rows(self._targets.database, self._runner)
                self._state = self._runner.evaluate(self._scan, rows, self.table)
            return self._state

    def with_sql(self, migrations: list[Migration]) -> list[Migration]:
        """These migrations with the SQL they run, where the runner's own offline mode must print it (the
        configured ``sql_command``): for the lint and the guards only. Without one, migrations whose SQL is
        unknown keep ``not_sql``."""
        if not any(m.not_sql for m in migrations):
            return migrations
        key = tuple(m.name for m in migrations)
        with self._lock:
            cached = self._with_sql.get(key)
        if cached is None:
            state = self.state if self._targets.config.database is not None else None
            cached = self._runner.fill_sql(list(migrations), self._scan, state)
            with self._lock:
                self._with_sql[key] = cached
        return cached

    @property
    def applied(self) -> list[Applied]:
        return self.state.applied

    @property
    def pending(self) -> list[Migration]:
        """What ``migrate up`` will run, in run order; a database without the tracking table gets everything."""
        return self.state.pending

    def pending_names(self) -> list[str]:
        """Names and versions of the pending migrations, for ``when_pending`` globs."""
        out: list[str] = []
        seen: set[str] = set()
        for m in self.pending:
            for n in (m.name, m.version):
                if n and n not in seen:
                    seen.add(n)
                    out.append(n)
        return out

    @property
    def last_applied(self) -> Applied | None:
        return self.state.last_applied

    @property
    def problems(self) -> list[Problem]:
        """Everything that makes the migration state unsafe (failures) or worth knowing (info), source and
        database together."""
        return [*self.source_problems, *self.state.problems]

    @property
    def dirty(self) -> bool:
        return any(p.kind in ("dirty", "failed") for p in self.state.problems)

    def migration(self, name_or_version: str) -> Migration | None:
        m = self._by_name.get(name_or_version)
        if m is None:
            m = next((x for x in self.migrations if x.version == name_or_version), None)
        return m


class _Analyses:
    """Lint analyses of a plan's migrations, by migration and rule set, shared by every plan made from it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._done: dict[tuple[str, str, str, frozenset[str] | None], dict[str, Any]] = {}

    def get(self, migrations: list[Migration], enabled: frozenset[str] | None,
            use_cache: bool) -> list[dict[str, Any]]:
        from preflight.lint import analyze_sources

        # The SQL itself is part of the key: a migration written in code gets its SQL from sql_command, which
        # may differ from one fleet member (and its applied version) to another.
        keys = [(m.path, hashlib.sha256(m.sql.encode("utf-8")).hexdigest(), m.transaction, enabled)
                for m in migrations]
        # Under the lock: a fleet's members ask at once, and the second must wait for the first's parse, not
        # parse again.
        with self._lock:
            missing = [(k, m) for k, m in zip(keys, migrations, strict=True) if k not in self._done]
            if missing:
                fresh = analyze_sources([(m.sql.encode("utf-8"), m.transaction) for _, m in missing],
                                        use_cache=use_cache, enabled=enabled)
                for (k, _), analysis in zip(missing, fresh, strict=True):
                    self._done[k] = analysis
            return [self._done[k] for k in keys]


def load_plan(target: MigrationsTarget, targets: Targets) -> MigrationPlan:
    """Read the source at once (a directory, or ``image:/dir`` through the image target); the database is
    queried lazily."""
    runner = runner_class(target.tracking)(target)
    source = runner.open_source(targets)
    scan = runner.scan(source)
    scan.unmatched = refuse_unreadable(source, scan.unmatched)
    if targets.config.database is not None:
        # The DSN's syntax, when the config loader left it to whoever reads the database (`preflight migrations`):
        # a malformed DSN is the config's error (exit 2), raised before anything connects.
        targets.config.database.check_dsn_once()
    return MigrationPlan(runner, source.display, scan, targets)
