"""``preflight merge``: the JSON reports of a sharded fleet run combined into one report and one exit code.

Each shard report carries its place (``fleet.shard``: index and count) and a fingerprint of the config, the checks
selected and the whole fleet. Reports merge only when they are all shards of one N with one fingerprint, each
index once: anything else is a usage error (exit 2), because the reports do not describe one rollout. A shard
whose report is missing is an ``error`` in the merged report (its members were not checked: exit 3 at best).

The merged report is the report one unsharded run would have written: every check's members from all shards,
sorted by name, folded again (``max_unreachable`` is settled over all of them); a check that ran once per shard
(the image, say) keeps the worst shard's result; a waiver is reported unused only when no shard used it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from preflight.errors import UsageError
from preflight.fleet.outcome import Fleet, FleetMember
from preflight.fleet.shard import Shard
from preflight.model import CheckReport, Finding, Location, MemberReport, Report, Severity, Status

SCHEMA_ID = "preflight.report/v1"
_RANK = {Status.FAIL: 0, Status.ERROR: 1, Status.WARN: 2, Status.PASS: 3, Status.SKIP: 4}


def read_reports(paths: list[Path]) -> list[tuple[str, dict[str, Any]]]:
    """The reports at ``paths``; a directory stands for the ``*.json`` files in it (where no shell expands a glob,
    as in a Kubernetes Job's args)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(path.glob("*.json"))
            if not found:
                raise UsageError(f"{path}: no *.json reports in this directory")
            files += found
        else:
            files.append(path)
    out = []
    for path in files:
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise UsageError(f"{path}: no such report") from None
        except (OSError, UnicodeDecodeError) as e:
            raise UsageError(f"{path}: cannot read: {e}") from None
        except json.JSONDecodeError as e:
            raise UsageError(f"{path}:{e.lineno}: not JSON: {e.msg} (write shard reports with --format json or "
                             "--output json=PATH)") from None
        if not isinstance(doc, dict) or doc.get("schema") != SCHEMA_ID:
            raise UsageError(f"{path}: not a preflight JSON report ({SCHEMA_ID})")
        shard = (doc.get("fleet") or {}).get("shard")
        if not isinstance(shard, dict):
            raise UsageError(f"{path}: not a shard report: it was not written by `preflight run --shard I/N`")
        out.append((str(path), doc))
    return out


def merge_reports(reports: list[tuple[str, dict[str, Any]]]) -> Report:
    if not reports:
        raise UsageError("no reports to merge")
    first_path, first = reports[0]
    count = first["fleet"]["shard"]["count"]
    fingerprint = first["fleet"]["fingerprint"]
    by_index: dict[int, tuple[str, dict[str, Any]]] = {}
    for path, doc in reports:
        shard = Shard(doc["fleet"]["shard"]["index"], doc["fleet"]["shard"]["count"])
        if shard.count != count:
            raise UsageError(f"{path} is shard {shard} but {first_path} is of {count} shards: the reports come from "
                             "different --shard N")
        if doc["fleet"]["fingerprint"] != fingerprint:
            raise UsageError(f"{path} and {first_path} were run with different configs, checks or fleets "
                             "(their fingerprints differ): they are not shards of one run")
        if shard.index in by_index:
            raise UsageError(f"shard {shard} is given twice: {by_index[shard.index][0]} and {path}")
        by_index[shard.index] = (path, doc)
    docs = [by_index[i][1] for i in sorted(by_index)]
    missing = [i for i in range(count) if i not in by_index]

    checks: list[CheckReport] = []
    for i, entry in enumerate(docs[0]["checks"]):
        if entry["type"] == "waiver":
            continue
        same = [d["checks"][i] for d in docs]
        if any(c["id"] != entry["id"] for c in same):
            raise UsageError(f"the shard reports list different checks at position {i + 1}")
        if any("members" in c for c in same):
            members = sorted((_member(m, c) for c in same for m in c.get("members", ())), key=lambda m: m.member)
            checks.append(CheckReport(id=entry["id"], type=entry["type"], status=Status.SKIP, summary="",
                                      members=members))
        else:
            checks.append(min((_check(c) for c in same), key=lambda c: (not c.blocks, _RANK[c.status])))
    checks += _waiver_checks(docs)
    if missing:
        got = ", ".join(str(i) for i in sorted(by_index))
        checks.append(CheckReport(
            id="fleet:shards", type="fleet", status=Status.ERROR,
            summary=f"{len(missing)} of {count} shard reports missing (shard {', '.join(f'{i}/{count}' for i in missing)}"
                    f"): their members were not checked (merged shards {got})",
            remediation=f"run the missing shards (preflight run --shard {missing[0]}/{count} ...) and merge all "
                        f"{count} reports"))

    fleets = [d["fleet"] for d in docs]
    everyone = sorted((FleetMember(m["name"], m["dsn"], m["unreachable"]) for f in fleets for m in f["members"]),
                      key=lambda m: m.name)
    fleet = Fleet(size=fleets[0]["size"], source=fleets[0]["source"], members=everyone, fingerprint=fingerprint,
                  max_unreachable=fleets[0]["max_unreachable"], patterns=list(fleets[0]["member_patterns"]),
                  shards=len(docs))
    fleet.settle(checks)
    return Report(checks=checks, targets=docs[0]["targets"], config_file=docs[0].get("config_file"),
                  fail_on_warn=docs[0].get("fail_on") == "warn", run_waivers=list(docs[0].get("run_waivers", [])),
                  duration_ms=max(d.get("duration_ms", 0) for d in docs), fleet=fleet)


def _waiver_checks(docs: list[dict[str, Any]]) -> list[CheckReport]:
    """The reports about waivers themselves: an expired waiver from any shard; an unused one only when no shard
    used it (a waiver may match members of one shard only)."""
    out: dict[str, CheckReport] = {}
    seen: dict[str, int] = {}
    for d in docs:
        for c in d["checks"]:
            if c["type"] != "waiver":
                continue
            seen[c["id"]] = seen.get(c["id"], 0) + 1
            out.setdefault(c["id"], _check(c))
    return [c for cid, c in out.items() if c.status is Status.FAIL or seen[cid] == len(docs)]


def _finding(f: dict[str, Any]) -> Finding:
    loc = f.get("location")
    return Finding(Severity(f["severity"]), f["message"],
                   location=Location(loc["file"], loc.get("line"), loc.get("column")) if loc else None,
                   rule=f.get("rule"), migration=f.get("migration"), data=f.get("data", {}),
                   waived_by=f.get("waived_by"))


def _check(c: dict[str, Any]) -> CheckReport:
    return CheckReport(id=c["id"], type=c["type"], status=Status(c["status"]), summary=c["summary"],
                       details=c.get("details", {}), remediation=c.get("remediation"),
                       findings=[_finding(f) for f in c.get("findings", ())], waived=c.get("waived", False),
                       waiver=c.get("waiver"), duration_ms=c.get("duration_ms", 0), traceback=c.get("traceback"))


def _member(m: dict[str, Any], check: dict[str, Any]) -> MemberReport:
    return MemberReport(id=check["id"], type=check["type"], status=Status(m["status"]), summary=m["summary"],
                        details=m.get("details", {}), remediation=m.get("remediation"),
                        findings=[_finding(f) for f in m.get("findings", ())], waived=m.get("waived", False),
                        waiver=m.get("waiver"), duration_ms=m.get("duration_ms", 0), traceback=m.get("traceback"),
                        member=m["member"], unreachable=m.get("unreachable", False))


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
    from preflight.cli import _parse_outputs, emit, handle_errors, use_color

    @handle_errors
    def go() -> None:
        extra = _parse_outputs(outputs)
        report = merge_reports(read_reports(list(reports)))
        emit(report, fmt, extra, color=use_color(no_color), verbose=verbose)
        sys.exit(report.exit_code)

    go()
