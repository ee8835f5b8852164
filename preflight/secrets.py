"""Keeping passwords out of every output: DSN redaction and a run-wide scrubber of known secrets."""

from __future__ import annotations

import os
import re
import threading
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit, urlunsplit

_KV_PASSWORD = re.compile(r"(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)", re.IGNORECASE)

_lock = threading.Lock()
_secrets: set[str] = set()


def register_secret(value: str | None) -> None:
    """Remember a secret so that :func:`scrub` removes it from any text that reaches a report or log."""
    if value and len(value) >= 3:
        with _lock:
            _secrets.add(value)


def scrub(text: str) -> str:
    with _lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for s in secrets:
        if s in text:
            text = text.replace(s, "***")
    return text


def scrub_value(value: Any) -> Any:
    """Scrub every string inside a JSON-like value."""
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, list):
        return [scrub_value(v) for v in value]
    if isinstance(value, tuple):
        return tuple(scrub_value(v) for v in value)
    if isinstance(value, dict):
        return {k: scrub_value(v) for k, v in value.items()}
    return value


def dsn_password(dsn: str) -> str | None:
    """The password a DSN carries: in a URI's userinfo or ``?password=`` parameter, or a ``password=`` key."""
    if "://" in dsn:
        try:
            parts = urlsplit(dsn)
        except ValueError:
            return None
        if parts.password:
            return parts.password
        for key, value in parse_qsl(parts.query):
            if key.lower() == "password" and value:
                return value
        return None
    m = _KV_PASSWORD.search(dsn)
    if m:
        return m.group(2).strip("'")
    return None


def register_dsn(dsn: str) -> None:
    """Register the password of ``dsn`` as written and, for a URI, percent-decoded (as libpq uses it)."""
    password = dsn_password(dsn)
    register_secret(password)
    if password and "://" in dsn:
        register_secret(unquote(password))


def redact_dsn(dsn: str) -> str:
    """The DSN with any password replaced by ``***`` (URI userinfo, ``password=`` keys, ``?password=``)."""
    if not dsn:
        return dsn
    if "://" in dsn:
        try:
            parts = urlsplit(dsn)
        except ValueError:
            return "<unparseable dsn>"
        netloc = parts.netloc
        if "@" in netloc:
            userinfo, _, hostport = netloc.rpartition("@")
            user, sep, _pw = userinfo.partition(":")
            netloc = f"{user}:***@{hostport}" if sep else f"{user}@{hostport}"
        query = re.sub(r"(^|&)(password=)[^&]*", r"\1\2***", parts.query, flags=re.IGNORECASE)
        return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))
    return _KV_PASSWORD.sub(lambda m: m.group(1) + "***", dsn)


def register_environment_secrets() -> None:
    register_secret(os.environ.get("PGPASSWORD"))
