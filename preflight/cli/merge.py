"""``preflight merge``: the JSON reports of a sharded fleet run combined into one report and one exit code
(:mod:`preflight.fleet.merge` does the combining)."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command("merge")
@click.argument("reports", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "-f", "fmt", type=click.Choice(("text", "json", "junit", "markdown", "sarif", "github")),
              default="text", show_default=True, help="Report format on stdout.")
@click.option("--output", "-o", "outputs", multiple=True, metavar="FORMAT=PATH",
              help="Also write the merged report in FORMAT to PATH (repeatable).")
@click.option("--no-color", is_flag=True, help="No colour (also: the NO_COLOR environment variable).")
@click.option("--verbose", "-v", is_flag=True,
              help="Text and Markdown reports: show every info finding (by default counted per rule).")
def merge(reports: tuple[Path, ...], fmt: str, outputs: tuple[str, ...], no_color: bool, verbose: bool) -> None:
    """Combine the JSON reports of `preflight run --shard I/N` (all N of them) into one report.

    REPORTS are the shards' JSON files, or directories holding them (every *.json file in each).

    The exit code is the merged verdict, as `preflight run` would give it for the whole fleet: 0 safe, 1 blocked,
    3 could not decide (a missing shard is an error), 2 when the reports are not the shards of one run (different
    N, config or fleet, or a shard given twice).
    """
    from preflight.cli.main import _parse_outputs, emit, handle_errors, use_color
    from preflight.fleet.merge import merge_reports, read_reports

    @handle_errors
    def go() -> None:
        extra = _parse_outputs(outputs)
        report = merge_reports(read_reports(list(reports)))
        emit(report, fmt, extra, color=use_color(no_color), verbose=verbose)
        sys.exit(report.exit_code)

    go()
