"""Errors that end a run early, each with its exit code; the CLI prints them as one line."""

from __future__ import annotations

from preflight.model import EXIT_UNDECIDED, EXIT_USAGE


class PreflightError(Exception):
    """An error shown to the user as one line, with a distinct exit code and no traceback."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ConfigError(PreflightError):
    """The config (or a command-line override) is wrong: names the file, check id and key."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 check: str | None = None, key: str | None = None):
        where = ""
        if file:
            where = file + (f":{line}" if line else "") + ": "
        what = ""
        if check:
            what += f"check {check!r}: "
        if key:
            what += f"key {key!r}: "
        super().__init__(f"{where}{what}{message}")
        self.file, self.line, self.check, self.key = file, line, check, key


class UsageError(PreflightError):
    """A command-line mistake."""


class ReaderError(PreflightError):
    """A reader of the outside world could not finish: database down, corrupt archive, unreadable directory.

    A check that hits one ends as ``error`` with this one-line cause (fail closed)."""

    exit_code = EXIT_UNDECIDED


class TargetMissing(ReaderError):
    """A check needs a target the config does not declare."""
