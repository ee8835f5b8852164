"""``ALTER EXTENSION`` upgrades or changes an extension that other code depends on.

An extension update can change functions, types and operators used by every client. Opt-in, like squawk's
rule.

Example::

    ALTER EXTENSION postgis UPDATE;
"""

from __future__ import annotations

ID = "ban-alter-extension"
KIND = "compat"
SQUAWK = ('ban-alter-extension',)
OPT_IN = True
NODES = ('AlterExtensionStmt', 'AlterExtensionContentsStmt')
REASON = 'altering an extension changes objects every client may use'
ALTERNATIVE = 'upgrade extensions as a separate, tested operation'


def check(node, lint):
    lint.hit(ID, f"ALTER EXTENSION {node.get('extname', '')}: " + REASON, ALTERNATIVE)
