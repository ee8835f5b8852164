"""The untrusted-SQL gate: SQL that a user or a migration wrote runs only when it cannot write or lock anything.

A ``db.sql`` query and a migration's guard are written by someone else, and preflight is often connected as a
superuser. A ``READ ONLY`` transaction alone does not hold then: ``dblink_exec`` writes through a second
connection, ``pg_advisory_lock`` takes a session lock, ``COPY ... TO`` in a function writes a server file,
``LOCK`` takes table locks, and ``set_config('role', ...)`` undoes any role switch. So user-written SQL passes
four layers, each of which would stop these on its own as far as it reaches:

1. **What the SQL says** (:mod:`preflight.sql.calls`, PostgreSQL's own parsers, nothing run): only ``SELECT``
   (and ``SHOW``, ``EXPLAIN`` without ``ANALYZE``): no ``SELECT ... INTO``, no row locks, no data-modifying
   ``WITH``; in a guard, no other statement and no ``EXECUTE`` of a computed string.
2. **What it calls, resolved in the catalogs** (preflight's own read-only queries, before the SQL runs): every
   function it names, every operator (their ``pg_operator`` functions), every type it casts to (the cast and
   input functions, domain constraints), every view it reads (its definition, read the same way) and the
   virtual generated columns of every table it reads (PostgreSQL 18 computes them on read), aggregate support
   functions, argument defaults, and the bodies of SQL and PL/pgSQL functions, recursively; and every function written in
   SQL or a procedural language that the server may call without being named (implicit and assignment casts,
   operator-class support functions, range types' functions, types' input/output functions).
   Functions are judged by :mod:`preflight.db.function_policy`; foreign tables are refused (a foreign-data wrapper
   reads through a connection, or runs a program, outside the transaction).
3. **A confined session**: a ``READ ONLY`` transaction that has already run a query (it cannot be made
   read-write any more), ``SET LOCAL ROLE`` to a role with no power to write (``pg_read_all_data`` on
   PostgreSQL 14 and later, or ``[targets.database] untrusted_role``), ``row_security = off`` (a query that row
   security would filter fails instead of answering from fewer rows), the search path the user had (fixed, as
   ``$user`` changes with the role), statement and lock timeouts; and it is rolled back. Nothing is created on
   the server for this: the role must exist.
4. **A tripwire after it ran**: the session's locks are read from ``pg_locks``; any lock other than ACCESS
   SHARE on a relation, any advisory lock or transaction id, or a changed role, and the session is closed
   (which releases everything) and the check ends ``error``.

Layer 2 is what holds when the role switch cannot (the role could undo it only through a call layer 2
refuses); layer 3 is what holds where layer 2 cannot see (a C function it allows misbehaving, privileges).
Connected as a superuser with no role to switch to (PostgreSQL 13 and older without ``untrusted_role``), user
SQL is refused altogether. Connected as a role that is not a superuser and cannot ``SET ROLE`` to
``pg_read_all_data``, it runs as that role: layers 1, 2 and 4, the read-only transaction, and that role's own
privileges hold.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import psycopg
from psycopg import sql

from preflight.db import function_policy as policy
from preflight.db.target import describe_db_error
from preflight.errors import ReaderError
from preflight.sql.calls import Calls, Name, function_body_calls, sql_calls

if TYPE_CHECKING:
    from preflight.db.target import Database

DEFAULT_ROLE = "pg_read_all_data"
MAX_OBJECTS = 2000
"""Functions, views and types resolved for one statement at most; more is refused as too much to verify."""


class Refused(ReaderError):
    """User-written SQL that preflight will not run (or that did what it must not): the check ends ``error``."""

    def __init__(self, reason: str):
        super().__init__(f"refused: {reason}")
        self.reason = reason


@dataclass(frozen=True)
class RunsAs:
    """Who user-written SQL runs as."""

    user: str
    """The role preflight connected as."""
    role: str | None
    """The role switched to (``SET LOCAL ROLE``), or None: it runs as ``user``."""
    grants: frozenset[str]
    """Predefined roles whose privileges ``role`` has, among those that widen what statistics views show."""

    def describe(self) -> str:
        if self.role:
            return f"as role {self.role} (SET LOCAL ROLE from {self.user})"
        return f"as {self.user}, which is not a superuser and cannot SET ROLE to {DEFAULT_ROLE}"


_SESSION = """
select current_schemas(true)::text[], current_user::text, me.rolsuper, current_setting('server_version_num')::int,
       t.rolname::text, t.rolsuper,
       case when t.oid is null then false
            when current_setting('server_version_num')::int >= 160000 then pg_has_role(current_user, t.oid, 'SET')
            else pg_has_role(current_user, t.oid, 'MEMBER') end,
       case when t.oid is null then '{}'::text[]
            else array(select b.rolname::text from pg_roles b
                        where b.rolname in ('pg_read_all_stats', 'pg_read_all_settings')
                          and pg_has_role(t.oid, b.oid, 'USAGE')) end,
       current_setting('transaction_read_only')
  from pg_roles me left join pg_roles t on t.rolname = %(role)s
 where me.rolname = current_user
"""


def _runs_as(row: tuple[Any, ...], configured: str | None) -> RunsAs:
    _, user, superuser, version, role, role_super, can_set, grants, _ = row
    if configured:
        if role is None:
            raise Refused(f"untrusted_role {configured!r} does not exist on the server ([targets.database])")
        if role_super:
            raise Refused(f"untrusted_role {configured!r} is a superuser, so it would confine nothing")
        if not can_set:
            raise Refused(f"role {user} cannot SET ROLE to untrusted_role {configured!r} (GRANT {configured} TO "
                          f"{user})")
        return RunsAs(user, role, frozenset(grants))
    if role is not None and can_set:
        return RunsAs(user, role, frozenset(grants))
    if superuser:
        why = (f"PostgreSQL {version // 10000} has no {DEFAULT_ROLE} role" if role is None
               else f"it cannot SET ROLE to {DEFAULT_ROLE}")
        raise Refused(f"preflight is connected as superuser {user}, and {why} to run user-written SQL as: set "
                      "[targets.database] untrusted_role to an existing role with read privileges only")
    return RunsAs(user, None, frozenset())


@contextmanager
def untrusted(cur: psycopg.Cursor[Any], db: Database, calls: Calls, subject: str) -> Iterator[RunsAs]:
    """Vet ``calls`` (what the user's SQL names), then confine the session for it: run the user's SQL on ``cur``
    inside the block. The transaction must be fresh or have run only preflight's own queries; the caller rolls
    it back. Raises :class:`Refused`, before anything user-written runs, or after when the tripwire trips."""
    if calls.refusals:
        raise Refused(f"{subject} {calls.refusals[0]}")
    conn = cur.connection
    cur.execute(_SESSION, {"role": db.target.untrusted_role or DEFAULT_ROLE})
    row = cur.fetchone()
    assert row is not None
    if row[-1] != "on":  # every preflight session is read-only; this one must be, whoever lent it
        raise Refused(f"{subject} would run in a transaction that is not read-only")
    runs_as = _runs_as(row, db.target.untrusted_role)
    search_path: list[str] = row[0]
    _Vetting(cur, search_path, runs_as).run(calls, subject)
    cur.execute(sql.SQL("set local search_path = {}").format(sql.SQL(", ").join(map(sql.Identifier, search_path))))
    cur.execute("set local row_security = off")
    if runs_as.role:
        cur.execute(sql.SQL("set local role {}").format(sql.Identifier(runs_as.role)))
    try:
        yield runs_as
    except psycopg.errors.InsufficientPrivilege as e:
        _after_failure(conn)
        if runs_as.role:
            raise Refused(f"{subject} needs a privilege that role {runs_as.role}, as which user-written SQL runs, "
                          f"does not have: {describe_db_error(e)}") from None
        raise
    except psycopg.Error:
        _after_failure(conn)
        raise
    _tripwire(cur, runs_as, subject)


_LOCKS = """
select current_user::text,
       array(select l.locktype || ' ' || l.mode
                    || coalesce(' on ' || l.relation::regclass::text, '')
                    || coalesce(' (' || l.classid || ', ' || l.objid || ')', '')
               from pg_locks l
              where l.pid = pg_backend_pid() and l.locktype <> 'virtualxid'
                and not (l.locktype = 'relation' and l.mode = 'AccessShareLock')
              order by 1)
"""


def _tripwire(cur: psycopg.Cursor[Any], runs_as: RunsAs, subject: str) -> None:
    cur.execute(_LOCKS)
    row = cur.fetchone()
    assert row is not None
    current, locks = row
    problem = None
    if current != (runs_as.role or runs_as.user):
        problem = f"changed the session's role to {current}"
    elif locks:
        problem = f"took {', '.join(locks[:3])}{' and more' if len(locks) > 3 else ''}"
    if problem:
        _discard(cur.connection)
        raise Refused(f"{subject} {problem}, which preflight never does; the session was closed, releasing it")


def _after_failure(conn: psycopg.Connection[Any]) -> None:
    """After user SQL failed: roll back, and close the session if it still holds an advisory (session) lock."""
    try:
        conn.rollback()
        with conn.cursor() as cur:
            cur.execute("select count(*) from pg_locks where pid = pg_backend_pid() and locktype = 'advisory'")
            row = cur.fetchone()
        conn.rollback()
        if row and row[0]:
            _discard(conn)
    except psycopg.Error:
        _discard(conn)


def _discard(conn: psycopg.Connection[Any]) -> None:
    """Release what user SQL took, now (rollback, then session advisory locks), and close the session: whatever
    else it changed ends with it. A server ends a closed session's backend asynchronously; the releases before
    it are synchronous."""
    try:
        conn.rollback()
        conn.execute("select pg_advisory_unlock_all()")
        conn.rollback()
    except psycopg.Error:
        pass
    try:
        conn.close()
    except Exception:  # noqa: BLE001 - closing is the release; a failure to close leaves nothing to do
        pass


# -- layer 2: what the SQL calls, resolved in the catalogs ------------------------------------------------------


_FUNCTIONS = """
select p.oid,
       case when p.pronamespace = 'pg_catalog'::regnamespace then '' else p.pronamespace::regnamespace || '.' end
         || p.proname || substring(p.oid::regprocedure::text from '[(].*[)]$'),
       p.prokind, l.lanname, l.lanpltrusted, p.prosrc, e.extname,
       -- stable: the server's own function of that C symbol is not volatile (a copy under another name may say so)
       case when p.oid < 16384 then p.provolatile <> 'v'
            else coalesce((select bool_and(b.provolatile <> 'v') from pg_proc b
                            where b.oid < 16384 and b.prolang = p.prolang and b.prosrc = p.prosrc), false) end,
       case when l.lanname in ('sql', 'plpgsql') and p.prokind in ('f', 'p') then pg_get_functiondef(p.oid) end,
       array_remove(array[a.aggtransfn, a.aggfinalfn, a.aggcombinefn, a.aggserialfn, a.aggdeserialfn,
                          a.aggmtransfn, a.aggminvtransfn, a.aggmfinalfn]::oid[], 0::oid),
       p.proconfig, pg_get_expr(p.proargdefaults, 0)
  from pg_proc p
  join pg_language l on l.oid = p.prolang
  left join pg_depend d on d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e'
  left join pg_extension e on e.oid = d.refobjid
  left join pg_aggregate a on a.aggfnoid = p.oid
 where p.oid = any(%(oids)s)
 order by p.oid
"""

_NAMED = """
select p.oid from pg_proc p join pg_namespace n on n.oid = p.pronamespace
 where (n.nspname, p.proname) in (select * from unnest(%(schemas)s::text[], %(names)s::text[]))
union
select p.oid from pg_proc p join pg_namespace n on n.oid = p.pronamespace
 where n.nspname = any(%(path)s) and p.proname = any(%(attributes)s) and p.pronargs = 1
   and exists (select 1 from pg_type t where t.oid = p.proargtypes[0] and t.typtype in ('c', 'p'))
union
select f from pg_operator o join pg_namespace n on n.oid = o.oprnamespace,
       unnest(array[o.oprcode::oid, o.oprrest::oid, o.oprjoin::oid]) f
 where (n.nspname, o.oprname) in (select * from unnest(%(op_schemas)s::text[], %(op_names)s::text[])) and f <> 0
"""

_TYPES = """
with recursive named as (
  select t.oid from pg_type t join pg_namespace n on n.oid = t.typnamespace
   where (n.nspname, t.typname) in (select * from unnest(%(schemas)s::text[], %(names)s::text[]))
), chain(oid) as (
  select oid from named
  union
  select t.typbasetype from pg_type t join chain on t.oid = chain.oid where t.typbasetype <> 0
)
select t.typinput::oid, null::text from chain join pg_type t on t.oid = chain.oid
union all
select c.castfunc::oid, null from pg_cast c where c.casttarget in (select oid from chain) and c.castfunc <> 0
union all
select null, pg_get_expr(k.conbin, 0) from pg_constraint k
 where k.contypid in (select oid from chain) and k.contype = 'c'
"""

_IMPLICIT = """
select f from (
  select castfunc::oid from pg_cast where castcontext in ('i', 'a')
  union select amproc::oid from pg_amproc
  union select o.oprcode::oid from pg_amop a join pg_operator o on o.oid = a.amopopr
  union select rngcanonical::oid from pg_range union select rngsubdiff::oid from pg_range
  union select unnest(array[typinput, typoutput, typreceive, typsend, typmodin, typmodout, typanalyze]::oid[])
    from pg_type where oid >= 16384
) implicit(f)
join pg_proc p on p.oid = f
join pg_language l on l.oid = p.prolang
where f >= 16384 and l.lanname not in ('internal', 'c')
"""

_RELATIONS = """
with recursive named as (
  select c.oid, c.relkind from pg_class c join pg_namespace n on n.oid = c.relnamespace
   where (n.nspname, c.relname) in (select * from unnest(%(schemas)s::text[], %(names)s::text[]))
), tree(top, oid) as (
  select oid, oid from named
  union
  select tree.top, i.inhrelid from pg_inherits i join tree on i.inhparent = tree.oid
)
select n.oid, (select case when c.relnamespace = 'pg_catalog'::regnamespace then ''
                          else c.relnamespace::regnamespace::text || '.' end || quote_ident(c.relname)
                  from pg_class c where c.oid = n.oid), n.relkind, case when n.relkind = 'v' then pg_get_viewdef(n.oid) end,
       array(select c.relnamespace::regnamespace::text || '.' || quote_ident(c.relname)
               from tree t join pg_class c on c.oid = t.oid
              where t.top = n.oid and c.relkind = 'f' order by 1),
       array(select pg_get_expr(d.adbin, d.adrelid)  -- virtual generated columns (PostgreSQL 18): computed on read
               from tree t join pg_attribute a on a.attrelid = t.oid
               join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
              where t.top = n.oid and a.attgenerated = 'v' and not a.attisdropped order by a.attrelid, a.attnum)
  from named n
 order by n.oid
"""


@dataclass
class _Item:
    calls: Calls
    path: list[str]
    chain: str
    """How the statement reaches this: "the query calls public.f(), which"."""


class _Vetting:
    """The closure of what one statement calls, resolved breadth first; the first refusal is raised."""

    def __init__(self, cur: psycopg.Cursor[Any], search_path: list[str], runs_as: RunsAs):
        self.cur = cur
        self.search_path = search_path
        self.runs_as = runs_as
        self.seen_functions: set[int] = set()
        self.seen_relations: set[int] = set()
        self.seen_types: set[Name] = set()
        self.count = 0

    def run(self, calls: Calls, subject: str) -> None:
        queue: deque[_Item] = deque([_Item(calls, self.search_path, subject)])
        self.cur.execute(_IMPLICIT)
        implicit = [r[0] for r in self.cur.fetchall()]
        if implicit:
            self._functions(implicit, self.search_path, subject, queue, verb="may make the server call",
                            note=" (a cast, an operator class's or a type's own function, called without being "
                                 "named)")
        while queue:
            item = queue.popleft()
            if item.calls.refusals:
                raise Refused(f"{item.chain} {item.calls.refusals[0]}")
            self.count += 1
            if self.count > MAX_OBJECTS:
                raise Refused(f"{subject} reaches more than {MAX_OBJECTS} functions, views and types: too many to "
                              "verify")
            self._relations(item, queue)
            self._types(item, queue)
            self._functions(self._named(item), item.path, item.chain, queue)

    def _pairs(self, names: set[Name], path: list[str]) -> tuple[list[str], list[str]]:
        schemas, plain = [], []
        for schema, name in sorted(names, key=lambda n: (n[0] or "", n[1])):
            for s in [schema] if schema else path:
                schemas.append(s)
                plain.append(name)
        return schemas, plain

    def _named(self, item: _Item) -> list[int]:
        schemas, names = self._pairs(item.calls.functions, item.path)
        op_schemas, op_names = self._pairs(item.calls.operators, item.path)
        if not names and not op_names and not item.calls.attribute_functions:
            return []
        self.cur.execute(_NAMED, {"schemas": schemas, "names": names, "path": item.path,
                                  "attributes": sorted(item.calls.attribute_functions),
                                  "op_schemas": op_schemas, "op_names": op_names})
        return [r[0] for r in self.cur.fetchall()]

    def _types(self, item: _Item, queue: deque[_Item]) -> None:
        new = item.calls.types - self.seen_types
        if not new:
            return
        self.seen_types |= new
        schemas, names = self._pairs(new, item.path)
        self.cur.execute(_TYPES, {"schemas": schemas, "names": names})
        functions, checks = [], []
        for oid, check in self.cur.fetchall():
            if oid is not None:
                functions.append(oid)
            elif check:
                checks.append(check)
        for check in checks:
            queue.append(_Item(sql_calls(check, expression=True), item.path,
                               f"{item.chain} casts to a domain whose constraint"))
        self._functions(functions, item.path, f"{item.chain} casts to a type whose cast or input function", queue)

    def _relations(self, item: _Item, queue: deque[_Item]) -> None:
        if not item.calls.relations:
            return
        schemas, names = self._pairs(item.calls.relations, item.path)
        self.cur.execute(_RELATIONS, {"schemas": schemas, "names": names})
        for oid, label, relkind, view, foreign, generated in self.cur.fetchall():
            if oid in self.seen_relations:
                continue
            self.seen_relations.add(oid)
            if relkind == "f" or foreign:
                what = f"foreign table {label}" if relkind == "f" else f"{label}, which has foreign table {foreign[0]}"
                raise Refused(f"{item.chain} reads {what}: a foreign-data wrapper reads it through a connection "
                              "(or a program) outside preflight's read-only transaction")
            if view:
                queue.append(_Item(sql_calls(view), item.path, f"{item.chain} reads view {label}, which"))
            if generated:
                queue.append(_Item(sql_calls(", ".join(generated), expression=True), item.path,
                                   f"{item.chain} reads {label}, whose generated column"))

    def _functions(self, oids: list[int], path: list[str], chain: str, queue: deque[_Item], verb: str = "calls",
                   note: str = "") -> None:
        new = sorted(set(oids) - self.seen_functions)
        if not new:
            return
        self.seen_functions.update(new)
        self.cur.execute(_FUNCTIONS, {"oids": new})
        more: list[int] = []
        for (oid, label, kind, language, trusted, symbol, extension, stable_builtin, definition, support,
             config, defaults) in self.cur.fetchall():
            if defaults:  # a call that leaves an argument out evaluates its default
                queue.append(_Item(sql_calls(defaults, expression=True), path,
                                   f"{chain} {verb} {label}{note}, whose argument default"))
            if kind == "a":  # an aggregate: what runs is its support functions
                more.extend(support)
                continue
            reason = self._judge(oid, language, trusted, symbol, extension, stable_builtin)
            if reason:
                raise Refused(f"{chain} {verb} {label}{note}, which {reason}")
            if language in ("sql", "plpgsql"):
                body_path = _config_path(config) + [s for s in path if s not in _config_path(config)]
                queue.append(_Item(function_body_calls(definition or "", language), body_path,
                                   f"{chain} {verb} {label}{note}, which"))
        if more:
            self._functions(more, path, chain, queue, verb, note)

    def _judge(self, oid: int, language: str, trusted: bool, symbol: str, extension: str | None,
               stable_builtin: bool) -> str | None:
        if language in ("sql", "plpgsql"):
            return None
        if language == "internal":
            reason = policy.refused_symbol(symbol, "internal")
            if reason:
                return reason
            if not stable_builtin and symbol not in policy.HARMLESS_VOLATILE:
                return (f"is a volatile built-in function (C symbol {symbol}) that preflight does not know to be "
                        "free of side effects")
            return self._privileged(symbol)
        if language == "c":
            if oid < policy.FIRST_NORMAL_OBJECT_ID:
                return None
            if extension in policy.REFUSED_EXTENSIONS:
                return f"comes from extension {extension}: it {policy.REFUSED_EXTENSIONS[extension]}"
            if extension in policy.READ_ONLY_C_EXTENSIONS:
                return policy.refused_symbol(symbol, "c") or self._privileged(symbol)
            origin = f"of extension {extension}" if extension else "not from any extension"
            return f"is a C function {origin}, whose effects preflight cannot inspect"
        if not trusted:
            return (f"is written in {language}, an untrusted language that can do anything the server's "
                    "operating-system user can")
        return f"is written in {language}, whose body preflight cannot inspect"

    def _privileged(self, symbol: str) -> str | None:
        needed = policy.privileged_read(symbol)
        if needed is None or not self.runs_as.role or needed in self.runs_as.grants:
            return None
        what = "other sessions' queries and states" if needed == "pg_read_all_stats" else "some settings"
        return (f"shows {what} only to roles with {needed}; user-written SQL runs as role {self.runs_as.role}, "
                f"which has not, so the answer could be silently incomplete (set [targets.database] "
                f"untrusted_role to a role with {needed} and pg_read_all_data)")


def _config_path(config: list[str] | None) -> list[str]:
    """The schemas of a function's own ``SET search_path`` clause."""
    for item in config or ():
        name, _, value = item.partition("=")
        if name == "search_path":
            return [s.strip().strip('"') for s in value.split(",") if s.strip() and s.strip() != '"$user"']
    return []


__all__ = ["DEFAULT_ROLE", "Refused", "RunsAs", "untrusted"]
