"""``SET NOT NULL`` scans the whole table under an ``ACCESS EXCLUSIVE`` lock.

PostgreSQL checks every row before it marks the column ``NOT NULL``, blocking reads and writes meanwhile, unless
a validated ``CHECK (column IS NOT NULL)`` constraint proves it already (PostgreSQL 12 and later), or the column
is already ``NOT NULL`` (a primary key's columns are). PostgreSQL 18's named constraint, ``ADD CONSTRAINT name
NOT NULL column``, scans the same way unless it is added ``NOT VALID``. Such a constraint added ``NOT VALID`` and validated earlier
in the file silences the rule. With the database at hand, the lint reads the column and its constraints (one
validated earlier in the file counts) and the server's version: when the scan is skipped the finding is
information and says why; without the database the lint cannot know and says the statement scans.

Example::

    ALTER TABLE accounts ALTER COLUMN email SET NOT NULL;
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from preflight.lint.nodes import label, unwrap
from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="adding-not-nullable-field",
    kind="lock",
    squawk=("adding-not-nullable-field",),
    nodes=("AlterTableStmt",),
    subtypes=frozenset({"AT_AddConstraint", "AT_ValidateConstraint", "AT_SetNotNull"}),
    reason="SET NOT NULL scans the table under an ACCESS EXCLUSIVE lock",
    alternative="ADD CONSTRAINT c CHECK (col IS NOT NULL) NOT VALID; VALIDATE CONSTRAINT c (in a separate "
                "transaction); then SET NOT NULL, which uses the validated constraint; then drop the constraint",
)


def not_null_check_column(constraint):
    """``col`` for a ``CHECK (col IS NOT NULL)`` constraint, else None."""
    kind, expr = unwrap(constraint.get("raw_expr"))
    if kind != "NullTest" or expr.get("nulltesttype") != "IS_NOT_NULL":
        return None
    ck, col = unwrap(expr.get("arg"))
    if ck != "ColumnRef":
        return None
    fields = [f["String"]["sval"] for f in col.get("fields", ()) if "String" in f]
    return fields[-1] if fields else None


def check(node: Node, lint: FileLint) -> None:
    rel = lint.relation()
    if rel is None:
        return
    state = lint.state.setdefault(RULE.id, {"pending": {}, "proven": set(), "validated": set()})
    table = label(*rel)
    for cmd in lint.cmds():
        sub = cmd.get("subtype")
        if sub == "AT_AddConstraint":
            c = (cmd.get("def") or {}).get("Constraint", {})
            if c.get("contype") == "CONSTR_NOTNULL" and not c.get("skip_validation"):
                _not_null_constraint(c, rel, state, lint)
                continue
            col = not_null_check_column(c) if c.get("contype") == "CONSTR_CHECK" else None
            if col:
                if c.get("skip_validation"):
                    state["pending"][c.get("conname", "")] = (table, col)
                else:
                    state["proven"].add((table, col))
        elif sub == "AT_ValidateConstraint":
            found = state["pending"].pop(cmd.get("name", ""), None)
            if found:
                state["proven"].add(found)
            else:  # a constraint the database may hold NOT VALID: the live judgement looks at it
                state["validated"].add((table, cmd.get("name", "")))
        elif sub == "AT_SetNotNull":
            col = cmd.get("name", "")
            if lint.created_here(*rel) or (table, col) in state["proven"]:
                continue
            validated = sorted(name for t, name in state["validated"] if t == table)
            lint.hit(RULE, f"SET NOT NULL on {table}.{col} scans the table under an ACCESS EXCLUSIVE lock",
                     target=("table", rel[0], rel[1]), column=col, validated=validated)


def _not_null_constraint(c: Node, rel: tuple[str | None, str], state: dict[str, Any], lint: FileLint) -> None:
    """PostgreSQL 18's ``ADD CONSTRAINT name NOT NULL col``: the same scan as ``SET NOT NULL`` (``NOT VALID``
    skips it, and ``VALIDATE CONSTRAINT`` does it later under a lighter lock)."""
    table = label(*rel)
    for key in c.get("keys", ()):
        col = key.get("String", {}).get("sval", "")
        if not col or lint.created_here(*rel) or (table, col) in state["proven"]:
            continue
        validated = sorted(name for t, name in state["validated"] if t == table)
        added = f"ADD CONSTRAINT {c['conname']}" if c.get("conname") else "ADD"
        lint.hit(RULE, f"{added} NOT NULL {col} on {table} scans the table under an ACCESS EXCLUSIVE lock",
                 target=("table", rel[0], rel[1]), column=col, validated=validated)
