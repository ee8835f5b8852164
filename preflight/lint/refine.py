"""The lint's findings refined with what the live database knows: the claims a rule cannot settle from the SQL.

Without the database a rule gives the conservative answer (an ``ALTER COLUMN TYPE`` rewrites, ``SET NOT NULL``
scans, a default of an unknown function is volatile, ``CREATE INDEX`` builds). With it, each is judged again from
the catalogs (:mod:`preflight.lint.live`) by PostgreSQL's rules (:mod:`preflight.lint.type_changes`): a finding
whose statement holds its lock only for a catalog change is rewritten to say so and marked ``metadata_only``, one
whose scan is skipped gets ``proven_not_null`` (the reason); ``checks/migrations_lint.py`` turns both into
information; a ``DROP COLUMN IF EXISTS`` (or a guarded one) of a column the table does not have gets
``column_absent``.
Reads only; the cursor is the check's read-only session.
"""

from __future__ import annotations

from typing import Any

from preflight.lint.live import (
    ColumnNow,
    Facts,
    current_column,
    domain_with_constraints,
    index_columns,
    new_column_type,
    not_null_proof,
    relation_kind,
    session_timezone,
    volatility,
)
from preflight.lint.nodes import label
from preflight.lint.rules.adding_not_nullable_field import unless
from preflight.lint.type_changes import Verdict, decide

Item = dict[str, Any]

# A column the database does not have yet (an earlier pending statement adds it): its nullability then is not
# read, and the finding keeps its condition.
NOT_IN_DATABASE = "the column is not in the database yet, and without the database the lint cannot tell"


def refine(cur: Any, per_migration: list[list[Item]], facts: dict[Any, Facts]) -> None:
    """Each migration's findings (``items``), in place."""
    _judge_type_changes(cur, per_migration, facts)
    _judge_defaults(cur, per_migration, facts)
    _judge_indexes(cur, per_migration, facts)
    _judge_not_null(cur, per_migration, facts)
    _judge_domain_columns(cur, per_migration)
    _judge_dropped_columns(cur, per_migration, facts)


def _judge_dropped_columns(cur: Any, per_migration: list[list[Item]], facts: dict[Any, Facts]) -> None:
    """``DROP COLUMN IF EXISTS`` (or a ``DROP COLUMN`` guarded in its ``DO`` block) of a column the database's
    table does not have (and the pending SQL before it has not added): marked ``column_absent``."""
    for its in per_migration:
        for item in its:
            if item["rule"] != "ban-drop-column" or item.get("known_column") is not None or not (
                    item["if_exists"] or item["extra"].get("guarded")):
                continue
            f = facts.get(item.get("in_database"))
            if f is None or not f.exists or not f.table:
                continue
            cur.execute("select 1 from pg_attribute where attrelid = to_regclass(%s) and attname = %s "
                        "and attnum > 0 and not attisdropped", (f.table, item["extra"].get("column", "")))
            if cur.fetchone() is None:
                item["column_absent"] = True


def _judge_domain_columns(cur: Any, per_migration: list[list[Item]]) -> None:
    """``ADD COLUMN`` of a type that may be a domain with constraints (a candidate of adding-field-with-default):
    a rewrite when the earlier pending statements create it so (``item["pending_domain"]``) or the database has
    it so; else the candidate is dropped (a plain type, a domain without constraints, or an unknown type: the
    statement then fails on the name, which object-existence says)."""
    for its in per_migration:
        for item in list(its):
            if item["rule"] != "adding-field-with-default" or not item["extra"].get("candidate"):
                continue
            schema, name = item["extra"]["domain"]
            pending = item.get("pending_domain")
            domain = label(schema, name) if pending else None if pending is False else domain_with_constraints(
                cur, schema, name)
            if not domain:
                its.remove(item)
                continue
            item["message"] = item["message"].replace("{domain}", domain)
            item["extra"].pop("candidate")


def _judge_not_null(cur: Any, per_migration: list[list[Item]], facts: dict[Any, Facts]) -> None:
    """``SET NOT NULL`` that reads no row: the column is NOT NULL already, or a validated check proves it (PostgreSQL
    12 and later): one in the database, or one an earlier pending statement adds and validates
    (``item["pending_not_null"]``, from the replay). A statement reads the table when one of the columns it sets
    NOT NULL needs the scan: then each of its findings says it scans, without condition; when every column is
    proven, each gets ``proven_not_null`` (the reason); a column the database does not have (yet) keeps the
    statement's finding conditional on it."""
    for its in per_migration:
        statements: dict[tuple[int, int], list[tuple[Item, str | None]]] = {}
        for i in list(its):
            if i["rule"] != "adding-not-nullable-field" or not i["target"] or i["context"] == "function":
                continue
            if i["extra"].get("candidate"):
                _judge_primary_key(cur, its, i, facts)
                continue
            statements.setdefault((i["line"], i["column"]), []).append((i, _not_null_answer(cur, i, facts)))
        for same in statements.values():
            scanning = [(i, why) for i, why in same if why == ""]
            unknown = [i["extra"].get("column", "") for i, why in same if why is None]
            for i, why in same:
                head = str(i["message"]).split(" unless ", 1)[0]
                if scanning:
                    other = scanning[0][0]["extra"].get("column", "")
                    i["extra"].pop("unless_not_null", None)
                    i["message"] = (f"{head}: {other} is nullable and no validated CHECK ({other} IS NOT NULL) proves it"
                                    if why == "" or other == i["extra"].get("column") else
                                    f"{head}: {why}, but {other} of the same statement is nullable and no validated "
                                    f"CHECK ({other} IS NOT NULL) proves it")
                elif unknown:
                    i["extra"]["unless_not_null"] = unknown
                    i["message"] = f"{head} {unless(unknown, NOT_IN_DATABASE)}"
                else:
                    i["extra"].pop("unless_not_null", None)
                    i["message"] = head
                    i["proven_not_null"] = why


def _judge_primary_key(cur: Any, its: list[Item], item: Item, facts: dict[Any, Facts]) -> None:
    """``ADD PRIMARY KEY USING INDEX``: PostgreSQL sets the index's columns NOT NULL, scanning the table unless
    each is proven not null already. Reported when one is not; dropped when all are, or when the database does
    not have the index (made by a pending migration: its columns are not followed)."""
    f = facts.get(item.get("in_database"))
    columns = index_columns(cur, item["extra"]["index"]) if f and f.exists and f.table else []
    nullable = [c for c in columns if _pending_proof(cur, item, str(f.table if f else ""), c) == ""]
    if not nullable:
        its.remove(item)
        return
    item["extra"].pop("candidate")
    head = str(item["message"]).split(": ", 1)[0]
    item["message"] = (f"{head}: it sets {', '.join(nullable)} NOT NULL, and no validated CHECK (column IS NOT NULL) "
                       "proves it")


def _not_null_answer(cur: Any, item: Item, facts: dict[Any, Facts]) -> str | None:
    """Why the finding's column needs no scan; "" when it needs one; None when the database cannot tell."""
    column = item["extra"].get("column", "")
    f = facts.get(item.get("in_database"))
    return _pending_proof(cur, item, f.table if f and f.exists and f.table else None, column)


def _pending_proof(cur: Any, item: Item, table: str | None, column: str) -> str | None:
    """Why ``SET NOT NULL`` on the column (by its name when the statement runs) reads no row, after the earlier
    pending statements (``item["pending_not_null"]``): a check they added and validated; NOT NULL they set; else
    the database's proof, for the column by its name there (renames followed), without the checks they dropped,
    and without the column's own NOT NULL when they dropped it. "" when it scans; None when it cannot tell (the
    table, ``table``, is not in the database)."""
    pending = item.get("pending_not_null") or {}
    by_check = (pending.get("proven") or {}).get(column)
    if by_check:
        return f"the CHECK ({column} IS NOT NULL) constraint {by_check}, added and validated before it, proves it"
    set_before = (pending.get("columns") or {}).get(column)
    if set_before:  # the pending SQL before it added the column NOT NULL, or set its NOT NULL
        return f"{column} is NOT NULL already: the pending migrations make it so before it"
    in_database = pending.get("in_database") or {}
    if set_before is False and column not in in_database:  # added nullable by the pending SQL
        return ""
    if table is None:
        return None
    found = not_null_proof(cur, table, in_database.get(column, column),
                           [*item["extra"].get("validated", []), *(pending.get("validated") or [])],
                           checks_only=set_before is False, dropped=pending.get("dropped") or [], called=column)
    if found is None and set_before is False:
        return ""
    return found


def _judge_type_changes(cur: Any, per_migration: list[list[Item]], facts: dict[Any, Facts]) -> None:
    """``ALTER COLUMN ... TYPE`` against the column's current type, the server's version and TimeZone
    (:mod:`preflight.lint.type_changes`): a change that does not rewrite says so, and is marked metadata-only
    unless it rebuilds an index. When the column's type cannot be read, the static (conservative) answer stays."""

    server: dict[str, Any] = {}
    for its in per_migration:
        statements: dict[tuple[int, int], list[tuple[dict[str, Any], Verdict, ColumnNow]]] = {}
        for item in its:
            if item["rule"] != "changing-column-type" or not item["target"] or item["context"] == "function":
                continue
            f = facts.get(item.get("in_database"))
            extra = item["extra"]
            new_type = extra.get("new_type")
            if not f or not f.exists or not f.table or not new_type or new_type.get("mods") is None:
                continue
            now = current_column(cur, f.table, extra.get("column", ""))
            new = new_column_type(cur, new_type["names"], new_type["mods"], new_type["array"],
                                  new_type.get("collation"))
            pending = item.get("pending_column")
            in_database = now is not None
            if pending and not (pending["if_absent"] and in_database):
                now = _pending_column(cur, pending, now)
                if now is None:
                    item["message"] = item["message"].replace(
                        "without the database the column's current type is unknown",
                        "the pending migrations add or retype the column before it, to a type the lint cannot "
                        "resolve, so the column's type when the statement runs is unknown")
                    continue
            if now is None or new is None:
                what = "column" if now is None else f"type {new_type['label']}"
                item["message"] = item["message"].replace(
                    "without the database the column's current type is unknown",
                    f"the {what} is not in the database (yet), so the column's current type is unknown")
                continue
            if not server:
                cur.execute("select current_setting('server_version_num')::int")
                server["version"] = cur.fetchone()[0]
                server["timezone"] = session_timezone(cur)
            zone = extra.get("timezone") or server["timezone"]
            verdict = decide(now.type, new, using=extra.get("using", "none"), server_version=server["version"],
                             timezone=zone)
            if not extra.get("timezone") and zone and "TimeZone" in verdict.why and not verdict.rewrite:
                verdict = Verdict(False, verdict.why + " (the database's default TimeZone: a runner that sets "
                                                       "another one rewrites the table)", verdict.index_rebuild)
            if extra.get("others_rewrite"):
                verdict = Verdict(True, "another command of the same statement rewrites it")
            if pending and not in_database and verdict.index_rebuild and not verdict.rewrite:
                continue  # which indexes the column has then is not followed: the static answer stays
            if pending and not (pending["if_absent"] and in_database):
                verdict = Verdict(verdict.rewrite, f"{verdict.why} (its type when the statement runs, given by the "
                                                   "pending migrations before it)", verdict.index_rebuild)
            statements.setdefault((item["line"], item["column"]), []).append((item, verdict, now))
        for changes in statements.values():
            rewriting = [i for i, v, _ in changes if v.rewrite]
            for item, verdict, column_now in changes:
                column, new_label = item["extra"].get("column", ""), item["extra"]["new_type"]["label"]
                rel = label(item["target"][1], item["target"][2])
                head = f"ALTER COLUMN {column} TYPE {new_label}"
                if verdict.rewrite or rewriting:
                    why = verdict.why if verdict.rewrite else (
                        f"{verdict.why}, but ALTER COLUMN {rewriting[0]['extra'].get('column', '')} of the same "
                        "statement rewrites it")
                    item["message"] = f"{head} rewrites {rel} and its indexes under an ACCESS EXCLUSIVE lock: {why}"
                    if column_now.linked and verdict.rewrite:
                        item["message"] += (f"; its foreign keys are checked again, reading {', '.join(column_now.linked)} "
                                            "under an ACCESS EXCLUSIVE lock")
                elif verdict.index_rebuild and column_now.indexed:
                    item["message"] = (f"{head} does not rewrite {rel}: {verdict.why}; but the indexes on {column} are "
                                       f"rebuilt, reading {rel} under an ACCESS EXCLUSIVE lock")
                else:
                    item["message"] = (f"{head} does not rewrite {rel}: {verdict.why}; the ACCESS EXCLUSIVE lock is "
                                       "held only for the catalog change")
                    item["metadata_only"] = True


def _pending_column(cur: Any, pending: dict[str, Any], now: ColumnNow | None) -> ColumnNow | None:
    """The column as the earlier pending statements leave it: the type they add or retype it to (resolved by
    the database), with the database's indexes and foreign keys of the column when it has it; None when that
    type is not known."""
    written = pending.get("type")
    if not written:
        return None
    found = new_column_type(cur, written["names"], written["mods"], written["array"], written.get("collation"))
    if found is None:
        return None
    return ColumnNow(found, now.indexed if now else False, now.linked if now else [])


def _judge_defaults(cur: Any, per_migration: list[list[Item]], facts: dict[Any, Facts]) -> None:
    """``ADD COLUMN ... DEFAULT f()`` where the database declares every function of the default immutable or
    stable: computed once, no rewrite (marked metadata-only)."""

    for its in per_migration:
        for item in its:
            calls = item["extra"].get("calls") if item["rule"] == "adding-field-with-default" else None
            f = facts.get(item.get("in_database")) if calls and item["target"] else None
            if not calls or f is None or not f.exists or item["context"] == "function":
                continue
            declared = volatility(cur, calls)
            if any(v in (None, "volatile") for v in declared.values()):
                continue
            said = ", ".join(f"{name}() {v}" for name, v in declared.items())
            item["message"] = (f"ADD COLUMN {item['extra'].get('column', '')} does not rewrite "
                               f"{label(item['target'][1], item['target'][2])}: the database declares {said}, so "
                               "the default is computed once; the ACCESS EXCLUSIVE lock is held only for the catalog "
                               "change")
            item["metadata_only"] = True


def _judge_indexes(cur: Any, per_migration: list[list[Item]], facts: dict[Any, Facts]) -> None:
    """A plain ``CREATE INDEX`` that builds nothing: ``ON ONLY`` a partitioned table, or ``IF NOT EXISTS`` of an
    index that exists (marked metadata-only: the SHARE lock is brief)."""

    for its in per_migration:
        for item in its:
            if item["rule"] != "require-concurrent-index-creation" or not item["target"]:
                continue
            f = facts.get(item.get("in_database"))
            if f is None or not f.exists or not f.table or item["context"] == "function":
                continue
            rel = label(item["target"][1], item["target"][2])
            index = item["extra"].get("index")
            if index and relation_kind(cur, index) is not None:
                why = f"IF NOT EXISTS: {index} already exists, so nothing is built"
            elif item["extra"].get("only") and relation_kind(cur, f.table) == "p":
                why = ("ON ONLY the partitioned table: its index is created invalid, empty, until each partition's "
                       "index is attached")
            else:
                continue
            item["message"] = (f"CREATE INDEX on {rel} reads no row: {why}; the SHARE lock is held only for the "
                               "catalog change")
            item["metadata_only"] = True
