"""``timestamp`` (without time zone) stores wall-clock times that mean different instants to different sessions.

timestamptz stores an instant and converts it for each session's time zone; timestamp stores whatever the
client sent, and comparisons across time zones or DST changes go wrong. Reported for information.

Example::

    CREATE TABLE events (created_at timestamp NOT NULL);
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="prefer-timestamp-tz",
    kind="style",
    squawk=('prefer-timestamp-tz', 'prefer-timestamptz'),
    nodes=('CreateStmt', 'AlterTableStmt'),
    subtypes=frozenset({"AT_AddColumn"}),
    reason='timestamp without time zone is ambiguous',
    alternative='timestamptz (timestamp with time zone)',
)


def check(node: Node, lint: FileLint) -> None:
    for col in lint.column_types():
        if col.name == "timestamp":
            lint.hit(RULE, f"{col.table}.{col.column} is timestamp without time zone: prefer timestamptz")
