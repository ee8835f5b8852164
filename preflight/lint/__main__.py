"""``python -m preflight.lint``: the same command as ``preflight lint``."""

from preflight.cli.lint import lint

lint(prog_name="python -m preflight.lint")
