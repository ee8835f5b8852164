"""``timestamp`` (without time zone) stores wall-clock times that mean different instants to different sessions.

timestamptz stores an instant and converts it for each session's time zone; timestamp stores whatever the
client sent, and comparisons across time zones or DST changes go wrong. Reported for information.

Example::

    CREATE TABLE events (created_at timestamp NOT NULL);
"""

from __future__ import annotations

ID = "prefer-timestamp-tz"
KIND = "style"
SQUAWK = ('prefer-timestamp-tz', 'prefer-timestamptz')
NODES = ('CreateStmt', 'AlterTableStmt')
SUBTYPES = frozenset({"AT_AddColumn"})
REASON = 'timestamp without time zone is ambiguous'
ALTERNATIVE = 'timestamptz (timestamp with time zone)'

LAZY = True  # reads column types only (lint.column_types), not whole table definitions


def check(node, lint):
    for col in lint.column_types():
        if col.name == "timestamp":
            lint.hit(ID, f"{col.table}.{col.column} is timestamp without time zone: prefer timestamptz", ALTERNATIVE)
