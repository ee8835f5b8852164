"""``python -m preflight.lint``: the same command as ``preflight lint``."""

from preflight.lint.command import lint

lint(prog_name="python -m preflight.lint")
