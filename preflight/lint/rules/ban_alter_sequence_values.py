"""``ALTER SEQUENCE`` changing its values can reissue identifiers or change their range.

RESTART, INCREMENT, MINVALUE/MAXVALUE, START or CYCLE change the identifiers clients receive, and may collide
with existing rows. Opt-in, like squawk's rule.

Example::

    ALTER SEQUENCE invoice_number_seq RESTART WITH 1;
"""

from __future__ import annotations

ID = "ban-alter-sequence-values"
KIND = "compat"
SQUAWK = ('ban-alter-sequence-values',)
OPT_IN = True
NODES = ('AlterSeqStmt',)
REASON = 'changing sequence values can reissue identifiers'
ALTERNATIVE = 'coordinate sequence changes with every client that uses its values'


def check(node, lint):
    opts = {o.get("DefElem", {}).get("defname") for o in node.get("options", ())}
    if opts & {"restart", "increment", "minvalue", "maxvalue", "start", "cycle", "as"}:
        lint.hit(ID, REASON, ALTERNATIVE)
