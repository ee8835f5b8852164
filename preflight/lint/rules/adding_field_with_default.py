"""Adding a column whose default is volatile (or a stored generated column) rewrites the table.

Since PostgreSQL 11 a constant or stable default (``0``, ``'new'``, ``now()``) is stored once and costs nothing.
A volatile one (``gen_random_uuid()``, ``random()``, ``clock_timestamp()``, ``nextval()`` as a ``serial`` or
identity column does) is computed for every row: the whole table is rewritten under an ``ACCESS EXCLUSIVE`` lock.
So is a ``GENERATED ALWAYS AS (...) STORED`` column; a virtual one (PostgreSQL 18: ``VIRTUAL``, or no kind
given) is computed when read and rewrites nothing. Functions preflight does not know are treated as volatile
without the database; with it, the lint reads their volatility (``pg_proc.provolatile``): a default whose
functions are all declared immutable or stable is computed once, and the finding says so, as information.

Example::

    ALTER TABLE orders ADD COLUMN public_id uuid DEFAULT gen_random_uuid();
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.nodes import (
    SERIAL_TYPES,
    constraints_of,
    label,
    type_name,
    volatile_parts,
)
from preflight.lint.rules import Rule

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


def check(node: Node, lint: FileLint) -> None:
    rel = lint.relation()
    if rel is None or lint.created_here(*rel):
        return
    table = label(*rel)
    for cmd in lint.cmds():
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
            lint.hit(RULE, f"ADD COLUMN {name} rewrites {table} under an ACCESS EXCLUSIVE lock: {why}",
                     target=("table", rel[0], rel[1]), column=name, calls=calls)
