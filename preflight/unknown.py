"""Could not decide is not safe: what a check reports when it could not establish its answer.

A check that cannot tell (a table too big to scan without an index that fits, a guard that cannot be run
read-only, a migration that does not parse, sessions this role may not see) never passes and never only warns by
default: its answer is an ``error``, which blocks the rollout with exit code 3 ("could not decide"). Those who
accept the unknown say so per check, in the config::

    [[check]]
    id = "hourly-rollup-caught-up"
    uses = "db.watermark"
    on_unknown = "warn"     # report what could not be decided as a warning instead

Every check that can meet an unknown declares the same key, ``on_unknown``, with the same values, ``"error"``
(the default) and ``"warn"``; the summary of such a result always says what could not be decided and why.
"""

from __future__ import annotations

from typing import Any, Literal

from preflight.model import Result, Severity
from preflight.typed import doc

OnUnknown = Literal["error", "warn"]
"""The type of every check's ``on_unknown`` key."""


def on_unknown_key(what: str) -> Any:
    """The ``on_unknown`` field of a check's ``Config``; ``what`` says what the check may be unable to decide."""
    return doc(f'When {what}: "error" (could not decide: it blocks the rollout, exit 3) or "warn" (accept the '
               'unknown: a warning).', default="error")


def severity(on_unknown: OnUnknown) -> Severity:
    """The severity of a finding the check could not decide."""
    return Severity.WARNING if on_unknown == "warn" else Severity.ERROR


def result(on_unknown: OnUnknown, summary: str, **kw: Any) -> Result:
    """A check's whole result when it could not decide: ``error``, or a warning with ``on_unknown = "warn"``."""
    if on_unknown == "warn":
        return Result.warned(f"{summary} (on_unknown = \"warn\")", **kw)
    return Result.errored(summary, **kw)


__all__ = ["OnUnknown", "on_unknown_key", "result", "severity"]
