"""Sleeps, then passes (tests only)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from preflight.api import CheckContext, Result


@dataclass
class Config:
    seconds: float = 1.0


def run(config: Config, ctx: CheckContext) -> Result:
    time.sleep(config.seconds)
    return Result.passed(f"slept {config.seconds}s")
