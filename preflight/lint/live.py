"""The lint against the live database: how much data a statement would destroy or lock, and guard outcomes.

Reads only the catalogs (``pg_class``, ``pg_index``, ``pg_attribute``, ``pg_constraint``) and, for tables
small enough, ``count(*)``; sessions are preflight's read-only ones with its statement and lock timeouts. A guard
(a leading ``DO`` block that raises) is run on its own through the untrusted-SQL gate, in a ``READ ONLY``
transaction that is rolled back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import psycopg
from psycopg import errors, sql

from preflight.db.catalog import human_count, human_size
from preflight.db.session import explain_error
from preflight.db.untrusted_sql import Refused, untrusted
from preflight.lint.type_changes import ColumnType
from preflight.sql.calls import guard_calls

if TYPE_CHECKING:
    from preflight.plugin import CheckContext

RELKINDS_WITH_ROWS = ("r", "p", "m", "f")


@dataclass
class Facts:
    """What the database holds for one target of a statement."""

    exists: bool
    rows: float | None = None
    """Rows (exact when ``exact``), or None when unknown (a big table never analysed)."""
    exact: bool = False
    size: int = 0
    """Bytes, ``pg_total_relation_size`` (for a schema or type: of the tables concerned)."""
    populated: bool = False
    table: str | None = None
    """The table a lock lands on (for an index: its table), as the database names it."""
    note: str | None = None
    users: list[tuple[str, str]] = field(default_factory=list)
    """For a type: the ``(table, column)`` pairs that use it (the table as the database names it)."""

    def describe(self) -> str:
        if not self.exists:
            return "does not exist"
        if self.rows is None:
            rows = "an unknown number of rows (never analysed)"
        else:
            rows = f"{human_count(self.rows)} row{'s' if round(self.rows) != 1 else ''}"
            if not self.exact:
                rows = "about " + rows + " (estimate)"
        return f"{rows}, {human_size(self.size)}"


def _qualified(schema: str | None, name: str) -> sql.Composable:
    return sql.Identifier(schema, name) if schema else sql.Identifier(name)


def lookup(cur: psycopg.Cursor[Any], targets: list[tuple[str, str | None, str]],
           exact_count_size: int) -> dict[tuple[str, str | None, str], Facts]:
    """Facts for each ``(kind, schema, name)`` target: tables and indexes (the index's table; a relation named as an
    index that is not one: itself, so that the statement is not said to name nothing), schemas, types."""
    out: dict[tuple[str, str | None, str], Facts] = {}
    for target in sorted(set(targets), key=lambda t: (t[0], t[1] or "", t[2])):
        kind, schema, name = target
        if kind in ("table", "index"):
            out[target] = _relation(cur, kind, schema, name, exact_count_size)
        elif kind == "schema":
            out[target] = _schema(cur, name)
        elif kind == "type":
            out[target] = _type(cur, schema, name)
    return out


def _relation(cur: psycopg.Cursor[Any], kind: str, schema: str | None, name: str, exact_count_size: int) -> Facts:
    qualified = _qualified(schema, name).as_string(cur)
    cur.execute(
        """
        select t.oid, t.oid::regclass::text, t.relkind, t.reltuples::float8, t.relpages,
               case when t.relkind = 'p'
                    then (select coalesce(sum(pg_total_relation_size(p.relid)), 0)
                            from pg_partition_tree(t.oid) p)
                    else pg_total_relation_size(t.oid) end,
               case when t.relkind = 'p'
                    then (select coalesce(sum(greatest(c.reltuples, 0)), 0)::float8
                            from pg_partition_tree(t.oid) p join pg_class c on c.oid = p.relid
                           where p.isleaf)
                    else null end
          from pg_class r
          left join pg_index i on i.indexrelid = r.oid
          join pg_class t on t.oid = case when %(kind)s = 'index' then coalesce(i.indrelid, r.oid) else r.oid end
         where r.oid = to_regclass(%(name)s)
        """,
        {"kind": kind, "name": qualified},
    )
    row = cur.fetchone()
    if row is None:
        return Facts(exists=False)
    oid, table, relkind, reltuples, relpages, size, partition_rows = row
    if relkind not in RELKINDS_WITH_ROWS:
        return Facts(exists=True, rows=0, exact=True, size=int(size or 0), table=table,
                     note=f"not a table (relkind {relkind})")
    facts = Facts(exists=True, size=int(size or 0), table=table)
    if partition_rows is not None:
        reltuples = partition_rows
    rows: float | None = reltuples if reltuples is not None and reltuples >= 0 else None
    if facts.size <= exact_count_size and relkind != "f":
        counted = _count(cur, sql.SQL("select count(*) from {}").format(sql.SQL(table)))
        if counted is not None:
            rows, facts.exact = counted, True
    facts.rows = rows
    if rows is not None and (facts.exact or rows > 0):
        facts.populated = rows > 0
    else:  # an estimate of 0 or none: ask the table itself (one row at most)
        exists = _count(cur, sql.SQL("select count(*) from (select 1 from {} limit 1) s").format(sql.SQL(table)))
        facts.populated = bool(exists) if exists is not None else (relpages or 0) > 0 or rows is None
    return facts


def _count(cur: psycopg.Cursor[Any], query: sql.Composed) -> int | None:
    """A count, or None when the table cannot be read (no privilege): the caller falls back to estimates."""
    try:
        with cur.connection.transaction():
            cur.execute(query)
            row = cur.fetchone()
            return int(row[0]) if row else None
    except errors.InsufficientPrivilege:
        return None


def _schema(cur: psycopg.Cursor[Any], name: str) -> Facts:
    cur.execute(
        """
        select n.oid,
               count(c.oid) filter (where c.relkind in ('r', 'm', 'f')),
               coalesce(sum(greatest(c.reltuples, 0)) filter (where c.relkind in ('r', 'm')), 0)::float8,
               coalesce(sum(pg_total_relation_size(c.oid)) filter (where c.relkind in ('r', 'm')), 0),
               coalesce(bool_or(c.relpages > 0 or c.reltuples > 0) filter (where c.relkind in ('r', 'm')), false)
          from pg_namespace n left join pg_class c on c.relnamespace = n.oid
         where n.nspname = %s
         group by n.oid
        """,
        (name,),
    )
    row = cur.fetchone()
    if row is None:
        return Facts(exists=False)
    _, tables, rows, size, populated = row
    return Facts(exists=True, rows=rows, size=int(size), populated=bool(populated),
                 note=f"{tables} table{'s' if tables != 1 else ''} in the schema")


def _type(cur: psycopg.Cursor[Any], schema: str | None, name: str) -> Facts:
    qualified = _qualified(schema, name).as_string(cur)
    cur.execute(
        """
        with ty as (select to_regtype(%s) as oid)
        select ty.oid,
               coalesce(string_agg(distinct c.oid::regclass::text || '.' || a.attname, ', '), ''),
               coalesce(sum(distinct greatest(c.reltuples, 0)), 0)::float8,
               coalesce(sum(distinct pg_total_relation_size(c.oid)), 0),
               coalesce(bool_or(c.relpages > 0 or c.reltuples > 0), false),
               coalesce(array_agg(distinct array[c.oid::regclass::text, a.attname::text])
                        filter (where c.oid is not null), '{}')
          from ty
          left join pg_type arr on arr.typelem = ty.oid and ty.oid is not null
          left join pg_attribute a on a.atttypid in (ty.oid, arr.oid) and a.attnum > 0 and not a.attisdropped
          left join pg_class c on c.oid = a.attrelid and c.relkind in ('r', 'p', 'm')
         group by ty.oid
        """,
        (qualified,),
    )
    row = cur.fetchone()
    if row is None or row[0] is None:
        return Facts(exists=False)
    _, columns, rows, size, populated, users = row
    if not columns:
        return Facts(exists=True, rows=0, exact=True, size=0, note="no column uses it")
    return Facts(exists=True, rows=rows, size=int(size), populated=bool(populated), note=f"used by {columns}",
                 users=sorted((table, column) for table, column in users))


_TYPE_CHAIN = """
with recursive chain(oid, typmod, depth) as (
  select %(type)s::oid, %(typmod)s::int, 0
  union all
  select t.typbasetype, case when chain.typmod = -1 then t.typtypmod else chain.typmod end, chain.depth + 1
    from chain join pg_type t on t.oid = chain.oid
   where t.typtype = 'd'
)
select format_type(c.oid, c.typmod),
       (select format_type(%(type)s::oid, null) from pg_type d where d.oid = %(type)s::oid and d.typtype = 'd'),
       exists (select 1 from chain x join pg_type d on d.oid = x.oid
                where d.typtype = 'd' and (d.typnotnull or exists (
                      select 1 from pg_constraint k where k.contypid = d.oid)))
  from chain c join pg_type b on b.oid = c.oid
 where b.typtype <> 'd'
"""


def _column_type(cur: psycopg.Cursor[Any], type_oid: int, typmod: int, collation: str | None) -> ColumnType | None:
    """A type as :mod:`preflight.lint.type_changes` compares it: its base type under any domains, as PostgreSQL's
    parser reads the name ``format_type`` gives it."""
    cur.execute(_TYPE_CHAIN, {"type": type_oid, "typmod": typmod})
    row = cur.fetchone()
    if row is None:
        return None
    base, domain, checks = row
    parsed = parse_type(base)
    if parsed is None:
        return None
    name, mods, array = parsed
    return ColumnType(name, tuple(mods), array, domain, bool(checks), collation)


def parse_type(text: str) -> tuple[str, list[int], bool] | None:
    """``character varying(50)`` -> ``("varchar", [50], False)``, as the parser names it; None if it does not
    parse as a type with numeric modifiers."""
    from preflight.lint.nodes import type_name
    from preflight.sql import parse as pgparser

    try:
        (stmt,) = list(pgparser.statements(f"SELECT NULL::{text}"))
    except (ValueError, pgparser.ParseError):
        return None
    target = stmt.node.get("targetList", [{}])[0].get("ResTarget", {}).get("val", {})
    tn = target.get("TypeCast", {}).get("typeName") or {}
    mods = []
    for m in tn.get("typmods", ()):
        c = m.get("A_Const", {})
        if "ival" not in c:
            return None
        mods.append(int(c["ival"].get("ival", 0)))
    return type_name(tn), mods, bool(tn.get("arrayBounds"))


@dataclass
class ColumnNow:
    """A column's current type, whether an index uses it, and the other tables its foreign keys tie it to."""

    type: ColumnType
    indexed: bool
    linked: list[str]


def current_column(cur: psycopg.Cursor[Any], table: str, column: str) -> ColumnNow | None:
    """The column's type as it is in the database; None when the table or column is not there."""
    cur.execute(
        """
        select a.atttypid::int, a.atttypmod, coll.collname::text,
               exists (select 1 from pg_depend d join pg_class i on i.oid = d.objid
                        where d.classid = 'pg_class'::regclass and d.refclassid = 'pg_class'::regclass
                          and d.refobjid = a.attrelid and d.refobjsubid = a.attnum and i.relkind in ('i', 'I')),
               array(select distinct other::regclass::text from (
                       select k.confrelid as other from pg_constraint k
                        where k.contype = 'f' and k.conrelid = a.attrelid and a.attnum = any(k.conkey)
                       union
                       select k.conrelid from pg_constraint k
                        where k.contype = 'f' and k.confrelid = a.attrelid and a.attnum = any(k.confkey)) o
                      where other <> a.attrelid order by 1)
          from pg_attribute a left join pg_collation coll on coll.oid = a.attcollation
         where a.attrelid = to_regclass(%s) and a.attname = %s and a.attnum > 0 and not a.attisdropped
        """,
        (table, column),
    )
    row = cur.fetchone()
    if row is None:
        return None
    type_oid, typmod, collation, indexed, linked = row
    found = _column_type(cur, type_oid, typmod, collation)
    return ColumnNow(found, bool(indexed), list(linked)) if found else None


def new_column_type(cur: psycopg.Cursor[Any], names: list[str], mods: list[int], array: bool,
                    collation: str | None) -> ColumnType | None:
    """The type an ``ALTER COLUMN ... TYPE`` names, resolved as the server would (a domain to its base type);
    its collation: the ``COLLATE`` given, else the type's own. None when the server does not know the type."""
    name = ".".join(_quote(cur, n) for n in names)
    cur.execute(
        """
        select t.oid::int, t.typtype = 'd', coll.collname::text
          from pg_type t left join pg_collation coll on coll.oid = t.typcollation
         where t.oid = to_regtype(%s)
        """,
        (name,),
    )
    row = cur.fetchone()
    if row is None:
        return None
    type_oid, is_domain, own_collation = row
    if is_domain and not mods and not array:
        return _column_type(cur, type_oid, -1, collation or own_collation)
    return ColumnType(names[-1].lower(), tuple(mods), array, None, False, collation or own_collation)


def _quote(cur: psycopg.Cursor[Any], part: str) -> str:
    return sql.Identifier(part).as_string(cur)


def session_timezone(cur: psycopg.Cursor[Any]) -> str | None:
    """The TimeZone a new session of the database gets, when it comes from the server or the database's settings
    (not from preflight's own client); None otherwise."""
    cur.execute("select setting, source from pg_settings where name = 'TimeZone'")
    row = cur.fetchone()
    if row is None or row[1] in ("client", "session"):
        return None
    return str(row[0])


def not_null_proof(cur: psycopg.Cursor[Any], table: str, column: str, validated: list[str], *,
                   checks_only: bool = False, dropped: list[str] | None = None,
                   called: str | None = None) -> str | None:
    """Why ``SET NOT NULL`` on the column reads no row; "" when it scans the table; None when the table has no
    such column. No scan: the column is already NOT NULL (by a validated constraint: PostgreSQL 18 keeps a
    ``NOT VALID`` one's column marked NOT NULL too), or (PostgreSQL 12 and later) a validated ``CHECK (column IS
    NOT NULL)`` proves it (``validated``: constraints the migrations validate before the statement). The check is
    compared on its expression (``pg_get_constraintdef`` adds "NOT VALID" to one not validated yet).
    ``checks_only``: the migrations drop the column's NOT NULL before the statement (only a check can prove it);
    ``dropped``: the constraints they drop before it; ``called``: the column's name when the statement runs."""
    cur.execute(
        """
        select a.attnotnull and not exists (
                 select 1 from pg_constraint n
                  where n.conrelid = a.attrelid and n.contype = 'n' and not n.convalidated
                    and n.conkey = array[a.attnum]),
               current_setting('server_version_num')::int >= 120000 and exists (
                 select 1 from pg_constraint k
                  where k.conrelid = a.attrelid and k.contype = 'c'
                    and (k.convalidated or k.conname = any(%s)) and k.conname <> all(%s)
                    and pg_get_expr(k.conbin, k.conrelid) = '(' || quote_ident(a.attname) || ' IS NOT NULL)')
          from pg_attribute a
         where a.attrelid = to_regclass(%s) and a.attname = %s and a.attnum > 0 and not a.attisdropped
        """,
        (validated, dropped or [], table, column),
    )
    row = cur.fetchone()
    if row is None:
        return None
    name = called or column
    if row[0] and not checks_only:
        return f"{name} is already NOT NULL"
    if row[1]:
        return f"a validated CHECK ({name} IS NOT NULL) constraint proves it (PostgreSQL 12 and later)"
    return ""


def domain_with_constraints(cur: psycopg.Cursor[Any], schema: str | None, name: str) -> str | None:
    """The type's name when it is a domain with constraints (``CHECK`` or ``NOT NULL``, its own or a base
    domain's), checked on every value a new column gets; None when it is not, or there is no such type."""
    qualified = ".".join(_quote(cur, n) for n in ([schema] if schema else []) + [name])
    cur.execute(
        """
        with recursive chain(oid) as (
          select t.oid from pg_type t where t.oid = to_regtype(%s) and t.typtype = 'd'
          union all
          select t.typbasetype from chain join pg_type t on t.oid = chain.oid where t.typtype = 'd'
        )
        select format_type(to_regtype(%s), null)
         where exists (select 1 from chain x join pg_type d on d.oid = x.oid
                        where d.typtype = 'd' and (d.typnotnull or exists (
                              select 1 from pg_constraint k where k.contypid = d.oid)))
        """,
        (qualified, qualified),
    )
    row = cur.fetchone()
    return str(row[0]) if row else None


def index_columns(cur: psycopg.Cursor[Any], index: str) -> list[str]:
    """The table columns an index is on (none for an expression's part, or when there is no such index)."""
    cur.execute(
        """
        select a.attname from pg_index i
          cross join lateral unnest(i.indkey) with ordinality k(attnum, n)
          join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
         where i.indexrelid = to_regclass(%s) order by k.n
        """,
        (".".join(_quote(cur, p) for p in index.split(".")),),
    )
    return [str(r[0]) for r in cur.fetchall()]


def volatility(cur: psycopg.Cursor[Any], functions: list[str]) -> dict[str, str | None]:
    """Each function name (``f`` or ``schema.f``) -> "immutable", "stable" or "volatile" (the most volatile of its
    overloads), None when the database has no function of that name."""
    out: dict[str, str | None] = {}
    for name in functions:
        schema, _, bare = name.rpartition(".")
        cur.execute(
            """
            select max(case p.provolatile when 'v' then 3 when 's' then 2 else 1 end)
              from pg_proc p join pg_namespace n on n.oid = p.pronamespace
             where p.proname = %s and (%s = '' and n.nspname = any(current_schemas(true))
                                       or n.nspname = %s)
            """,
            (bare, schema, schema),
        )
        row = cur.fetchone()
        out[name] = {1: "immutable", 2: "stable", 3: "volatile"}.get(row[0]) if row and row[0] else None
    return out


def relation_kind(cur: psycopg.Cursor[Any], name: str) -> str | None:
    """``pg_class.relkind`` of a relation (``p``: partitioned table), None when there is none of that name."""
    cur.execute("select relkind::text from pg_class where oid = to_regclass(%s)", (name,))
    row = cur.fetchone()
    return str(row[0]) if row else None


# -- guards --------------------------------------------------------------------------------------------------


@dataclass
class GuardOutcome:
    status: str
    """"pass", "raise" (the precondition does not hold), "write" (needs to write: not evaluable read-only),
    "refused" (the untrusted-SQL gate would not run it: it would write or lock through a call, a view, dynamic
    SQL...; ``message`` says how), "error" (another database error: the migration would fail there too),
    "timeout"."""
    message: str
    detail: str | None = None


def evaluate_guard(ctx: CheckContext, guard_sql: str) -> GuardOutcome:
    """Run one guard (a ``DO`` block, and nothing else) through the untrusted-SQL gate
    (:mod:`preflight.db.untrusted_sql`): in a READ ONLY, confined transaction that is rolled back, once what it calls
    is known not to write or lock.

    The outcome is cached for the run, so ``migrations.lint`` and ``migrations.guards`` run each guard once."""
    db = ctx.database
    return db.cached(f"preflight.lint.guard:{guard_sql}", lambda: _evaluate(ctx, guard_sql))  # type: ignore[no-any-return]


def _evaluate(ctx: CheckContext, guard_sql: str) -> GuardOutcome:
    db = ctx.database
    target = db.target
    left = ctx.remaining()
    try:
        with db.connection() as conn:
            with conn.cursor() as cur:
                if left < target.statement_timeout:
                    cur.execute("select set_config('statement_timeout', %s, true)",
                                (f"{max(1, round(left * 1000))}ms",))
                with untrusted(cur, db, guard_calls(guard_sql), "the guard"):
                    cur.execute(guard_sql.encode("utf-8"))  # the guard's own text, as is: no parameters
            conn.rollback()
    except Refused as e:
        return GuardOutcome("refused", e.reason)
    except (errors.RaiseException, errors.AssertFailure) as e:
        diag = e.diag
        return GuardOutcome("raise", diag.message_primary or str(e).strip(),
                            " ".join(x for x in (diag.message_detail, diag.message_hint) if x) or None)
    except errors.ReadOnlySqlTransaction as e:
        return GuardOutcome("write", e.diag.message_primary or str(e).strip())
    except (errors.QueryCanceled, errors.LockNotAvailable) as e:
        return GuardOutcome("timeout", explain_error(e, statement_timeout=min(float(target.statement_timeout), left),
                                                     lock_timeout=float(target.lock_timeout)))
    except psycopg.OperationalError:
        raise
    except psycopg.Error as e:
        return GuardOutcome("error", explain_error(e, statement_timeout=float(target.statement_timeout),
                                                   lock_timeout=float(target.lock_timeout)))
    return GuardOutcome("pass", "the guard passes")

