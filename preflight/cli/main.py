"""The ``preflight`` command line.

Only click is imported at start-up: every subcommand imports what it needs when it runs, so ``preflight
--version`` and ``preflight --help`` stay fast and never import psycopg, pglast or jinja2.
"""

from __future__ import annotations

import datetime
import importlib
import os
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from preflight import __version__

if TYPE_CHECKING:
    from preflight.config import Config
    from preflight.model import CheckReport, Report

EXIT_USAGE = 2
EXIT_UNDECIDED = 3
FORMAT_NAMES = ("text", "json", "junit", "markdown", "sarif", "github")

# Subcommands that live in other modules, imported only when invoked: name -> ("module:attribute", short help).
LAZY_COMMANDS: dict[str, tuple[str, str]] = {
    "migrations": ("preflight.cli.migrations:migrations",
                   "Print the pending migrations, in the order the runner will run them."),
    "lint": ("preflight.cli.lint:lint", "Lint migration files: no config, no database."),
    "demo": ("preflight.cli.demo:demo", "Replay the incident preflight exists for, on a throwaway database."),
    "init": ("preflight.cli.init:init", "Write a starter preflight.toml for the project in this directory."),
    "merge": ("preflight.cli.merge:merge", "Combine the JSON reports of a sharded fleet run into one report."),
    "rehearse": ("preflight.cli.rehearse:rehearse",
                 "Rehearse the pending migrations on a copy of the live schema: outcome, locks, rewrites."),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *LAZY_COMMANDS])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY_COMMANDS:
            path, short = LAZY_COMMANDS[cmd_name]
            module_name, _, attr = path.partition(":")
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError as e:
                if e.name and module_name.startswith(e.name):
                    return _unavailable(cmd_name, short)
                raise
            return getattr(module, attr)  # type: ignore[no-any-return]
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            if name in LAZY_COMMANDS:
                rows.append((name, LAZY_COMMANDS[name][1]))
            else:
                cmd = super().get_command(ctx, name)
                if cmd is not None and not cmd.hidden:
                    rows.append((name, cmd.get_short_help_str(80)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def _unavailable(name: str, short: str) -> click.Command:
    @click.command(name=name, help=short)
    def cmd() -> None:
        fail(f"the {name!r} command is not available in this installation")

    return cmd


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """One line on stderr and the exit code. The message may name files, keys and values from outside: its
    control characters are shown escaped, so it stays one line."""
    from preflight.escaping import ci_lines, control

    click.echo(ci_lines(f"preflight: error: {control(message)}"), err=True)
    sys.exit(code)


def handle_errors(fn: Any) -> Any:
    """One line and a distinct exit code for every known error; a traceback only with --debug."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        import signal
        import threading

        from preflight.errors import PreflightError

        previous = None
        if threading.current_thread() is threading.main_thread():
            previous = signal.signal(signal.SIGTERM, _terminated)
        try:
            return fn(*args, **kwargs)
        except PreflightError as e:
            if kwargs.get("debug"):
                import traceback

                traceback.print_exc()
            from preflight.secrets import scrub

            fail(scrub(e.message), e.exit_code)
        except KeyboardInterrupt as e:
            # Unwinding removes what the command started (a rehearsal's database and server); the exit code is
            # the shell's for the signal: 130 for Ctrl-C, 143 for SIGTERM.
            signum = e.signum if isinstance(e, Terminated) else signal.SIGINT
            click.echo(f"preflight: interrupted ({signal.Signals(signum).name})", err=True)
            sys.exit(128 + signum)
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)

    return wrapper


class Terminated(KeyboardInterrupt):
    """SIGTERM (a cancelled CI job), unwound like Ctrl-C so that everything started is removed."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _terminated(signum: int, frame: Any) -> None:
    raise Terminated(signum)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="preflight", message="%(prog)s %(version)s")
def main() -> None:
    """Rollout safety checks: run before a deploy, exit non-zero to block it.

    preflight reads what is about to ship (the image, its migrations) and the database it will meet, runs the
    checks in preflight.toml and prints a pass/fail report.

    \b
    Exit codes: 0 safe to roll out, 1 blocked by a failure, 2 usage or config error, 3 could not decide
    (an error, e.g. database down: blocks too).
    """


def config_option(fn: Any) -> Any:
    return click.option("--config", "-c", "config_path", type=click.Path(path_type=Path),
                        help="Config file (default: preflight.toml here or in a parent, or [tool.preflight] in "
                             "pyproject.toml).")(fn)


def target_options(fn: Any) -> Any:
    fn = click.option("--migrations", "migrations", metavar="SOURCE",
                      help="Override [targets.migrations] source.")(fn)
    fn = click.option("--image", "image", metavar="REF", help="Override [targets.image] ref.")(fn)
    fn = click.option("--dsn", "dsn", metavar="DSN", help="Override [targets.database] dsn.")(fn)
    return fn


def load_config(config_path: Path | None, dsn: str | None = None, image: str | None = None,
                migrations: str | None = None, *, unset_env: str = "error", defer_dsn_check: bool = False) -> Config:
    from preflight import config as config_mod
    from preflight.secrets import register_environment_secrets

    register_environment_secrets()
    return config_mod.load(config_path, overrides={"dsn": dsn, "image": image, "migrations": migrations},
                           unset_env="warn" if unset_env == "warn" else "error", defer_dsn_check=defer_dsn_check)


def _parse_outputs(outputs: tuple[str, ...]) -> list[tuple[str, Path]]:
    """``--output FORMAT=PATH`` items, checked before anything runs: the format is known and PATH's directory
    exists (preflight never creates directories: a mistyped path must not plant a tree anywhere, as root least
    of all)."""
    parsed = []
    for item in outputs:
        fmt, sep, path = item.partition("=")
        if not sep or not path:
            fail(f"--output {item!r}: expected FORMAT=PATH, e.g. --output junit=report.xml")
        if fmt not in FORMAT_NAMES:
            fail(f"--output {item!r}: unknown format {fmt!r} (known: {', '.join(FORMAT_NAMES)})")
        target = Path(path)
        parent = target.parent
        if not parent.is_dir():
            what = "is not a directory" if parent.exists() else "does not exist"
            fail(f"--output {item!r}: directory {str(parent)!r} {what} (preflight does not create directories)")
        if target.is_dir():
            fail(f"--output {item!r}: {path!r} is a directory; name a file in it")
        parsed.append((fmt, target))
    return parsed


class Progress:
    """A live line on stderr naming the checks still running (only on a TTY, and not with --quiet)."""

    def __init__(self, total: int, enabled: bool):
        self.total = total
        self.enabled = enabled
        self.running: list[str] = []
        self.done = 0
        self.lock = threading.Lock()

    def __call__(self, event: str, check_id: str, report: CheckReport | None) -> None:
        if not self.enabled:
            return
        with self.lock:
            if event == "total":  # a fleet run: checks once per member, counted once the members are known
                self.total = int(check_id)
                return
            if event == "start":
                self.running.append(check_id)
            else:
                if check_id in self.running:
                    self.running.remove(check_id)
                self.done += 1
            line = f"[{self.done}/{self.total}] running: {', '.join(self.running)}" if self.running else ""
            width = 100
            sys.stderr.write("\r" + line[:width].ljust(width) + ("\r" if not line else ""))
            sys.stderr.flush()

    def clear(self) -> None:
        if self.enabled:
            sys.stderr.write("\r" + " " * 100 + "\r")
            sys.stderr.flush()


def use_color(no_color: bool) -> bool:
    return not no_color and "NO_COLOR" not in os.environ and sys.stdout.isatty()


@main.command()
@config_option
@click.option("--format", "-f", "fmt", type=click.Choice(FORMAT_NAMES), default="text", show_default=True,
              help="Report format on stdout.")
@click.option("--output", "-o", "outputs", multiple=True, metavar="FORMAT=PATH",
              help="Also write a report in FORMAT to PATH (repeatable).")
@click.option("--only", multiple=True, metavar="ID", help="Run only these check ids (globs allowed; repeatable).")
@click.option("--skip", multiple=True, metavar="ID", help="Skip these check ids (globs allowed; repeatable).")
@target_options
@click.option("--member", "members", multiple=True, metavar="NAME",
              help="Fleet: check only these members (globs allowed; repeatable).")
@click.option("--shard", metavar="I/N", help="Fleet: check only shard I (from 0) of N, e.g. 0/4; combine the "
                                              "shards' JSON reports with `preflight merge`.")
@click.option("--deadline", metavar="DURATION", help='Overall deadline, e.g. "2m" (default: [run] deadline).')
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Checks run at once (default: [run] jobs).")
@click.option("--fail-on", type=click.Choice(["fail", "warn"]), help='"warn": warnings block the rollout too.')
@click.option("--waive", "waive", multiple=True, metavar="ID",
              help="Waive check ID for this run only; needs a --reason for each --waive.")
@click.option("--reason", "reasons", multiple=True, metavar="TEXT", help="Why the matching --waive is acceptable.")
@click.option("--no-color", is_flag=True, help="No colour (also: the NO_COLOR environment variable).")
@click.option("--quiet", "-q", is_flag=True, help="No progress line on stderr.")
@click.option("--verbose", "-v", is_flag=True,
              help="Text and Markdown reports: show every info finding (by default counted per rule).")
@click.option("--no-cache", is_flag=True, help="Do not use the lint's parse cache.")
@click.option("--debug", is_flag=True, help="Add tracebacks to errors.")
@handle_errors
def run(config_path: Path | None, fmt: str, outputs: tuple[str, ...], only: tuple[str, ...], skip: tuple[str, ...],
        dsn: str | None, image: str | None, migrations: str | None, members: tuple[str, ...], shard: str | None,
        deadline: str | None, jobs: int | None,
        fail_on: str | None, waive: tuple[str, ...], reasons: tuple[str, ...], no_color: bool, quiet: bool,
        verbose: bool, no_cache: bool, debug: bool) -> None:
    """Run the checks and print the report; the exit code is the verdict."""
    from preflight import engine
    from preflight.config import Waiver
    from preflight.errors import ConfigError
    from preflight.fleet.shard import Shard
    from preflight.typed import Duration

    extra = _parse_outputs(outputs)
    slice_ = Shard.parse(shard) if shard is not None else None
    if len(waive) != len(reasons):
        fail("every --waive ID needs its own --reason TEXT (a reason is required)")
    cfg = load_config(config_path, dsn, image, migrations)
    ids = {c.id for c in cfg.checks}
    run_waivers = []
    today = datetime.date.today()
    for wid, why in zip(waive, reasons, strict=True):
        if wid not in ids:
            raise ConfigError(f"--waive {wid!r}: no check with that id in the config")
        if not why.strip():
            fail(f"--waive {wid!r}: the --reason must not be empty")
        w = Waiver(check=wid, reason=why, expires=today)
        w.from_command_line = True
        run_waivers.append(w)
    deadline_s = None
    if deadline is not None:
        try:
            deadline_s = float(Duration.parse(deadline))
        except ValueError as e:
            fail(f"--deadline: {e}")
    selected = engine.select(cfg, list(only), list(skip))
    progress = Progress(len(selected), enabled=not quiet and sys.stderr.isatty())
    opts = engine.RunOptions(only=list(only), skip=list(skip), deadline=deadline_s, jobs=jobs, debug=debug,
                             fail_on_warn=None if fail_on is None else fail_on == "warn",
                             run_waivers=run_waivers, today=today, options={"no_cache": no_cache},
                             progress=progress, members=list(members), shard=slice_)
    try:
        report = engine.run(cfg, opts)
    finally:
        progress.clear()
    emit(report, fmt, extra, color=use_color(no_color), verbose=verbose)
    sys.exit(report.exit_code)


def emit(report: Report, fmt: str, extra: list[tuple[str, Path]], color: bool, verbose: bool = False) -> None:
    from preflight.reports import render

    for out_fmt, path in extra:
        try:
            path.write_text(render(out_fmt, report, verbose=verbose), encoding="utf-8")
        except OSError as e:
            fail(f"--output {out_fmt}={path}: cannot write: {e.strerror or e}", EXIT_UNDECIDED)
    click.echo(render(fmt, report, color=color, verbose=verbose), nl=False)


@main.command()
@config_option
@target_options
@handle_errors
def validate(config_path: Path | None, dsn: str | None, image: str | None, migrations: str | None) -> None:
    """Check a config without running it: keys, types, targets and waivers.

    Nothing is reached (no database, image or file of migrations): the DSN, image reference and platform are
    checked for their syntax. An environment variable that is not set is a warning naming it (CI validates
    configs where the secrets are absent); `preflight run` fails on it. Exit code 0 when the config is valid,
    2 when it is not."""
    from preflight.escaping import control

    cfg = load_config(config_path, dsn, image, migrations, unset_env="warn")
    fleet = ""
    database = cfg.targets.database
    if database is not None and database.fleet is not None and not database.fleet.query:
        from preflight.fleet.members import load_members

        fleet = f", a fleet of {len(load_members(database))} members"  # a member file's mistakes, found now
    for warning in cfg.warnings:
        click.echo(f"preflight: warning: {control(warning)}", err=True)
    click.echo(control(f"{cfg.file or 'config'}: ok ({len(cfg.checks)} checks, {len(cfg.waivers)} waivers, "
                       f"targets: {', '.join(n for n in ('database', 'image', 'migrations') if getattr(cfg.targets, n)) or 'none'}"
                       + fleet
                       + (f"; {len(cfg.warnings)} warning{'s' if len(cfg.warnings) != 1 else ''}" if cfg.warnings else "")
                       + ")"))


@main.command("checks")
def list_checks() -> None:
    """List the installed check types with one-line summaries."""
    from preflight import plugin

    reg = plugin.registry()
    width = max((len(n) for n in reg), default=10)
    for name, ct in reg.items():
        click.echo(f"{name.ljust(width)}  {ct.summary}")


@main.command()
@click.argument("name")
def explain(name: str) -> None:
    """Print the documentation of a check type (or a lint rule) and its keys."""
    from preflight import plugin
    from preflight.docs import explain_check, explain_rule

    ct = plugin.get(name)
    if ct is not None:
        if ct.module is None:
            fail(f"check type {name!r} cannot be loaded: {ct.load_error}")
        click.echo(explain_check(ct))
        return
    text = explain_rule(name)
    if text is not None:
        click.echo(text)
        return
    fail(f"no check type or lint rule named {name!r} (see `preflight checks`)")


@main.command()
def schema() -> None:
    """Print the JSON Schema of the JSON report."""
    import json

    from preflight.reports.json_report import schema as report_schema

    click.echo(json.dumps(report_schema(), indent=2, sort_keys=True))
