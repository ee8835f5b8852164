"""Guards: whether a pending migration's guard can be evaluated now, against today's database.

A guard sees the database as it will be when its migration runs. For the first pending migration that is the
database now. For a later one it is the same only if no earlier pending migration creates, alters or drops a
relation the guard reads (found with :mod:`preflight.sql.schema_changes`); otherwise the guard is "not evaluable
yet": on a fresh install, guards that read tables created by earlier pending migrations must not fail.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from preflight.migrations import Migration


def evaluability(guard: dict[str, Any], index: int, pending: list[Migration]) -> str | None:
    """None when the guard of ``pending[index]`` can be evaluated against the database now; else why not."""
    from preflight.sql.schema_changes import known_changes, name_matches

    for earlier in pending[:index]:
        changes = known_changes(earlier.sql)
        if changes is None:
            return (f"earlier pending migration {earlier.name} does not parse, so what it changes (and what the "
                    "guard will see) is unknown")
        touched = sorted(changes.touches())
        if guard.get("reads_unknown") and touched:
            return (f"the guard's reads cannot all be determined (dynamic SQL), and earlier pending migration "
                    f"{earlier.name} changes {', '.join(touched[:3])}")
        hit = sorted({read for read in guard.get("reads", ()) for rel in touched if name_matches(read, rel)})
        if hit:
            verbs = []
            for read in hit:
                if any(name_matches(read, r) for r in changes.created):
                    verbs.append(f"creates {read}")
                elif any(name_matches(read, r) for r in changes.dropped):
                    verbs.append(f"drops {read}")
                else:
                    verbs.append(f"alters {read}")
            return f"earlier pending migration {earlier.name} {', '.join(verbs)}, which the guard reads"
    return None
