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

from preflight.db_catalog import human_count, human_size
from preflight.db_session import explain_error
from preflight.sql_calls import guard_calls
from preflight.untrusted_sql import Refused, untrusted

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
    """Facts for each ``(kind, schema, name)`` target: tables and indexes (the index's table), schemas, types."""
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
          join pg_class t on t.oid = case when %(kind)s = 'index' then i.indrelid else r.oid end
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


def has_validated_not_null_check(cur: psycopg.Cursor[Any], table: str, column: str) -> bool:
    """Whether ``table`` has a validated ``CHECK (column IS NOT NULL)``, which lets SET NOT NULL skip its scan."""
    cur.execute(
        """
        select exists (
          select 1 from pg_constraint
           where conrelid = to_regclass(%s) and contype = 'c' and convalidated
             and pg_get_constraintdef(oid) = 'CHECK ((' || quote_ident(%s) || ' IS NOT NULL))')
        """,
        (table, column),
    )
    row = cur.fetchone()
    return bool(row and row[0])


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
    (:mod:`preflight.untrusted_sql`): in a READ ONLY, confined transaction that is rolled back, once what it calls
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

