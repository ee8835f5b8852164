"""``ALTER TYPE ... ADD ATTRIBUTE`` changes the shape of a composite type.

Code that builds or unpacks the composite positionally breaks. Opt-in, like squawk's rule.

Example::

    ALTER TYPE address ADD ATTRIBUTE zip text;
"""

from __future__ import annotations

ID = "ban-add-composite-attribute"
KIND = "compat"
SQUAWK = ('ban-add-composite-attribute',)
OPT_IN = True
NODES = ('AlterTableStmt',)
SUBTYPES = frozenset({"AT_AddColumn"})
REASON = "adding an attribute changes the composite type's shape"
ALTERNATIVE = 'check the code that builds or reads the type before adding the attribute'


def check(node, lint):
    if node.get("objtype") != "OBJECT_TYPE":
        return
    for cmd in node.get("cmds", ()):
        if cmd.get("AlterTableCmd", {}).get("subtype") == "AT_AddColumn":
            lint.hit(ID, REASON, ALTERNATIVE)
