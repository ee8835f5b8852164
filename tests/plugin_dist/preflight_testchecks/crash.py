"""Raises (tests only)."""

from __future__ import annotations

from preflight.api import CheckContext, Result


def run(config: None, ctx: CheckContext) -> Result:
    raise RuntimeError("boom: the check crashed\nsecond line")
