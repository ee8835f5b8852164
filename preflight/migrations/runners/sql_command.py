"""``sql_command``: the SQL of a migration written in a programming language, printed by the runner itself.

Alembic revisions, Django migrations and Rails migrations are code: preflight cannot know their SQL without
running the runner's own offline mode (``alembic upgrade A:B --sql``, ``manage.py sqlmigrate``), which imports
the project's code. It does so only when the config names the command, only for the lint, the guards and the
rehearsal, and only for pending migrations. The command is split like a shell line but runs without a shell, in the config
file's directory, with a time limit; a command that fails is an error naming the migration, never a pass.
"""

from __future__ import annotations

import shlex
import subprocess
from typing import TYPE_CHECKING

from preflight.errors import ReaderError

if TYPE_CHECKING:
    from preflight.migrations.target import MigrationsTarget

TIMEOUT_SECONDS = 300.0


def command_line(template: str, values: dict[str, str]) -> list[str]:
    """The argument list: the template split as a shell would split it, then each placeholder replaced inside
    its argument (so a value with spaces stays one argument)."""
    try:
        args = shlex.split(template)
    except ValueError as e:
        raise ReaderError(f"[targets.migrations] sql_command: cannot split {template!r}: {e}") from None
    out = []
    for arg in args:
        for key, value in values.items():
            arg = arg.replace("{" + key + "}", value)
        out.append(arg)
    return out


def run_sql_command(target: MigrationsTarget, values: dict[str, str], what: str) -> str:
    """What the command prints on stdout for ``what`` (a migration, a range of revisions)."""
    from preflight.secrets import scrub

    assert target.sql_command is not None
    args = command_line(target.sql_command, values)
    shown = " ".join(shlex.quote(a) for a in args)
    try:
        done = subprocess.run(args, cwd=target.base_dir, capture_output=True, timeout=TIMEOUT_SECONDS,
                              stdin=subprocess.DEVNULL, check=False)
    except FileNotFoundError:
        raise ReaderError(f"sql_command for {what}: {args[0]!r} not found (run from {target.base_dir})") from None
    except subprocess.TimeoutExpired:
        raise ReaderError(f"sql_command for {what} did not finish within {TIMEOUT_SECONDS:.0f}s: {scrub(shown)}"
                          ) from None
    except OSError as e:
        raise ReaderError(f"sql_command for {what}: cannot run {args[0]!r}: {e.strerror or e}") from None
    if done.returncode != 0:
        err = done.stderr.decode("utf-8", "replace").strip().splitlines()
        cause = err[-1] if err else "no message"
        raise ReaderError(f"sql_command for {what} failed (exit {done.returncode}): {scrub(shown)}: "
                          f"{scrub(cause)}")
    return done.stdout.decode("utf-8", "replace")


def strip_transaction_wrapper(sql: str) -> str:
    """The SQL without the ``BEGIN;`` / ``COMMIT;`` lines an offline mode prints around a migration it runs in a
    transaction: the migration's transaction says that already, and the lint would read them as nested."""
    lines = sql.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    last = next((i for i in range(len(lines) - 1, -1, -1) if lines[i].strip()), None)
    if first is None or last is None or first == last:
        return sql
    if lines[first].strip().upper() in ("BEGIN;", "BEGIN TRANSACTION;", "START TRANSACTION;") and \
            lines[last].strip().upper() in ("COMMIT;", "END;"):
        lines[first] = ""
        lines[last] = ""
    return "\n".join(lines)
