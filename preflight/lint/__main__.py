"""``python -m preflight.lint [options] FILE...``: the lint alone, with no database and a lean start-up.

Prints one line per finding (``file:line:column: severity rule: message``), or a JSON list with ``--format json``;
exits 1 when a finding is a failure (acknowledged ones excepted), 2 on bad usage or a file that does not exist, 3
when the lint could not decide (a file that exists but cannot be read, that holds a NUL byte or does not parse,
or a worker process that died while writing), else 0. ``preflight lint``
(the full CLI) does the same through :func:`preflight.lint.lint_files`; this entry point exists because a lint of
a migration directory takes a few tens of milliseconds, and the full CLI's imports would double it.
"""

from __future__ import annotations

import os
import sys

OUTPUT_PIECE = 64 * 1024
USAGE = ("usage: python -m preflight.lint [--transaction file|implicit|none] [--no-cache] [--format text|json] "
         "[--include RULE] [--exclude RULE] [--on-unknown error|warn] [--jobs N] FILE...")

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from preflight.lint.cache import Cache
    from preflight.lint.report import Selection


def main(argv: list[str]) -> int:
    opts: dict[str, list[str]] = {"include": [], "exclude": []}
    transaction, fmt, no_cache, jobs, on_unknown = "implicit", "text", False, None, "error"
    paths: list[str] = []
    args = iter(argv)
    try:
        for a in args:
            if a == "--no-cache":
                no_cache = True
            elif a in ("--transaction", "--format", "--include", "--exclude", "--jobs", "--on-unknown"):
                value = next(args)
                if a == "--on-unknown":
                    on_unknown = value
                elif a == "--transaction":
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
    if (not paths or transaction not in ("file", "implicit", "none") or fmt not in ("text", "json")
            or on_unknown not in ("error", "warn")):
        print(USAGE, file=sys.stderr)
        return 2

    from preflight import parallel
    from preflight.lint import before_fork, cache_key, plan
    from preflight.lint.cache import Cache
    from preflight.lint.report import Selection

    try:
        selection = Selection(opts["include"], opts["exclude"], on_unknown=on_unknown)
    except ValueError as e:
        print(f"preflight lint: {e}", file=sys.stderr)
        return 2
    enabled = frozenset(selection.enabled)
    cache = None if no_cache else Cache()
    contents: list[bytes | None] = [None] * len(paths)  # read by the process that lints them, unless needed here

    def read_all_keys() -> list[bytes]:  # a warm cache: which files does it hold?
        for i, path in enumerate(paths):
            contents[i] = _read(path)
        return [cache_key(c or b"", transaction, enabled) for c in contents]

    try:
        # This entry point runs no threads: forking is safe.
        jobs, keys = plan(len(paths), parallel.idle_cpus() if jobs is None else jobs, cache, read_all_keys)
    except _Unreadable as e:
        print(e, file=sys.stderr)
        return e.code

    def prepare(run: Iterable[int]) -> tuple[tuple[tuple[int, str] | None, int], list[str]]:
        error, verdict, chunks = _part(run, paths, contents, keys, transaction, fmt, selection, cache)
        return (error, verdict), chunks

    def emit(chunks: list[str], opened: bool) -> bool:
        """Write one run's output; ``opened``: whether a JSON record was written before."""
        write = sys.stdout.write
        try:
            # In pieces of about 64 KiB, each in one system call (a file's output alone is a few KiB, and a system
            # call costs microseconds), each small enough to come from memory the process has already touched.
            piece: list[str] = []
            size = 0
            for chunk in chunks:
                if chunk:
                    piece.append(chunk if opened or fmt != "json" else f"[{chunk[1:]}")  # the first opens the list
                    opened = True
                    size += len(chunk)
                    if size >= OUTPUT_PIECE:
                        write("".join(piece))
                        piece, size = [], 0
            write("".join(piece))
            sys.stdout.flush()
        except BrokenPipeError:  # the reader is gone (`| head`): the rest of the output goes nowhere
            _discard_stdout()
        return opened

    def proceed(statuses: list[tuple[tuple[int, str] | None, int]]) -> bool:
        return not any(error for error, _ in statuses)

    if jobs > 1:
        # Each process reads, analyses and renders its own run of files, and writes its output itself, in
        # order: only the parent's start-up is serial, and no output goes through a pipe.
        before_fork(enabled)

        try:
            statuses, opened = parallel.fork_emit(parallel.runs(len(paths), jobs), prepare, proceed, emit, False)
        except parallel.WorkerFailed as e:
            print(f"preflight lint: {e}; the output above is incomplete", file=sys.stderr)
            return 3
    else:
        status, chunks = prepare(range(len(paths)))
        statuses = [status]
        opened = emit(chunks, False) if proceed(statuses) else False
    for error, _ in statuses:
        if error:
            code, message = error
            print(message, file=sys.stderr)
            return code
    verdict = max(v for _, v in statuses)
    if fmt == "json":
        try:
            sys.stdout.write("]\n" if opened else "[]\n")
            sys.stdout.flush()
        except BrokenPipeError:
            _discard_stdout()
    return {VERDICT_FAILED: 1, VERDICT_UNDECIDED: 3}.get(verdict, 0)


def _discard_stdout() -> None:
    """Point standard output at /dev/null, so that what is still buffered does not fail again at exit."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


class _Unreadable(Exception):
    """A file that cannot be read; the message says which and why, ``code`` is the exit code: 2 for a file that
    does not exist (a mistyped argument), 3 for one that exists but cannot be read as SQL."""

    def __init__(self, message: str, code: int):
        super().__init__(message)
        self.code = code


def _read(path: str) -> bytes:
    from preflight.lint import read_bytes
    from preflight.sql_file import nul_problem

    try:
        data = read_bytes(path)
    except OSError as e:
        missing = isinstance(e, FileNotFoundError) and not os.path.islink(path)
        why = e.strerror or str(e)
        if not missing and e.strerror and "symbolic links" in e.strerror:
            why = "a symlink loop (too many levels of symbolic links)"
        elif not missing and isinstance(e, FileNotFoundError):
            why = "a dangling symlink (its target does not exist)"
        raise _Unreadable(f"preflight lint: {path}: cannot read: {why}", 2 if missing else 3) from None
    nul = nul_problem(data)
    if nul is not None:
        raise _Unreadable(f"preflight lint: {path}: {nul}", 3)
    return data


# How a run of files ends, worst last: what the exit code reports.
VERDICT_CLEAN, VERDICT_UNDECIDED, VERDICT_FAILED = 0, 1, 2


def _part(run: Iterable[int], paths: list[str], contents: list[bytes | None], keys: list[bytes] | None,
          transaction: str, fmt: str, selection: Selection,
          cache: Cache | None) -> tuple[tuple[int, str] | None, int, list[str]]:
    """Lint the files ``run`` gives (by index; ``contents``: those read already; ``keys``: their cache keys, if
    known) and render their findings: ``(error, verdict, each file's output)`` in file order, whatever order the run
    gives them in. The error is the first unreadable file's ``(exit code, message)``, and nothing is rendered then;
    the verdict is the worst of the findings (``VERDICT_*``: a failure, else an error such as a syntax error, else
    clean); the run stops
    there (a run going backwards leaves the files before it to the other end, which reports any of them)."""
    from preflight.lint import iter_cached_analyses, migration_name
    from preflight.lint.report import rows

    done: list[int] = []  # the files of the run, in the order analysed
    unreadable: list[_Unreadable] = []

    def sources() -> Iterator[tuple[bytes, str, bytes | None]]:
        for i in run:
            content = contents[i]
            if content is None:
                try:
                    content = _read(paths[i])
                except _Unreadable as e:
                    unreadable.append(e)
                    return
            done.append(i)
            yield content, transaction, keys[i] if keys else None

    # Each file's findings are rendered as soon as it is analysed: its analysis is not kept.
    analyses = iter_cached_analyses(sources(), cache, frozenset(selection.enabled))
    verdict = VERDICT_CLEAN
    rendered: list[str] = []  # each file's records or lines, in the order analysed
    if fmt == "json":
        try:  # json's own encoder for strings, without importing json (and re)
            from _json import encode_basestring_ascii as quote
        except ImportError:  # pragma: no cover - a Python without the C accelerator
            from json.encoder import encode_basestring_ascii as quote

        memo: dict[str, str] = {}  # rule ids, messages and alternatives repeat: quote each once
        known = memo.get

        def remember(text: str) -> str:
            quoted = memo[text] = quote(text)  # TypeError unless a string
            return quoted
    for n, analysis in enumerate(analyses):
        path = paths[done[n]]
        out: list[str] = []
        if fmt == "json":
            head = f',{{"file":{quote(path)},"migration":{quote(migration_name(path))},"line":'
        for line, column, rule, severity, message, statement, alternative, suppression in rows(analysis, selection):
            if suppression is None:
                if severity == "failure":
                    verdict = VERDICT_FAILED
                elif severity == "error" and verdict == VERDICT_CLEAN:
                    verdict = VERDICT_UNDECIDED
            if fmt != "json":
                note = f" [acknowledged: {suppression['reason']}]" if suppression is not None else ""
                text = f"{path}:{line}:{column}: {severity} {rule}: {message}{note}"
                if not text.isprintable() or "::" in text or "##[" in text:  # a name from outside: one line, inert
                    from preflight.escaping import ci_lines, control

                    text = ci_lines(control(text))
                out.append(text + "\n")
                continue
            # What json.dumps(record, separators=(",", ":")) writes, without building the record.
            try:
                if type(line) is not int or type(column) is not int:
                    raise TypeError(line, column)
                quoted = (known(rule) or remember(rule), known(severity) or remember(severity),
                          known(message) or remember(message), known(statement) or remember(statement),
                          known(alternative) or remember(alternative))
            except TypeError:  # not what an analysis holds: json writes it
                from json import dumps

                out.append("," + dumps({"file": path, "migration": migration_name(path), "line": line,
                                        "column": column, "rule": rule, "severity": severity, "message": message,
                                        "statement": statement, "alternative": alternative,
                                        "suppressed": suppression}, separators=(",", ":")))
                continue
            if suppression is None:
                tail = "null"
            else:
                from json import dumps

                tail = dumps(suppression, separators=(",", ":"))
            out.append(f'{head}{line},"column":{column},"rule":{quoted[0]},"severity":{quoted[1]},'
                       f'"message":{quoted[2]},"statement":{quoted[3]},"alternative":{quoted[4]},'
                       f'"suppressed":{tail}}}')
        rendered.append("".join(out))  # its pieces are freed now, and their memory serves the next file
    if unreadable:
        return (unreadable[0].code, str(unreadable[0])), VERDICT_CLEAN, []
    if len(done) > 1 and done[0] > done[-1]:  # a run that went backwards
        rendered.reverse()
    return None, verdict, rendered


if __name__ == "__main__":
    import gc

    gc.disable()  # a short run that makes no reference cycles worth collecting: the collector only costs time
    code = main(sys.argv[1:])
    sys.stdout.flush()
    os._exit(code)  # the work is done and flushed: skip the interpreter's teardown of every module
