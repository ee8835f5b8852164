"""Needs a target that does not exist (tests only): its shape is refused when it is loaded."""

from __future__ import annotations

from preflight.api import CheckContext, Result, Status

needs = ("database", "warehouse")


def run(config: None, ctx: CheckContext) -> Result:
    return Result(Status.PASS, "never run")
