"""Pending migrations: what the rollout's ``migrate up`` will run against this database, in the runner's order.

One module per runner under :mod:`preflight.migrations.runners` knows its file naming, run order, up-section
extraction, transaction mode and tracking table; :func:`load_plan` turns a ``[targets.migrations]`` table into
a :class:`MigrationPlan` that every check of a run shares (``ctx.migrations``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from preflight.migrations.model import Applied, Migration, Problem, TrackingState, Transaction

if TYPE_CHECKING:
    from preflight.migrations.plan import MigrationPlan, load_plan


def __getattr__(name: str) -> Any:
    # The plan (and the runners under it) is imported when first used, not with the package, so that reading
    # the config (:mod:`preflight.migrations.target`) costs no migration reader.
    if name in ("MigrationPlan", "load_plan"):
        from preflight.migrations import plan

        return getattr(plan, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = ["Applied", "Migration", "MigrationPlan", "Problem", "TrackingState", "Transaction", "load_plan"]
