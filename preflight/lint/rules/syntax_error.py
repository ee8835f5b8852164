"""The migration does not parse, so nothing in it could be checked: could not decide.

preflight parses with PostgreSQL's own parser (libpg_query, through pglast), so a syntax error here is usually
one the server reports too, and the rollout stops there. PL/pgSQL bodies of ``DO`` blocks and functions are
compiled when they are created, so their syntax errors fail the migration as well. But the parser may be older
than the server (syntax it does not know yet), and a file may hold what only its runner reads (``psql``
meta-commands): either way, none of the file's statements were linted. So the finding is an ``error`` ("could
not decide", exit 3), not a failure; ``on_unknown = "warn"`` (``--on-unknown warn`` for ``preflight lint``)
reports it as a warning. A file that cannot be read as SQL at all (not UTF-8, nesting deeper than preflight can
walk) is reported the same way.

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
