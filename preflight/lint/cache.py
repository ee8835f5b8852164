"""The lint's cache: a file's analysis, found again by a hash of its content.

An analysis depends only on the file's bytes, its transaction mode, the enabled rules and the lint itself (its
code, pglast's and Python's versions), and the key hashes all of them, so a stale entry is never read. The cache
is one SQLite database, ``analyses-<format>.sqlite`` in ``$PREFLIGHT_CACHE_DIR/lint`` (else
``$XDG_CACHE_HOME/preflight/lint``, else ``~/.cache/preflight/lint``), holding each analysis as JSON: a run looks up
its own files' entries, one indexed read each, and writes its new ones in one transaction. When it holds more
than :data:`MAX_ENTRIES`, the oldest half go. A cache that cannot be read or written is ignored, never an error;
``--no-cache`` (``ctx.options["no_cache"]``) turns it off.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sqlite3
import sys
from pathlib import Path
from typing import Any

FORMAT = "5"
MAX_ENTRIES = 100_000


def directory() -> str:
    from preflight.user_cache import directory

    return directory("lint")


@functools.cache
def fingerprint() -> bytes:
    """What an analysis depends on besides the file and the rules: the lint's code and the versions under it."""
    import pglast

    from preflight import __version__

    here = Path(__file__).resolve().parent
    parts = [f"format {FORMAT}", f"preflight {__version__}", f"pglast {pglast.__version__}",
             f"python {sys.version_info[0]}.{sys.version_info[1]}"]
    for source in sorted([*here.rglob("*.py"), *(here.parent / "sql").rglob("*.py")]):
        st = source.stat()
        parts.append(f"{source.relative_to(here.parent)}:{st.st_mtime_ns}:{st.st_size}")
    return hashlib.sha256("\n".join(parts).encode()).digest()


def key(content: bytes, transaction: str, rules: frozenset[str]) -> str:
    """The cache key of one file's analysis with these rules."""
    h = _keys_of(rules).copy()
    h.update(b"\0" + transaction.encode() + b"\0")
    h.update(content)
    return h.hexdigest()


@functools.cache
def _keys_of(rules: frozenset[str]) -> Any:
    """The hash of the lint's fingerprint and a rule selection, which every key of that selection starts with."""
    return hashlib.sha256(fingerprint() + ",".join(sorted(rules)).encode())


class Cache:
    def __init__(self, path: str | None = None):
        self.path = path or directory()
        self.file = os.path.join(self.path, f"analyses-{FORMAT}.sqlite")
        self._db: sqlite3.Connection | None = None
        self._unusable = False
        self._new: list[tuple[str, str]] = []

    def _open(self) -> sqlite3.Connection | None:
        if self._db is None and not self._unusable:
            try:
                self._db = self._connect()
            except sqlite3.DatabaseError:  # not a database (a torn or foreign file): start a new one
                try:
                    os.remove(self.file)
                    self._db = self._connect()
                except (OSError, sqlite3.Error):
                    self._unusable = True
            except (OSError, sqlite3.Error):
                self._unusable = True
        return self._db

    def _connect(self) -> sqlite3.Connection:
        os.makedirs(self.path, exist_ok=True)
        db = sqlite3.connect(self.file, timeout=5)
        try:
            db.execute("create table if not exists analyses (key text primary key, analysis text not null)")
        except sqlite3.OperationalError as e:  # a read-only cache can still be read
            if "readonly" not in str(e):
                db.close()
                raise
        return db

    def get(self, digest: str) -> dict[str, Any] | None:
        db = self._open()
        if db is None:
            return None
        try:
            row = db.execute("select analysis from analyses where key = ?", (digest,)).fetchone()
            return None if row is None else from_json(row[0])
        except (sqlite3.Error, ValueError, TypeError):
            return None

    def put(self, digest: str, analysis: dict[str, Any], text: str | None = None) -> None:
        """Keep ``analysis`` (``text``: its JSON, when already made) under ``digest``, written by :meth:`flush`."""
        self._new.append((digest, text if text is not None else json.dumps(analysis)))

    def flush(self) -> None:
        """Write this run's new entries, in one transaction."""
        new, self._new = self._new, []
        db = self._open()
        if db is None or not new:
            return
        try:
            with db:
                db.executemany("insert or replace into analyses (key, analysis) values (?, ?)", new)
                (first, last) = db.execute("select min(rowid), max(rowid) from analyses").fetchone()
                if last - first >= MAX_ENTRIES:
                    db.execute("delete from analyses where rowid <= ?", (last - MAX_ENTRIES // 2,))
        except sqlite3.Error:
            pass

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


def from_json(text: str) -> dict[str, Any]:
    """An analysis as :meth:`Cache.put` stored it (its hits as :class:`~preflight.lint.engine.Hit`)."""
    from preflight.lint.engine import Hit

    analysis: dict[str, Any] = json.loads(text)
    analysis["hits"] = [Hit(*hit) for hit in analysis["hits"]]
    return analysis
