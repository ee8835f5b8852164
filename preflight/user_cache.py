"""Where preflight keeps, between runs, what it can always compute again (the lint's analyses, the report
templates compiled): ``$PREFLIGHT_CACHE_DIR``, else ``$XDG_CACHE_HOME/preflight``, else ``~/.cache/preflight``. A
cache that cannot be read or written is ignored, never an error."""

from __future__ import annotations

import os


def directory(kind: str) -> str:
    """The folder of one kind of cache (``"lint"``, ``"templates"``); not created here."""
    explicit = os.environ.get("PREFLIGHT_CACHE_DIR")
    if explicit:
        return os.path.join(explicit, kind)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "preflight", kind)
