"""``python -m preflight.lint [options] FILE...``: the lint alone, with no database and a lean start-up.

Prints one line per finding (``file:line:column: severity rule: message``), or a JSON list with ``--format json``;
exits 1 when a finding is a failure (acknowledged ones excepted), 2 on bad usage, else 0. ``preflight lint``
(the full CLI) does the same through :func:`preflight.lint.lint_files`; this entry point exists because a lint of
a migration directory takes a few tens of milliseconds, and the full CLI's imports would double it.
"""

from __future__ import annotations

import os
import sys

USAGE = ("usage: python -m preflight.lint [--transaction file|implicit|none] [--no-cache] [--format text|json] "
         "[--include RULE] [--exclude RULE] [--jobs N] FILE...")


def main(argv: list[str]) -> int:
    opts: dict[str, list[str]] = {"include": [], "exclude": []}
    transaction, fmt, no_cache, jobs = "implicit", "text", False, None
    paths: list[str] = []
    args = iter(argv)
    try:
        for a in args:
            if a == "--no-cache":
                no_cache = True
            elif a in ("--transaction", "--format", "--include", "--exclude", "--jobs"):
                value = next(args)
                if a == "--transaction":
                    transaction = value
                elif a == "--format":
                    fmt = value
                elif a == "--jobs":
                    jobs = int(value)
                else:
                    opts[a[2:]].extend(v for v in value.split(",") if v)
            elif a in ("-h", "--help"):
                print(USAGE)
                return 0
            elif a.startswith("-") and a != "-":
                raise ValueError(f"unknown option {a}")
            else:
                paths.append(a)
    except (StopIteration, ValueError) as e:
        print(f"{e or 'missing value'}\n{USAGE}", file=sys.stderr)
        return 2
    if not paths or transaction not in ("file", "implicit", "none") or fmt not in ("text", "json"):
        print(USAGE, file=sys.stderr)
        return 2

    from preflight.lint import analyze_sources, migration_name
    from preflight.lint.report import Selection, items

    try:
        selection = Selection(opts["include"], opts["exclude"])
    except ValueError as e:
        print(f"preflight lint: {e}", file=sys.stderr)
        return 2
    sources = []
    for p in paths:
        try:
            with open(p, "rb") as f:
                sources.append((f.read(), transaction))
        except OSError as e:
            print(f"preflight lint: {p}: cannot read: {e.strerror or e}", file=sys.stderr)
            return 2
    analyses = analyze_sources(sources, use_cache=not no_cache, jobs=jobs, enabled=frozenset(selection.enabled))
    failed = False
    out: list[str] = []
    records = []
    for path, analysis in zip(paths, analyses, strict=True):
        for item in items(analysis, selection):
            acknowledged = item["suppression"] is not None
            if item["severity"] == "failure" and not acknowledged:
                failed = True
            if fmt == "json":
                records.append({"file": path, "migration": migration_name(path), "line": item["line"],
                                "column": item["column"], "rule": item["rule"], "severity": item["severity"],
                                "message": item["message"], "statement": item["statement"],
                                "alternative": item["alternative"],
                                "suppressed": item["suppression"]})
            else:
                note = f" [acknowledged: {item['suppression']['reason']}]" if acknowledged else ""
                out.append(f"{path}:{item['line']}:{item['column']}: {item['severity']} {item['rule']}: "
                           f"{item['message']}{note}")
    if fmt == "json":
        from json import dumps

        sys.stdout.write(dumps(records, separators=(",", ":")) + "\n")
    elif out:
        sys.stdout.write("\n".join(out) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    code = main(sys.argv[1:])
    sys.stdout.flush()
    os._exit(code)  # the work is done and flushed: skip the interpreter's teardown of every module
