"""Judgements and helpers several of the newer runner modules share."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from preflight.migrations.model import Applied, Migration, Problem
from preflight.migrations.runners.base import ahead_problems

if TYPE_CHECKING:
    from preflight.migrations.target import MigrationsTarget

SQL_COMMAND_NOTE = " (SQL from sql_command)"


def pruned_or_ahead(runner: str, table: str, applied: list[Applied], migrations: list[Migration],
                    key: Callable[[str], Any], consequence: str) -> list[Problem]:
    """Applied migrations the release does not have. Those older than the release's oldest migration were
    most likely deleted on purpose once the schema dump held them (Rails, Django and Knex projects prune old
    migrations): information, saying so. Any other one means an older release against a newer schema."""
    missing = [a for a in applied if a.migration is None]
    if not missing:
        return []
    oldest = min((key(m.version) for m in migrations), default=None)
    pruned = [a for a in missing if oldest is not None and key(a.version) < oldest]
    pruned_ids = {id(a) for a in pruned}
    newer = [a for a in applied if id(a) not in pruned_ids]
    out = ahead_problems(runner, table, newer, migrations[-1] if migrations else None)
    if out:
        out[0] = dataclasses.replace(out[0], message=f"{out[0].message}; {consequence}")
    if pruned:
        names = ", ".join(a.label for a in pruned[:5]) + (f" and {len(pruned) - 5} more" if len(pruned) > 5 else "")
        out.append(Problem(
            kind="ahead", severity="info",
            message=(f"{table} records {len(pruned)} applied migration{'s' if len(pruned) != 1 else ''} older than "
                     f"this release's oldest ({names}): presumed pruned from the source on purpose, not checked"),
            remediation="nothing to do if they were removed on purpose after being applied everywhere",
            migration=pruned[0].label))
    return out


def fill_per_migration(target: MigrationsTarget, migrations: Iterable[Migration],
                       values: Callable[[Migration], dict[str, str]]) -> list[Migration]:
    """Run ``sql_command`` once per migration whose SQL is unknown; the others as they are."""
    from preflight.migrations.runners.sql_command import run_sql_command, strip_transaction_wrapper

    out = []
    for m in migrations:
        if m.not_sql is None or target.sql_command is None:
            out.append(m)
            continue
        sql = strip_transaction_wrapper(run_sql_command(target, values(m), m.name))
        out.append(with_command_sql(m, sql))
    return out


def with_command_sql(m: Migration, sql: str) -> Migration:
    return dataclasses.replace(m, sql=sql, sql_line=1, not_sql=None, file=m.file + SQL_COMMAND_NOTE)


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
