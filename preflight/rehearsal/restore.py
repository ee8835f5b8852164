"""Restoring the copy into the throwaway database: schema, then the copied rows, then indexes and constraints.

The order is pg_restore's own: the ``pre-data`` section (types, functions, tables), the rows, then the
``post-data`` section (indexes, constraints, foreign keys, triggers), so that constraints are checked once,
on complete rows. pg_restore writes each section as SQL, which runs here a hundred statements per query, and
one statement at a time where such a query fails, so that one object the rehearsal server cannot create (an
extension it lacks, a type from that extension) is a finding that names it, never the end of the rehearsal:

- ``CREATE EXTENSION`` of an extension the server does not have: the extension is skipped, and every object
  that needs it is missing from the copy;
- owners and privileges are restored for the placeholder roles; where a role could not be created, the
  ``OWNER TO`` / ``GRANT`` naming it is skipped (the rehearsal runs as the server's superuser, so ownership only
  matters to migrations that ``SET ROLE``);
- user mappings of foreign servers are left out: they hold credentials, and the copy must not reach the
  servers production reaches (a migration that reads a foreign table fails on the copy);
- a storage or planner option (``ALTER TABLE ... SET (...)``) the rehearsal server does not know is left out;
- ``SET`` of a setting the rehearsal server does not know (pg_dump's preamble, written for its own version) is
  ignored;
- anything else that fails leaves the copy incomplete: the report lists the failing statements and the live
  relations missing from the copy, and a migration that then fails on a missing object is inconclusive.

Materialized views are refreshed from the copied rows (pg_dump's schema has them unpopulated), and every
sequence is set to its live value, so ``nextval`` on the copy continues where production is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import psycopg

    from preflight.rehearsal.dump import LiveCopy

_OWNERSHIP_NODES = {"AlterOwnerStmt", "GrantStmt", "GrantRoleStmt", "CreatePolicyStmt", "AlterPolicyStmt",
                    "AlterDefaultPrivilegesStmt"}


_OPTION_COMMANDS = {"AT_SetOptions", "AT_ResetOptions", "AT_SetRelOptions", "AT_ResetRelOptions"}
"""Storage and planner options (``ALTER COLUMN ... SET (n_distinct = ...)``): one the rehearsal server does not
know is left out, and the object is there without it."""


@dataclass
class RestoreProblem:
    kind: str
    """"extension", "role", "option", "object" or "data"."""
    statement: str
    """The statement (shortened to one line)."""
    sqlstate: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "statement": self.statement, "sqlstate": self.sqlstate, "message": self.message}


@dataclass
class Restored:
    """What the copy holds, and what it could not."""

    problems: list[RestoreProblem] = field(default_factory=list)
    missing_relations: list[str] = field(default_factory=list)
    """Live relations the copy lacks (schema.name)."""
    missing_extensions: list[str] = field(default_factory=list)
    extension_versions: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Extensions whose version on the copy differs: name -> (live, copy)."""
    copied: dict[tuple[str, str], int] = field(default_factory=dict)
    """Tables whose rows were copied, with their row count."""
    statements: int = 0
    user_mappings: int = 0
    """``CREATE USER MAPPING`` statements left out: they hold the credentials of foreign servers."""

    @property
    def incomplete(self) -> bool:
        return bool(self.missing_relations or self.missing_extensions
                    or any(p.kind in ("object", "data") for p in self.problems))


def one_line(text: str, limit: int = 120) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def split_script(script: str) -> list[str]:
    """The statements of pg_restore's SQL, with PostgreSQL's own parser (``BEGIN ATOMIC`` bodies hold
    semicolons), or its scanner for syntax newer than the parser preflight carries."""
    from pglast.parser import split

    try:
        slices = split(script, with_parser=True, only_slices=True)
    except Exception:  # noqa: BLE001 - newer syntax than pglast's parser: its scanner still splits
        slices = split(script, with_parser=False, only_slices=True)
    return [script[s] for s in slices]


def run_script(conn: psycopg.Connection[Any], script: str, restored: Restored, chunk: int = 100) -> None:
    """Run pg_restore's SQL: ``chunk`` statements per query (one round trip, one implicit transaction); a chunk
    that fails is rolled back whole and run again one statement at a time, so that only the failing statements
    are left out, each with its error."""
    import psycopg

    statements = []
    for statement in split_script(script):
        if statement.lstrip()[:19].upper() == "CREATE USER MAPPING":
            # Never copied: the credentials stay on the live server, and the copy cannot reach foreign servers.
            restored.user_mappings += 1
            continue
        statements.append(statement)
    restored.statements += len(statements)
    for start in range(0, len(statements), chunk):
        part = statements[start:start + chunk]
        try:
            conn.execute("\n;\n".join(part).encode("utf-8"), prepare=False)
            continue
        except psycopg.Error:
            pass
        for statement in part:
            try:
                conn.execute(statement.encode("utf-8"), prepare=False)
            except psycopg.Error as e:
                kind = _classify(statement, e)
                if kind is not None:
                    restored.problems.append(RestoreProblem(kind, one_line(statement), e.sqlstate or "",
                                                            one_line(e.diag.message_primary or str(e), 200)))


def _classify(statement: str, e: psycopg.Error) -> str | None:
    """What a failing statement of the restore means; None for one that does not matter."""
    head = statement.lstrip().split(None, 2)
    first = head[0].upper() if head else ""
    if first in ("SET", "RESET") or (first == "SELECT" and "set_config(" in statement[:80]):
        return None
    if first == "CREATE" and len(head) > 1 and head[1].upper() == "EXTENSION":
        return "extension"
    if first == "COMMENT" and " EXTENSION " in statement[:60].upper():
        return None  # follows from the missing extension
    kind, node = _node(statement)
    commands = {c.get("AlterTableCmd", {}).get("subtype") for c in node.get("cmds", [])}
    ownership = kind in _OWNERSHIP_NODES or (kind == "AlterTableStmt" and commands == {"AT_ChangeOwner"})
    if e.sqlstate in ("42704", "42501") and ownership:
        return "role"  # a role that does not exist there, or that this server's user may not act as
    if e.sqlstate == "22023" and kind == "AlterTableStmt" and all(
            c.get("AlterTableCmd", {}).get("subtype") in _OPTION_COMMANDS for c in node.get("cmds", [])):
        return "option"
    return "object"


def _node(statement: str) -> tuple[str, dict[str, Any]]:
    from preflight.sql.schema_changes import SqlParseError, parse

    try:
        parsed = parse(statement)
    except SqlParseError:
        return "", {}
    return (parsed[0].kind, parsed[0].node) if parsed else ("", {})


def load_rows(conn: psycopg.Connection[Any], live: LiveCopy, restored: Restored) -> None:
    """The copied rows, with ``COPY ... FROM STDIN``; a table that the copy lacks keeps none."""
    import psycopg
    from psycopg import sql

    for table in live.tables:
        cols = sql.SQL(", ").join(sql.Identifier(c) for c in table.columns)
        query = sql.SQL("copy {} ({}) from stdin").format(sql.Identifier(*table.qualified), cols)
        try:
            with conn.cursor() as cur, cur.copy(query) as copy:
                copy.write(table.data)
        except psycopg.Error as e:
            restored.problems.append(RestoreProblem(
                "data", f"rows of {table.schema}.{table.name}", e.sqlstate or "",
                one_line(e.diag.message_primary or str(e), 200)))
            continue
        restored.copied[table.qualified] = table.rows


def set_sequences(conn: psycopg.Connection[Any], live: LiveCopy) -> None:
    if not live.sequences:
        return
    names = [q for q, _ in live.sequences]
    values = [v for _, v in live.sequences]
    conn.execute("select setval(to_regclass(q), v, true) from unnest(%s::text[], %s::int8[]) s(q, v) "
                 "where to_regclass(q) is not null", (names, values))


def refresh_materialized_views(conn: psycopg.Connection[Any], restored: Restored) -> None:
    """Populate the materialized views; one built on another waits for it (a few passes at most)."""
    import psycopg

    pending = [r[0] for r in conn.execute(
        "select format('%I.%I', n.nspname, c.relname) from pg_class c join pg_namespace n "
        "on n.oid = c.relnamespace where c.relkind = 'm' and not c.relispopulated order by 1").fetchall()]
    errors: dict[str, psycopg.Error] = {}
    while pending:
        left = []
        for name in pending:
            try:
                conn.execute(f"refresh materialized view {name}".encode(), prepare=False)
            except psycopg.Error as e:
                errors[name] = e
                left.append(name)
        if len(left) == len(pending):
            break
        pending = left
    for name in pending:
        error = errors[name]
        restored.problems.append(RestoreProblem("object", f"REFRESH MATERIALIZED VIEW {name}", error.sqlstate or "",
                                                one_line(error.diag.message_primary or str(error), 200)))


def compare(conn: psycopg.Connection[Any], live: LiveCopy, restored: Restored) -> None:
    """What the copy lacks: relations, extensions, extension versions."""
    rows = conn.execute("select n.nspname, c.relname, c.relkind::text from pg_class c join pg_namespace n "
                        "on n.oid = c.relnamespace where n.nspname not in ('pg_catalog', 'information_schema')"
                        ).fetchall()
    have = {(s, n, k) for s, n, k in rows}
    restored.missing_relations = sorted(f"{s}.{n}" for s, n, k in live.relations - have)
    installed = dict(conn.execute("select extname, extversion from pg_extension").fetchall())
    for name, version in sorted(live.extensions.items()):
        if name not in installed:
            restored.missing_extensions.append(name)
        elif installed[name] != version:
            restored.extension_versions[name] = (version, installed[name])
