"""Whether the names a statement needs (``object-existence``'s hits) exist when it runs: the pending SQL before it,
then the live catalogs.

:func:`resolve` answers from the pending migrations replayed up to the statement
(:class:`preflight.sql.schema_changes.Objects`): an object an earlier statement creates, drops or renames away is
known; one it has not touched is asked of the database by :func:`judge`, under its name there. The first need that
fails decides: the item gets ``verdict`` "would-fail" and ``sqlstate``, the error PostgreSQL will raise (42P01
undefined table, 42703 column, 42704 object, 42883 function, 3F000 schema, 22023 enum label; 42P07 duplicate
table, 42701 column, 42710 object, 42723 function, 42P06 schema; 42809 wrong object type, 0A000 extension not
available, 42P16 invalid table definition); an item with no failing need, or one that cannot be settled, is dropped by the caller.
Reads only the catalogs (``to_regclass``, ``pg_attribute``, ``pg_constraint``, ``pg_trigger``, ``pg_enum``,
``pg_inherits``, ``to_regtype``, ``to_regprocedure``, ``pg_namespace``, ``pg_extension``,
``pg_available_extensions``), on the check's read-only session.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from psycopg import sql

from preflight.lint.nodes import label
from preflight.lint.rules.object_existence import article, what
from preflight.sql.schema_changes import (
    ABSENT,
    CREATED,
    EXISTING,
    EXTENSION,
    FUNCTION,
    RELATION,
    SCHEMA,
    TYPE,
)

if TYPE_CHECKING:
    import psycopg

    from preflight.sql.schema_changes import Known, Objects

Item = dict[str, Any]
# A need's answer from the replay: "exists", "absent" (with the Known that made it so), "ask" (the database,
# under these names) or "unknown".
_PARTS = {"constraint": (RELATION, "constraint"), "trigger": (RELATION, "trigger"), "label": (TYPE, "label"),
          "partition": (RELATION, "partition")}
_RELKIND_NAMES = {"r": "a table", "p": "a partitioned table", "v": "a view", "m": "a materialized view",
                  "i": "an index", "I": "a partitioned index", "S": "a sequence", "f": "a foreign table",
                  "c": "a composite type", "t": "a TOAST table"}


def resolve(item: Item, objects: Objects) -> None:
    """Each need of the item answered as far as the pending SQL before the statement knows (``item["answers"]``)."""
    item["answers"] = [_answer(need, objects) for need in item["extra"].get("needs", ())]
    item["opaque"] = objects.opaque


def _in_db(known: Known | None, schema: str | None, name: str) -> list[Any] | None:
    """The name to ask the database about: the object's own when untouched, its name there when renamed."""
    if known is None:
        return [schema, name]
    if known.state != CREATED and known.was:
        return list(known.was)
    return None


def _answer(need: dict[str, Any], objects: Objects) -> dict[str, Any]:
    kind, of, name = need["what"], need.get("of"), need["name"]
    schema, owner = (of[0], of[1]) if of else (None, "")
    if kind in ("relation", "type", "schema", "function", "extension"):
        family = {"relation": RELATION, "type": TYPE, "schema": SCHEMA, "function": FUNCTION,
                  "extension": EXTENSION}[kind]
        known = objects.get(family, schema, owner)
        if kind == "type" and known is None and objects.get(RELATION, schema, owner) is not None:
            return {"state": "unknown"}  # a table's row type, made or renamed with the table
        if kind == "function" and known is not None:
            return {"state": "unknown"}  # tracked by name only: another signature may be the one meant
        if known is not None and known.state == ABSENT:
            return {"state": "absent", "by": known.by, "how": known.how}
        if known is not None and known.state == CREATED and not known.if_absent:
            return {"state": "exists", "by": known.by}
        at = _in_db(known, schema, owner)
        return {"state": "ask", "db": at} if at else {"state": "unknown"}
    parent_family, part = _PARTS.get(kind, (RELATION, ""))
    parent = objects.get(parent_family, schema, owner)
    if parent is not None and parent.state == ABSENT:
        return {"state": "unknown"}  # the statement fails on its table (type) first
    if kind == "opclass":
        # the column's type as the database has it: only for a table the SQL before did not make, drop or rename
        # (an index it made on the table changes nothing) and a column it left alone
        if _moved(parent, schema, owner) or ("column", name) in objects.touched:
            return {"state": "unknown"}
        return {"state": "ask", "db": _in_db(parent, schema, owner)}
    if kind in ("primary-key", "primary-key-column"):
        # any constraint (or, for a column, that column) the SQL before changed may change the answer
        if parent is not None and (any(p == "constraint" for p, _ in parent.parts) or parent.state == CREATED):
            return {"state": "unknown"}
        if ("constraint", "*") in objects.touched or (kind == "primary-key-column" and ("column", name) in
                                                     objects.touched):
            return {"state": "unknown"}
        at = _in_db(parent, schema, owner)
        return {"state": "ask", "db": at} if at else {"state": "unknown"}
    if kind == "free-relation":
        taken = objects.get(RELATION, schema, name)
        if taken is not None:
            if taken.state == ABSENT:
                return {"state": "absent", "by": taken.by, "how": taken.how}
            return {"state": "exists", "by": taken.by}
    elif kind == "column":
        column = objects.column(schema, owner, name)
        if column is not None:
            if column.state == ABSENT:
                return {"state": "absent", "by": column.by, "how": column.how}
            return {"state": "exists", "by": column.by}
    else:
        known_part = objects.part(parent_family, schema, owner, part, name)
        if known_part is not None:
            if known_part.state == ABSENT:
                return {"state": "absent", "by": known_part.by, "how": known_part.how}
            return {"state": "exists", "by": known_part.by}
    if kind == "partition" and objects.get(RELATION, *need["child"]) is not None:
        return {"state": "unknown"}  # the partition is made, renamed or dropped by the SQL before
    if kind == "free-relation" and _moved(parent, schema, owner):
        return {"state": "unknown"}  # the schema the name must be free in is not known here
    if (part or "column", name) in objects.touched or (part == "constraint" and ("constraint", "*") in objects.touched):
        return {"state": "unknown"}  # the SQL before changed a part of that name elsewhere: maybe of this table too
    at = _in_db(parent, schema, owner)
    return {"state": "ask", "db": at} if at else {"state": "unknown"}


def _moved(table: Known | None, schema: str | None, name: str) -> bool:
    """Whether the SQL before made, dropped, renamed or moved the table (an index or a constraint it gave the table
    leaves it where it is)."""
    return table is not None and (table.state != EXISTING or (table.was is not None and list(table.was) != [schema,
                                                                                                          name]))


def judge(cur: psycopg.Cursor[Any], item: Item, migration: str) -> bool:
    """Settle the item's needs in order; True (with the item's verdict and detail set) when one makes the statement
    fail, False when none does or the answer is not known."""
    for need, answer in zip(item["extra"].get("needs", ()), item.get("answers", ()), strict=True):
        state = answer["state"]
        if state == "unknown":
            return False
        relkind = None
        if need["what"] == "extension":
            if state in ("ask", "absent"):
                cur.execute("select exists (select 1 from pg_extension where extname = %(n)s), "
                            "exists (select 1 from pg_available_extensions where name = %(n)s)", {"n": need["of"][1]})
                installed, available = cur.fetchone()  # type: ignore[misc]
                if state == "absent":
                    installed = False
                if not installed and not available:
                    # Whatever a statement the replay cannot follow did before (a DO block): no SQL installs an
                    # extension whose files the server does not have.
                    _fails(item, _UNAVAILABLE, f"extension {need['of'][1]} is not available on the server")
                    return True
                if installed and need["absent"] and not item.get("opaque"):
                    _fails(item, _DUPLICATE["extension"], f"extension {need['of'][1]} is already installed in the database")
                    return True
            elif state == "exists" and need["absent"]:
                _fails(item, _DUPLICATE["extension"], f"extension {need['of'][1]} already exists when the statement runs: "
                                          f"{_who(answer.get('by'), migration)} creates it")
                return True
            return False
        if need["what"] == "opclass":
            if state != "ask" or item.get("opaque"):
                return False
            missing = _no_default_opclass(cur, need, answer["db"])
            if missing is None:
                continue
            _fails(item, _UNDEFINED["opclass"], f"data type {missing} has no default operator class for access method "
                                      f"{need['method']} in the database")
            return True
        if state == "ask":
            if item.get("opaque"):
                return False  # an earlier DO block or extension may have made or dropped it: not known
            found = _ask(cur, need, answer["db"])
            if found is None:
                return False
            exists, relkind = found
            state = "exists" if exists else "absent"
        in_db = answer["state"] == "ask"
        if state == "absent" and need["if_exists"]:
            if need["what"] == "relation":
                return False  # IF EXISTS on the table (or a drop left to other rules): nothing more happens
            continue  # IF EXISTS on a column (a constraint...): that command does nothing, the others run
        if state == "absent" and not need["absent"]:
            gone = (f"{need['name']} is not a partition of {label(*need['of'])} in the database, and no earlier "
                    "pending migration attaches it" if in_db and need["what"] == "partition" else
                    f"{what(need)} does not exist in the database, and no earlier pending migration creates it"
                    if in_db else f"{what(need)} does not exist when the statement runs: "
                                  f"{_who(answer.get('by'), migration)} {answer.get('how', '')}")
            _fails(item, _undefined(need), gone)
            return True
        if state == "exists" and need["what"] in ("primary-key", "primary-key-column") and in_db:
            _fails(item, _INVALID_TABLE_DEFINITION, f"{label(*need['of'])} already has a primary key in the database"
                   if need["what"] == "primary-key" else
                   f"column {need['name']} is in the primary key of {label(*need['of'])} in the database")
            return True
        if state == "exists" and need["absent"]:
            taken = (f"{what(need).replace(' name', '')} already exists in the database" if in_db
                     else f"{what(need).replace(' name', '')} already exists when the statement runs: "
                          f"{_who(answer.get('by'), migration)} creates it")
            _fails(item, _DUPLICATE[need["what"]], taken)
            return True
        if state == "exists" and relkind and need.get("relkinds") and relkind not in need["relkinds"]:
            kind = _RELKIND_NAMES.get(relkind, f"relkind {relkind}")
            _fails(item, _WRONG_OBJECT_TYPE, f"{label(*need['of'])} is {kind} in the database, not "
                                              f"{article(need.get('object', 'relation'))}")
            return True
    return False


# A default operator class for the column's type, found as PostgreSQL's GetDefaultOpClass looks (the type under
# its domains; the opclass's own type, one the type is binary-coercible to, or a polymorphic type that accepts
# it). A pseudo-type this does not know accepts any type: no claim.
_DEFAULT_OPCLASS = """
with col as (
  select a.atttypid as declared from pg_attribute a
   where a.attrelid = to_regclass(%(table)s) and a.attname = %(column)s and a.attnum > 0 and not a.attisdropped
), base as (
  select coalesce(nullif(t.typbasetype, 0), t.oid) as oid from col join pg_type t on t.oid = col.declared
), base_type as (
  select b.oid, t.typtype, t.typelem <> 0 and t.typlen = -1 as is_array, format_type(b.oid, null) as label
    from base b join pg_type t on t.oid = b.oid
)
select bt.label,
       exists (
         select 1 from pg_opclass o join pg_am am on am.oid = o.opcmethod join pg_type it on it.oid = o.opcintype
          where am.amname = %(method)s and o.opcdefault and (
                o.opcintype = bt.oid
             or exists (select 1 from pg_cast c where c.castsource = bt.oid and c.casttarget = o.opcintype
                                                   and c.castmethod = 'b' and c.castcontext = 'i')
             or (it.typtype = 'p' and (
                  (it.typname = 'anyarray' and bt.is_array) or (it.typname = 'anynonarray' and not bt.is_array)
                  or (it.typname = 'anyenum' and bt.typtype = 'e') or (it.typname = 'anyrange' and bt.typtype = 'r')
                  or (it.typname = 'anymultirange' and bt.typtype = 'm') or (it.typname = 'record' and bt.typtype = 'c')
                  or it.typname not in ('anyarray', 'anynonarray', 'anyenum', 'anyrange', 'anymultirange',
                                        'record')))))
       or not exists (select 1 from pg_am am where am.amname = %(method)s)
  from base_type bt
"""


def _no_default_opclass(cur: psycopg.Cursor[Any], need: dict[str, Any], at: list[Any]) -> str | None:
    """The column's type when no default operator class of the index's access method accepts it, else None (one
    does, or the column, its type or the method is not known)."""
    cur.execute(_DEFAULT_OPCLASS, {"table": _regclass(at[0], at[1]), "column": need["name"], "method": need["method"]})
    row = cur.fetchone()
    if row is None or row[1]:
        return None
    return str(row[0])


# The error PostgreSQL raises for a name that is not there (or already taken), by the kind of name: its own
# SQLSTATE, so that the finding names the error the run will stop with.
_UNDEFINED = {"relation": "42P01", "index": "42704", "partition": "42P01", "column": "42703", "constraint": "42704",
              "trigger": "42704", "type": "42704", "opclass": "42704", "label": "22023", "function": "42883",
              "schema": "3F000"}
_DUPLICATE = {"relation": "42P07", "free-relation": "42P07", "column": "42701", "constraint": "42710",
              "trigger": "42710", "type": "42710", "label": "42710", "extension": "42710", "function": "42723",
              "schema": "42P06"}
_WRONG_OBJECT_TYPE, _UNAVAILABLE, _INVALID_TABLE_DEFINITION = "42809", "0A000", "42P16"


def _undefined(need: dict[str, Any]) -> str:
    return _UNDEFINED["index" if need.get("object") == "index" else need["what"]]


def _fails(item: Item, sqlstate: str, why: str) -> None:
    item["severity"] = "warning"
    item["verdict"] = "would-fail"
    item["sqlstate"] = sqlstate
    item["detail"] = f"{why}: the statement would fail"


def _who(by: str | None, migration: str) -> str:
    return "an earlier statement of this migration" if by in (None, migration) else f"earlier pending migration {by}"


def _regclass(schema: str | None, name: str) -> str:
    return ".".join('"' + p.replace('"', '""') + '"' for p in ((schema, name) if schema else (name,)))


def _ask(cur: psycopg.Cursor[Any], need: dict[str, Any], at: list[Any]) -> tuple[bool, str | None] | None:
    """``(exists, relkind)`` from the catalogs; None when the database cannot say (the owner is not there)."""
    kind, name = need["what"], need["name"]
    owner = _regclass(at[0], at[1])
    if kind == "relation":
        cur.execute("select relkind::text from pg_class where oid = to_regclass(%s)", (owner,))
        row = cur.fetchone()
        return (row is not None, str(row[0]) if row else None)
    if kind == "schema":
        cur.execute("select 1 from pg_namespace where nspname = %s", (at[1],))
        return (cur.fetchone() is not None, None)
    if kind == "type":
        cur.execute("select to_regtype(%s) is not null", (owner,))
        return (bool(cur.fetchone()[0]), None)  # type: ignore[index]
    if kind == "function":
        signature = f"{owner}({', '.join(need.get('args') or ())})"
        cur.execute("select to_regprocedure(%s) is not null, "
                    "(select bool_and(to_regtype(t) is not null) from unnest(%s::text[]) t)",
                    (signature, need.get("args") or []))
        found, types_known = cur.fetchone()  # type: ignore[misc]
        return None if types_known is False else (bool(found), None)
    cur.execute("select oid, relnamespace from pg_class where oid = to_regclass(%s)"
                if kind != "label" else "select to_regtype(%s)::oid, typtype::text from pg_type "
                                        "where oid = to_regtype(%s)", (owner,) if kind != "label" else (owner, owner))
    row = cur.fetchone()
    if row is None:
        return None  # the table (type) is not there: the statement fails on it, and the rule says so there
    queries = {
        "column": "select 1 from pg_attribute where attrelid = %s and attname = %s and attnum > 0 "
                  "and not attisdropped",
        "constraint": "select 1 from pg_constraint where conrelid = %s and conname = %s",
        "trigger": "select 1 from pg_trigger where tgrelid = %s and tgname = %s",
        "free-relation": "select 1 from pg_class where relnamespace = %s and relname = %s",
        "label": "select 1 from pg_enum where enumtypid = %s and enumlabel = %s",
        "partition": "select 1 from pg_inherits where inhparent = %s and inhrelid = to_regclass(%s)",
        "primary-key-column": "select 1 from pg_constraint k join pg_attribute a on a.attrelid = k.conrelid "
                              "and a.attnum = any(k.conkey) where k.conrelid = %s and k.contype = 'p' "
                              "and a.attname = %s",
    }
    if kind == "label" and row[1] != "e":
        return None
    if kind == "primary-key":
        cur.execute("select 1 from pg_constraint where conrelid = %s and contype = 'p'", (row[0],))
        return (cur.fetchone() is not None, None)
    if kind == "partition":
        name = _regclass(*need["child"])
    cur.execute(sql.SQL(queries[kind]), (row[1] if kind == "free-relation" else row[0], name))
    return (cur.fetchone() is not None, None)
