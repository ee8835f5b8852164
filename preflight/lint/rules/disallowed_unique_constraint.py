"""Adding a ``UNIQUE`` or ``PRIMARY KEY`` constraint builds its index under an ``ACCESS EXCLUSIVE`` lock.

Without ``USING INDEX``, PostgreSQL builds the index while holding a lock that blocks reads and writes. Build a
unique index ``CONCURRENTLY`` first and attach it: ``ADD CONSTRAINT ... UNIQUE USING INDEX`` (or ``PRIMARY KEY
USING INDEX``) is instant, except that ``PRIMARY KEY USING INDEX`` sets nullable columns ``NOT NULL``, which scans
the table (``adding-not-nullable-field`` reports it with the database). A new column declared ``UNIQUE`` or
``PRIMARY KEY`` is the same.

Example::

    ALTER TABLE accounts ADD CONSTRAINT accounts_email_key UNIQUE (email);
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.nodes import constraints_of, label
from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="disallowed-unique-constraint",
    kind="lock",
    squawk=("disallowed-unique-constraint", "adding-serial-primary-key-field"),
    nodes=("AlterTableStmt",),
    subtypes=frozenset({"AT_AddConstraint", "AT_AddColumn"}),
    reason="adding a UNIQUE or PRIMARY KEY constraint builds its index under an ACCESS EXCLUSIVE lock",
    alternative="CREATE UNIQUE INDEX CONCURRENTLY idx ON t (...); then ALTER TABLE t ADD CONSTRAINT c UNIQUE "
                "USING INDEX idx (or PRIMARY KEY USING INDEX idx)",
)
_WHAT = {"CONSTR_UNIQUE": "UNIQUE", "CONSTR_PRIMARY": "PRIMARY KEY"}


def check(node: Node, lint: FileLint) -> None:
    rel = lint.relation()
    if rel is None or lint.created_here(*rel):
        return
    table = label(*rel)
    for cmd in lint.cmds():
        sub = cmd.get("subtype")
        if sub == "AT_AddConstraint":
            c = (cmd.get("def") or {}).get("Constraint", {})
            if c.get("contype") in _WHAT and not c.get("indexname"):
                lint.hit(RULE, f"ADD {_WHAT[c['contype']]} on {table} builds its index under an ACCESS EXCLUSIVE "
                         "lock", target=("table", rel[0], rel[1]))
        elif sub == "AT_AddColumn":
            col = (cmd.get("def") or {}).get("ColumnDef", {})
            for c in constraints_of(col) if col else ():
                if c.get("contype") in _WHAT:
                    lint.hit(RULE, f"ADD COLUMN {col.get('colname', '')} {_WHAT[c['contype']]} on {table} builds "
                             "an index under an ACCESS EXCLUSIVE lock",
                             target=("table", rel[0], rel[1]))
