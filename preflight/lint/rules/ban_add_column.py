"""Adding a column changes ``SELECT *`` results and breaks positional inserts.

Clients that read SELECT * into a fixed shape, or INSERT without a column list, break. Opt-in, like squawk's
rule; columns of tables created earlier in the file are not reported.

Example::

    ALTER TABLE accounts ADD COLUMN status text;
"""

from __future__ import annotations

from preflight.lint.nodes import label

ID = "ban-add-column"
KIND = "compat"
SQUAWK = ('ban-add-column',)
OPT_IN = True
NODES = ('AlterTableStmt',)
SUBTYPES = frozenset({"AT_AddColumn"})
REASON = "adding a column changes the table's shape for existing clients"
ALTERNATIVE = 'check clients that use SELECT * or positional inserts before adding the column'


def check(node, lint):
    if node.get("objtype", "OBJECT_TABLE") not in ("OBJECT_TABLE", "OBJECT_FOREIGN_TABLE"):
        return
    rel = lint.relation()
    if rel is None or lint.created_here(*rel):
        return
    for cmd in node.get("cmds", ()):
        c = cmd.get("AlterTableCmd", {})
        if c.get("subtype") == "AT_AddColumn":
            name = (c.get("def") or {}).get("ColumnDef", {}).get("colname", "")
            lint.hit(ID, f"ADD COLUMN {name} changes the shape of {label(*rel)} for existing clients", ALTERNATIVE)
