"""Reading the tracking table: ONE query, in a read-only session.

The table is named the way the runner names it (unqualified, so the session's ``search_path`` finds it as the
runner's own session would, or ``schema.table`` when ``schema`` is set). A missing table is a fresh install;
a missing column, or a column of another type than the runner writes, means the table is not the runner's:
an error naming table and column, never a guess.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from preflight.errors import ReaderError

if TYPE_CHECKING:
    from preflight.db.target import Database
    from preflight.migrations.runners.base import Row, Runner

# Type families by OID of the built-in types the runners write.
_FAMILIES: dict[str, frozenset[int]] = {
    "int": frozenset({20, 21, 23, 1700}),  # int8, int2, int4, numeric
    "text": frozenset({25, 1043, 1042, 19}),  # text, varchar, bpchar, name
    "bool": frozenset({16}),
    "time": frozenset({1082, 1114, 1184}),  # date, timestamp, timestamptz
    "json": frozenset({114, 3802, 25, 1043}),  # json, jsonb (or text holding JSON)
}
_FAMILY_NAMES = {"int": "an integer", "text": "text", "bool": "a boolean", "time": "a timestamp", "json": "JSON"}
LOCK_ROLE = "__lock__"
"""Rows of the runner's lock table come after the tracking rows as {LOCK_ROLE: value}."""
_FIRST_USER_OID = 16384


def table_label(runner: Runner) -> str:
    table = runner.table_name()
    schema = runner.schema_name()
    return f"{schema}.{table}" if schema else table


def read_rows(database: Database, runner: Runner) -> list[Row] | None:
    """The tracking rows as {role: value}, oldest first where the runner keeps history; None when the table
    does not exist."""
    import psycopg
    from psycopg import errors, sql

    from preflight.db.target import describe_db_error

    table = runner.table_name()
    label = table_label(runner)
    names = runner.column_names()
    roles = list(names)
    schema = runner.schema_name()
    ident = sql.Identifier(schema, table) if schema else sql.Identifier(table)
    query = sql.SQL("select {} from {}").format(sql.SQL(", ").join(sql.Identifier(names[r]) for r in roles), ident)
    if runner.order_by:
        query += sql.SQL(" order by {}").format(sql.Identifier(names[runner.order_by]))
    with database.connection() as conn:
        try:
            with conn.cursor() as cur:
                cur.execute(query)
                rows = cur.fetchall()
                description = cur.description or []
        except errors.UndefinedTable:
            return None
        except errors.InvalidSchemaName:
            return None
        except errors.UndefinedColumn as e:
            primary = e.diag.message_primary or str(e)
            missing = next((names[r] for r in roles if f'"{names[r]}"' in primary), None)
            what = f"has no column {missing!r}" if missing else f"does not have the columns {runner.name} writes ({primary})"
            raise ReaderError(
                f"tracking table {label} {what}: it is not a {runner.name} table ({runner.name} creates "
                f"{table}{runner.column_sql}); set [targets.migrations] table/columns to the runner's own") from None
        except psycopg.Error as e:
            raise ReaderError(f"cannot read tracking table {label}: {describe_db_error(e)}") from None
    for role, col in zip(roles, description, strict=True):
        family = runner.column_types[role]
        oid = col.type_code
        if oid < _FIRST_USER_OID and oid not in _FAMILIES[family]:
            raise ReaderError(
                f"tracking table {label}: column {names[role]!r} is of type {_type_name(oid)}, but {runner.name} "
                f"writes {_FAMILY_NAMES[family]} there ({runner.name} creates {table}{runner.column_sql}); set "
                "[targets.migrations] tracking/table/columns to match the runner that owns it")
    out = [dict(zip(roles, row, strict=True)) for row in rows]
    lock = runner.lock_table()
    if lock is not None:
        out += _lock_rows(database, schema, *lock)
    return out


def _lock_rows(database: Database, schema: str | None, table: str, column: str) -> list[Row]:
    """The lock table's rows, in the same session; none when the runner has not created it yet."""
    import psycopg
    from psycopg import errors, sql

    from preflight.db.target import describe_db_error

    ident = sql.Identifier(schema, table) if schema else sql.Identifier(table)
    query = sql.SQL("select {} from {}").format(sql.Identifier(column), ident)
    label = f"{schema}.{table}" if schema else table
    with database.connection() as conn:
        try:
            # A savepoint: a missing lock table must not abort a session a check may still be using.
            with conn.transaction(), conn.cursor() as cur:
                cur.execute(query)
                return [{LOCK_ROLE: value} for (value,) in cur.fetchall()]
        except (errors.UndefinedTable, errors.InvalidSchemaName):
            return []
        except errors.UndefinedColumn:
            raise ReaderError(f"lock table {label} has no column {column!r}: it is not the runner's own") from None
        except psycopg.Error as e:
            raise ReaderError(f"cannot read lock table {label}: {describe_db_error(e)}") from None


def _type_name(oid: int) -> str:
    from psycopg.postgres import types

    info: Any = types.get(oid)
    return info.name if info is not None else f"oid {oid}"
