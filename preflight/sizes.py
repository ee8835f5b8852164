"""Sizes as users write them in the config (``"100MB"``), read as PostgreSQL reads its own settings.

Apart from :mod:`preflight.lint.live` and the rehearsal, so that validating a check's config imports no database
driver."""

from __future__ import annotations


def parse_size(text: str, key: str) -> int:
    """``"100MB"`` -> bytes (kB, MB, GB, TB are powers of 1024, like PostgreSQL's); ``ValueError`` naming ``key``
    when ``text`` is not a size."""
    units = {"": 1, "b": 1, "kb": 1024, "mb": 1024 ** 2, "gb": 1024 ** 3, "tb": 1024 ** 4}
    s = text.strip().lower().replace(" ", "")
    number = s.rstrip("kmgtb")
    unit = s[len(number):]
    try:
        value = float(number)
    except ValueError:
        value = -1
    if value < 0 or unit not in units:
        raise ValueError(f'{key}: expected a size like "100MB" or "2GB", got {text!r}')
    return int(value * units[unit])
