"""The migration does not parse: PostgreSQL will reject it and the rollout stops there.

preflight parses with PostgreSQL's own parser (libpg_query, through pglast), so a syntax error here is one the
server reports too. PL/pgSQL bodies of ``DO`` blocks and functions are compiled when they are created, so their
syntax errors fail the migration as well.

Example::

    ALTER TABLE orders ADD COLUMN note text,;
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="syntax-error",
    kind="error",
    squawk=("syntax-error",),
    nodes=(),
    reason="the SQL does not parse",
    alternative="fix the SQL; run it against a scratch database to see PostgreSQL's full error",
)


def check(node: Node, lint: FileLint) -> None:
    return None
