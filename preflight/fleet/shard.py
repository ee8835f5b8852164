"""Choosing the members of one run: ``--member`` globs, and ``--shard I/N`` slices of the fleet.

A member's shard depends on its name and N only (jump consistent hashing of a SHA-256 of the name, Lamping and
Veach 2014), never on its position in the list: adding or removing members moves no other member, and going from
N to N+1 shards moves only the members that land in the new one. The shard index I counts from 0, as Kubernetes'
``JOB_COMPLETION_INDEX`` and Argo's ``withSequence`` do, so either can be passed as is.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import TypeVar

from preflight.errors import UsageError

_SHARD = re.compile(r"\s*(\d+)\s*/\s*(\d+)\s*")
MAX_SHARDS = 10_000

T = TypeVar("T")


@dataclass(frozen=True)
class Shard:
    index: int
    """0 to count - 1."""
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        m = _SHARD.fullmatch(text)
        if not m:
            raise UsageError(f"--shard {text!r}: expected I/N, e.g. 0/4 for the first of four shards")
        index, count = int(m.group(1)), int(m.group(2))
        if not 1 <= count <= MAX_SHARDS:
            raise UsageError(f"--shard {text!r}: N must be between 1 and {MAX_SHARDS}")
        if index >= count:
            raise UsageError(f"--shard {text!r}: I counts from 0, so it must be below N (0 to {count - 1})")
        return cls(index, count)

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    def holds(self, name: str) -> bool:
        return shard_of(name, self.count) == self.index


def shard_of(name: str, count: int) -> int:
    """The shard (0 to ``count`` - 1) of the member called ``name``."""
    key = int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big")
    return _jump(key, count)


def _jump(key: int, buckets: int) -> int:
    # Jump consistent hash: a linear congruential walk that jumps ahead, each jump to the next bucket the key
    # would move to as buckets are added; the last one below `buckets` is the answer.
    b, j = -1, 0
    while j < buckets:
        b = j
        key = (key * 2862933555777941757 + 1) & 0xFFFFFFFFFFFFFFFF
        j = int((b + 1) * ((1 << 31) / ((key >> 33) + 1)))
    return b


def select(items: Sequence[T], name_of: Iterable[str], patterns: Sequence[str], shard: Shard | None) -> list[T]:
    """The ``items`` (named by ``name_of``, in the same order) that match one of ``patterns`` (all when there are
    none) and fall in ``shard``. A pattern that matches no member is an error: a typo must not check nothing."""
    names = list(name_of)
    for p in patterns:
        if not any(fnmatchcase(n, p) for n in names):
            raise UsageError(f"--member {p!r}: no member of the fleet matches")
    out = []
    for item, name in zip(items, names, strict=True):
        if patterns and not any(fnmatchcase(name, p) for p in patterns):
            continue
        if shard is not None and not shard.holds(name):
            continue
        out.append(item)
    return out
