"""The public surface for check authors: everything a check module imports comes from here."""

from preflight.errors import ConfigError, ReaderError
from preflight.model import Finding, Location, Result, Severity, Status
from preflight.plugin import CheckContext
from preflight.typed import Duration, doc, human_duration

__all__ = [
    "CheckContext",
    "ConfigError",
    "Duration",
    "Finding",
    "Location",
    "ReaderError",
    "Result",
    "Severity",
    "Status",
    "doc",
    "human_duration",
]
