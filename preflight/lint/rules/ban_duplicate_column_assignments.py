"""An ``UPDATE`` or ``INSERT`` assigns the same column twice: PostgreSQL rejects the statement.

"multiple assignments to same column": the migration fails at this statement.

Example::

    UPDATE orders SET status = 'new', status = 'open' WHERE id = 1;
"""

from __future__ import annotations

ID = "ban-duplicate-column-assignments"
KIND = "compat"
SQUAWK = ('ban-duplicate-column-assignments',)
NODES = ('UpdateStmt', 'InsertStmt')
REASON = 'the statement assigns the same column twice and fails'
ALTERNATIVE = 'assign each column once'


LAZY = True  # an INSERT's seed rows are most of its parse tree: read its column list alone


def check(node, lint):
    if lint.stmt.kind == "UpdateStmt":
        targets = lint.stmt.node.get("targetList", ())
    else:
        targets = lint.field("cols") or ()
    names = [t.get("ResTarget", {}).get("name") for t in targets]
    dupes = sorted({n for n in names if n and names.count(n) > 1})
    if dupes:
        lint.hit(ID, f"column {', '.join(dupes)} assigned twice: PostgreSQL rejects the statement", ALTERNATIVE,
                 severity="failure")
