"""``ALTER EXTENSION`` upgrades or changes an extension that other code depends on.

An extension update can change functions, types and operators used by every client. Opt-in, like squawk's
rule.

Example::

    ALTER EXTENSION postgis UPDATE;
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="ban-alter-extension",
    kind="compat",
    squawk=('ban-alter-extension',),
    nodes=('AlterExtensionStmt', 'AlterExtensionContentsStmt'),
    opt_in=True,
    reason='altering an extension changes objects every client may use',
    alternative='upgrade extensions as a separate, tested operation',
)


def check(node: Node, lint: FileLint) -> None:
    lint.hit(RULE, f"ALTER EXTENSION {node.get('extname', '')}: " + RULE.reason)
