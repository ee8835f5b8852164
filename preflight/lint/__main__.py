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


CHUNK = 128  # pieces of output (lines, records) per write


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

    from preflight.lint import iter_analyses, migration_name
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
    analyses = iter_analyses(sources, use_cache=not no_cache, jobs=jobs, enabled=frozenset(selection.enabled))
    failed = False
    out: list[str] = []  # output not written yet
    if fmt == "json":
        try:  # json's own encoder for strings, without importing json (and re)
            from _json import encode_basestring_ascii as quote
        except ImportError:  # pragma: no cover - a Python without the C accelerator
            from json.encoder import encode_basestring_ascii as quote

        memo: dict[str, str] = {}  # rule ids, messages and alternatives repeat: quote each once
        records = 0
    for path, analysis in zip(paths, analyses, strict=True):
        if fmt == "json":
            head = f'{{"file":{quote(path)},"migration":{quote(migration_name(path))},"line":'
        for item in items(analysis, selection):
            suppression = item["suppression"]
            if item["severity"] == "failure" and suppression is None:
                failed = True
            if fmt == "json":
                # What json.dumps(record, separators=(",", ":")) writes, without building the records.
                line, column = item["line"], item["column"]
                fields = [item["rule"], item["severity"], item["message"], item["statement"], item["alternative"]]
                if type(line) is not int or type(column) is not int or not all(type(f) is str for f in fields):
                    out.append("," if records else "[")
                    records += 1
                    from json import dumps

                    out.append(dumps({"file": path, "migration": migration_name(path), "line": line,
                                      "column": column, "rule": fields[0], "severity": fields[1],
                                      "message": fields[2], "statement": fields[3], "alternative": fields[4],
                                      "suppressed": suppression}, separators=(",", ":")))
                    continue
                quoted = []
                for f in fields:
                    q = memo.get(f)
                    if q is None:
                        q = memo[f] = quote(f)
                    quoted.append(q)
                out.append("," if records else "[")
                records += 1
                if suppression is None:
                    tail = "null"
                else:
                    from json import dumps

                    tail = dumps(suppression, separators=(",", ":"))
                out.append(f'{head}{line},"column":{column},"rule":{quoted[0]},"severity":{quoted[1]},'
                           f'"message":{quoted[2]},"statement":{quoted[3]},"alternative":{quoted[4]},'
                           f'"suppressed":{tail}}}')
            else:
                note = f" [acknowledged: {suppression['reason']}]" if suppression is not None else ""
                out.append(f"{path}:{item['line']}:{item['column']}: {item['severity']} {item['rule']}: "
                           f"{item['message']}{note}\n")
        if len(out) >= CHUNK:
            # Written in pieces of some tens of KiB: fresh memory costs a page fault per 4 KiB (expensive
            # in a VM), and a small buffer's memory is reused, where one string of the whole output is not.
            sys.stdout.write("".join(out))
            out.clear()
    if fmt == "json":
        out.append("]\n" if records else "[]\n")
    sys.stdout.write("".join(out))
    return 1 if failed else 0


if __name__ == "__main__":
    import gc

    gc.disable()  # a short run that makes no reference cycles worth collecting: the collector only costs time
    code = main(sys.argv[1:])
    sys.stdout.flush()
    os._exit(code)  # the work is done and flushed: skip the interpreter's teardown of every module
