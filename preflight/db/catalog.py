"""Catalog lookups: which tables and columns exist, how big a table is, its indexes, and what a query's plan scans.

Everything here reads the system catalogs or asks the planner (``EXPLAIN`` without ``ANALYZE``): nothing
touches a user table's rows. Names from the config travel as query parameters or as quoted identifiers
(``psycopg.sql.Identifier``), never as SQL text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from psycopg import Cursor, sql


@dataclass(frozen=True)
class TableName:
    """A relation as the config names it: ``table`` or ``schema.table``, matched exactly as written (like a
    quoted identifier). An unqualified name is looked up along the session's search_path."""

    schema: str | None
    name: str

    @classmethod
    def parse(cls, text: str) -> TableName:
        parts = text.split(".")
        if len(parts) > 2 or not all(p.strip() for p in parts):
            raise ValueError(f'expected "table" or "schema.table", got {text!r}')
        if len(parts) == 2:
            return cls(parts[0], parts[1])
        return cls(None, parts[0])

    def __str__(self) -> str:
        return f"{self.schema}.{self.name}" if self.schema else self.name


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    """The declared type as PostgreSQL prints it, e.g. ``timestamp with time zone``."""
    base_type: str
    """The internal name of the type, or of a domain's base type: ``timestamptz``, ``int8``..."""


@dataclass
class Table:
    oid: int
    schema: str
    name: str
    kind: str
    """pg_class.relkind: r table, p partitioned table, v view, m materialized view, f foreign table."""
    estimated_rows: float | None
    """From the statistics (``reltuples``); None when the table was never vacuumed or analyzed."""
    size_bytes: int
    columns: dict[str, Column] = field(default_factory=dict)
    indexes: dict[str, list[str | None]] = field(default_factory=dict)
    """Valid indexes by name -> their key columns in order (None for an expression key)."""

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"

    @property
    def identifier(self) -> sql.Identifier:
        return sql.Identifier(self.schema, self.name)


_FIND_TABLES = """
select q.i, c.oid::int8, n.nspname, c.relname, c.relkind::text,
       case when c.reltuples < 0 or (c.reltuples = 0 and c.relpages = 0) then null else c.reltuples end,
       pg_table_size(c.oid),
       (select json_agg(json_build_array(a.attname, format_type(a.atttypid, a.atttypmod),
                                         coalesce(bt.typname, t.typname)) order by a.attnum)
          from pg_attribute a
          join pg_type t on t.oid = a.atttypid
          left join pg_type bt on bt.oid = nullif(t.typbasetype, 0)
         where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped),
       (select json_object_agg(ic.relname,
                               (select json_agg(a.attname order by k.n)
                                  from unnest(i.indkey::int2[]) with ordinality as k(attnum, n)
                                  left join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
                                 where k.n <= i.indnkeyatts))
          from pg_index i join pg_class ic on ic.oid = i.indexrelid
         where i.indrelid = c.oid and i.indisvalid)
  from unnest(%s::text[], %s::text[]) with ordinality as q(schema, name, i)
  left join lateral (
        select c.oid
          from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where c.relname = q.name
           and c.relkind in ('r', 'p', 'v', 'm', 'f')
           and (n.nspname = q.schema or (q.schema is null and n.nspname = any(current_schemas(false))))
         order by array_position(current_schemas(false), n.nspname::text)
         limit 1) found on true
  left join pg_class c on c.oid = found.oid
  left join pg_namespace n on n.oid = c.relnamespace
 order by q.i
"""


def find_tables(cur: Cursor[Any], names: list[TableName]) -> list[Table | None]:
    """Look up several relations in one round trip; None for each that does not exist (or is not visible on the
    search_path when unqualified)."""
    cur.execute(_FIND_TABLES, ([n.schema for n in names], [n.name for n in names]))
    out: list[Table | None] = []
    for _i, oid, schema, name, kind, reltuples, size, columns, indexes in cur.fetchall():
        if oid is None:
            out.append(None)
            continue
        cols = {c[0]: Column(c[0], c[1], c[2]) for c in (columns or [])}
        out.append(Table(int(oid), schema, name, kind, None if reltuples is None else float(reltuples),
                         int(size or 0), cols, dict(sorted((indexes or {}).items()))))
    return out


def planner_rows(cur: Cursor[Any], table: Table) -> float:
    """The planner's estimate of a table's rows (from its size on disk when it has no statistics)."""
    plan = explain(cur, sql.SQL("select from {}").format(table.identifier))
    return float(plan.get("Plan Rows", 0))


def explain(cur: Cursor[Any], query: sql.Composable, params: Any = None) -> dict[str, Any]:
    """The plan of ``query`` (``EXPLAIN (FORMAT JSON)``: planned, not executed)."""
    cur.execute(sql.Composed([sql.SQL("explain (format json) "), query]), params)
    row = cur.fetchone()
    assert row is not None
    doc = row[0]
    plan: dict[str, Any] = doc[0]["Plan"]
    return plan


def plan_nodes(plan: dict[str, Any]) -> list[dict[str, Any]]:
    """Every node of a plan, depth first (init plans and sub plans included)."""
    out = [plan]
    for child in plan.get("Plans", []):
        out.extend(plan_nodes(child))
    return out


def full_scans(plan: dict[str, Any], alias: str) -> list[dict[str, Any]]:
    """Nodes of ``plan`` that read every row of the relation aliased ``alias``: sequential scans (parallel or
    not). An index scan, even one that walks far, is bounded by its index condition or its LIMIT and, as a
    backstop, by statement_timeout."""
    return [n for n in plan_nodes(plan) if n.get("Node Type") == "Seq Scan" and n.get("Alias") == alias]


def index_names(plan: dict[str, Any]) -> list[str]:
    """Names of every index ``plan`` reads (sorted, unique)."""
    return sorted({str(n["Index Name"]) for n in plan_nodes(plan) if n.get("Index Name")})


def scanned_indexes(plan: dict[str, Any], alias: str) -> list[str]:
    """Names of the indexes ``plan`` reads for the relation aliased ``alias`` (sorted, unique)."""
    names = set()
    for n in plan_nodes(plan):
        if n.get("Index Name") and (n.get("Alias") == alias or n.get("Node Type") == "Bitmap Index Scan"):
            names.add(str(n["Index Name"]))
    return sorted(names)


@dataclass(frozen=True)
class Index:
    name: str
    definition: str
    partial: bool


def indexes_on(cur: Cursor[Any], table: Table, column: str) -> list[Index]:
    """The valid indexes of ``table`` whose first key is ``column``, by name."""
    cur.execute(
        """
        select ic.relname, pg_get_indexdef(i.indexrelid), i.indpred is not null
          from pg_index i
          join pg_class ic on ic.oid = i.indexrelid
          join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
         where i.indrelid = %s and a.attname = %s and i.indisvalid
         order by ic.relname
        """,
        (table.oid, column),
    )
    return [Index(name, definition, bool(partial)) for name, definition, partial in cur.fetchall()]


def human_size(n: float) -> str:
    """``1288490188`` -> ``"1.2 GB"``."""
    for unit in ("bytes", "kB", "MB", "GB", "TB"):
        if n < 1024 or unit == "TB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    raise AssertionError("unreachable")


def human_count(n: float) -> str:
    """``10000000`` -> ``"10,000,000"``."""
    return f"{round(n):,}"
