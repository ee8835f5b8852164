"""Adding a column whose default is volatile (or a stored generated column) rewrites the table.

Since PostgreSQL 11 a constant or stable default (``0``, ``'new'``, ``now()``) is stored once and costs nothing.
A volatile one (``gen_random_uuid()``, ``random()``, ``clock_timestamp()``, ``nextval()`` as a ``serial`` or
identity column does) is computed for every row: the whole table is rewritten under an ``ACCESS EXCLUSIVE`` lock.
So is a ``GENERATED ALWAYS AS (...) STORED`` column; a virtual one (PostgreSQL 18: ``VIRTUAL``, or no kind
given) is computed when read and rewrites nothing. Without the database, a default calling functions preflight
does not know rewrites only if one of them is volatile, and the lint cannot tell: the finding says "rewrites
orders under an ACCESS EXCLUSIVE lock unless next_code() is declared IMMUTABLE or STABLE ...; without the
database the lint cannot tell" (JSON: ``data.condition.if_volatile``, the functions), with the same severity. A
built-in volatile function, or another command of the statement that may rewrite the table, makes the rewrite
unconditional. With the database, the lint reads their volatility (``pg_proc.provolatile``): a default whose
functions are all declared immutable or stable is computed once, and the finding says so, as information.

A column whose type is a domain with constraints (``CHECK``, ``NOT NULL``, its own or a base domain's) rewrites
the table too, default or not: PostgreSQL checks the constraints on every row's value. The lint knows it when
the domain is created earlier in the file; with the database, also from the catalogs (``pg_type``,
``pg_constraint``) or from the earlier pending migration that creates the domain. Without either it cannot tell
whether a type is such a domain, and says nothing.

Example::

    ALTER TABLE orders ADD COLUMN public_id uuid DEFAULT gen_random_uuid();
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from preflight.lint.nodes import (
    SERIAL_TYPES,
    constraints_of,
    label,
    strings,
    type_name,
    volatile_parts,
)
from preflight.lint.rules import Rule
from preflight.sql.schema_changes import CREATED, TYPE

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="adding-field-with-default",
    kind="lock",
    squawk=("adding-field-with-default",),
    nodes=("AlterTableStmt",),
    subtypes=frozenset({"AT_AddColumn"}),
    reason="adding a column with a volatile default rewrites the table under an ACCESS EXCLUSIVE lock",
    alternative="add the column without a default (or with a constant one), set the default for new rows with "
                "ALTER COLUMN ... SET DEFAULT, and backfill existing rows in batches",
)


# Built-in functions that are volatile: a default calling one rewrites the table, with or without the database.
KNOWN_VOLATILE = frozenset({"random", "random_normal", "gen_random_uuid", "uuidv4", "uuidv7", "uuid_generate_v1",
                            "uuid_generate_v4", "clock_timestamp", "timeofday", "nextval", "setseed", "txid_current"})


def check(node: Node, lint: FileLint) -> None:
    rel = lint.relation()
    if rel is None or lint.created_here(*rel):
        return
    table = label(*rel)
    cmds = lint.cmds()
    for cmd in cmds:
        if cmd.get("subtype") != "AT_AddColumn":
            continue
        col = (cmd.get("def") or {}).get("ColumnDef", {})
        name = col.get("colname", "")
        why = None  # a rewrite whatever the functions are
        calls: list[str] = []  # functions of the default that may be volatile
        if type_name(col.get("typeName")) in SERIAL_TYPES:
            why = f"a {type_name(col.get('typeName'))} column fills every row from a sequence"
        for c in constraints_of(col):
            contype = c.get("contype")
            if contype == "CONSTR_DEFAULT":
                calls = sorted(set(volatile_parts(c.get("raw_expr"))))
            elif contype == "CONSTR_GENERATED" and c.get("generated_kind", "s") == "s":
                why = "a stored generated column is computed for every row"
            elif contype == "CONSTR_IDENTITY":
                why = "an identity column fills every row from a sequence"
        if why is None and calls:
            why = f"the default calls {', '.join(calls)}(), computed for every row"
        elif why is not None:
            calls = []
        if why:
            head = f"ADD COLUMN {name} rewrites {table} under an ACCESS EXCLUSIVE lock"
            lint.hit(RULE, f"{head}: {why}", target=("table", rel[0], rel[1]), column=name, calls=calls,
                     nodb=_without_database(head, calls, [c for c in cmds if c is not cmd]))
        elif _maybe_domain(col.get("typeName")):
            _domain_column(lint, rel, name, col["typeName"])


# Built-in types a column is often given without the pg_catalog qualification the parser adds to SQL's own
# type names (integer, varchar...): never a domain.
_BUILT_IN = frozenset({"text", "uuid", "json", "jsonb", "bytea", "date", "inet", "cidr", "macaddr", "money", "xml",
                       "timestamptz", "timetz", "tsvector", "tsquery", "point", "citext", "hstore", "oid"})


def _maybe_domain(tn: Node | None) -> bool:
    names = strings((tn or {}).get("names"))
    return bool(names) and names[0] != "pg_catalog" and not (tn or {}).get("arrayBounds") and (
        len(names) > 1 or names[-1].lower() not in _BUILT_IN)


def _domain_column(lint: FileLint, rel: tuple[str | None, str], column: str, tn: Node) -> None:
    """A column of a type that may be a domain with constraints: a rewrite when the file created it so; else a
    candidate (``extra["domain"]``), reported only when the live judgement finds such a domain."""
    names = strings(tn.get("names"))
    schema, type_ = (names[-2] if len(names) > 1 else None), names[-1]
    known = lint.objects.get(TYPE, schema, type_)
    message = f"ADD COLUMN {column} rewrites {label(*rel)} under an ACCESS EXCLUSIVE lock: "
    if known is not None and known.state == CREATED:
        if known.checked:
            lint.hit(RULE, message + f"its type {label(schema, type_)} is a domain with constraints, checked on "
                     "every row", target=("table", rel[0], rel[1]), column=column, calls=[])
        return
    lint.hit(RULE, message + "its type {domain} is a domain with constraints, checked on every row",
             target=("table", rel[0], rel[1]), column=column, calls=[], domain=[schema, type_], candidate=True)


def _without_database(head: str, calls: list[str], others: list[Node]) -> dict[str, Any] | None:
    """Without the database, a default calling functions preflight does not know rewrites only if one of them is
    volatile: the finding says so (``data.condition.if_volatile``), unless another command of the statement may
    rewrite the table anyway, or one of the functions is a built-in volatile one."""
    if not calls or any(c.rpartition(".")[2] in KNOWN_VOLATILE for c in calls) or any(
            _may_rewrite(c) for c in others):
        return None
    names = ", ".join(f"{c}()" for c in calls)
    verb = "is" if len(calls) == 1 else "are all"
    return {"message": f"{head} unless {names} {verb} declared IMMUTABLE or STABLE (the default is then computed "
                       "once, and nothing is rewritten); without the database the lint cannot tell",
            "data": {"condition": {"if_volatile": calls}}}


def _may_rewrite(cmd: Node) -> bool:
    """Another command of the statement that may rewrite the table: then the condition on this column's default
    would not decide the rewrite."""
    sub = cmd.get("subtype")
    if sub in ("AT_AlterColumnType", "AT_SetAccessMethod", "AT_SetLogged", "AT_SetUnLogged"):
        return True
    if sub != "AT_AddColumn":
        return False
    col = (cmd.get("def") or {}).get("ColumnDef", {})
    if type_name(col.get("typeName")) in SERIAL_TYPES:
        return True
    for c in constraints_of(col):
        if c.get("contype") in ("CONSTR_IDENTITY", "CONSTR_GENERATED") or (
                c.get("contype") == "CONSTR_DEFAULT" and volatile_parts(c.get("raw_expr"))):
            return True
    return False
