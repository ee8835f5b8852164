"""What the live catalogs say about a statement that drops or changes an object: which objects depend on it, and
the structure (keys, indexes, column types) a constraint needs.

PostgreSQL refuses a ``DROP`` without ``CASCADE`` when an object outside what the statement drops depends on it
normally (``pg_depend.deptype = 'n'``); what depends on it automatically or internally (its indexes,
constraints, triggers, row type, an owned sequence, an extension's members, a partition) goes with it, and what
depends on *those* counts too. :func:`blockers` follows ``pg_depend`` that way, for every question in one
recursive query, and also finds the object an object is an internal part of (the constraint that owns an index:
``DROP INDEX`` of it fails). The other readers answer the structural questions: the foreign keys that reference a
table, its primary key, its unique indexes, whether two column types can be compared by a key's equality
operator.

Reads only the catalogs, through the cursor given (the check's read-only session); every answer comes with the
names an earlier statement would use to change the objects concerned (:attr:`Blocker.names`), so that the caller
can tell when the pending migrations may have changed them first.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

Ref = tuple[int, int, int]
"""``(classid, objid, objsubid)`` of a catalog object."""


@dataclass(frozen=True)
class Wanted:
    """An object a statement names, to find in the catalogs."""

    what: str
    """``relation:<relkinds>`` (e.g. ``relation:r,p``), ``column``, ``function``, ``extension``, ``type``, ``domain``,
    ``schema``."""
    schema: str | None
    name: str
    args: tuple[str, ...] | None = None
    """A function's argument types (quoted, as ``to_regtype`` reads them); None when the statement gives none."""
    column: str | None = None


@dataclass(frozen=True)
class Blocker:
    """An object that stands in the way of a statement."""

    description: str
    """As PostgreSQL describes it: "view legacy_codes", "constraint order_lines_order_id_fkey on table order_lines"."""
    via: str | None
    """What it depends on when that is not what the statement names (an extension's operator class...)."""
    kind: str
    """``pg_identify_object``'s type: "view", "table constraint", "trigger", "default value", "index"..."""
    name: str
    """Its own name (for a default: its column's)."""
    table: str | None
    """The relation it belongs to (a constraint's, trigger's, default's, index's table), lower case; its own name
    for a view."""
    names: frozenset[str]
    """Every name an earlier statement would use to change or drop it (its own, its table's), lower case."""
    requires: bool = False
    """True: the statement's object is an internal part (or member) of this one, which requires it."""


def quoted(schema: str | None, name: str) -> str:
    """A name as ``to_regclass`` reads it, quoted."""
    def quote(part: str) -> str:
        return '"' + part.replace('"', '""') + '"'
    return f"{quote(schema)}.{quote(name)}" if schema else quote(name)


_RESOLVE = """
select x.n,
       case when x.what like 'relation:%%' or x.what = 'column' then 'pg_class'::regclass
            when x.what = 'function' then 'pg_proc'::regclass
            when x.what = 'extension' then 'pg_extension'::regclass
            when x.what in ('type', 'domain') then 'pg_type'::regclass
            else 'pg_namespace'::regclass end::oid,
       case when x.what like 'relation:%%' then
                 (select c.oid from pg_class c where c.oid = to_regclass(x.qualified)
                     and c.relkind::text = any(string_to_array(split_part(x.what, ':', 2), ',')))
            when x.what = 'column' then
                 (select c.oid from pg_class c where c.oid = to_regclass(x.qualified) and c.relkind in ('r', 'p')
                     and c.reloftype = 0)
            when x.what = 'function' then
                 (select min(p.oid) from pg_proc p join pg_namespace s on s.oid = p.pronamespace
                   where p.proname = x.name
                     and (s.nspname = x.schema or x.schema is null and pg_function_is_visible(p.oid))
                     and (x.args is null or (
                          not exists (select 1 from unnest(x.args) a where to_regtype(a) is null)
                          and p.proargtypes::text = coalesce(  -- an oidvector's text: its oids, space-separated
                            (select string_agg(to_regtype(a)::oid::text, ' ' order by i)
                               from unnest(x.args) with ordinality u(a, i)), '')))
                  having count(*) = 1)
            when x.what = 'extension' then (select e.oid from pg_extension e where e.extname = x.name)
            when x.what in ('type', 'domain') then
                 (select t.oid from pg_type t where t.oid = to_regtype(x.qualified)
                     and (t.typtype = 'd') = (x.what = 'domain'))
            else (select s.oid from pg_namespace s where s.nspname = x.name) end::oid,
       case when x.what = 'column' then
                 -- not an inherited column, nor one of the partition key: those fail for that first
                 (select a.attnum from pg_attribute a
                   where a.attrelid = to_regclass(x.qualified) and a.attname = x.col and a.attnum > 0
                     and not a.attisdropped and a.attinhcount = 0
                     and not exists (select 1 from pg_partitioned_table k
                                      where k.partrelid = a.attrelid and a.attnum = any(k.partattrs::int2[])))
            else 0 end::int
  from jsonb_to_recordset(%s::jsonb) as x(n int, what text, schema text, name text, qualified text, args text[],
                                            col text)
"""


def resolve(cur: psycopg.Cursor[Any], wanted: list[Wanted]) -> list[Ref | None]:
    """Each wanted object's catalog reference, as the session's ``search_path`` resolves its name; None when the
    database has no such object (or, for a function named without arguments, several)."""
    if not wanted:
        return []
    rows = [{"n": n, "what": w.what, "schema": w.schema, "name": w.name, "qualified": quoted(w.schema, w.name),
             "args": list(w.args) if w.args is not None else None, "col": w.column} for n, w in enumerate(wanted)]
    cur.execute(_RESOLVE, (json.dumps(rows),))
    out: list[Ref | None] = [None] * len(wanted)
    for n, classid, objid, subid in cur.fetchall():
        if objid is not None and subid is not None:
            out[n] = (int(classid), int(objid), int(subid))
    return out


# The objects a DROP takes with it (``doomed``), per question; the normal dependents outside them (blockers); the
# objects a dropped one is an internal part or member of, when they are not dropped too (requires).
_BLOCKERS = """
with recursive
target(q, classid, objid, objsubid) as (
  select * from unnest(%(q)s::int[], %(classid)s::oid[], %(objid)s::oid[], %(subid)s::int[])
),
doomed(q, classid, objid, objsubid) as (
  select q, classid, objid, objsubid from target
  union
  select s.q, d.classid, d.objid, d.objsubid
    from doomed s join pg_depend d on d.refclassid = s.classid and d.refobjid = s.objid
         and (s.objsubid = 0 or d.refobjsubid = s.objsubid)
   where d.deptype in ('a', 'i', 'e', 'x', 'P', 'S')
     -- a table's dependency on its own column (a partition key): PostgreSQL refuses that drop otherwise
     and not (s.objsubid <> 0 and d.classid = s.classid and d.objid = s.objid and d.objsubid = 0)
),
found(q, classid, objid, objsubid, refclassid, refobjid, refobjsubid, requires) as (
  select s.q, d.classid, d.objid, d.objsubid, s.classid, s.objid, s.objsubid, false
    from doomed s join pg_depend d on d.refclassid = s.classid and d.refobjid = s.objid
         and (s.objsubid = 0 or d.refobjsubid = s.objsubid)
   where d.deptype = 'n'
     and not (s.objsubid <> 0 and d.classid = s.classid and d.objid = s.objid)
     and not exists (select 1 from doomed x where x.q = s.q and x.classid = d.classid and x.objid = d.objid
                                                and (x.objsubid = 0 or x.objsubid = d.objsubid))
  union
  select t.q, d.refclassid, d.refobjid, d.refobjsubid, null::oid, null::oid, null::int, true
    from target t join pg_depend d on d.classid = t.classid and d.objid = t.objid and d.objsubid = 0
   where t.objsubid = 0 and d.deptype in ('i', 'e', 'P')
     and not exists (select 1 from doomed x where x.q = t.q and x.classid = d.refclassid
                                                and x.objid = d.refobjid and x.objsubid = 0)
),
shown as (  -- a view's rewrite rule is shown as the view
  select f.*, coalesce(r.ev_class, 0) as view
    from found f left join pg_rewrite r on f.classid = 'pg_rewrite'::regclass and r.oid = f.objid
                                        and r.rulename = '_RETURN'
)
select distinct s.q, s.requires,
       case when s.view <> 0 then pg_describe_object('pg_class'::regclass, s.view, 0)
            else pg_describe_object(s.classid, s.objid, s.objsubid) end,
       case when s.refclassid is null or exists (
                   select 1 from target t where t.q = s.q and t.classid = s.refclassid and t.objid = s.refobjid)
            then null else pg_describe_object(s.refclassid, s.refobjid, s.refobjsubid) end,
       (pg_identify_object(case when s.view <> 0 then 'pg_class'::regclass::oid else s.classid end,
                           case when s.view <> 0 then s.view else s.objid end,
                           case when s.view <> 0 then 0 else s.objsubid end)).type,
       (pg_identify_object_as_address(case when s.view <> 0 then 'pg_class'::regclass::oid else s.classid end,
                                      case when s.view <> 0 then s.view else s.objid end,
                                      case when s.view <> 0 then 0 else s.objsubid end)).object_names,
       (select c.relname::text from pg_class c where c.oid = case
              when s.view <> 0 then s.view
              when s.classid = 'pg_class'::regclass and s.objsubid <> 0 then s.objid
              when s.classid = 'pg_class'::regclass then
                   coalesce((select i.indrelid from pg_index i where i.indexrelid = s.objid), s.objid)
              when s.classid = 'pg_constraint'::regclass then
                   (select k.conrelid from pg_constraint k where k.oid = s.objid)
              when s.classid = 'pg_trigger'::regclass then (select g.tgrelid from pg_trigger g where g.oid = s.objid)
              when s.classid = 'pg_attrdef'::regclass then (select a.adrelid from pg_attrdef a where a.oid = s.objid)
              when s.classid = 'pg_policy'::regclass then (select p.polrelid from pg_policy p where p.oid = s.objid)
              when s.classid = 'pg_rewrite'::regclass then (select r.ev_class from pg_rewrite r where r.oid = s.objid)
              else 0 end)
  from shown s
 order by 1, 2, 3, 4
"""


def blockers(cur: psycopg.Cursor[Any], questions: list[list[Ref]]) -> list[list[Blocker]]:
    """For each question (the objects one statement drops together: relations, columns, functions...), what
    makes PostgreSQL refuse to drop them without ``CASCADE``, sorted; empty when nothing does."""
    q, classid, objid, subid = [], [], [], []
    for n, refs in enumerate(questions):
        for c, o, s in refs:
            q.append(n)
            classid.append(c)
            objid.append(o)
            subid.append(s)
    out: list[list[Blocker]] = [[] for _ in questions]
    if not q:
        return out
    cur.execute(_BLOCKERS, {"q": q, "classid": classid, "objid": objid, "subid": subid})
    for n, requires, description, via, kind, address, table in cur.fetchall():
        out[n].append(_blocker(description, via, kind, list(address or ()), table, bool(requires)))
    # An object that depends on the dropped one in several ways is named once, by the most direct.
    for n, found in enumerate(out):
        direct = {b.description: b for b in sorted(found, key=lambda b: (b.via is not None, b.via or ""))}
        out[n] = sorted(direct.values(), key=lambda b: (not b.requires, b.description))
    return out


def _blocker(description: str, via: str | None, kind: str, address: list[str], table: str | None,
             requires: bool = False) -> Blocker:
    # The address's names: [schema,] object or [schema,] table, part. The schema is not a name that changes it.
    parts = address[1:] if len(address) > 1 and kind not in ("extension", "schema") else address
    names = {p.lower() for p in parts}
    if table:
        names.add(table.lower())
    return Blocker(description, via, kind, parts[-1] if parts else "", table.lower() if table else None,
                   frozenset(names), requires)


_COLUMN_USERS = """
select distinct x.n,
       case when r.ev_class is not null then pg_describe_object('pg_class'::regclass, r.ev_class, 0)
            else pg_describe_object(d.classid, d.objid, d.objsubid) end,
       (pg_identify_object(coalesce(case when r.ev_class is not null then 'pg_class'::regclass::oid end, d.classid),
                           coalesce(r.ev_class, d.objid), case when r.ev_class is not null then 0 else d.objsubid end)).type,
       (pg_identify_object_as_address(
            coalesce(case when r.ev_class is not null then 'pg_class'::regclass::oid end, d.classid),
            coalesce(r.ev_class, d.objid), case when r.ev_class is not null then 0 else d.objsubid end)).object_names,
       (select c.relname::text from pg_class c where c.oid = coalesce(r.ev_class, g.tgrelid, p.polrelid))
  from unnest(%s::int[], %s::oid[], %s::int[]) x(n, rel, attnum)
  join pg_depend d on d.refclassid = 'pg_class'::regclass and d.refobjid = x.rel and d.refobjsubid = x.attnum
  left join pg_rewrite r on d.classid = 'pg_rewrite'::regclass and r.oid = d.objid
  left join pg_trigger g on d.classid = 'pg_trigger'::regclass and g.oid = d.objid
  left join pg_policy p on d.classid = 'pg_policy'::regclass and p.oid = d.objid
 where d.classid in ('pg_rewrite'::regclass, 'pg_trigger'::regclass, 'pg_policy'::regclass)
 order by 1, 2
"""


def column_users(cur: psycopg.Cursor[Any], columns: list[Ref]) -> list[list[Blocker]]:
    """For each column (``(pg_class, table, attnum)``), the views, rules, triggers and policies that use it:
    PostgreSQL does not change the type of such a column."""
    out: list[list[Blocker]] = [[] for _ in columns]
    if not columns:
        return out
    cur.execute(_COLUMN_USERS, ([n for n, _ in enumerate(columns)], [c[1] for c in columns],
                                [c[2] for c in columns]))
    for n, description, kind, address, table in cur.fetchall():
        out[n].append(_blocker(description, None, kind, list(address or ()), table))
    return out


# TRUNCATE of a table also empties its partitions and inheritance children: a key from one of them is no obstacle.
_REFERENCING = """
with recursive emptied(rel) as (
  select unnest(%s::oid[])
  union
  select i.inhrelid from emptied e join pg_inherits i on i.inhparent = e.rel
)
select distinct k.conname::text, k.conrelid::regclass::text, c.relname::text
  from pg_constraint k join pg_class c on c.oid = k.conrelid
 where k.contype = 'f' and k.confrelid in (select rel from emptied)
   and k.conrelid not in (select rel from emptied)
 order by 2, 1
"""


def referencing_keys(cur: psycopg.Cursor[Any], tables: list[int]) -> list[Blocker]:
    """The foreign keys of other tables (than ``tables``) that reference one of ``tables``: ``TRUNCATE`` of them
    alone fails."""
    cur.execute(_REFERENCING, (tables,))
    return [Blocker(f"constraint {name} on table {table}", None, "table constraint", name, relname.lower(),
                    frozenset({name.lower(), relname.lower()})) for name, table, relname in cur.fetchall()]


_KEYS = """
select i.indisprimary, i.indisunique, i.indimmediate, i.indpred is null and i.indexprs is null,
       array(select a.attname::text from unnest(i.indkey[:i.indnkeyatts - 1]) k(attnum)
               join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum),
       coalesce(k.conname, c.relname)::text, c.relname::text,
       array(select o.opcfamily::int from unnest(i.indclass::oid[]) with ordinality u(opc, n)
               join pg_opclass o on o.oid = u.opc where u.n <= i.indnkeyatts order by u.n),
       array(select o.opcintype::int from unnest(i.indclass::oid[]) with ordinality u(opc, n)
               join pg_opclass o on o.oid = u.opc where u.n <= i.indnkeyatts order by u.n)
  from pg_index i join pg_class c on c.oid = i.indexrelid
  left join pg_constraint k on k.conindid = i.indexrelid and k.conrelid = i.indrelid and k.contype in ('p', 'u')
 where i.indrelid = %s and (i.indisprimary or i.indisunique)
 order by c.oid
"""


@dataclass(frozen=True)
class Key:
    """A unique index (or primary key) of a table, as a foreign key would use it."""

    primary: bool
    usable: bool
    """Immediate, without a predicate or expressions: a foreign key can reference it."""
    columns: tuple[str, ...]
    name: str
    """The constraint's name, or the index's."""
    families: tuple[int, ...]
    """Each key column's operator family and its opclass's input type (for the equality operator)."""
    input_types: tuple[int, ...]


def unique_keys(cur: psycopg.Cursor[Any], table: int) -> list[Key]:
    """The table's primary key and unique indexes, in the order PostgreSQL looks at them (by index oid)."""
    cur.execute(_KEYS, (table,))
    return [Key(bool(primary), bool(unique and immediate and plain), tuple(columns), name, tuple(families),
                tuple(types))
            for primary, unique, immediate, plain, columns, name, _index, families, types in cur.fetchall()]


def column_type(cur: psycopg.Cursor[Any], table: int, column: str) -> tuple[int, str] | None:
    """A column's type, its domains looked through (``getBaseType``), and as ``format_type`` shows it."""
    cur.execute(
        """
        with recursive base(oid) as (
          select a.atttypid from pg_attribute a
           where a.attrelid = %s and a.attname = %s and a.attnum > 0 and not a.attisdropped
          union all
          select t.typbasetype from base join pg_type t on t.oid = base.oid where t.typtype = 'd'
        )
        select b.oid::int, format_type(b.oid, null) from base b join pg_type t on t.oid = b.oid
         where t.typtype <> 'd'
        """,
        (table, column),
    )
    row = cur.fetchone()
    return (int(row[0]), str(row[1])) if row else None


def comparable(cur: psycopg.Cursor[Any], family: int, key_type: int, column_type: int) -> bool | None:
    """Whether a foreign key column of ``column_type`` can reference a key column indexed with operator family
    ``family`` over ``key_type``, as ``ATAddForeignKeyConstraint`` decides: the family has an equality operator
    for (key type, column type) and for (column type, column type), or the column type casts implicitly to the
    key type. None when the key type is polymorphic (``anyenum``, ``anyarray``...): not decided here."""
    cur.execute(
        """
        select t.typtype = 'p',
               exists (select 1 from pg_amop o where o.amopfamily = %(f)s and o.amopstrategy = 3
                          and o.amoplefttype = %(k)s and o.amoprighttype = %(c)s)
               and exists (select 1 from pg_amop o where o.amopfamily = %(f)s and o.amopstrategy = 3
                              and o.amoplefttype = %(c)s and o.amoprighttype = %(c)s),
               %(c)s = %(k)s or exists (select 1 from pg_cast x where x.castsource = %(c)s and x.casttarget = %(k)s
                                           and x.castcontext = 'i')
          from pg_type t where t.oid = %(k)s
        """,
        {"f": family, "k": key_type, "c": column_type},
    )
    row = cur.fetchone()
    if row is None or row[0]:
        return None
    return bool(row[1] or row[2])


def primary_key(cur: psycopg.Cursor[Any], table: int) -> tuple[str, tuple[str, ...]] | None:
    """The table's primary key constraint: its name and columns."""
    for key in unique_keys(cur, table):
        if key.primary:
            return key.name, key.columns
    return None


def view_columns(cur: psycopg.Cursor[Any], view: int) -> list[str]:
    """A view's column names, in order."""
    cur.execute("select attname::text from pg_attribute where attrelid = %s and attnum > 0 and not attisdropped "
                "order by attnum", (view,))
    return [str(r[0]) for r in cur.fetchall()]


_ASSIGNABLE = """
with recursive
source(oid) as (
  select coalesce((select a.atttypid from pg_attribute a
                    where a.attrelid = %(table)s and a.attname = %(column)s and a.attnum > 0
                      and not a.attisdropped), to_regtype(%(source)s))
  union all
  select t.typbasetype from source s join pg_type t on t.oid = s.oid where t.typtype = 'd'
),
target(oid) as (
  select to_regtype(%(type)s)
  union all
  select t.typbasetype from target s join pg_type t on t.oid = s.oid where t.typtype = 'd'
)
select format_type(s.oid, null), format_type(t.oid, null),
       s.oid = t.oid
       or t.typcategory = 'S'  -- every type converts to a string type by its output function
       or exists (select 1 from pg_cast c where c.castsource = s.oid and c.casttarget = t.oid
                     and c.castcontext in ('a', 'i')),
       st.typtype in ('b', 'e') and t.typtype in ('b', 'e') and st.typcategory <> 'A' and t.typcategory <> 'A'
  from source s join pg_type st on st.oid = s.oid and st.typtype <> 'd',
       target x join pg_type t on t.oid = x.oid and t.typtype <> 'd'
"""


def assignable(cur: psycopg.Cursor[Any], type_text: str, *, table: int = 0, column: str = "",
               source: str | None = None) -> tuple[str, str, bool] | None:
    """Whether an assignment converts a value of the column's type (or of the type ``source``) to the type
    ``type_text`` (both as ``to_regtype`` reads them), as ``ALTER COLUMN ... TYPE`` converts the column without
    ``USING``, and its default: an assignment cast, the same type under domains, or a string type. ``(from, to,
    answer)``; None when not decided here (arrays, composite, range and pseudo types, a type or column that is
    not there)."""
    cur.execute(_ASSIGNABLE, {"table": table, "column": column, "source": source, "type": type_text})
    row = cur.fetchone()
    if row is None or not row[3]:
        return None
    return str(row[0]), str(row[1]), bool(row[2])


def column_default(cur: psycopg.Cursor[Any], table: int, column: str) -> tuple[bool, str | None]:
    """Whether the column has a default or a generation expression, and the default as PostgreSQL prints it
    (None for a generated column)."""
    cur.execute(
        """
        select a.atthasdef, case when a.attgenerated = '' then pg_get_expr(d.adbin, d.adrelid) end
          from pg_attribute a left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
         where a.attrelid = %s and a.attname = %s and a.attnum > 0 and not a.attisdropped
        """,
        (table, column),
    )
    row = cur.fetchone()
    return (bool(row[0]), row[1]) if row else (False, None)


RELKINDS = {"r": ("a table", "TABLE"), "p": ("a partitioned table", "TABLE"), "v": ("a view", "VIEW"),
            "m": ("a materialized view", "MATERIALIZED VIEW"), "S": ("a sequence", "SEQUENCE"),
            "i": ("an index", "INDEX"), "I": ("a partitioned index", "INDEX"), "f": ("a foreign table", "FOREIGN TABLE"),
            "c": ("a composite type", "TYPE")}


def relation_kind(cur: psycopg.Cursor[Any], schema: str | None, name: str) -> tuple[str, str | None] | None:
    """What kind of relation the name is ("a view", "an index"...) and the ``DROP`` that drops it; None when there
    is no relation of that name."""
    cur.execute("select relkind::text from pg_class where oid = to_regclass(%s)", (quoted(schema, name),))
    row = cur.fetchone()
    if row is None:
        return None
    return RELKINDS.get(str(row[0]), ("another kind of relation", None))


def function_result(cur: psycopg.Cursor[Any], function: int, returns: str) -> tuple[str, str, bool] | None:
    """A plain function's return type and whether a new one (``returns``, as ``to_regtype`` reads it, with
    ``SETOF`` as the last character "*") is the same: ``(old, new, same)``; None when not decided here (a
    procedure or aggregate, OUT parameters, a type not known)."""
    setof = returns.endswith("*")
    cur.execute(
        """
        select format_type(p.prorettype, null) || case when p.proretset then ' (set of)' else '' end,
               format_type(t.oid, null) || case when %(setof)s then ' (set of)' else '' end,
               p.prorettype = t.oid and p.proretset = %(setof)s
          from pg_proc p, (select to_regtype(%(type)s) as oid) t
         where p.oid = %(f)s and p.prokind = 'f' and p.proallargtypes is null and t.oid is not null
        """,
        {"f": function, "type": returns.removesuffix("*"), "setof": setof},
    )
    row = cur.fetchone()
    return (str(row[0]), str(row[1]), bool(row[2])) if row else None


def attached_with_default(cur: psycopg.Cursor[Any], table: int, partition: int) -> str | None:
    """The default partition of a partitioned table, when ``partition`` is one of its partitions."""
    cur.execute(
        """
        select k.partdefid::regclass::text from pg_partitioned_table k
         where k.partrelid = %s and k.partdefid <> 0
           and exists (select 1 from pg_inherits i where i.inhparent = k.partrelid and i.inhrelid = %s)
        """,
        (table, partition),
    )
    row = cur.fetchone()
    return str(row[0]) if row else None


def nullable(cur: psycopg.Cursor[Any], table: int, attnum: int) -> bool:
    cur.execute("select not attnotnull from pg_attribute where attrelid = %s and attnum = %s", (table, attnum))
    row = cur.fetchone()
    return bool(row and row[0])


def access_method(cur: psycopg.Cursor[Any], name: str) -> tuple[bool, bool] | None:
    """An index access method's ``(can_unique, can_multi_col)``; None when there is no such method."""
    cur.execute("select pg_indexam_has_property(oid, 'can_unique'), pg_indexam_has_property(oid, 'can_multi_col') "
                "from pg_am where amname = %s and amtype = 'i'", (name,))
    row = cur.fetchone()
    return (bool(row[0]), bool(row[1])) if row else None


def has_default_opclass(cur: psycopg.Cursor[Any], method: str, type_oid: int) -> bool:
    """Whether the access method has a default operator class a column of the type (its domains looked through)
    may use: for the type itself, for a type it is binary-coercible to, or for a polymorphic type that accepts it
    (``anyarray`` an array...; a pseudo-type not known here is taken as usable). False means ``CREATE INDEX``
    fails (42704)."""
    cur.execute(
        """
        select exists (
          select 1 from pg_opclass o join pg_am a on a.oid = o.opcmethod join pg_type t on t.oid = o.opcintype,
                 pg_type c
           where c.oid = %(type)s and a.amname = %(am)s and o.opcdefault
             and (o.opcintype = c.oid
                  or exists (select 1 from pg_cast x where x.castsource = c.oid and x.casttarget = o.opcintype
                                and x.castmethod = 'b' and x.castcontext = 'i')
                  -- polymorphic classes, as IsBinaryCoercible matches them
                  or t.typname in ('any', 'anyelement', 'anycompatible')
                  or t.typname in ('anyarray', 'anycompatiblearray') and c.typcategory = 'A'
                  or t.typname in ('anynonarray', 'anycompatiblenonarray') and c.typcategory <> 'A'
                  or t.typname = 'anyenum' and c.typtype = 'e'
                  or t.typname in ('anyrange', 'anycompatiblerange') and c.typtype = 'r'
                  or t.typname in ('anymultirange', 'anycompatiblemultirange') and c.typtype = 'm'
                  or t.typname = 'record' and c.typtype = 'c'
                  or t.typtype = 'p' and t.typname not in (  -- another pseudo-type: taken as usable
                       'any', 'anyelement', 'anycompatible', 'anyarray', 'anycompatiblearray', 'anynonarray',
                       'anycompatiblenonarray', 'anyenum', 'anyrange', 'anycompatiblerange', 'anymultirange',
                       'anycompatiblemultirange', 'record')))
        """,
        {"am": method, "type": type_oid},
    )
    row = cur.fetchone()
    return bool(row and row[0])


@dataclass(frozen=True)
class PartitionKey:
    """A partitioned table's key, when it is one column of a built-in type ordered by its default operator class
    (and its default collation): bounds given as constants can be compared by that type's ``<`` and ``=``."""

    strategy: str
    """"r" (range) or "l" (list)."""
    type: str
    """``format_type`` of the column's type."""


def partition_key(cur: psycopg.Cursor[Any], table: int) -> PartitionKey | None:
    """The key of a partitioned table, None when bounds cannot be compared here (several columns, an expression,
    a type or operator class or collation of its own, a hash key)."""
    cur.execute(
        """
        select p.partstrat::text, format_type(a.atttypid, a.atttypmod)
          from pg_partitioned_table p
          join pg_attribute a on a.attrelid = p.partrelid and a.attnum = p.partattrs[0]
          join pg_type t on t.oid = a.atttypid
          join pg_opclass o on o.oid = p.partclass[0]
         where p.partrelid = %s and p.partnatts = 1 and p.partstrat in ('r', 'l')
           and t.typnamespace = 'pg_catalog'::regnamespace and t.typtype = 'b' and o.opcdefault
           and p.partcollation[0] in (0, a.attcollation) and a.attcollation in (0, 100)
        """,
        (table,),
    )
    row = cur.fetchone()
    return PartitionKey(str(row[0]), str(row[1])) if row else None


def partition_bounds(cur: psycopg.Cursor[Any], table: int) -> list[tuple[str, str]]:
    """``(partition, FOR VALUES ... as pg_get_expr prints it)`` of each partition of a table."""
    cur.execute(
        """
        select c.oid::regclass::text, pg_get_expr(c.relpartbound, c.oid)
          from pg_inherits i join pg_class c on c.oid = i.inhrelid
         where i.inhparent = %s and c.relispartition
         order by 1
        """,
        (table,),
    )
    return [(str(name), str(bound)) for name, bound in cur.fetchall()]


def attachable(cur: psycopg.Cursor[Any], table: int, partition: int) -> bool:
    """Whether ``partition`` is a plain table, not a partition already, with exactly the parent's columns (names
    and types): what PostgreSQL checks before it looks at the bounds."""
    cur.execute(
        """
        with cols as (
          select attrelid, attname, atttypid, atttypmod from pg_attribute
           where attrelid in (%(t)s, %(p)s) and attnum > 0 and not attisdropped)
        select c.relkind = 'r' and not c.relispartition and not exists (
                 select attname, atttypid, atttypmod from cols where attrelid = %(t)s
                 except select attname, atttypid, atttypmod from cols where attrelid = %(p)s)
               and not exists (
                 select attname, atttypid, atttypmod from cols where attrelid = %(p)s
                 except select attname, atttypid, atttypmod from cols where attrelid = %(t)s)
               and not exists (select 1 from pg_inherits i where i.inhrelid = c.oid)
          from pg_class c where c.oid = %(p)s
        """,
        {"t": table, "p": partition},
    )
    row = cur.fetchone()
    return bool(row and row[0])


def compare(cur: psycopg.Cursor[Any], type_text: str, left: str, op: str, right: str) -> bool | None:
    """``left op right`` (``op``: "<" or "="), both constants cast to the key's built-in type (its input function,
    nothing else, runs); None when a constant is not a value of the type."""
    assert op in ("<", "=")
    query = sql.SQL("select {}::{} {} {}::{}").format(sql.Literal(left), sql.SQL(type_text), sql.SQL(op),
                                                    sql.Literal(right), sql.SQL(type_text))
    try:
        with cur.connection.transaction():
            cur.execute(query)
            row = cur.fetchone()
    except psycopg.errors.DataException:
        return None
    return bool(row[0]) if row and row[0] is not None else None


def enum_labels(cur: psycopg.Cursor[Any], schema: str | None, name: str) -> tuple[int, list[str]] | None:
    """An enum type's oid and labels; None when the name is not an enum type."""
    cur.execute(
        """
        select t.oid::int, array(select e.enumlabel::text from pg_enum e where e.enumtypid = t.oid
                                  order by e.enumsortorder)
          from pg_type t where t.oid = to_regtype(%s) and t.typtype = 'e'
        """,
        (quoted(schema, name),),
    )
    row = cur.fetchone()
    return (int(row[0]), list(row[1])) if row else None


def column_type_oid(cur: psycopg.Cursor[Any], schema: str | None, table: str, column: str | None,
                    position: int | None) -> int | None:
    """The type of a table's column, named or at a position among its columns (from 1, as an ``INSERT`` without
    a column list fills them); None when there is no such table or column."""
    cur.execute(
        """
        select atttypid::int from (
          select a.attname::text as name, a.atttypid, row_number() over (order by a.attnum) as position
            from pg_attribute a join pg_class c on c.oid = a.attrelid
           where c.oid = to_regclass(%(table)s) and c.relkind in ('r', 'p') and a.attnum > 0
             and not a.attisdropped) cols
         where (%(column)s::text is not null and name = %(column)s) or (%(column)s::text is null
                                                                      and position = %(position)s)
        """,
        {"table": quoted(schema, table), "column": column, "position": position},
    )
    row = cur.fetchone()
    return int(row[0]) if row else None
