"""Adding a ``CHECK`` or ``FOREIGN KEY`` constraint without ``NOT VALID`` scans the table under a lock.

``ADD CONSTRAINT ... CHECK`` checks every row under an ``ACCESS EXCLUSIVE`` lock; ``ADD ... FOREIGN KEY`` holds
``SHARE ROW EXCLUSIVE`` on both tables while it checks every row. Adding the constraint ``NOT VALID`` is instant,
and ``VALIDATE CONSTRAINT`` later takes only a ``SHARE UPDATE EXCLUSIVE`` lock, which lets reads and writes go on
- but only in a separate transaction: validating in the same transaction as the ``NOT VALID`` add keeps the
stronger lock for the whole scan, which this rule reports too. A new column with ``REFERENCES`` also locks the
referenced table; one with its own ``CHECK`` (which cannot be ``NOT VALID``) is checked row by row under the
``ACCESS EXCLUSIVE`` lock of ``ADD COLUMN``.

Example::

    ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.nodes import constraints_of, label, relation
from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="constraint-missing-not-valid",
    kind="lock",
    squawk=("constraint-missing-not-valid", "adding-foreign-key-constraint"),
    nodes=("AlterTableStmt", "TransactionStmt"),
    subtypes=frozenset({"AT_AddConstraint", "AT_ValidateConstraint", "AT_AddColumn"}),
    reason="adding a constraint without NOT VALID scans the table under a lock",
    alternative="ADD CONSTRAINT ... NOT VALID in one migration, then ALTER TABLE ... VALIDATE CONSTRAINT in "
                "another transaction",
)


def check(node: Node, lint: FileLint) -> None:
    state = lint.state.setdefault(RULE.id, {})
    if lint.stmt.kind == "TransactionStmt":
        if node.get("kind") in ("TRANS_STMT_COMMIT", "TRANS_STMT_ROLLBACK"):
            state.clear()
        return
    rel = lint.relation()
    if rel is None or lint.created_here(*rel):
        return
    table = label(*rel)
    for cmd in lint.cmds():
        sub = cmd.get("subtype")
        if sub == "AT_AddConstraint":
            c = (cmd.get("def") or {}).get("Constraint", {})
            contype = c.get("contype")
            if contype not in ("CONSTR_CHECK", "CONSTR_FOREIGN"):
                continue
            what = "FOREIGN KEY" if contype == "CONSTR_FOREIGN" else "CHECK"
            if c.get("skip_validation"):
                if lint.in_transaction:
                    state[c.get("conname", "")] = what
                continue
            extra = ""
            if contype == "CONSTR_FOREIGN":
                ref = relation(c.get("pktable"))
                extra = f" and on {label(*ref)}" if ref else ""
            lint.hit(RULE, f"ADD {what} constraint {c.get('conname', '')} on {table} without NOT VALID checks every "
                     f"row under a lock on {table}{extra}".replace("  ", " "),
                     target=("table", rel[0], rel[1]))
        elif sub == "AT_ValidateConstraint" and cmd.get("name", "") in state:
            lint.hit(RULE, f"VALIDATE CONSTRAINT {cmd.get('name', '')} runs in the same transaction as the NOT VALID "
                     f"add, so {table} stays locked for the whole check",
                     target=("table", rel[0], rel[1]))
        elif sub == "AT_AddColumn":
            col = (cmd.get("def") or {}).get("ColumnDef", {})
            for c in constraints_of(col) if col else ():
                if c.get("contype") == "CONSTR_CHECK":
                    lint.hit(RULE, f"ADD COLUMN {col.get('colname', '')} with a CHECK constraint checks every row "
                             f"under an ACCESS EXCLUSIVE lock on {table} (a column's own CHECK cannot be NOT VALID)",
                             alternative="add the column without the CHECK, then ADD CONSTRAINT ... CHECK (...) NOT "
                             "VALID and VALIDATE it in another transaction",
                             target=("table", rel[0], rel[1]))
                elif c.get("contype") == "CONSTR_FOREIGN" and not c.get("skip_validation"):
                    ref = relation(c.get("pktable"))
                    lint.hit(RULE, f"ADD COLUMN {col.get('colname', '')} REFERENCES "
                             f"{label(*ref) if ref else '...'} locks {table} and the referenced table while the "
                             "key is added", alternative="add the column without REFERENCES, then ADD CONSTRAINT ... FOREIGN "
                             "KEY ... NOT VALID and VALIDATE it in another transaction",
                             target=("table", rel[0], rel[1]))

