"""What a statement did on the copy, read from the rehearsal session itself after it ends.

One catalog query per statement reads three things of the rehearsal session:

- its heavyweight locks on relations (``pg_locks`` where ``pid = pg_backend_pid()``): inside a transaction they
  are held to its end, so the locks a statement added are the difference from the reading before it;
- the storage of every relation (``pg_class.relfilenode``): a table or index whose storage changed was
  rewritten (``TRUNCATE`` gives new, empty storage); an index dropped and created again under its name by the
  same statement (``ALTER COLUMN TYPE`` does that) was rebuilt;
- the sequential scans of every table in the current transaction (``pg_stat_xact_user_tables``): a DDL statement
  that scanned a table (``SET NOT NULL``, ``ADD CHECK``, ``CREATE INDEX``, validating a foreign key) reads all of
  it, on the live table as long as the table is big. For DML the planner's choice on a nearly empty copy says
  nothing about production, so scans are read only for DDL.

The observation's own catalog reads take ``ACCESS SHARE`` locks on system catalogs only; those are left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import psycopg

LOCK_MODES = ("AccessShareLock", "RowShareLock", "RowExclusiveLock", "ShareUpdateExclusiveLock", "ShareLock",
              "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock")
"""From weakest to strongest."""
BLOCKS_WRITES = frozenset(LOCK_MODES[4:])
BLOCKS_READS = frozenset(LOCK_MODES[7:])
WRITES = frozenset(LOCK_MODES[2:])
"""Modes taken by statements that change rows (ROW EXCLUSIVE) or more."""

_QUERY = """
select
  (select coalesce(json_agg(json_build_array(l.relation::int8, l.mode)), '[]')
     from pg_locks l
    where l.pid = pg_backend_pid() and l.locktype = 'relation' and l.granted and l.relation::int8 >= 16384
      and l.database = (select oid from pg_database where datname = current_database())),
  (select coalesce(json_agg(json_build_array(c.oid::int8, c.relfilenode::int8, n.nspname, c.relname,
                                             c.relkind, coalesce(i.indrelid::int8, 0))), '[]')
     from pg_class c join pg_namespace n on n.oid = c.relnamespace
     left join pg_index i on i.indexrelid = c.oid
    where c.oid::int8 >= 16384 and c.relkind in ('r', 'p', 'm', 'i', 'I', 'f', 'v')
      and n.nspname !~ '^pg_(toast|temp_)'),
  (select coalesce(json_agg(json_build_array(s.relid::int8, s.seq_scan)), '[]')
     from pg_stat_xact_user_tables s)
"""


def mode_name(mode: str) -> str:
    """``AccessExclusiveLock`` -> ``ACCESS EXCLUSIVE``."""
    words = []
    current = ""
    for ch in mode.removesuffix("Lock"):
        if ch.isupper() and current:
            words.append(current)
            current = ""
        current += ch
    words.append(current)
    return " ".join(w.upper() for w in words)


def strength(mode: str) -> int:
    return LOCK_MODES.index(mode) if mode in LOCK_MODES else -1


@dataclass(frozen=True)
class Relation:
    oid: int
    filenode: int
    schema: str
    name: str
    kind: str
    """pg_class.relkind."""
    table: int
    """For an index, its table's oid; else 0."""

    @property
    def qualified(self) -> tuple[str, str]:
        return self.schema, self.name


@dataclass
class State:
    locks: dict[int, set[str]] = field(default_factory=dict)
    relations: dict[int, Relation] = field(default_factory=dict)
    scans: dict[int, int] = field(default_factory=dict)
    transaction: int | None = None
    """The executor's number of the transaction the state was read in; None outside one."""


@dataclass
class Observation:
    """What one statement added."""

    locks: dict[int, str] = field(default_factory=dict)
    """Relation oid -> the strongest mode the statement newly holds on it."""
    held: dict[int, str] = field(default_factory=dict)
    """Relation oid -> the strongest mode held on it when the statement ends (earlier statements' too)."""
    rewritten: dict[int, str] = field(default_factory=dict)
    """Relation oid -> "rewritten", "rebuilt" or "truncated"."""
    scanned: list[int] = field(default_factory=list)


def read(conn: psycopg.Connection[Any], transaction: int | None) -> State:
    row = conn.execute(_QUERY, prepare=True).fetchone()
    assert row is not None
    locks_json, relations_json, scans_json = row
    state = State(transaction=transaction)
    for oid, mode in locks_json:
        state.locks.setdefault(int(oid), set()).add(str(mode))
    for oid, filenode, schema, name, kind, table in relations_json:
        state.relations[int(oid)] = Relation(int(oid), int(filenode), schema, name, kind, int(table))
    for oid, scans in scans_json:
        state.scans[int(oid)] = int(scans)
    return state


def diff(before: State, after: State, *, truncate: bool, scans: bool) -> Observation:
    """What happened between two readings. ``truncate``: storage changes are truncations; ``scans``: compare
    the scan counters (both readings in one transaction, and a DDL statement)."""
    out = Observation()
    for oid, modes in after.locks.items():
        if oid not in after.relations and oid not in before.relations:
            continue  # a transient relation of a rewrite, gone already
        out.held[oid] = max(modes, key=strength)
        new = modes - before.locks.get(oid, set())
        if new:
            out.locks[oid] = max(new, key=strength)
    by_name = {(r.schema, r.name, r.kind): r for r in after.relations.values() if r.oid not in before.relations}
    for oid, old in before.relations.items():
        now = after.relations.get(oid)
        if now is not None:
            if old.filenode and now.filenode and old.filenode != now.filenode:
                out.rewritten[oid] = "truncated" if truncate else ("rebuilt" if now.kind == "i" else "rewritten")
        elif old.kind == "i":
            again = by_name.get((old.schema, old.name, old.kind))
            if again is not None:
                out.rewritten[again.oid] = "rebuilt"
    if scans and before.transaction is not None and before.transaction == after.transaction:
        for oid, count in after.scans.items():
            if count > before.scans.get(oid, count):
                out.scanned.append(oid)
    return out
