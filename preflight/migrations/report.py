"""The plan as people and programs read it: the check's details, ``preflight migrations`` text and JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from preflight.migrations.model import Problem
    from preflight.migrations.plan import MigrationPlan


def summary(plan: MigrationPlan) -> str:
    state = plan.state
    pending = state.pending
    where = (f"database at {state.last_applied.label}" if state.last_applied is not None else
             f"fresh database: no {state.table}" if not state.table_exists else "nothing applied yet")
    if not pending:
        return f"no pending migrations ({where})"
    first = ", ".join(m.name for m in pending[:3]) + (", ..." if len(pending) > 3 else "")
    return f"{len(pending)} pending migration{'s' if len(pending) != 1 else ''}: {first} ({where})"


def describe(plan: MigrationPlan, problems: list[Problem] | None = None) -> dict[str, Any]:
    """The plan as ``preflight migrations --format json`` shows it; the check's details are the same without
    ``problems`` and ``unmatched_files`` (its findings carry those)."""
    state = plan.state
    last = state.last_applied
    return {
        "runner": plan.runner,
        "source": plan.source,
        "tracking_table": state.table,
        "tracking_table_exists": state.table_exists,
        "applied_count": len(state.applied),
        "last_applied": last.to_dict() if last is not None else None,
        "current_version": state.current,
        "pending_count": len(state.pending),
        "pending": [m.to_dict() for m in state.pending],
        "problems": [p.to_dict() for p in (problems if problems is not None else plan.problems)],
        "unmatched_files": list(plan.unmatched),
        "notes": list(plan.notes),
    }
