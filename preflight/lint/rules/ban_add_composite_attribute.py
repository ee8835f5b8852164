"""``ALTER TYPE ... ADD ATTRIBUTE`` changes the shape of a composite type.

Code that builds or unpacks the composite positionally breaks. Opt-in, like squawk's rule.

Example::

    ALTER TYPE address ADD ATTRIBUTE zip text;
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="ban-add-composite-attribute",
    kind="compat",
    squawk=('ban-add-composite-attribute',),
    nodes=('AlterTableStmt',),
    subtypes=frozenset({"AT_AddColumn"}),
    opt_in=True,
    reason="adding an attribute changes the composite type's shape",
    alternative='check the code that builds or reads the type before adding the attribute',
)


def check(node: Node, lint: FileLint) -> None:
    if node.get("objtype") != "OBJECT_TYPE":
        return
    for cmd in node.get("cmds", ()):
        if cmd.get("AlterTableCmd", {}).get("subtype") == "AT_AddColumn":
            lint.hit(RULE, RULE.reason)
