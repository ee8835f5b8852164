"""Image references, named like skopeo's transports: ``docker-archive:PATH[:REF|@N]``, ``oci:DIR[:TAG|@N]``,
``oci-archive:PATH[:TAG|@N]``, ``dir:PATH``, ``docker://REGISTRY/REPO:TAG`` and ``dockerfile:PATH``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from preflight.errors import ReaderError

TRANSPORTS = ("docker-archive", "oci-archive", "oci", "dir", "docker", "dockerfile")


@dataclass(frozen=True)
class ParsedRef:
    transport: str
    rest: str
    """Everything after ``transport:`` (``docker://``: after the ``//``)."""
    path: Path | None = None
    """Local sources: the file or directory, resolved against the config's directory."""
    selector: str | None = None
    """A tag or reference (``oci:DIR:1.4.0``), or ``@N`` for the N-th image of the archive."""


def parse_ref(ref: str, resolve: Callable[[str], Path]) -> ParsedRef:
    transport, sep, rest = ref.partition(":")
    if not sep or transport not in TRANSPORTS:
        raise ReaderError(f"image ref {ref!r}: expected one of docker-archive:PATH, oci:DIR[:TAG], "
                          f"oci-archive:PATH, dir:PATH, docker://REGISTRY/REPO:TAG, dockerfile:PATH")
    if transport == "docker":
        if not rest.startswith("//") or len(rest) <= 2:
            raise ReaderError(f"image ref {ref!r}: expected docker://REGISTRY/REPO:TAG or @sha256:DIGEST")
        return ParsedRef("docker", rest[2:])
    if not rest:
        raise ReaderError(f"image ref {ref!r}: no path after {transport}:")
    if transport in ("dir", "dockerfile"):
        return ParsedRef(transport, rest, resolve(rest))
    want_dir = transport == "oci"
    path, selector = _split_existing(rest, resolve, want_dir)
    if path is None:
        what = "directory" if want_dir else "file"
        raise ReaderError(f"image ref {ref!r}: no such {what}: {rest}")
    return ParsedRef(transport, rest, path, selector or None)


def _split_existing(rest: str, resolve: Callable[[str], Path], want_dir: bool) -> tuple[Path | None, str]:
    """``build/app.tar:team/app:1.4`` -> the longest prefix before a colon that exists, and the rest: a path
    may itself contain colons, and so may the reference after it."""
    candidates = [len(rest)] + [i for i in range(len(rest) - 1, 0, -1) if rest[i] == ":"]
    for end in candidates:
        p = resolve(rest[:end])
        if (p.is_dir() if want_dir else p.is_file()):
            return p, rest[end + 1:]
    # "@N" selects by position and contains no colon.
    head, at, _ = rest.rpartition("@")
    if at and head:
        p = resolve(head)
        if (p.is_dir() if want_dir else p.is_file()):
            return p, rest[len(head):]
    return None, ""

