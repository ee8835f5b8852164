"""What a statement did on the copy, read from the rehearsal session itself after it ends.

After each statement, one catalog query reads the relations the session holds locks on (``pg_locks`` where
``pid = pg_backend_pid()``), and for each of them:

- the modes held: inside a transaction, locks last to its end, so a statement's locks are the modes that were
  not held before it;
- its storage (``pg_class.relfilenode``): a table or index whose storage changed was rewritten (``TRUNCATE``
  gives new, empty storage); an index dropped and created again under its name by the same statement (``ALTER
  COLUMN TYPE`` does that) was rebuilt. Changing a relation's storage takes a lock on it, so the relations a
  statement did not lock have the storage they had;
- its sequential scans in the transaction (``pg_stat_get_xact_numscans``): a DDL statement that scanned a table
  (``SET NOT NULL``, ``ADD CHECK``, ``CREATE INDEX``, validating a foreign key) reads all of it, on the live table
  as long as the table is big. Counters are compared inside one transaction only (the server may flush them
  between transactions), from a reading of every table's counter before the transaction's first DDL statement.
  For DML the planner's choice on a nearly empty copy says nothing about production: scans are read for DDL.

A statement run outside any transaction block leaves no locks to read: after it, every relation's storage is
read again. The observation's own catalog reads take ``ACCESS SHARE`` locks on system catalogs only; those are
left out (user relations have oids from 16384 up).
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

_RELATION = ("c.relfilenode::int8, n.nspname, c.relname, c.relkind::text, coalesce(i.indrelid::int8, 0), "
             "case when c.relispartition then (select h.inhparent::int8 from pg_inherits h "
             "where h.inhrelid = c.oid limit 1) else 0 end")
_ALL = f"""
select coalesce(json_agg(json_build_array(c.oid::int8, {_RELATION})), '[]')
  from pg_class c join pg_namespace n on n.oid = c.relnamespace left join pg_index i on i.indexrelid = c.oid
 where c.oid::int8 >= 16384 and c.relkind in ('r', 'p', 'm', 'i', 'I', 'f', 'v')
   and n.nspname !~ '^pg_(toast|temp_)'
"""
_SCANS = """
select coalesce(json_agg(json_build_array(c.oid::int8, pg_stat_get_xact_numscans(c.oid))), '[]')
  from pg_class c where c.oid::int8 >= 16384 and c.relkind in ('r', 'm')
"""
_LOCKED = f"""
with mine as (
  select l.relation, array_agg(l.mode::text) as modes from pg_locks l
   where l.pid = pg_backend_pid() and l.locktype = 'relation' and l.granted and l.relation::int8 >= 16384
     and l.database = (select oid from pg_database where datname = current_database())
   group by l.relation)
select coalesce(json_agg(json_build_array(m.relation::int8, m.modes, c.oid is not null, {_RELATION},
                                          pg_stat_get_xact_numscans(m.relation))), '[]')
  from mine m left join pg_class c on c.oid = m.relation left join pg_namespace n on n.oid = c.relnamespace
  left join pg_index i on i.indexrelid = c.oid
"""


def mode_name(mode: str) -> str:
    """``AccessExclusiveLock`` -> ``ACCESS EXCLUSIVE``."""
    words: list[str] = []
    for ch in mode.removesuffix("Lock"):
        if ch.isupper() or not words:
            words.append(ch)
        else:
            words[-1] += ch
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
    parent: int = 0
    """For a partition, its partitioned table's oid; else 0."""

    @property
    def qualified(self) -> tuple[str, str]:
        return self.schema, self.name


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


def _relation(oid: int, filenode: Any, schema: Any, name: Any, kind: Any, table: Any, parent: Any) -> Relation:
    return Relation(int(oid), int(filenode or 0), str(schema), str(name), str(kind), int(table or 0),
                    int(parent or 0))


class Observer:
    """The rehearsal session's relations as last read, and what each statement changes of them."""

    def __init__(self, conn: psycopg.Connection[Any]):
        self.conn = conn
        self.relations: dict[int, Relation] = {}
        self._stale = True
        self._locks: dict[int, set[str]] = {}
        self._scans: dict[int, int] | None = None

    def _query(self, query: str) -> Any:
        row = self.conn.execute(query, prepare=True).fetchone()
        assert row is not None
        return row[0]

    def catalog(self) -> dict[int, Relation]:
        """Every relation, read again when something may have changed it unseen."""
        if self._stale:
            self.relations = {int(r[0]): _relation(*r) for r in self._query(_ALL)}
            self._stale = False
        return self.relations

    def transaction_started(self) -> None:
        self._locks = {}
        self._scans = None

    def transaction_ended(self, committed: bool) -> None:
        """After COMMIT the storage read stays true; after ROLLBACK it is read again before it is used."""
        self._locks = {}
        self._scans = None
        if not committed:
            self._stale = True

    def before_ddl(self) -> None:
        """Every table's scan counter, once per transaction, before its first DDL statement."""
        self.catalog()
        if self._scans is None:
            self._scans = {int(oid): int(n) for oid, n in self._query(_SCANS)}

    def after(self, *, truncate: bool, scans: bool) -> Observation:
        """What the statement that just ended inside the open transaction did."""
        before = dict(self.catalog())
        out = Observation()
        reread: dict[int, Relation] = {}
        dropped: list[int] = []
        now: dict[int, set[str]] = {}
        for oid, modes, exists, filenode, schema, name, kind, table, parent, numscans in self._query(_LOCKED):
            oid = int(oid)
            now[oid] = set(modes)
            if exists:
                reread[oid] = _relation(oid, filenode, schema, name, kind, table, parent)
            else:
                dropped.append(oid)
            known = self._scans.get(oid) if self._scans is not None else None
            if scans and known is not None and numscans is not None and int(numscans) > known:
                out.scanned.append(oid)
            if self._scans is not None and numscans is not None:
                self._scans[oid] = int(numscans)
        for oid, modes in now.items():
            if oid not in reread and oid not in before:
                continue  # a transient relation of a rewrite, gone already
            out.held[oid] = max(modes, key=strength)
            new = modes - self._locks.get(oid, set())
            if new:
                out.locks[oid] = max(new, key=strength)
        self._locks = now
        out.rewritten = _changed(before, reread, dropped, truncate)
        self.relations.update(reread)
        for oid in dropped:
            self.relations.pop(oid, None)
        return out

    def after_bare(self, *, truncate: bool) -> Observation:
        """What a statement run outside any transaction block did: its locks are gone; storage read again."""
        before = dict(self.catalog())
        self._stale = True
        after = self.catalog()
        dropped = [oid for oid in before if oid not in after]
        changed = {oid: rel for oid, rel in after.items() if oid not in before or rel != before[oid]}
        return Observation(rewritten=_changed(before, changed, dropped, truncate))


def _changed(before: dict[int, Relation], now: dict[int, Relation], dropped: list[int],
             truncate: bool) -> dict[int, str]:
    out: dict[int, str] = {}
    for oid, rel in now.items():
        old = before.get(oid)
        if old is not None and old.filenode and rel.filenode and old.filenode != rel.filenode:
            out[oid] = "truncated" if truncate else ("rebuilt" if rel.kind == "i" else "rewritten")
    created = {(r.schema, r.name, r.kind): r for oid, r in now.items() if oid not in before}
    for oid in dropped:
        old = before.get(oid)
        if old is not None and old.kind == "i" and (again := created.get((old.schema, old.name, old.kind))):
            out[again.oid] = "rebuilt"
    return out
