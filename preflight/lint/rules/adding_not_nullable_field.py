"""``SET NOT NULL`` scans the whole table under an ``ACCESS EXCLUSIVE`` lock.

PostgreSQL checks every row before it marks the column ``NOT NULL``, blocking reads and writes meanwhile, unless
a validated ``CHECK (column IS NOT NULL)`` constraint proves it already (PostgreSQL 12 and later), or the column
is already ``NOT NULL`` (a primary key's columns are). PostgreSQL 18's named constraint, ``ADD CONSTRAINT name
NOT NULL column``, scans the same way unless it is added ``NOT VALID``.

What the migration itself proves silences the rule: a ``CHECK (column IS NOT NULL)`` added earlier in the file
without ``NOT VALID``, or added ``NOT VALID`` and validated earlier in the file. Otherwise, without the database
the lint cannot know whether the column is already ``NOT NULL`` or such a check exists, so the finding is
conditional: "scans the table ... unless the column is already NOT NULL or a validated CHECK (column IS NOT
NULL) exists" (in JSON, ``data.condition.unless_not_null`` names the columns). With the database at hand, the lint reads
the column and its constraints, the checks that earlier pending migrations (and earlier statements of this one)
add and validate, and the server's version: when the scan is skipped the finding is information and says why;
otherwise it says the statement scans, without condition. The earlier pending statements are followed by name: a
table or column they rename is looked up by its name in the database, ``NOT NULL`` they set or drop (or a column
they add) decides the column's own ``NOT NULL``, and after a ``DROP NOT NULL`` a validated check of the database
still proves it, unless they dropped that check. A column the database does not have yet (added by a pending
migration ``IF NOT EXISTS``) keeps the conditional finding.
Without the database, a column the files linted before it made NOT NULL (or proved with a validated ``CHECK
(col IS NOT NULL)``), with nothing the lint cannot follow since, skips the scan: the finding says so, with the
file and line, as information.

``ADD PRIMARY KEY USING INDEX`` sets the index's columns ``NOT NULL`` the same way: with the database, the lint
reads the index's columns and reports the scan when one of them is not proven not null (none when all are);
without the database it cannot know the columns, and says nothing.

Example::

    ALTER TABLE accounts ALTER COLUMN email SET NOT NULL;
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.nodes import label
from preflight.lint.rules import Rule
from preflight.sql.schema_changes import not_null_check_column

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


WITHOUT_DATABASE = "without the database the lint cannot tell"


def unless(columns: list[str], why: str = WITHOUT_DATABASE) -> str:
    """The condition under which the statement reads no row (every column it sets NOT NULL is proven already),
    as the finding words it when the lint cannot settle it (``why``)."""
    if len(columns) == 1:
        c = columns[0]
        return f"unless {c} is already NOT NULL or a validated CHECK ({c} IS NOT NULL) exists: {why}"
    return (f"unless {' and '.join(columns)} are each already NOT NULL or proven by a validated CHECK (column IS NOT "
            f"NULL): {why}")


def _validated_here(validated: list[str]) -> str:
    if not validated:
        return ""
    return (f"; this migration validates {', '.join(validated)} before it, which proves the column if it is such a "
            "check")


def check(node: Node, lint: FileLint) -> None:
    rel = lint.relation()
    if rel is None:
        return
    state = lint.state.setdefault(RULE.id, {"pending": {}, "proven": set(), "validated": set()})
    table = label(*rel)
    scanned: list[tuple[str, str]] = []  # (column, how the statement sets it NOT NULL)
    primary_keys: list[str] = []  # ADD PRIMARY KEY USING INDEX: the index
    for cmd in lint.cmds():
        sub = cmd.get("subtype")
        if sub == "AT_AddConstraint":
            c = (cmd.get("def") or {}).get("Constraint", {})
            if c.get("contype") == "CONSTR_PRIMARY" and c.get("indexname"):
                primary_keys.append(c["indexname"])
                continue
            if c.get("contype") == "CONSTR_NOTNULL" and not c.get("skip_validation"):
                added = f"ADD CONSTRAINT {c['conname']}" if c.get("conname") else "ADD"
                for key in c.get("keys", ()):
                    col = key.get("String", {}).get("sval", "")
                    if col:
                        scanned.append((col, f"{added} NOT NULL {col} on {table}"))
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
            scanned.append((col, f"SET NOT NULL on {table}.{col}"))
    if lint.created_here(*rel):
        return
    # PostgreSQL 18's ADD CONSTRAINT name NOT NULL col scans like SET NOT NULL (NOT VALID skips it, and VALIDATE
    # CONSTRAINT does it later under a lighter lock). One statement reads the table once, unless every column it
    # sets NOT NULL is proven already.
    scanned = [(col, head) for col, head in scanned if (table, col) not in state["proven"]]
    columns = list(dict.fromkeys(col for col, _ in scanned))
    validated = sorted(name for t, name in state["validated"] if t == table)
    for index in primary_keys:  # its columns are the index's: a candidate the live judgement settles
        lint.hit(RULE, f"ADD PRIMARY KEY USING INDEX {index} on {table} scans the table under an ACCESS EXCLUSIVE "
                 "lock: it sets the index's columns NOT NULL", target=("table", rel[0], rel[1]),
                 index=label(rel[0], index), validated=validated, candidate=True)
    for col, head in scanned:
        lint.hit(RULE, f"{head} scans the table under an ACCESS EXCLUSIVE lock {unless(columns)}"
                 f"{_validated_here(validated)}",
                 target=("table", rel[0], rel[1]), column=col, validated=validated, unless_not_null=columns)
