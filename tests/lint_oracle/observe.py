"""The truth: what one statement does to a real PostgreSQL, observed without timing.

:func:`observe_step` runs one statement and compares the catalogs and the backend's own counters before and
after it. Inside a transaction block (the usual case: the statement's migration runs in one, or the harness
opens one to look before commit and roll back) its locks can be read too; in autocommit (a statement that
refuses transaction blocks, run as the runner sends it) they are released before anyone can look, and are
recorded as not observed. :mod:`tests.lint_oracle.apply` decides how each statement runs.

The evidence:

- **rewrite**: the table's ``pg_class.relfilenode`` changed *and* the statement read the table (a rewrite copies
  the rows; ``TRUNCATE`` changes the file without reading, and is not a rewrite). Index rebuilds are the
  indexes whose ``relfilenode`` changed (matched by oid, else by name: an index on a changed column is dropped
  and built again under the same name).
- **scan**: the transaction's own counters (``pg_stat_get_xact_numscans`` and the tuples returned and fetched)
  of the table and of each of its indexes, before and after the statement, inside the same transaction: no
  other session counts there, and nothing is flushed mid-transaction. A rewrite, a constraint validation,
  ``SET NOT NULL``'s check, an index build and a foreign key's check each start a scan that reads the rows. In
  autocommit the shared counters are read around the statement, each side after ``pg_stat_force_next_flush()``.
- **data lost**: a table that held rows and was dropped, lost a column (``pg_attribute``), was emptied (a new
  relfilenode without a read: ``TRUNCATE``), or had rows deleted or updated (the transaction's counters).
- **locks**: ``pg_locks`` of the backend, granted relation locks: every lock a statement takes on a user
  relation is held to the end of the transaction. The strongest mode per relation is kept, with the relations
  the transaction had locked before the statement (their locks cannot be told apart from the statement's).
- **origins**: for each relation and column, whether it existed when the lint ran (the same oid, maybe under
  another name), to judge the lint's "this is new" verdicts.
- **error**: the SQLSTATE and the primary message.
- **before the statement**, for the lint's conditional claims (:mod:`tests.lint_oracle.claims`): each column's type
  under its domains (``pg_type.typname`` of the base type, the modifiers ``format_type`` prints), each domain's
  base type and whether it has constraints, the columns each index uses (``pg_depend``), the volatility of each
  function name (``pg_proc.provolatile``), the server's version and the session's ``TimeZone``. They are not
  part of the recorded truth (they are the setup's, not what the statement did).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import sql

# Lock modes by strength, as PostgreSQL numbers them (lock.h).
MODES = ("AccessShareLock", "RowShareLock", "RowExclusiveLock", "ShareUpdateExclusiveLock", "ShareLock",
         "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock")
# Which held modes a request in a given mode waits for (the conflict table of the documentation, 13.3.1).
CONFLICTS = {
    "AccessShareLock": {"AccessExclusiveLock"},
    "RowShareLock": {"ExclusiveLock", "AccessExclusiveLock"},
    "RowExclusiveLock": {"ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock"},
    "ShareUpdateExclusiveLock": {"ShareUpdateExclusiveLock", "ShareLock", "ShareRowExclusiveLock",
                                 "ExclusiveLock", "AccessExclusiveLock"},
    "ShareLock": {"RowExclusiveLock", "ShareUpdateExclusiveLock", "ShareRowExclusiveLock", "ExclusiveLock",
                  "AccessExclusiveLock"},
    "ShareRowExclusiveLock": {"RowExclusiveLock", "ShareUpdateExclusiveLock", "ShareLock",
                              "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock"},
    "ExclusiveLock": {"RowShareLock", "RowExclusiveLock", "ShareUpdateExclusiveLock", "ShareLock",
                      "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock"},
    "AccessExclusiveLock": set(MODES),
}


def blocks_reads(mode: str) -> bool:
    """A plain SELECT (ACCESS SHARE) waits for this mode."""
    return mode in CONFLICTS["AccessShareLock"]


def blocks_writes(mode: str) -> bool:
    """INSERT/UPDATE/DELETE (ROW EXCLUSIVE) wait for this mode."""
    return mode in CONFLICTS["RowExclusiveLock"]


def strongest(modes: list[str]) -> str:
    return max(modes, key=MODES.index)


@dataclass(frozen=True)
class Relation:
    oid: int
    name: str
    """``schema.name``, always qualified."""
    kind: str
    """pg_class.relkind."""
    filenode: int
    table: str | None
    """For an index: its table's qualified name."""


USER_RELATIONS = """
select c.oid, n.nspname || '.' || c.relname, c.relkind::text, c.relfilenode,
       (select tn.nspname || '.' || t.relname from pg_index i join pg_class t on t.oid = i.indrelid
          join pg_namespace tn on tn.oid = t.relnamespace where i.indexrelid = c.oid)
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
 where n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast') and n.nspname not like 'pg_temp%%'
   and c.relkind in ('r', 'p', 'm', 'i', 'I', 'S', 'v', 'f')
"""


def relations(cur: psycopg.Cursor[Any]) -> dict[int, Relation]:
    cur.execute(USER_RELATIONS)
    return {row[0]: Relation(*row) for row in cur.fetchall()}


def row_counts(cur: psycopg.Cursor[Any]) -> dict[str, int]:
    """Exact rows of every table, partition and populated materialized view (the scratch databases are small)."""
    cur.execute("select n.nspname, c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace "
                "where n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast') "
                "and c.relkind in ('r', 'p', 'm') and c.relispopulated order by 1, 2")
    out: dict[str, int] = {}
    for schema, name in cur.fetchall():
        cur.execute(sql.SQL("select count(*) from {}").format(sql.Identifier(schema, name)))
        out[f"{schema}.{name}"] = int(cur.fetchone()[0])  # type: ignore[index]
    return out


def partition_trees(cur: psycopg.Cursor[Any]) -> dict[str, list[str]]:
    """Partitioned table -> every partition below it, from pg_inherits (which, unlike pg_partition_tree, locks
    nothing)."""
    cur.execute("""
        with recursive tree(root, child) as (
          select i.inhparent, i.inhrelid from pg_inherits i join pg_class p on p.oid = i.inhparent
           where p.relkind = 'p'
          union all
          select t.root, i.inhrelid from tree t join pg_inherits i on i.inhparent = t.child)
        select rn.nspname || '.' || r.relname, cn.nspname || '.' || c.relname
          from tree join pg_class r on r.oid = root join pg_namespace rn on rn.oid = r.relnamespace
               join pg_class c on c.oid = child join pg_namespace cn on cn.oid = c.relnamespace
         order by 1, 2""")
    out: dict[str, list[str]] = {}
    for parent, child in cur.fetchall():
        out.setdefault(parent, []).append(child)
    return out


def _before(cur: psycopg.Cursor[Any], truth: Truth) -> dict[int, Relation]:
    before = relations(cur)
    truth.existed = sorted(r.name for r in before.values())
    truth.kinds = {r.name: r.kind for r in before.values()}
    truth.index_table = {r.name: r.table for r in before.values() if r.table}
    truth.partitions = partition_trees(cur)
    _catalog_facts(cur, truth)
    return before


# Each user column's type with any domains taken off (their typmod carried down), as the base type's name
# (pg_type.typname: the parser's name, "varchar", "int4", "timestamptz"), array or not, and format_type's text.
BASE_TYPES = """
with recursive chain(rel, col, typ, typmod) as (
  select n.nspname || '.' || c.relname, a.attname::text, a.atttypid, a.atttypmod
    from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
   where a.attnum > 0 and not a.attisdropped and c.relkind in ('r', 'p', 'm', 'f')
     and n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')
  union all
  select n.nspname || '.' || t.typname, null, t.oid, -1
    from pg_type t join pg_namespace n on n.oid = t.typnamespace
   where t.typtype = 'd' and n.nspname not in ('pg_catalog', 'information_schema')
  union all
  select ch.rel, ch.col, t.typbasetype, case when ch.typmod = -1 then t.typtypmod else ch.typmod end
    from chain ch join pg_type t on t.oid = ch.typ where t.typtype = 'd'
)
select ch.rel, ch.col, coalesce(e.typname, b.typname)::text, b.typcategory = 'A', format_type(ch.typ, ch.typmod)
  from chain ch join pg_type b on b.oid = ch.typ left join pg_type e on e.oid = b.typelem and b.typcategory = 'A'
 where b.typtype <> 'd'
"""
# Domains (named schema.name) that have constraints, anywhere down their chain of base types.
CHECKED_DOMAINS = """
with recursive chain(top, typ) as (
  select t.oid, t.oid from pg_type t where t.typtype = 'd'
  union all
  select ch.top, t.typbasetype from chain ch join pg_type t on t.oid = ch.typ where t.typtype = 'd'
)
select distinct n.nspname || '.' || top.typname
  from chain ch join pg_type top on top.oid = ch.top join pg_namespace n on n.oid = top.typnamespace
       join pg_type d on d.oid = ch.typ
 where d.typtype = 'd' and (d.typnotnull or exists (select 1 from pg_constraint k where k.contypid = d.oid))
"""
# Which columns of its table each index depends on (its key columns and those of its expressions).
INDEX_COLUMNS = """
select n.nspname || '.' || i.relname, a.attname::text
  from pg_depend d join pg_class i on i.oid = d.objid join pg_namespace n on n.oid = i.relnamespace
       join pg_attribute a on a.attrelid = d.refobjid and a.attnum = d.refobjsubid
 where d.classid = 'pg_class'::regclass and d.refclassid = 'pg_class'::regclass and d.refobjsubid > 0
   and i.relkind in ('i', 'I') and n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')
"""
# The most volatile declaration of each function name outside the system schemas (and of pg_catalog's).
VOLATILITY = """
select p.proname::text, max(case p.provolatile when 'v' then 3 when 's' then 2 else 1 end)
  from pg_proc p join pg_namespace n on n.oid = p.pronamespace
 where n.nspname <> 'information_schema'
 group by p.proname
"""


def _catalog_facts(cur: psycopg.Cursor[Any], truth: Truth) -> None:
    """What the lint's conditional claims are judged on, before the statement: column types, domains, which
    columns each index uses, functions' volatility, the server's version and the session's TimeZone."""
    cur.execute(BASE_TYPES)
    for rel, col, name, array, text in cur.fetchall():
        mods = re.search(r"\(([\d,]+)\)", text)
        found = {"type": name, "array": bool(array),
                 "mods": [int(m) for m in mods[1].split(",")] if mods else [], "format": text}
        if col is None:
            truth.domains[rel] = found
        else:
            truth.column_types.setdefault(rel, {})[col] = found
    cur.execute(CHECKED_DOMAINS)
    truth.checked_domains = sorted(r[0] for r in cur.fetchall())
    cur.execute(INDEX_COLUMNS)
    for index, col in cur.fetchall():
        truth.index_columns.setdefault(index, []).append(col)
    cur.execute(VOLATILITY)
    truth.volatility = {name: {1: "immutable", 2: "stable", 3: "volatile"}[v] for name, v in cur.fetchall()}
    cur.execute("select current_setting('server_version_num')::int, current_setting('TimeZone')")
    truth.server_version, truth.timezone = cur.fetchone()  # type: ignore[misc]


# Per relation: scans started, rows read by them (heap tuples returned by sequential scans, fetched through
# indexes), rows deleted, rows updated. An index build on an empty heap (TRUNCATE rebuilds the indexes) starts a
# scan that reads nothing.
XACT_READS = ("select o, pg_stat_get_xact_numscans(o), pg_stat_get_xact_tuples_returned(o) "
              "+ pg_stat_get_xact_tuples_fetched(o), pg_stat_get_xact_tuples_deleted(o), "
              "pg_stat_get_xact_tuples_updated(o) from unnest(%s::oid[]) o")
SHARED_READS = ("select o, pg_stat_get_numscans(o), pg_stat_get_tuples_returned(o) + pg_stat_get_tuples_fetched(o), "
                "pg_stat_get_tuples_deleted(o), pg_stat_get_tuples_updated(o) from unnest(%s::oid[]) o")
Reads = dict[int, tuple[int, int, int, int]]


def _xact_reads(cur: psycopg.Cursor[Any], oids: list[int]) -> Reads:
    cur.execute(XACT_READS, (oids,))
    return {int(o): (int(n), int(t), int(d), int(u)) for o, n, t, d, u in cur.fetchall()}


def _shared_reads(cur: psycopg.Cursor[Any], oids: list[int]) -> Reads:
    cur.execute("select pg_stat_force_next_flush()")  # this query's end flushes the backend's pending counts
    cur.execute(SHARED_READS, (oids,))
    return {int(o): (int(n), int(t), int(d), int(u)) for o, n, t, d, u in cur.fetchall()}


COLUMNS = """
select a.attrelid, a.attnum, a.attname from pg_attribute a join pg_class c on c.oid = a.attrelid
  join pg_namespace n on n.oid = c.relnamespace
 where a.attnum > 0 and not a.attisdropped and c.relkind in ('r', 'p', 'm')
   and n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')
"""


def _columns(cur: psycopg.Cursor[Any]) -> dict[tuple[int, int], str]:
    cur.execute(COLUMNS)
    return {(int(r), int(n)): name for r, n, name in cur.fetchall()}


@dataclass
class Truth:
    """What running a file did. Relations are named ``schema.name``."""

    mode: str
    """"transaction" (observed inside a transaction block, rolled back) or "autocommit" (as the runner sends it,
    on a database of its own)."""
    error: dict[str, str] | None = None
    """``{"sqlstate", "message"}`` when the file fails."""
    rows: dict[str, int] = field(default_factory=dict)
    """Rows of each table before the file ran."""
    new_filenode: list[str] = field(default_factory=list)
    """Tables (and materialized views) whose relfilenode changed."""
    rebuilt_indexes: list[str] = field(default_factory=list)
    scanned: list[str] = field(default_factory=list)
    """Tables read by the statement (a scan of the table or of one of its indexes)."""
    lost: dict[str, str] = field(default_factory=dict)
    """Tables that held rows and lost data: dropped, a column dropped, emptied (TRUNCATE), rows deleted or
    updated; the value says how."""
    locks: dict[str, str] | None = None
    """Strongest mode held per relation that existed before the file ran; None when not observable."""
    index_table: dict[str, str] = field(default_factory=dict)
    """Index -> its table, before the file ran (to resolve claims that name an index)."""
    existed: list[str] = field(default_factory=list)
    """Every user relation before the file ran."""
    kinds: dict[str, str] = field(default_factory=dict)
    """Relation -> pg_class.relkind, before the file ran."""
    partitions: dict[str, list[str]] = field(default_factory=dict)
    """Partitioned table -> every partition below it, before the file ran."""
    locks_before: list[str] = field(default_factory=list)
    """Relations this transaction had already locked before the statement (corpus: an earlier statement of the
    same migration): the statement's own locks on them cannot be told apart, so claims about them are moot."""
    origins: dict[str, str | None] = field(default_factory=dict)
    """Relation (as named before the statement) -> its name when the lint ran, None if made since (corpus: by an
    earlier pending migration; the table: earlier in the file)."""
    column_origins: dict[str, list[str]] = field(default_factory=dict)
    """Table -> its columns (as named before the statement) that existed when the lint ran."""
    rows_at_lint: dict[str, int] | None = None
    """Rows of each table when the lint ran (corpus: before the first pending migration), for "rows" claims."""
    not_null: dict[str, list[str]] = field(default_factory=dict)
    """Table -> its columns proven not null before the statement, as ``SET NOT NULL`` sees them: NOT NULL by a
    validated constraint, or covered by a validated ``CHECK (column IS NOT NULL)`` (to judge the lint's "scans
    unless the column is proven not null")."""
    aliases: dict[str, str] = field(default_factory=dict)
    """New name -> the name before the file ran, for relations the file renamed or moved to another schema
    (claims about a later statement name them by their new name)."""
    column_types: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    """Table -> column -> its type before the statement, under any domains: ``{"type": typname, "array",
    "mods": [..], "format": format_type}``, for the lint's "unless its current type is ..." claims."""
    domains: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Domain (``schema.name``) -> its base type, as in ``column_types``."""
    checked_domains: list[str] = field(default_factory=list)
    """Domains with constraints (their own or a base domain's, NOT NULL included)."""
    index_columns: dict[str, list[str]] = field(default_factory=dict)
    """Index -> the columns of its table it uses, before the statement."""
    volatility: dict[str, str] = field(default_factory=dict)
    """Function name -> "immutable", "stable" or "volatile" (the most volatile of the functions of that name)."""
    server_version: int = 0
    """server_version_num."""
    timezone: str = ""
    """The session's TimeZone before the statement."""

    @property
    def rewritten(self) -> list[str]:
        return sorted(set(self.new_filenode) & set(self.scanned))

    def facts(self) -> dict[str, Any]:
        """The observation as recorded in the truth file (what the claims are judged on)."""
        out: dict[str, Any] = {"mode": self.mode}
        if self.error:
            out["error"] = self.error["sqlstate"]
            out["message"] = self.error["message"]
            return out
        out["rewritten"] = self.rewritten
        out["new_filenode"] = self.new_filenode
        out["rebuilt_indexes"] = self.rebuilt_indexes
        out["scanned"] = self.scanned
        out["lost"] = self.lost
        out["locks"] = self.locks
        return out


def _error(e: psycopg.Error) -> dict[str, str]:
    return {"sqlstate": e.sqlstate or "", "message": (e.diag.message_primary or str(e)).strip()}


def _compare(before: dict[int, Relation], after: dict[int, Relation], reads0: Reads, reads1: Reads,
             columns0: dict[tuple[int, int], str], columns1: dict[tuple[int, int], str], truth: Truth) -> None:
    # An index on a changed column is dropped and made again under its name (a new oid): indexes are matched by
    # oid, else by name; other relations by oid only (a table dropped and made again is another table).
    now_by_name = {r.name: r for r in after.values() if r.kind in ("i", "I")}
    for oid, r in sorted(before.items(), key=lambda kv: kv[1].name):
        now = after.get(oid) or (now_by_name.get(r.name) if r.kind in ("i", "I") else None)
        if now is not None and now.oid == oid and now.name != r.name:
            truth.aliases[now.name] = r.name
        if now is None or now.filenode == r.filenode or r.kind in ("v", "S"):
            continue
        (truth.rebuilt_indexes if r.kind in ("i", "I") else truth.new_filenode).append(r.name)
    by_table: dict[str, list[int]] = {}
    for oid, r in before.items():
        by_table.setdefault(r.table or r.name, []).append(oid)
    for name, oids in sorted(by_table.items()):
        if truth.kinds.get(name) not in ("r", "m"):
            continue
        zero = (0, 0, 0, 0)
        started = any(reads1.get(o, zero)[0] > reads0.get(o, zero)[0] for o in oids)
        rows_read = sum(reads1.get(o, zero)[1] - reads0.get(o, zero)[1] for o in oids)
        if started and (rows_read > 0 or truth.rows.get(name, 0) == 0):
            truth.scanned.append(name)
    _losses(before, after, reads0, reads1, columns0, columns1, truth)


def _losses(before: dict[int, Relation], after: dict[int, Relation], reads0: Reads, reads1: Reads,
            columns0: dict[tuple[int, int], str], columns1: dict[tuple[int, int], str], truth: Truth) -> None:
    zero = (0, 0, 0, 0)
    for oid, r in sorted(before.items(), key=lambda kv: kv[1].name):
        if r.kind not in ("r", "m") or truth.rows.get(r.name, 0) == 0:
            continue
        how = []
        if oid not in after:
            how.append("dropped")
        else:
            gone = sorted(name for (rel, num), name in columns0.items() if rel == oid and (rel, num) not in columns1)
            how += [f"column {c} dropped" for c in gone]
            if r.name in truth.new_filenode and r.name not in truth.scanned:
                how.append("emptied")
            deleted = reads1.get(oid, zero)[2] - reads0.get(oid, zero)[2]
            updated = reads1.get(oid, zero)[3] - reads0.get(oid, zero)[3]
            if deleted > 0 and "emptied" not in how:
                how.append(f"{deleted} rows deleted")
            if updated > 0:
                how.append(f"{updated} rows updated")
        if how:
            truth.lost[r.name] = ", ".join(how)


PROVEN_NOT_NULL = """
select n.nspname || '.' || c.relname, a.attname from pg_attribute a join pg_class c on c.oid = a.attrelid
  join pg_namespace n on n.oid = c.relnamespace
 where a.attnum > 0 and not a.attisdropped and c.relkind in ('r', 'p')
   and n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')
   and ((a.attnotnull and not exists (select 1 from pg_constraint k where k.conrelid = a.attrelid and k.contype = 'n'
                                      and not k.convalidated and k.conkey = array[a.attnum]))
        or exists (select 1 from pg_constraint k where k.conrelid = a.attrelid and k.contype = 'c' and k.convalidated
                      and pg_get_expr(k.conbin, k.conrelid) = '(' || quote_ident(a.attname) || ' IS NOT NULL)'))
 order by 1, 2
"""


def _proven_not_null(cur: psycopg.Cursor[Any]) -> dict[str, list[str]]:
    cur.execute(PROVEN_NOT_NULL)
    out: dict[str, list[str]] = {}
    for table, column in cur.fetchall():
        out.setdefault(table, []).append(column)
    return out


HELD_LOCKS = ("select relation, mode from pg_locks where pid = pg_backend_pid() and locktype = 'relation' and granted "
              "and database = (select oid from pg_database where datname = current_database())")


def _held(cur: psycopg.Cursor[Any], rels: dict[int, Relation]) -> dict[str, list[str]]:
    """Relation locks this backend holds, by the relations' names in ``rels`` (others: made by the statement, or
    transient ones of a rewrite, are not judged)."""
    cur.execute(HELD_LOCKS)
    held: dict[str, list[str]] = {}
    for oid, mode in cur.fetchall():
        rel = rels.get(int(oid))
        if rel is not None:
            held.setdefault(rel.name, []).append(mode)
    return held


@dataclass(frozen=True)
class LintState:
    """What existed when the lint ran: relations by oid (with their names then) and columns."""

    relations: dict[int, str]
    columns: frozenset[tuple[int, int]]


def lint_state(cur: psycopg.Cursor[Any]) -> LintState:
    return LintState({oid: r.name for oid, r in relations(cur).items()}, frozenset(_columns(cur)))


def observe_step(cur: psycopg.Cursor[Any], text: str, *, in_transaction: bool, rows: dict[str, int],
                 lint: LintState | None = None) -> Truth:
    """Run one statement and observe it.

    ``in_transaction``: ``cur``'s connection is inside a transaction block, so the statement's locks can be read
    before commit (a statement that fails leaves the transaction aborted: the caller rolls it back). Otherwise
    the statement commits on its own (autocommit) and locks are not observable. ``rows``: what each table holds
    before the statement; ``lint``: what existed when the lint ran."""
    truth = Truth(mode="transaction" if in_transaction else "autocommit", rows=dict(rows))
    before = _before(cur, truth)
    columns0 = _columns(cur)
    truth.not_null = _proven_not_null(cur)
    if lint is not None:
        truth.origins = {r.name: lint.relations.get(oid) for oid, r in before.items()}
        for (rel, num), name in sorted(columns0.items()):
            if (rel, num) in lint.columns and rel in before:
                truth.column_origins.setdefault(before[rel].name, []).append(name)
    oids = sorted(before)
    if in_transaction:
        truth.locks_before = sorted(_held(cur, before))
        reads0 = _xact_reads(cur, oids)
    else:
        reads0 = _shared_reads(cur, oids)
    try:
        cur.execute(text.encode())
    except psycopg.Error as e:
        truth.error = _error(e)
        return truth
    after = relations(cur)
    reads1 = _xact_reads(cur, oids) if in_transaction else _shared_reads(cur, oids)
    _compare(before, after, reads0, reads1, columns0, _columns(cur), truth)
    if in_transaction:
        truth.locks = {name: strongest(modes) for name, modes in sorted(_held(cur, before).items())}
    return truth
