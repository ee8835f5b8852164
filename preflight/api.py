"""The public surface for check authors: everything a check module imports comes from here."""

from preflight.errors import ConfigError, ReaderError
from preflight.model import Finding, Location, Result, Severity, Status
from preflight.plugin import CheckContext
from preflight.typed import Duration, doc, human_duration
from preflight.unknown import OnUnknown, on_unknown_key
from preflight.unknown import result as unknown_result
from preflight.unknown import severity as unknown_severity

__all__ = [
    "CheckContext",
    "ConfigError",
    "Duration",
    "Finding",
    "Location",
    "OnUnknown",
    "ReaderError",
    "Result",
    "Severity",
    "Status",
    "doc",
    "human_duration",
    "on_unknown_key",
    "unknown_result",
    "unknown_severity",
]
