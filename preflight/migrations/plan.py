"""The migration plan: every migration in the source in run order, and (read lazily, once) what the database
has applied and what ``migrate up`` will run."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from preflight.migrations.model import Applied, Migration, Problem, Scan, TrackingState
from preflight.migrations.runners import runner_class
from preflight.migrations.source import open_source
from preflight.migrations.tracking import read_rows, table_label

if TYPE_CHECKING:
    from preflight.migrations.runners.base import Runner
    from preflight.targets import MigrationsTarget, Targets


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
        self._scan = scan
        self._targets = targets
        self._lock = threading.Lock()
        self._state: TrackingState | None = None
        self._by_name = {m.name: m for m in scan.migrations}

    # -- the database side, read once -------------------------------------------------------------------------

    @property
    def state(self) -> TrackingState:
        with self._lock:
            if self._state is None:
                rows = read_rows(self._targets.database, self._runner)
                self._state = self._runner.evaluate(self._scan, rows, self.table)
            return self._state

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


def load_plan(target: MigrationsTarget, targets: Targets) -> MigrationPlan:
    """Read the source at once (a directory, or ``image:/dir`` through the image target); the database is
    queried lazily."""
    runner = runner_class(target.tracking)(target)
    source = open_source(target, targets, recursive=runner.recursive)
    return MigrationPlan(runner, source.display, runner.scan(source), targets)
