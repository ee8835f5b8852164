"""Other sessions of the database, from ``pg_stat_activity`` and ``pg_locks``, read in one query.

What leaves the server about another session is bounded: its pid, role, application name, state, ages, what it
waits on, which tables it holds or waits for locks on, and the first characters of its query. The query text is
cut on the server, and what preflight shows of it has every literal, bind parameter and comment replaced by
``?`` (found with PostgreSQL's own scanner), so values such as passwords in ``ALTER ROLE ... PASSWORD '...'``
never reach a report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pglast import parser
from psycopg import Cursor

QUERY_HEAD = 200
"""Characters of another session's query read from the server, before redaction and the shown prefix."""

_SESSIONS = """
select a.pid,
       a.usename::text,
       a.application_name,
       a.state,
       a.query = '<insufficient privilege>' as hidden,
       extract(epoch from clock_timestamp() - a.xact_start)::float8 as transaction_age,
       case when a.state like 'idle in transaction%%'
            then extract(epoch from clock_timestamp() - a.state_change)::float8 end as idle_age,
       a.wait_event_type,
       a.wait_event,
       case when a.wait_event_type = 'Lock' then
            extract(epoch from clock_timestamp() - coalesce(
                -- pg_locks.waitstart exists from PostgreSQL 14; read through to_jsonb so older servers work too
                (select min((to_jsonb(l) ->> 'waitstart')::timestamptz) from pg_locks l
                  where l.pid = a.pid and not l.granted),
                a.query_start))::float8 end as lock_wait,
       case when a.wait_event_type = 'Lock' then pg_blocking_pids(a.pid) end as blocked_by,
       (select coalesce(json_agg(distinct jsonb_build_array(n.nspname, c.relname, l.granted)), '[]')
          from pg_locks l
          join pg_class c on c.oid = l.relation
          join pg_namespace n on n.oid = c.relnamespace
         where l.pid = a.pid and l.locktype = 'relation' and l.database = a.datid
           and c.relkind in ('r', 'p', 'm', 'v', 'f')) as relations,
       left(a.query, %s) as query_head
  from pg_stat_activity a
 where a.datid = (select oid from pg_database where datname = current_database())
   and a.pid <> pg_backend_pid()
   and (a.backend_type = 'client backend' or a.query = '<insufficient privilege>')
   and not (a.application_name = 'preflight' and a.usename = current_user)
 order by a.pid
"""


@dataclass
class Session:
    pid: int
    user: str | None
    application: str | None
    state: str | None
    hidden: bool
    """The reading role may not see this session's details (it lacks pg_read_all_stats)."""
    transaction_age: float | None
    idle_age: float | None
    wait_event_type: str | None
    wait_event: str | None
    lock_wait: float | None
    blocked_by: list[int]
    holds: list[str] = field(default_factory=list)
    """Tables it holds a lock on, ``schema.table``, sorted."""
    waits_for: list[str] = field(default_factory=list)
    """Tables it is waiting to lock, ``schema.table``, sorted."""
    query_head: str = ""

    @property
    def tables(self) -> list[str]:
        return sorted(set(self.holds) | set(self.waits_for))


def read_sessions(cur: Cursor[Any]) -> list[Session]:
    """Every other session of the current database that could hold or wait for locks, by pid."""
    cur.execute(_SESSIONS, (QUERY_HEAD,))
    out = []
    for (pid, user, app, state, hidden, xact_age, idle_age, wtype, wevent, lock_wait, blocked_by, relations,
         query_head) in cur.fetchall():
        holds = sorted({f"{s}.{r}" for s, r, granted in relations if granted})
        waits = sorted({f"{s}.{r}" for s, r, granted in relations if not granted})
        out.append(Session(int(pid), user, app or None, state, bool(hidden), xact_age, idle_age, wtype, wevent,
                           lock_wait, sorted(blocked_by or []), holds, waits,
                           "" if hidden else (query_head or "")))
    return out


_CONSTANTS = {"SCONST", "USCONST", "BCONST", "XCONST", "ICONST", "FCONST", "PARAM"}
_COMMENTS = {"SQL_COMMENT", "C_COMMENT"}


def query_prefix(text: str, limit: int) -> str:
    """The first ``limit`` characters of a query with every literal, parameter and comment shown as ``?``.

    A query cut inside a literal (the server's text is truncated) ends with ``?`` where the literal starts; text
    the scanner cannot read at all is not shown."""
    if not text or limit <= 0:
        return ""
    shown, complete = _redact(text)
    if shown is None:
        return ""
    flat = " ".join(shown.split())
    if len(flat) > limit:
        return flat[:limit].rstrip() + "…"
    return flat if complete and len(text) < QUERY_HEAD else flat + "…"


def _redact(text: str) -> tuple[str | None, bool]:
    """(redacted text, whether all of ``text`` was scanned)."""
    complete = True
    try:
        tokens = parser.scan(text)
    except parser.ParseError:
        # Cut before anything that could open a literal, identifier or comment, and scan what is left.
        complete = False
        cut = min((i for i in (text.find(c) for c in "'$\"/-") if i >= 0), default=len(text))
        text = text[:cut]
        try:
            tokens = parser.scan(text)
        except parser.ParseError:
            return None, False
    # pglast's scanner reports character offsets, end included.
    parts: list[str] = []
    pos = 0
    for t in tokens:
        if t.name in _CONSTANTS or t.name in _COMMENTS:
            parts.append(text[pos:t.start])
            parts.append("?" if t.name in _CONSTANTS else " ")
            pos = t.end + 1
    parts.append(text[pos:])
    if not complete:
        parts.append(" ?")
    return "".join(parts), complete
