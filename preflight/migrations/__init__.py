"""Pending migrations: what the rollout's ``migrate up`` will run against this database, in the runner's order.

One module per runner under :mod:`preflight.migrations.runners` knows its file naming, run order, up-section
extraction, transaction mode and tracking table; :func:`load_plan` turns a ``[targets.migrations]`` table into
a :class:`MigrationPlan` that every check of a run shares (``ctx.migrations``).
"""

from preflight.migrations.model import Applied, Migration, Problem, TrackingState, Transaction
from preflight.migrations.plan import MigrationPlan, load_plan

__all__ = ["Applied", "Migration", "MigrationPlan", "Problem", "TrackingState", "Transaction", "load_plan"]
