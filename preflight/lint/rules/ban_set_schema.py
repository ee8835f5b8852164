"""``SET SCHEMA`` moves an object to another schema, out of the running code's reach.

Queries of the running release that name the object (or find it through search_path) fail once it moves.

Example::

    ALTER TABLE orders SET SCHEMA archive;
"""

from __future__ import annotations

ID = "ban-set-schema"
KIND = "compat"
SQUAWK = ('ban-set-schema',)
NODES = ('AlterObjectSchemaStmt',)
REASON = 'moving an object to another schema breaks code that names it'
ALTERNATIVE = 'create the object in the new schema alongside (or a view in the old one) and switch code first'


def check(node, lint):
    what = node.get("objectType", "").replace("OBJECT_", "").lower()
    lint.hit(ID, f"SET SCHEMA {node.get('newschema', '')} moves the {what} out of the running code's reach", ALTERNATIVE)
